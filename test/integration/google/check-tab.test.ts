import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CHECK_PROTECTION, checkTabRows, googleCheckTab } from "../../../functions/adapters/google/check-tab.js";
import { GoogleApiError } from "../../../functions/adapters/google/google-errors.js";
import { googleSheetSource } from "../../../functions/adapters/google/sheet-source.js";
import { inputHash } from "../../../functions/app/input-hash.js";
import type { WardOutcome } from "../../../functions/core/aggregate-town.js";
import { evaluateWorkbook } from "../../../functions/core/evaluate-ward.js";
import { findingMessage } from "../../../functions/core/messages.js";
import type { WardFeedback } from "../../../functions/ports.js";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { CHECK_TAB } from "../../../sheets-schema/layout.js";
import { manualClock } from "../../fakes/clock.js";
import { type FakeGoogle, startFakeGoogle } from "../../fakes/google/server.js";
import { builtinCatalogues } from "../../fixtures/workbooks.js";
import { clientsFor, createWardSpreadsheet, noWait, wardConfig } from "./google-fixtures.js";

let fake: FakeGoogle;
let catalogues: Catalogue[];
const ward = wardConfig("nghi-huong");
const checkedAt = new Date("2026-11-27T03:05:00Z");
const clock = manualClock("2026-11-27T03:05:00Z");
/** Drive records a Sheets edit this long after it is made (the fake's default). */
const DRIVE_LAG_MS = 180_000;

beforeAll(async () => {
  [fake, catalogues] = await Promise.all([startFakeGoogle({ now: clock.ms }), builtinCatalogues()]);
});
afterAll(() => fake.close());
beforeEach(() => fake.resetLog());

/** The ward's spreadsheet, with a place to record the Kiểm tra sheet id as provisioning would. */
function setUp(checkSheetId: number | null = null) {
  const id = createWardSpreadsheet(fake, catalogues);
  const registry = { checkSheetId };
  const clients = clientsFor(fake);
  const sink = googleCheckTab({
    clients,
    catalogues,
    spreadsheetIdOf: async () => id,
    checkSheetIdOf: async () => registry.checkSheetId,
    onCheckSheetCreated: async (_ward, sheetId) => {
      registry.checkSheetId = sheetId;
    },
    retry: noWait,
  });
  const source = googleSheetSource({ clients, catalogues, spreadsheetIdOf: async () => id, retry: noWait });
  return { id, registry, sink, source };
}

/** Read the ward through the sheet source and evaluate it, as processWard does. */
async function check(source: ReturnType<typeof setUp>["source"]): Promise<WardFeedback> {
  const workbook = await source.read(ward);
  const evaluation = evaluateWorkbook(workbook!, catalogues, ward);
  const outcome: WardOutcome = { ward: { id: ward.id, name: ward.name }, status: "ok", reason: null, scores: evaluation.scores };
  return { ward, outcome, findings: evaluation.findings, checkedAt };
}

/** Everything about every tab but Kiểm tra: values, formats, protections, validation. */
function staffTabs(id: string): string {
  return JSON.stringify(fake.sheets.get(id).sheets.filter((s) => s.title !== CHECK_TAB));
}

/** Staff type wrong values into three Kết quả cells of the first programme tab. */
function typeMistakes(id: string, count: number): void {
  const tab = catalogues[0]!.tabTitle;
  const rows = fake.sheets.values(id, tab);
  const codes = ["TC01", "TC02", "TC03"].slice(0, count);
  for (const code of codes) fake.sheets.setValues(id, tab, `D${rows.findIndex((r) => r[1] === code) + 1}`, [["xong rồi"]]);
}

