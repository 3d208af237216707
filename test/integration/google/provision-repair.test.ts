/**
 * Provisioning's build and repair in detail, against the strict fake: the layout of a new
 * spreadsheet, re-runs after staff typed and rearranged rows (nothing written), a catalogue
 * change (only that cell), lost tabs and protections put back, a deleted spreadsheet replaced.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CHECK_PROTECTION } from "../../../functions/adapters/google/check-tab.js";
import { GOOGLE_SCOPES, STATE_SCOPE, createGoogleClients } from "../../../functions/adapters/google/clients.js";
import { googleWardSpreadsheets } from "../../../functions/adapters/google/provision.js";
import { LOCKED_PROTECTION } from "../../../functions/adapters/google/provision-plan.js";
import { APPRAISAL_PROTECTION } from "../../../functions/adapters/google/provision-review.js";
import type { WardRegistration } from "../../../functions/app/cloud-ward.js";
import { provisionWards } from "../../../functions/app/provision-wards.js";
import type { WardConfig } from "../../../functions/config.js";
import { parseWardWorkbook } from "../../../functions/core/parse-ward.js";
import type { KeyValueStore } from "../../../functions/ports.js";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { APPRAISAL_VALUES, CHECK_TAB, COLUMNS, GUIDE_TAB, RESULT_VALUES } from "../../../sheets-schema/layout.js";
import { CONCLUSION_ROW, HEADER_ROW as H, SUBMISSION_ROW } from "../../../sheets-schema/workbook-plan.js";
import { fakeGoogleAuth } from "../../fakes/google/clients.js";
import { type FakeGoogle, fakeServiceAccount, startFakeGoogle } from "../../fakes/google/server.js";
import { memoryKeyValueStore } from "../../fakes/memory-kv.js";
import { builtinCatalogues } from "../../fixtures/workbooks.js";
import { noWait, wardConfig } from "./google-fixtures.js";

const INPUT_COLUMNS = COLUMNS.flatMap((c, i) => (c.input ? [i] : []));
const HEADERS = COLUMNS.map((c) => c.header);
const clock = { now: () => new Date("2026-12-01T03:00:00Z") };

let fake: FakeGoogle;
let catalogues: Catalogue[];
let folderId: string;

beforeAll(async () => {
  [fake, catalogues] = await Promise.all([startFakeGoogle({ now: () => clock.now().getTime() }), builtinCatalogues()]);
  fake.identities.add({ token: "sa-token", email: fakeServiceAccount, kind: "serviceAccount", scopes: [...GOOGLE_SCOPES, STATE_SCOPE] });
  const driveId = fake.drive.addSharedDrive({ name: "Công an thị xã Cửa Lò", members: [{ email: fakeServiceAccount, role: "fileOrganizer" }] });
  folderId = fake.drive.addFolder({ name: "Các phường", parents: [driveId] });
});
afterAll(() => fake.close());
beforeEach(() => fake.resetLog());

function clients() {
  const auth = fakeGoogleAuth();
  auth.setCredentials({ access_token: "sa-token", expiry_date: Date.now() + 3_600_000 });
  return createGoogleClients({ auth, rootUrl: fake.url });
}

function wardWithContacts(id: string): WardConfig {
  return { ...wardConfig(id), contacts: [{ name: "Trưởng Công an phường", email: `truong.${id}@cualo.example` }, { email: `vanthu.${id}@cualo.example` }] };
}

/** One ward through the use case, with its own registry; the outcome's registration and actions. */
async function provision(kv: KeyValueStore, ward: WardConfig, list: readonly Catalogue[] = catalogues): Promise<{ registration: WardRegistration; actions: string[] }> {
  const spreadsheets = googleWardSpreadsheets(clients(), { catalogues: list, folderId, retry: noWait });
  const [outcome] = await provisionWards({ spreadsheets, kv, clock }, [ward]);
  if (!outcome?.registration || outcome.error) throw new Error(outcome?.error ?? "no registration");
  return { registration: outcome.registration, actions: outcome.actions };
}

const writes = (): number => fake.requests.filter((r) => r.method !== "GET").length;

function allValues(id: string): Record<string, unknown> {
  return Object.fromEntries(fake.sheets.sheetTitles(id).map((title) => [title, fake.sheets.values(id, title)]));
}

function rowOf(id: string, tab: string, code: string): number {
  const index = fake.sheets.values(id, tab).findIndex((row) => row[1] === code);
  if (index < 0) throw new Error(`no ${code} on ${tab}`);
  return index + 1;
}

