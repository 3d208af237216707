/**
 * The appraisal cycle on Google, end to end against the strict fake (protections enforced by
 * identity) through the real clients, composed as the runtime does, with a real SMTP server:
 * provisioning, a submission with an error (refused, Kiểm tra says why), the fix and a clean
 * submission, an appraisal with one disagreement and a return (ONE letter, however often the
 * change is notified), the agreement, closing the period (the ward's later write refused by
 * Sheets, a write that slipped in before the locks flagged, the closed figures kept), reopening
 * (locks gone), and Drive's last modifying user named in the trail.
 */
import type { sheets_v4 } from "@googleapis/sheets";
import { OAuth2Client, gaxios } from "google-auth-library";
import PostalMime from "postal-mime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GOOGLE_SCOPES, STATE_SCOPE, createGoogleClients } from "../../../functions/adapters/google/clients.js";
import { googleWardFolder, lastModifierOf } from "../../../functions/adapters/google/changed-files.js";
import { googleChangeFeed } from "../../../functions/adapters/google/changes.js";
import { googleCheckTab } from "../../../functions/adapters/google/check-tab.js";
import { googlePeriodLocks, lockDescription } from "../../../functions/adapters/google/period-locks.js";
import { GoogleApiError } from "../../../functions/adapters/google/google-errors.js";
import { PeriodLockError } from "../../../functions/errors.js";
import { googleWardSpreadsheets } from "../../../functions/adapters/google/provision.js";
import { googleSheetSource } from "../../../functions/adapters/google/sheet-source.js";
import { sampleConfigYaml } from "../../../functions/adapters/local/sample-town.js";
import { createSmtpMailer } from "../../../functions/adapters/mail/smtp-mailer.js";
import { type CloudPorts, type CloudSettings, handleNotification, sweep } from "../../../functions/app/cloud-handlers.js";
import { type CloseContext, handleCloseRequest, wardNamer } from "../../../functions/app/cloud-close.js";
import { closureOf } from "../../../functions/app/closure-record.js";
import { liftedLockKey } from "../../../functions/app/period-lock-records.js";
import type { TownSummary } from "../../../functions/core/aggregate-town.js";
import { formatLocalDateTime } from "../../../functions/core/period.js";
import { modifierName } from "../../../functions/app/cloud-review.js";
import { registryCache, STATE_KEYS, type WardState } from "../../../functions/app/cloud-ward.js";
import { kvLedger, kvStateStore } from "../../../functions/app/kv-state.js";
import { provisionWards } from "../../../functions/app/provision-wards.js";
import { reviewKey } from "../../../functions/app/review-store.js";
import { trailEventsOf, trailOf } from "../../../functions/app/trail-store.js";
import { type Config, type WardConfig, parseConfigText } from "../../../functions/config.js";
import type { ReviewRecord } from "../../../functions/core/review-cycle.js";
import type { Mailer } from "../../../functions/ports.js";
import { loadTemplates } from "../../../functions/render/templates.js";
import { CHECK_TAB, COLUMNS, type ColumnKey } from "../../../sheets-schema/layout.js";
import { CONCLUSION_ROW, SUBMISSION_ROW } from "../../../sheets-schema/workbook-plan.js";
import { manualClock } from "../../fakes/clock.js";
import { type FakeGoogle, fakeServiceAccount, scopes, startFakeGoogle } from "../../fakes/google/server.js";
import { memoryKeyValueStore } from "../../fakes/memory-kv.js";
import { type FakeSmtp, startFakeSmtp } from "../../fakes/smtp.js";
import { builtinCatalogues } from "../../fixtures/workbooks.js";
import { wardConfig } from "./google-fixtures.js";

const WARD = "canbo.nghihuong@cualo.example";
const APPRAISER = "thamdinh@congan-nghean.example";
const OFFICE = "truongphong@congan-nghean.example";
const TOKEN = "kenh-bi-mat";
const PERIOD = "2026-11";
const PROTECTED = "You are trying to edit a protected cell or object. Please contact the spreadsheet owner to remove protection if you need to edit.";
const MINUTE = 60_000;

