/**
 * The Cloud Functions through the Functions Framework's own test server (supertest), with the
 * real googleapis clients talking to the fake Google API server over HTTP, state in its
 * Cloud Storage, and mail to a real SMTP server.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getTestServer } from "@google-cloud/functions-framework/testing";
import PostalMime from "postal-mime";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planWardWorkbook } from "../../sheets-schema/workbook-plan.js";
import { SAMPLE_WARDS, sampleAnswers, sampleConfigYaml } from "../../functions/adapters/local/sample-town.js";
import { gcsKeyValueStore } from "../../functions/adapters/google/gcs-store.js";
import { STATE_KEYS } from "../../functions/app/cloud-ward.js";
import { closureOf } from "../../functions/app/closure-record.js";
import { lockDescription } from "../../functions/adapters/google/period-locks.js";
import { currentPeriod } from "../../functions/core/period.js";
import { periodLabel } from "../../functions/core/vocabulary.js";
import { startFakeGoogle, type FakeGoogle } from "../fakes/google/server.js";
import { fakeGoogleAuth } from "../fakes/google/clients.js";
import { fakeServiceAccount } from "../fakes/google/identities.js";
import { type FakeSmtp, startFakeSmtp } from "../fakes/smtp.js";
import { builtinCatalogues } from "../fixtures/workbooks.js";

const TOKEN = "kenh-bi-mat-0123456789";
const TAB1 = "CA phường kiểu mẫu";
const WARDS = ["nghi-huong", "nghi-thu"];
let fake: FakeGoogle;
let smtp: FakeSmtp;
let dir: string;
const ids: Record<string, string> = {};

function configYaml(): string {
  const base = sampleConfigYaml("2026-11-27");
  // Keep two wards, and add the Google section.
  const wards = base.slice(base.indexOf("wards:\n"), base.indexOf("# Báo cáo"));
  const kept = wards.split("  - id: ").filter((chunk) => WARDS.some((w) => chunk.startsWith(`${w}\n`))).map((c) => `  - id: ${c}`);
  return `${base.replace(wards, `wards:\n${kept.join("")}\n`)}
google:
  wardsFolderId: wards-folder
  reportsFolderId: reports-folder
  townSpreadsheetId: ${ids.town}
  webhookUrl: https://tieuchi.example/sheetsWebhook
  feedbackDebounceMinutes: 0
`;
}

const programmeValues = (wardId: string) => fake.sheets.sheetTitles(ids[wardId]!).filter((t) => t !== "Kiểm tra").map((t) => [t, fake.sheets.values(ids[wardId]!, t)]);

beforeAll(async () => {
  // Drive records edits at once here (lag 0): Drive's lag is exercised in google/changes-sweep.test.ts on a manual clock.
  fake = await startFakeGoogle({ now: Date.now, drive: { lagMs: 0 } });
  const driveId = fake.drive.addSharedDrive({ name: "Công an phường Cửa Lò", members: [{ email: fakeServiceAccount, role: "fileOrganizer" }] });
  fake.drive.addFolder({ id: "wards-folder", name: "Phường", parents: [driveId] });
  fake.drive.addFolder({ id: "reports-folder", name: "Báo cáo", parents: [driveId] });
  fake.drive.openWithApp("reports-folder"); // the service creates its report Docs there (drive.file)
  smtp = await startFakeSmtp();
  dir = await mkdtemp(join(tmpdir(), "tieuchi-fn-"));
  const catalogues = await builtinCatalogues();
  for (const id of WARDS) {
    const ward = SAMPLE_WARDS.find((w) => w.id === id)!;
    const plan = planWardWorkbook(catalogues, ward.typedName, "02/11/2023", sampleAnswers(ward, catalogues));
    ids[id] = fake.sheets.create(ward.name, Object.fromEntries(plan.tabs.map((t) => [t.title, t.rows.map((r) => r.map((c) => c.value))])), { parents: ["wards-folder"] });
  }
  ids.town = fake.sheets.create("Tổng hợp tiêu chí", { "Tổng hợp": [] }, { parents: ["reports-folder"] });
  fake.sheets.setValues(ids["nghi-thu"]!, TAB1, "D9", [["Hoàn thành"]]); // a mistake for the Kiểm tra tab
  const kv = gcsKeyValueStore({ auth: fakeGoogleAuth(), bucket: "state", rootUrl: fake.url });
  await kv.put(STATE_KEYS.registry, Object.fromEntries(WARDS.map((w) => [w, { spreadsheetId: ids[w], checkSheetId: null }])), null);
  await writeFile(join(dir, "tieuchi.config.yaml"), configYaml());
  Object.assign(process.env, {
    TIEUCHI_CONFIG: join(dir, "tieuchi.config.yaml"),
    TIEUCHI_STATE_BUCKET: "state",
    TIEUCHI_CHANNEL_TOKEN: TOKEN,
    TIEUCHI_GOOGLE_ROOT_URL: fake.url,
    TIEUCHI_GOOGLE_ACCESS_TOKEN: "test-token",
    TIEUCHI_SMTP_URL: smtp.url,
  });
  await import("../../functions/index.js");
});
afterAll(async () => {
  await fake.close();
  await smtp.close();
  await rm(dir, { recursive: true, force: true });
});

describe("sweep", () => {
  it("first lists the wards folder once, processes every ward, writes its Kiểm tra tab, opens the changes channel and refreshes Tổng hợp", async () => {
    fake.resetLog();
    const response = await request(getTestServer("sweepHttp")).post("/").send({});
    expect(response.status).toBe(200);
    const report = JSON.parse(response.text) as { processed: string[]; channel: string; listed: number };
    expect(report).toMatchObject({ listed: 2, processed: WARDS, channel: "renewed", failed: [], errors: [] });
    expect(fake.count({ api: "drive", method: "GET", pathIncludes: "/drive/v3/files" })).toBe(2); // the folder's drive, then its one listing
    expect(fake.count({ api: "sheets", pathIncludes: "values:batchGet" })).toBe(2);
    const check = fake.sheets.values(ids["nghi-thu"]!, "Kiểm tra").flat().join(" ");
    expect(check).toContain("“Hoàn thành” không hợp lệ");
    expect(fake.drive.channels().map((c) => c.kind)).toEqual(["changes"]);
    expect(fake.sheets.values(ids.town!, "Tổng hợp").flat()).toContain("Nghi Hương");
  });

  it("lists no folder and reads no sheet when only the service's own Kiểm tra writes changed", async () => {
    fake.resetLog();
    const response = await request(getTestServer("sweepHttp")).post("/").send({});
    expect(JSON.parse(response.text)).toMatchObject({ listed: null, processed: [], skipped: WARDS, channel: "current" });
    expect(fake.count({ api: "sheets", pathIncludes: "values:batchGet" })).toBe(0);
    expect(fake.count({ api: "drive", method: "GET", pathIncludes: "/drive/v3/files" })).toBe(0);
    expect(fake.count({ api: "drive", pathIncludes: "/drive/v3/changes" })).toBe(1);
  });
});

describe("sheetsWebhook", () => {
  // One channel on the drive's changes feed serves every ward.
  const channelOf = (_wardId: string) => fake.drive.channels().find((c) => c.kind === "changes")!;

  it("refuses a wrong or missing token with 403 and processes nothing", async () => {
    fake.resetLog();
    const headers = fake.drive.notificationHeaders(channelOf("nghi-thu").id, "change");
    const wrong = await request(getTestServer("sheetsWebhook")).post("/").set({ ...headers, "X-Goog-Channel-Token": "sai" }).send();
    expect(wrong.status).toBe(403);
    const { "X-Goog-Channel-Token": _omitted, ...withoutToken } = headers;
    expect((await request(getTestServer("sheetsWebhook")).post("/").set(withoutToken).send()).status).toBe(403);
    expect(fake.requests).toHaveLength(0);
  });

  it("answers sync with 200 and does nothing", async () => {
    fake.resetLog();
    const sync = await request(getTestServer("sheetsWebhook")).post("/").set(fake.drive.notificationHeaders(channelOf("nghi-thu").id, "sync")).send();
    expect(sync.status).toBe(200);
    expect(fake.count({ api: "sheets" })).toBe(0);
  });

  it("processes a staff edit once however many times Drive delivers it, never touching input cells", async () => {
    fake.sheets.setValues(ids["nghi-thu"]!, TAB1, "D9", [["Đạt"]]); // staff fix the mistake
    const inputBefore = programmeValues("nghi-thu");
    fake.resetLog();
    const headers = fake.drive.notificationHeaders(channelOf("nghi-thu").id, "change");
    for (let i = 0; i < 10; i++) {
      const response = await request(getTestServer("sheetsWebhook")).post("/").set(headers).send();
      expect(response.status).toBe(200);
    }
    expect(fake.count({ api: "sheets", pathIncludes: "values:batchGet" })).toBe(1);
    expect(fake.count({ api: "sheets", method: "POST", pathIncludes: ":batchUpdate" })).toBe(1);
    expect(fake.sheets.values(ids["nghi-thu"]!, "Kiểm tra").flat().join(" ")).not.toContain("Hoàn thành");
    expect(programmeValues("nghi-thu")).toEqual(inputBefore);
  });

  it("retries a 429 from Sheets and then processes", async () => {
    fake.sheets.setValues(ids["nghi-huong"]!, TAB1, "H9", [["Đã rà soát"]]);
    fake.resetLog();
    fake.failNext({ api: "sheets", pathIncludes: "values:batchGet" }, 429);
    const response = await request(getTestServer("sheetsWebhook")).post("/").set(fake.drive.notificationHeaders(channelOf("nghi-huong").id, "change")).send();
    expect(response).toMatchObject({ status: 200, text: "processed 1, failed 0" });
    expect(fake.count({ api: "sheets", pathIncludes: "values:batchGet" })).toBe(2);
  });
});

describe("digest", () => {
  const event = (id: string) => ({ specversion: "1.0", id, source: "//pubsub.googleapis.com/projects/p/topics/tieuchi-digest", type: "google.cloud.pubsub.topic.v1.messagePublished", datacontenttype: "application/json", data: { message: { data: "" } } });

  it("publishes the Google Docs and the leadership email once for an event delivered ten times", async () => {
    smtp.received.length = 0;
    for (let i = 0; i < 10; i++) {
      const response = await request(getTestServer("digest")).post("/").set("Content-Type", "application/cloudevents+json").send(event("evt-1"));
      expect(response.status).toBeLessThan(300);
    }
    const docs = fake.drive.files().filter((f) => f.mimeType === "application/vnd.google-apps.document");
    expect(docs).toHaveLength(2 + WARDS.length);
    const digests = (await Promise.all(smtp.received.map((m) => PostalMime.parse(m.raw)))).filter((m) => m.subject?.startsWith("[Tự đánh giá tiêu chí] tuần"));
    expect(digests).toHaveLength(1);
    expect(digests[0]!.html).toContain("https://docs.google.com/document/d/");
    expect(digests[0]!.html).toContain(`https://docs.google.com/spreadsheets/d/${ids.town}/edit`);
    expect(digests[0]!.attachments.map((a) => a.mimeType).sort()).toEqual(["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "image/png", "image/png"]);
    const town = docs.find((d) => d.name.startsWith("Báo cáo Công an phường"))!;
    expect(fake.docs.document(town.id)?.documentStyle).toMatchObject({ marginLeft: { magnitude: expect.closeTo(85.04, 1), unit: "PT" } });
  });

  it("updates the same documents in place on the next digest", async () => {
    const before = fake.drive.files().filter((f) => f.mimeType === "application/vnd.google-apps.document").map((f) => f.id).sort();
    await request(getTestServer("digest")).post("/").set("Content-Type", "application/cloudevents+json").send(event("evt-2"));
    const after = fake.drive.files().filter((f) => f.mimeType === "application/vnd.google-apps.document").map((f) => f.id).sort();
    expect(after).toEqual(before);
  });

  it("lets Pub/Sub redeliver an event whose email was refused for now, and acknowledges one refused for good", async () => {
    fake.sheets.setValues(ids["nghi-huong"]!, TAB1, "D19", [["Đạt"]]);
    fake.sheets.setValues(ids["nghi-huong"]!, TAB1, "G19", [["Kế hoạch số 20/KH-CAP"]]);
    await request(getTestServer("sweepHttp")).post("/").send({}); // the figures change, so a new digest is due
    smtp.received.length = 0;
    const digestsReceived = async () => (await Promise.all(smtp.received.map((m) => PostalMime.parse(m.raw)))).filter((m) => m.subject?.startsWith("[Tự đánh giá tiêu chí] tuần"));
    const send = (id: string) => request(getTestServer("digest")).post("/").set("Content-Type", "application/cloudevents+json").send(event(id));

    // 451: the event fails so Pub/Sub redelivers it; a redelivery before the backoff has passed fails again, sending nothing.
    smtp.refusals.set("lanhdao@cualo.example", { code: 451, text: "4.3.0 Try again later", stage: "data" });
    expect((await send("evt-3")).status).toBeGreaterThanOrEqual(500);
    smtp.refusals.clear();
    expect((await send("evt-3")).status).toBeGreaterThanOrEqual(500);
    expect(await digestsReceived()).toHaveLength(0);

    // 552 on new figures: recorded and acknowledged; redeliveries (or the next run) do not try it again.
    fake.sheets.setValues(ids["nghi-huong"]!, TAB1, "D19", [["Chưa đạt"]]);
    await request(getTestServer("sweepHttp")).post("/").send({});
    smtp.refusals.set("lanhdao@cualo.example", { code: 552, text: "5.3.4 Message too big", stage: "data" });
    expect((await send("evt-4")).status).toBeLessThan(300);
    smtp.refusals.clear();
    for (let i = 0; i < 3; i++) expect((await send("evt-4")).status).toBeLessThan(300);
    expect((await send("evt-5")).status).toBeLessThan(300);
    expect(await digestsReceived()).toHaveLength(0);
  });
});

/** An identity token as Cloud Run hands it on once verified (only its payload is read): `email` is the caller. */
const identityToken = (email: string): string => ["{\"alg\":\"RS256\"}", JSON.stringify({ email, aud: "closePeriod" })].map((part) => Buffer.from(part).toString("base64url")).join(".") + ".signature";