describe("a new ward, then staff at work, then a catalogue change", () => {
  const ward = wardWithContacts("nghi-huong");
  const kv = memoryKeyValueStore();
  let registration: WardRegistration;
  let id: string;
  let tab1: string;
  let tab2: string;

  it("lays the spreadsheet out: tabs, headers, dropdowns, protections, locale", async () => {
    const result = await provision(kv, ward);
    ({ registration } = result);
    id = registration.spreadsheetId;
    [tab1, tab2] = [catalogues[0]!.tabTitle, catalogues[1]!.tabTitle];
    expect(fake.count({ api: "sheets", method: "POST", pathIncludes: ":batchUpdate" })).toBe(1);
    expect(fake.sheets.sheetTitles(id)).toEqual([GUIDE_TAB, tab1, tab2, CHECK_TAB]);
    expect(fake.drive.file(id)).toMatchObject({ name: "Tự đánh giá tiêu chí - Nghi Hương", parents: [folderId] });
    expect(fake.sheets.get(id).properties).toMatchObject({ locale: "vi_VN", timeZone: "Asia/Ho_Chi_Minh" });

    for (const [n, tab] of [tab1, tab2].entries()) {
      const values = fake.sheets.values(id, tab);
      expect(values[H]).toEqual(HEADERS);
      expect(values[2]?.slice(1, 3)).toEqual(["Tên phường:", "Nghi Hương"]);
      expect(values.slice(SUBMISSION_ROW, CONCLUSION_ROW + 1).map((row) => row.slice(1, 3))).toEqual([["Trạng thái:", "Đang cập nhật"], ["Kết luận thẩm định:"]]);
      const sheet = fake.sheets.get(id).sheets.find((s) => s.title === tab)!;
      expect(sheet.properties.gridProperties?.frozenRowCount).toBe(H + 1);
      expect(sheet.grid[H]?.[0]?.format?.textFormat?.bold).toBe(true);
      const criterionRows = values.flatMap((row, r) => (r > H && catalogues[n]!.criteria.some((c) => c.code === row[1]) ? [r] : []));
      expect(criterionRows).toHaveLength(catalogues[n]!.criteria.length);
      for (const r of criterionRows) {
        expect(INPUT_COLUMNS.map((c) => values[r]?.[c] ?? "")).toEqual(["", "", "", ""]);
        expect(fake.sheets.dataValidation(id, tab, `D${r + 1}`)).toMatchObject({
          condition: { type: "ONE_OF_LIST", values: RESULT_VALUES.map((v) => ({ userEnteredValue: v })) },
          strict: false,
          showCustomUi: true,
        });
        expect(fake.sheets.dataValidation(id, tab, `I${r + 1}`)?.condition?.values).toEqual(APPRAISAL_VALUES.map((v) => ({ userEnteredValue: v })));
      }
      // Group headings and the header carry no dropdown.
      const headings = values.flatMap((row, r) => (r > H && !criterionRows.includes(r) ? [r] : []));
      expect(headings.length).toBeGreaterThan(0);
      for (const r of [H, ...headings]) expect(fake.sheets.dataValidation(id, tab, `D${r + 1}`)).toBeUndefined();

      const all = fake.sheets.protectedRanges(id, tab);
      const protections = all.filter((p) => p.description !== APPRAISAL_PROTECTION);
      expect(protections.length).toBeGreaterThan(0);
      // The appraiser's cells: the two columns below the header and the Kết luận cell, for the service account only here.
      expect(all.filter((p) => p.description === APPRAISAL_PROTECTION).map((p) => [p.warningOnly, p.editors, p.range?.startRowIndex, p.range?.startColumnIndex, p.range?.endColumnIndex])).toEqual([
        [false, { users: [fakeServiceAccount] }, H + 1, 8, 10],
        [false, { users: [fakeServiceAccount] }, CONCLUSION_ROW, 2, 3],
      ]);
      for (const p of protections) {
        expect(p).toMatchObject({ description: LOCKED_PROTECTION, warningOnly: true });
        const below = (p.range?.startRowIndex ?? 0) > H;
        const columns = below ? [...Array(COLUMNS.length).keys()].filter((c) => c >= (p.range?.startColumnIndex ?? 0) && c < (p.range?.endColumnIndex ?? 26)) : [];
        expect(columns.filter((c) => INPUT_COLUMNS.includes(c))).toEqual([]);
      }
      expect(protections.map((p) => [p.range?.startColumnIndex, p.range?.endColumnIndex]).filter(([s]) => s !== undefined)).toEqual([[0, 3], [5, 6]]);
    }
    expect(fake.sheets.protectedRanges(id, CHECK_TAB)).toMatchObject([{ description: CHECK_PROTECTION, warningOnly: true }]);

    // What the validator reads from it: both programmes, every criterion, the ward's name.
    const workbook = { sheets: fake.sheets.sheetTitles(id).map((title) => ({ title, rows: fake.sheets.values(id, title) })) };
    const parsed = parseWardWorkbook(workbook, catalogues);
    expect(parsed.programmes.map((p) => [p.headerRow, p.rows.length, p.wardName?.cell.value])).toEqual([
      [H + 1, catalogues[0]!.criteria.length, "Nghi Hương"],
      [H + 1, catalogues[1]!.criteria.length, "Nghi Hương"],
    ]);
    const invitations = fake.requests.filter((r) => r.method === "POST" && r.path.endsWith("/permissions"));
    expect(invitations.map((r) => r.query.emailMessage)).toEqual([expect.stringContaining("trang “Hướng dẫn”"), expect.stringContaining("Nghi Hương")]);
    expect(result.actions).toContain("Thêm danh sách chọn ở cột Kết quả, cột Kết quả thẩm định, ô Trạng thái và ô Kết luận thẩm định");
  });

  it("writes nothing on a re-run after staff typed results and swapped two rows", async () => {
    const [r1, r2, r3, r4] = ["TC01", "TC02", "TC03", "TC04"].map((code) => rowOf(id, tab1, code)) as [number, number, number, number];
    fake.sheets.setValues(id, tab1, "C4", [["02/11/2023"]]);
    fake.sheets.setValues(id, tab1, `D${r1}`, [["Đạt", null, null, "Kế hoạch số 12/KH-CAP ngày 15/3/2023"]]);
    fake.sheets.setValues(id, tab1, `D${r2}`, [["Chưa đạt", null, null, null, "Đang khắc phục"]]);
    fake.sheets.setValues(id, tab1, `D${r3}`, [["Đạt", null, null, "Biên bản số 5/BB-CAP", "Đã hoàn thành"]]);
    const points = catalogues[1]!.criteria.find((c) => c.kind === "points")!;
    fake.sheets.setValues(id, tab2, `D${rowOf(id, tab2, points.code)}`, [["Đạt", 8.5]]);
    // Staff swap TC03 and TC04, each whole row with what they typed in it.
    const rows = fake.sheets.values(id, tab1);
    const rowValues = (r: number) => [Array.from({ length: COLUMNS.length }, (_, c) => (rows[r - 1]?.[c] === "" ? null : (rows[r - 1]?.[c] ?? null)))];
    const [third, fourth] = [rowValues(r3), rowValues(r4)];
    fake.sheets.setValues(id, tab1, `A${r3}`, fourth);
    fake.sheets.setValues(id, tab1, `A${r4}`, third);
    expect(rowOf(id, tab1, "TC03")).toBe(r4);

    const before = allValues(id);
    fake.resetLog();
    const result = await provision(kv, ward);
    expect(result).toEqual({ registration, actions: [] });
    expect(fake.count({ method: "POST" }) + fake.count({ method: "PATCH" }) + fake.count({ method: "PUT" })).toBe(0);
    expect(writes()).toBe(0);
    expect(fake.count({ api: "sheets" })).toBe(1); // one spreadsheets.get
    expect(JSON.stringify(allValues(id))).toBe(JSON.stringify(before));
  });

  it("fixes a changed criterion text in the row found by code, and only that cell", async () => {
    const changedText = "Chi bộ Công an phường được đánh giá hoàn thành tốt nhiệm vụ (nội dung sửa đổi năm 2026).";
    const first = catalogues[0]!;
    const changed: Catalogue[] = [{ ...first, criteria: first.criteria.map((c) => (c.code === "TC03" ? { ...c, text: changedText } : c)) }, catalogues[1]!];
    const before = allValues(id);
    const row = rowOf(id, tab1, "TC03");
    fake.resetLog();

    const result = await provision(kv, ward, changed);
    expect(result.actions).toEqual([`Trang “${tab1}”: sửa ô “Nội dung tiêu chí” của tiêu chí TC03 (ô C${row})`]);
    expect(writes()).toBe(1);
    const batch = fake.requests.find((r) => r.method === "POST")?.body as { requests: unknown[] };
    expect(batch.requests).toHaveLength(1);

    const after = allValues(id) as Record<string, string[][]>;
    const expected = structuredClone(before) as Record<string, string[][]>;
    expected[tab1]![row - 1]![2] = changedText;
    expect(after).toEqual(expected);

    fake.resetLog();
    await provision(kv, ward, changed);
    expect(writes()).toBe(0);
  });
});