const clock = manualClock("2026-11-20T01:00:00Z");
let fake: FakeGoogle;
let smtp: FakeSmtp;
let mailer: Mailer;
let config: Config;
let ports: CloudPorts;
let settings: CloudSettings;
const kv = memoryKeyValueStore();
const as: Record<string, sheets_v4.Sheets> = {};
const ward: WardConfig = { ...wardConfig("nghi-huong"), contacts: [{ email: WARD }] };
let id: string;
let tab: string;

function authFor(token: string): OAuth2Client {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: token, expiry_date: Date.now() + 3_600_000 });
  return auth;
}

beforeAll(async () => {
  [fake, smtp] = await Promise.all([startFakeGoogle({ now: clock.ms, drive: { lagMs: 0 } }), startFakeSmtp()]);
  const catalogues = await builtinCatalogues();
  const parsed = parseConfigText(sampleConfigYaml("2026-11-20"), {});
  if (!parsed.success) throw new Error(JSON.stringify(parsed.problems));
  // One ward, monthly periods, no deadlines: every letter to the ward is the cycle's.
  config = { ...parsed.data, baseDir: "/tmp", catalogues, smtpUrl: smtp.url, wards: [ward], schedule: { ...parsed.data.schedule, period: "month", deadlines: [] }, review: { appraisers: [APPRAISER], office: [OFFICE] } };
  fake.identities.add({ token: "sa-token", email: fakeServiceAccount, kind: "serviceAccount", scopes: [...GOOGLE_SCOPES, STATE_SCOPE] });
  for (const [token, email, displayName] of [["ward-token", WARD, "Cán bộ Nghi Hương"], ["appraiser-token", APPRAISER, "Cán bộ thẩm định"]] as const) {
    fake.identities.add({ token, email, kind: "user", scopes: [scopes.spreadsheets, scopes.drive], displayName });
    as[email] = createGoogleClients({ auth: authFor(token), rootUrl: fake.url }).sheets;
  }
  const clients = createGoogleClients({ auth: authFor("sa-token"), rootUrl: fake.url });
  const driveId = fake.drive.addSharedDrive({ name: "Công an tỉnh Nghệ An", members: [{ email: fakeServiceAccount, role: "fileOrganizer" }] });
  const folderId = fake.drive.addFolder({ name: "Các phường", parents: [driveId] });
  const retry = { sleep: clock.sleep };
  const [outcome] = await provisionWards({ spreadsheets: googleWardSpreadsheets(clients, { catalogues, folderId, appraisers: config.review.appraisers, retry }), kv, clock }, [ward]);
  id = outcome!.registration!.spreadsheetId;
  tab = catalogues[0]!.tabTitle;
  const registry = registryCache(kv, clock);
  const spreadsheetIdOf = async (w: { id: string }) => (await registry.get())[w.id]?.spreadsheetId ?? null;
  mailer = createSmtpMailer({ url: smtp.url, from: "tieuchi <tieuchi@congan-nghean.example>" });
  const templates = await loadTemplates();
  ports = {
    kv,
    clock,
    registry: registry.get,
    sheets: googleSheetSource({ clients, catalogues, spreadsheetIdOf, retry }),
    feedback: googleCheckTab({ clients, catalogues, spreadsheetIdOf, checkSheetIdOf: async (w) => (await registry.get())[w.id]?.checkSheetId ?? null, retry }),
    changes: googleChangeFeed(clients, retry),
    folder: googleWardFolder(clients, folderId, retry),
    review: { periodKind: "month", modifiedBy: async (w) => modifierName(await lastModifierOf(clients, (await spreadsheetIdOf(w)) ?? "")) },
    summary: { write: async () => undefined },
    state: kvStateStore(kv),
    publish: async () => ({ documents: { publish: async () => ({ location: "", pdf: null }) }, templates, mail: { mailer, ledger: kvLedger(kv) } }),
  };
  const feed = { leaseMs: 10 * MINUTE, fullListingEveryMs: 24 * 60 * MINUTE, maxWards: 100, maxPasses: 2 };
  // Ward feedback letters wait a day: what arrives during the test is the cycle's own mail.
  settings = { channelToken: TOKEN, webhookUrl: null, wardsFolderId: folderId, renewBeforeMs: DAYS(1), channelTtlMs: DAYS(7), feedbackDebounceMs: DAYS(1), sweepFeed: feed, webhookFeed: { ...feed, maxPasses: 1 } };
});
afterAll(async () => {
  await mailer.close();
  await smtp.close();
  await fake.close();
});