describe("closePeriod", () => {
  const by = "truongphong@cualo.example";
  const close = (body: object, caller: string | null = by) => {
    const call = request(getTestServer("closePeriod")).post("/");
    return (caller ? call.set("Authorization", `Bearer ${identityToken(caller)}`) : call).send(body);
  };

  it("refuses a bad request, closes the running period with every ward's programme tabs locked, and reopens it with a reason", async () => {
    expect((await close({ action: "lock", period: "2026-11" })).status).toBe(400);
    const period = currentPeriod("week", new Date());
    // No identity token: refused, whatever the body says.
    expect(await close({ action: "close", period, by }, null)).toMatchObject({ status: 401, text: expect.stringContaining("Không xác định được người gọi") });
    // The body's "by" is ignored: who closed is the token's email.
    const closed = await close({ action: "close", period, by: "nguoi-khac@gia.mao" });
    expect(closed).toMatchObject({ status: 200, text: `Đã chốt ${periodLabel(period)}.\nĐã khóa ${WARDS.length}/${WARDS.length} bảng tính của các đơn vị.` });
    const locks = (w: string) => fake.sheets.protectedRanges(ids[w]!, TAB1).filter((p) => p.description === lockDescription(period));
    for (const w of WARDS) expect(locks(w)).toEqual([expect.objectContaining({ warningOnly: false, editors: { users: expect.arrayContaining([fakeServiceAccount]) } })]);
    // Closing again changes nothing and says so.
    expect((await close({ action: "close", period, by })).text).toContain("đã được chốt từ trước");
    expect(locks(WARDS[0]!)).toHaveLength(1);
    expect((await close({ action: "reopen", period, by })).status).toBe(400);
    const reopened = await close({ action: "reopen", period, by, reason: "Phường Nghi Thu bổ sung minh chứng" });
    expect(reopened).toMatchObject({ status: 200, text: `Đã mở lại ${periodLabel(period)}.\nĐã bỏ khóa ${WARDS.length}/${WARDS.length} bảng tính của các đơn vị.` });
    for (const w of WARDS) expect(locks(w)).toEqual([]);
    const kv = gcsKeyValueStore({ auth: fakeGoogleAuth(), bucket: "state", rootUrl: fake.url });
    const events = (await closureOf(kv, period))?.events ?? [];
    expect(events.map((e) => [e.kind, e.by])).toEqual([["close", by], ["reopen", by]]);
  });
});