describe("googleCheckTab", () => {
  it("creates the protected Kiểm tra tab in one batchUpdate and writes the findings, touching no other tab", async () => {
    const { id, registry, sink, source } = setUp(null);
    typeMistakes(id, 3);
    const feedback = await check(source);
    expect(feedback.findings).toHaveLength(3);
    const before = staffTabs(id);
    fake.resetLog();
    await sink.write(feedback);
    expect(fake.count({ api: "sheets" })).toBe(1);
    expect(fake.count({ api: "sheets", method: "POST", pathIncludes: ":batchUpdate" })).toBe(1);
    expect(fake.sheets.sheetTitles(id)).toContain(CHECK_TAB);
    expect(registry.checkSheetId).toBe(fake.sheets.get(id).sheets.find((s) => s.title === CHECK_TAB)?.sheetId);
    expect(fake.sheets.protectedRanges(id, CHECK_TAB)).toMatchObject([{ description: CHECK_PROTECTION, warningOnly: true }]);
    const values = fake.sheets.values(id, CHECK_TAB);
    expect(values[0]).toEqual(["Kết quả kiểm tra lúc 27/11/2026 10:05 (giờ Việt Nam): 3 lỗi, 0 cảnh báo"]);
    expect(values.slice(-4)).toEqual([["Mức độ", "Trang tính", "Ô", "Mã tiêu chí", "Nội dung cần sửa"], ...feedback.findings.map((f) => ["Lỗi", f.tab, f.cell, f.criterion, findingMessage(f)])]);
    expect(staffTabs(id)).toBe(before);
  });

  it("rewrites a known tab with exactly one request, and a shorter list leaves no stale rows", async () => {
    const { id, registry, sink, source } = setUp(null);
    typeMistakes(id, 3);
    await sink.write(await check(source));
    const knownId = registry.checkSheetId;
    // Staff fix two of the three cells.
    const tab = catalogues[0]!.tabTitle;
    const rows = fake.sheets.values(id, tab);
    for (const code of ["TC01", "TC02"]) fake.sheets.setValues(id, tab, `D${rows.findIndex((r) => r[1] === code) + 1}`, [["Đạt"]]);
    const shorter = await check(source);
    expect(shorter.findings).toHaveLength(1);
    const before = staffTabs(id);
    fake.resetLog();
    await sink.write(shorter);
    expect(fake.requests.map((r) => `${r.api} ${r.method}`)).toEqual(["sheets POST"]);
    expect(registry.checkSheetId).toBe(knownId);
    expect(fake.sheets.values(id, CHECK_TAB)).toEqual(checkTabRows(shorter, catalogues));
    expect(staffTabs(id)).toBe(before);
  });

  it("does not change the staff input hash, though the file's version moves", async () => {
    const { id, sink, source } = setUp(null);
    typeMistakes(id, 1);
    const hash = inputHash((await source.read(ward))!);
    clock.advance(DRIVE_LAG_MS); // the staff's typing has reached Drive
    const version = fake.drive.file(id)?.version;
    await sink.write(await check(source));
    clock.advance(DRIVE_LAG_MS); // so has the service's own write
    expect(fake.drive.file(id)?.version).not.toBe(version);
    expect(inputHash((await source.read(ward))!)).toBe(hash);
  });

  it("recreates the tab when staff deleted it", async () => {
    const { id, registry, sink, source } = setUp(null);
    const feedback = await check(source);
    await sink.write(feedback);
    const oldId = registry.checkSheetId;
    fake.sheets.mutate(id, (s) => s.sheets.splice(s.sheets.findIndex((t) => t.title === CHECK_TAB), 1));
    fake.resetLog();
    await sink.write(feedback);
    expect(fake.count({ api: "sheets", pathIncludes: ":batchUpdate" })).toBe(2);
    expect(registry.checkSheetId).not.toBe(oldId);
    expect(fake.sheets.values(id, CHECK_TAB)).toEqual(checkTabRows(feedback, catalogues));
  });

  it("finds an existing Kiểm tra tab whose id was not recorded instead of adding a second one", async () => {
    const { id, registry, sink, source } = setUp(null);
    const feedback = await check(source);
    await sink.write(feedback);
    const existing = registry.checkSheetId;
    registry.checkSheetId = null;
    await sink.write(feedback);
    expect(registry.checkSheetId).toBe(existing);
    expect(fake.sheets.sheetTitles(id).filter((t) => t === CHECK_TAB)).toHaveLength(1);
  });

  it("retries a 503 on the rewrite (idempotent) but not on the creation", async () => {
    const { id, registry, sink, source } = setUp(null);
    const feedback = await check(source);
    fake.resetLog();
    fake.failNext({ api: "sheets", pathIncludes: ":batchUpdate" }, 503);
    await expect(sink.write(feedback)).rejects.toThrow(GoogleApiError);
    expect(fake.count({ api: "sheets", pathIncludes: ":batchUpdate" })).toBe(1);
    expect(fake.sheets.sheetTitles(id)).not.toContain(CHECK_TAB);
    await sink.write(feedback);
    expect(registry.checkSheetId).not.toBeNull();
    fake.resetLog();
    fake.failNext({ api: "sheets", pathIncludes: ":batchUpdate" }, 503);
    await sink.write(feedback);
    expect(fake.count({ api: "sheets", pathIncludes: ":batchUpdate" })).toBe(2);
  });

  it("writes nothing for a ward without a spreadsheet", async () => {
    const sink = googleCheckTab({ clients: clientsFor(fake), catalogues, spreadsheetIdOf: async () => null, checkSheetIdOf: async () => null });
    const { source } = setUp(null);
    const feedback = await check(source);
    fake.resetLog();
    await sink.write(feedback);
    expect(fake.requests).toEqual([]);
  });
});