function DAYS(n: number): number {
  return n * 24 * 60 * MINUTE;
}

/** A cell of the first programme tab, by criterion code and column key ("TC01", "result" → "E9"). */
function cellOf(code: string, key: ColumnKey): string {
  const values = fake.sheets.values(id, tab);
  const row = values.findIndex((r) => r[1] === code) + 1;
  return `${String.fromCharCode(65 + COLUMNS.findIndex((c) => c.key === key))}${row}`;
}

const range = (a1: string): string => `'${tab.replace(/'/g, "''")}'!${a1}`;

/** Writes through the real client as `email`: "written", or Sheets' error body. */
async function write(email: string, data: Array<[string, string | number]>): Promise<unknown> {
  const requestBody = { valueInputOption: "USER_ENTERED", data: data.map(([a1, value]) => ({ range: range(a1), values: [[value]] })) };
  return as[email]!.spreadsheets.values.batchUpdate({ spreadsheetId: id, requestBody }).then(
    () => "written",
    (error: unknown) => (error instanceof gaxios.GaxiosError ? error.response?.data : error),
  );
}

/** Every criterion of the first programme filled in as met, with evidence. */
function fullFill(): Array<[string, string | number]> {
  return config.catalogues[0]!.criteria.flatMap((c): Array<[string, string | number]> => [
    [cellOf(c.code, "result"), "Đạt"],
    ...(c.kind === "points" ? [[cellOf(c.code, "points"), c.maxPoints ?? 0] as [string, number]] : []),
    [cellOf(c.code, "evidence"), `Kế hoạch số ${c.code}/KH-CAP ngày 15/3/2026`],
  ]);
}

async function sweepNow(): Promise<Awaited<ReturnType<typeof sweep>>> {
  clock.advance(MINUTE);
  const report = await sweep(config, ports, settings);
  expect(report.errors).toEqual([]);
  return report;
}

const records = async (): Promise<ReviewRecord[]> => (await kv.get<{ programmes: ReviewRecord[] }>(reviewKey(PERIOD, ward.id)))?.value.programmes ?? [];
const firstRecord = async (): Promise<ReviewRecord | undefined> => (await records()).find((r) => r.programmeId === config.catalogues[0]!.id);
const checkText = (): string => fake.sheets.values(id, CHECK_TAB).flat().join("\n");
const mailsTo = (email: string): number => smtp.received.filter((m) => m.recipients.includes(email)).length;
const state = async (): Promise<WardState> => (await kv.get<WardState>(STATE_KEYS.ward(ward.id)))!.value;
/** The office calling the close function (its identity token's email). */
const byOffice = (): CloseContext => ({ office: config.review.office, caller: OFFICE, wardName: wardNamer(config.wards) });
const saLocks = () => googlePeriodLocks(createGoogleClients({ auth: authFor("sa-token"), rootUrl: fake.url }), { catalogues: config.catalogues });