describe("repairs", () => {
  it("puts back what went missing, without touching what staff typed", async () => {
    const ward = wardWithContacts("nghi-thu");
    const kv = memoryKeyValueStore();
    const { registration } = await provision(kv, ward);
    const id = registration.spreadsheetId;
    const tab = catalogues[0]!.tabTitle;
    const tc02 = rowOf(id, tab, "TC02");
    fake.sheets.setValues(id, tab, `D${tc02}`, [["Đang thực hiện", null, null, "Kế hoạch số 7/KH-CAP", "Quý IV"]]);
    fake.sheets.setValues(id, tab, "C3", [[null]]);
    fake.sheets.setValues(id, tab, `H${H + 1}`, [[null]]);
    fake.sheets.setValues(id, tab, `C${tc02}`, [["nội dung bị gõ đè"]]);
    fake.sheets.mutate(id, (s) => {
      const sheet = s.sheets.find((t) => t.title === tab)!;
      delete sheet.grid[tc02 - 1]![3]!.dataValidation;
      sheet.protectedRanges = [];
      s.sheets = s.sheets.filter((t) => t.title !== CHECK_TAB && t.title !== catalogues[1]!.tabTitle);
    });
    const first = catalogues[0]!;
    const added = { code: "TC23", group: "IV", text: "Tiêu chí bổ sung để thử nghiệm.", kind: "pass-fail" as const, evidenceRequired: false };
    const extended: Catalogue[] = [{ ...first, criteria: [...first.criteria, added] }, catalogues[1]!];
    const lastRow = fake.sheets.values(id, tab).length;
    // What staff typed below the header (the header row is the service's).
    const staffCells = () => fake.sheets.values(id, tab).slice(H + 1).map((row) => INPUT_COLUMNS.map((c) => row[c] ?? ""));
    const typed = staffCells();
    fake.resetLog();

    const result = await provision(kv, ward, extended);
    expect(fake.count({ api: "sheets", method: "POST" })).toBe(1);
    expect(fake.sheets.sheetTitles(id)).toEqual([GUIDE_TAB, tab, catalogues[1]!.tabTitle, CHECK_TAB]);
    expect(result.registration.checkSheetId).toBe(fake.sheets.get(id).sheets.find((s) => s.title === CHECK_TAB)?.sheetId);
    expect(result.registration.checkSheetId).not.toBe(registration.checkSheetId);
    const values = fake.sheets.values(id, tab);
    expect(values[2]?.[2]).toBe("Nghi Thu");
    expect(values[H]).toEqual(HEADERS);
    expect(values[tc02 - 1]?.[2]).toBe(first.criteria.find((c) => c.code === "TC02")?.text);
    expect(values[lastRow]?.slice(0, 3)).toEqual([first.criteria.length + 1, "TC23", added.text]);
    expect(fake.sheets.dataValidation(id, tab, `D${tc02}`)?.condition?.type).toBe("ONE_OF_LIST");
    expect(fake.sheets.dataValidation(id, tab, `D${lastRow + 1}`)?.condition?.type).toBe("ONE_OF_LIST");
    const repaired = fake.sheets.protectedRanges(id, tab);
    expect(repaired.filter((p) => p.description !== APPRAISAL_PROTECTION).every((p) => p.description === LOCKED_PROTECTION && p.warningOnly)).toBe(true);
    expect(repaired.filter((p) => p.description === APPRAISAL_PROTECTION && !p.warningOnly)).toHaveLength(2);
    expect(fake.sheets.protectedRanges(id, CHECK_TAB)).toMatchObject([{ description: CHECK_PROTECTION, warningOnly: true }]);
    expect(fake.sheets.values(id, catalogues[1]!.tabTitle)[H]).toEqual(HEADERS);
    expect(staffCells().slice(0, typed.length)).toEqual(typed);
    expect(result.actions).toEqual(
      expect.arrayContaining([
        `Thêm trang “${catalogues[1]!.tabTitle}”`,
        `Trang “${tab}”: ghi tiêu đề cột “Ghi chú” vào ô H${H + 1}`,
        `Trang “${tab}”: ghi tên phường vào ô C3`,
        `Trang “${tab}”: thêm tiêu chí TC23 ở hàng ${lastRow + 1}`,
      ]),
    );

    fake.resetLog();
    expect((await provision(kv, ward, extended)).actions).toEqual([]);
    expect(writes()).toBe(0);
  });

  it("creates a new spreadsheet when the recorded one was deleted", async () => {
    const ward = wardWithContacts("nghi-hai");
    const kv = memoryKeyValueStore();
    const { registration } = await provision(kv, ward);
    await clients().drive.files.delete({ fileId: registration.spreadsheetId, supportsAllDrives: true });
    const result = await provision(kv, ward);
    expect(result.registration.spreadsheetId).not.toBe(registration.spreadsheetId);
    expect(result.actions[0]).toContain("tạo bảng tính mới");
    expect(fake.drive.file(result.registration.spreadsheetId)?.parents).toEqual([folderId]);
    expect(fake.drive.permissions(result.registration.spreadsheetId).filter((p) => p.role === "writer")).toHaveLength(2);
  });
});