describe("the appraisal cycle on Google", () => {
  it("refuses a submission with an error, and the Kiểm tra tab says why", async () => {
    await sweepNow();
    const fill = fullFill();
    fill[0] = [fill[0]![0], "Dat roi"];
    expect(await write(WARD, [...fill, [`C${SUBMISSION_ROW + 1}`, "Đề nghị thẩm định"]])).toBe("written");
    await sweepNow();
    expect(await firstRecord()).toMatchObject({ state: "updating", submittedAt: null });
    expect((await firstRecord())?.events.map((e) => e.kind)).toEqual(["refused"]);
    expect(checkText()).toContain("Chưa nhận đề nghị thẩm định");
    expect(checkText()).toContain("trạng thái: Đang cập nhật");
  });

  it("accepts the fixed, clean submission: who (Drive's last modifying user) and when", async () => {
    expect(await write(WARD, [[cellOf(config.catalogues[0]!.criteria[0]!.code, "result"), "Đạt"]])).toBe("written");
    await sweepNow();
    const record = await firstRecord();
    expect(record).toMatchObject({ state: "submitted", submittedBy: `Cán bộ Nghi Hương <${WARD}>` });
    expect((await state()).findings.filter((f) => f.severity === "error" && f.tab === tab).map((f) => f.code)).toEqual([]);
    expect(checkText()).toContain("trạng thái: Đề nghị thẩm định");
    expect(mailsTo(OFFICE)).toBe(1); // the office is told once of the submission
  });

  it("lets only the appraiser write the appraisal; a return with one disagreement sends ONE letter, however often notified", async () => {
    const [first, second] = config.catalogues[0]!.criteria;
    expect(await write(WARD, [[cellOf(first!.code, "appraisal"), "Đạt"]])).toEqual({ error: { code: 400, message: PROTECTED, status: "INVALID_ARGUMENT" } });
    const appraisal = config.catalogues[0]!.criteria.map((c): [string, string] => [cellOf(c.code, "appraisal"), c.code === second!.code ? "Chưa đạt" : "Đạt"]);
    const returned = await write(APPRAISER, [...appraisal, [cellOf(second!.code, "appraisalNote"), "Minh chứng chưa có chữ ký của lãnh đạo"], [`C${CONCLUSION_ROW + 1}`, "Trả lại"]]);
    expect(returned).toBe("written");
    await sweepNow();
    expect(await firstRecord()).toMatchObject({ state: "returned", returnedAt: expect.any(String) });
    expect(mailsTo(WARD)).toBe(1);
    // Drive notifies the same change again (and again): no second letter.
    for (const messageNumber of [2, 3]) {
      const answer = await handleNotification({ channelId: "c", resourceId: null, resourceState: "change", messageNumber, token: TOKEN }, config, ports, settings);
      expect(answer.status).toBe(200);
    }
    await sweepNow();
    await sweepNow();
    expect(mailsTo(WARD)).toBe(1);
  });

  it("takes the ward's change and resubmission, then the appraiser's agreement: Đã thẩm định, by the appraiser", async () => {
    const second = config.catalogues[0]!.criteria[1]!;
    // The ward sets Trạng thái back to “Đang cập nhật” while it corrects, then asks again.
    expect(await write(WARD, [[cellOf(second.code, "evidence"), "Kế hoạch số 2/KH-CAP ngày 15/3/2026 (có chữ ký)"], [`C${SUBMISSION_ROW + 1}`, "Đang cập nhật"]])).toBe("written");
    await sweepNow();
    expect(await firstRecord()).toMatchObject({ state: "updating" });
    expect(await write(WARD, [[`C${SUBMISSION_ROW + 1}`, "Đề nghị thẩm định"]])).toBe("written");
    await sweepNow();
    expect(await firstRecord()).toMatchObject({ state: "submitted" });
    expect(await write(APPRAISER, [[cellOf(second.code, "appraisal"), "Đạt"], [`C${CONCLUSION_ROW + 1}`, "Đã thẩm định"]])).toBe("written");
    await sweepNow();
    expect(await firstRecord()).toMatchObject({ state: "appraised", appraisedBy: `Cán bộ thẩm định <${APPRAISER}>` });
    expect(checkText()).toContain("trạng thái: Đã thẩm định");
    expect(mailsTo(WARD)).toBe(1);
  });

  it("closes the period: locks every programme tab for the office; a write slipped in before the locks is flagged, later ones refused", async () => {
    const locks = googlePeriodLocks(createGoogleClients({ auth: authFor("sa-token"), rootUrl: fake.url }), { catalogues: config.catalogues });
    const third = config.catalogues[0]!.criteria[2]!;
    const before = (await state()).outcome.scores[0]!.met;
    // The ward saves a change between the closing record and the locks.
    const racing = { ...locks, lock: async (spreadsheetId: string, period: string, editors: readonly string[]) => {
      expect(await write(WARD, [[cellOf(third.code, "result"), "Chưa đạt"]])).toBe("written");
      return locks.lock(spreadsheetId, period, editors);
    } };
    const answer = await handleCloseRequest({ action: "close", period: PERIOD }, { kv, locks: racing, clock, registry: ports.registry }, byOffice());
    expect(answer).toEqual({ status: 200, body: "Đã chốt tháng 11/2026.\nĐã khóa 1/1 bảng tính của các đơn vị." });
    const lock = fake.sheets.protectedRanges(id, tab).find((p) => p.description === lockDescription(PERIOD));
    expect(lock).toMatchObject({ range: { sheetId: expect.any(Number) }, warningOnly: false, editors: { users: [OFFICE, fakeServiceAccount] } });
    expect(await write(WARD, [[cellOf(third.code, "evidence"), "sửa sau khi chốt"]])).toEqual({ error: { code: 400, message: PROTECTED, status: "INVALID_ARGUMENT" } });
    expect(await write(APPRAISER, [[cellOf(third.code, "appraisal"), "Chưa đạt"]])).toMatchObject({ error: { code: 400 } });

    await sweepNow();
    expect(checkText()).toContain("sửa sau khi đã chốt kỳ");
    const closed = await state();
    expect(closed.outcome.review?.[0]).toMatchObject({ state: "closed", appraisedAt: expect.any(String) });
    expect((await firstRecord())?.state).toBe("appraised"); // nothing steps after the close
    // The ward's workbook as it now reads has one criterion less; the closed figures are the frozen copy's.
    expect(closed.outcome.scores[0]!.met).toBe(before - 1);
    const frozen = (await closureOf(kv, PERIOD))?.frozen?.detail?.wards.find((w) => w.id === ward.id);
    expect(frozen?.outcome.scores[0]?.met).toBe(before);
    expect(closed.findings.find((f) => f.code === "edited-after-close")).toMatchObject({ tab, cell: cellOf(third.code, "result"), criterion: third.code });
  });

  it("reopens with a reason: exactly those locks removed, recorded; the ward writes again", async () => {
    const locks = googlePeriodLocks(createGoogleClients({ auth: authFor("sa-token"), rootUrl: fake.url }), { catalogues: config.catalogues });
    const refused = await handleCloseRequest({ action: "reopen", period: PERIOD }, { kv, locks, clock, registry: ports.registry }, byOffice());
    expect(refused.status).toBe(400);
    const answer = await handleCloseRequest({ action: "reopen", period: PERIOD, reason: "Phường bổ sung minh chứng tiêu chí 3" }, { kv, locks, clock, registry: ports.registry }, byOffice());
    expect(answer).toEqual({ status: 200, body: "Đã mở lại tháng 11/2026.\nĐã bỏ khóa 1/1 bảng tính của các đơn vị." });
    expect(fake.sheets.protectedRanges(id, tab).filter((p) => p.description === lockDescription(PERIOD))).toEqual([]);
    expect(fake.sheets.protectedRanges(id, tab).filter((p) => !p.warningOnly)).toHaveLength(2); // the appraiser's cells stay protected
    expect(await write(WARD, [[cellOf(config.catalogues[0]!.criteria[2]!.code, "result"), "Đạt"]])).toBe("written");
    await sweepNow();
    expect(checkText()).not.toContain("sửa sau khi đã chốt kỳ");
    expect(mailsTo(WARD)).toBe(1);
  });

  it("closes November again while it runs: locked; the Kiểm tra tab gives the closing time", async () => {
    const answer = await handleCloseRequest({ action: "close", period: PERIOD }, { kv, locks: saLocks(), clock, registry: ports.registry }, byOffice());
    expect(answer).toEqual({ status: 200, body: "Đã chốt tháng 11/2026.\nĐã khóa 1/1 bảng tính của các đơn vị." });
    expect(await write(WARD, [[cellOf(config.catalogues[0]!.criteria[3]!.code, "evidence"), "thử sau khi chốt"]])).toMatchObject({ error: { code: 400 } });
    await sweepNow();
    const closedAt = (await closureOf(kv, PERIOD))!.events.at(-1)!.at;
    expect(checkText()).toContain(`trạng thái: Đã chốt (lúc ${formatLocalDateTime(new Date(closedAt))})`);
  });

  it("once December begins: the lock is lifted (recorded), the unchanged ward moves into December's cycle, no letter of November's again", async () => {
    const cycleMail = async () => (await Promise.all(smtp.received.map((m) => PostalMime.parse(m.raw)))).filter((m) => /được trả lại|đề nghị thẩm định/u.test(m.subject ?? "")).length;
    const before = await cycleMail();
    expect(before).toBe(3); // the return, and the two submissions told to the office
    const written: TownSummary[] = [];
    const summary = { write: async (s: TownSummary) => void written.push(s) };
    clock.advance(DAYS(12));
    const first = await sweep(config, { ...ports, summary, locks: saLocks() }, settings);
    expect(first.errors).toEqual([]);
    expect(first.locksLifted).toEqual([`${PERIOD}/${ward.id}`]);
    expect(fake.sheets.protectedRanges(id, tab).filter((p) => p.description === lockDescription(PERIOD))).toEqual([]);
    expect((await kv.get<{ lifted: { reason: string } }>(liftedLockKey(PERIOD, ward.id)))?.value.lifted.reason).toBe("mở khóa khi kỳ mới bắt đầu");
    expect((await closureOf(kv, PERIOD))?.closed).toBe(true); // November stays closed, its figures frozen
    // The ward, unchanged since November, is stepped into December: its state and Tổng hợp are December's, not “Đã chốt”.
    expect((await state()).review?.period).toBe("2026-12");
    expect(await kv.get(reviewKey("2026-12", ward.id))).not.toBeNull();
    expect((await state()).outcome.review?.[0]?.state).toBe("appraised");
    expect(written.at(-1)?.period).toBe("2026-12");
    expect(written.at(-1)?.programmes[0]?.wards[0]?.review).toBe("appraised");
    // The ward types for December again, and nothing is flagged as edited after a close.
    expect(await write(WARD, [[cellOf(config.catalogues[0]!.criteria[3]!.code, "evidence"), "Báo cáo tháng 12/2026"]])).toBe("written");
    await sweepNow();
    expect(checkText()).not.toContain("sửa sau khi đã chốt kỳ");
    expect(await cycleMail()).toBe(before);
  });

  it("closing a period that has already ended locks nothing, and says so", async () => {
    await handleCloseRequest({ action: "reopen", period: PERIOD, reason: "Bổ sung số liệu tháng 11" }, { kv, locks: saLocks(), clock, registry: ports.registry }, byOffice());
    const answer = await handleCloseRequest({ action: "close", period: PERIOD }, { kv, locks: saLocks(), clock, registry: ports.registry }, byOffice());
    expect(answer.status).toBe(200);
    expect(answer.body).toContain("Tháng 11/2026 đã kết thúc nên không khóa bảng tính của các đơn vị");
    expect(fake.sheets.protectedRanges(id, tab).filter((p) => p.description === lockDescription(PERIOD))).toEqual([]);
    expect(await write(WARD, [[cellOf(config.catalogues[0]!.criteria[3]!.code, "evidence"), "Báo cáo tháng 12/2026 (bổ sung)"]])).toBe("written");
  });

  it("names who did what in the trail: Drive's last modifying user", async () => {
    const events = await trailEventsOf(kv, { period: PERIOD, ward: ward.id });
    expect(events.map((e) => [e.kind, e.by])).toEqual(
      expect.arrayContaining([
        ["refused", `Cán bộ Nghi Hương <${WARD}>`],
        ["submitted", `Cán bộ Nghi Hương <${WARD}>`],
        ["returned", `Cán bộ thẩm định <${APPRAISER}>`],
        ["appraised", `Cán bộ thẩm định <${APPRAISER}>`],
        ["closed", OFFICE],
        ["reopened", OFFICE],
      ]),
    );
    const changes = await trailOf(kv, { period: PERIOD, ward: ward.id });
    expect(changes.some((c) => c.by === `Cán bộ thẩm định <${APPRAISER}>` && c.field === "appraisal")).toBe(true);
    expect(changes.some((c) => c.by === `Cán bộ Nghi Hương <${WARD}>` && c.field === "evidence")).toBe(true);
  });

  it("a lock that fails is told in Vietnamese, never in Google's English (the cause kept for the log)", async () => {
    const failure = await saLocks().lock("khong-co-bang-tinh-nay", PERIOD, [OFFICE]).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PeriodLockError);
    expect((failure as PeriodLockError).message).toBe("không tìm thấy bảng tính (tệp có thể đã bị xóa hoặc chuyển đi)");
    expect((failure as PeriodLockError).cause).toBeInstanceOf(GoogleApiError);
  });
});
