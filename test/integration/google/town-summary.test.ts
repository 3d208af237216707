import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { HISTORY_HEADERS, historyRows, summaryRows } from "../../../functions/adapters/google/summary-rows.js";
import { HISTORY_TAB, googleTownSummary } from "../../../functions/adapters/google/town-summary.js";
import { type TownSummary, type WardOutcome, aggregateTown } from "../../../functions/core/aggregate-town.js";
import { unitIndexOf } from "../../../functions/core/chart-selection.js";
import { evaluateWorkbook } from "../../../functions/core/evaluate-ward.js";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { SUMMARY_TAB } from "../../../sheets-schema/layout.js";
import { type FakeGoogle, startFakeGoogle } from "../../fakes/google/server.js";
import { allMetWorkbook, builtinCatalogues, sampleWorkbook } from "../../fixtures/workbooks.js";
import { clientsFor, noWait } from "./google-fixtures.js";

let fake: FakeGoogle;
let catalogues: Catalogue[];
const FIXED_NOW = Date.parse("2026-11-27T03:00:00.000Z");

beforeAll(async () => {
  [fake, catalogues] = await Promise.all([startFakeGoogle({ now: () => FIXED_NOW }), builtinCatalogues()]);
});
afterAll(() => fake.close());
beforeEach(() => fake.resetLog());

const WARDS = ["nghi-huong", "nghi-thu", "nghi-tan"] as const;

/** A summary of the given wards; those in `allMet` have met every criterion, those in `missing` sent nothing. */
function summaryOf(wardIds: readonly string[], options: { period?: string; at?: string; allMet?: string[]; missing?: string[] } = {}): TownSummary {
  const outcomes: WardOutcome[] = wardIds.map((id) => {
    const ward = { id, name: id };
    if (options.missing?.includes(id)) return { ward, status: "missing", reason: null, scores: [] };
    const workbook = options.allMet?.includes(id) ? allMetWorkbook(catalogues, id) : sampleWorkbook(catalogues, id);
    return { ward, status: "ok", reason: null, scores: evaluateWorkbook(workbook, catalogues, null).scores };
  });
  return aggregateTown(outcomes, catalogues, { period: options.period ?? "2026-W48", generatedAt: options.at ?? "2026-11-27T03:05:00.000Z", previous: null });
}

describe("googleTownSummary", () => {
  it("creates Tổng hợp and Lịch sử and writes the table and the first figures in one batchUpdate", async () => {
    const id = fake.sheets.create("Tổng hợp tiêu chí - thị xã Cửa Lò", { Sheet1: [] });
    const sink = googleTownSummary({ clients: clientsFor(fake), spreadsheetId: id, retry: noWait });
    const summary = summaryOf(WARDS);
    await sink.write(summary);
    expect(fake.sheets.sheetTitles(id)).toEqual(expect.arrayContaining([SUMMARY_TAB, HISTORY_TAB]));
    expect(fake.sheets.values(id, SUMMARY_TAB)).toEqual(summaryRows(summary));
    expect(fake.sheets.values(id, HISTORY_TAB)).toEqual([[...HISTORY_HEADERS], ...historyRows([], summary)]);
    expect(fake.count({ api: "sheets", pathIncludes: ":batchUpdate" })).toBe(1);
    expect(fake.count({ api: "sheets", pathIncludes: ":append" })).toBe(0);
  });

  it("appends one row per unit whose figures changed, nothing when none did", async () => {
    const id = fake.sheets.create("Tổng hợp", { Sheet1: [] });
    const sink = googleTownSummary({ clients: clientsFor(fake), spreadsheetId: id, retry: noWait });
    const first = summaryOf(WARDS);
    await sink.write(first);
    const initial = fake.sheets.values(id, HISTORY_TAB).length;
    fake.resetLog();
    // Same figures an hour later and in the next period: Tổng hợp rewritten, Lịch sử unchanged.
    await sink.write(summaryOf(WARDS, { at: "2026-11-27T04:05:00.000Z" }));
    await sink.write(summaryOf(WARDS, { period: "2026-W49", at: "2026-12-01T03:05:00.000Z" }));
    expect(fake.sheets.values(id, HISTORY_TAB)).toHaveLength(initial);
    expect(fake.count({ api: "sheets", pathIncludes: ":batchUpdate" })).toBe(2);
    // One ward meets everything, another's workbook goes missing: 2 units × 2 programmes = 4 rows.
    const changed = summaryOf(WARDS, { period: "2026-W49", at: "2026-12-01T05:05:00.000Z", allMet: ["nghi-thu"], missing: ["nghi-tan"] });
    await sink.write(changed);
    const history = fake.sheets.values(id, HISTORY_TAB);
    expect(history).toHaveLength(initial + 4);
    expect(history.slice(initial).map((r) => [r[3], r[6], r[7]])).toEqual([
      ["nghi-tan", "", "Chưa gửi bảng tự đánh giá"],
      ["nghi-thu", "Có", "tăng 3"],
      ["nghi-tan", "", "Chưa gửi bảng tự đánh giá"],
      ["nghi-thu", "Có", "tăng 5"],
    ]);
    expect(history[initial]?.[0]).toBe("tuần 49/2026");
    // A shorter table (one ward fewer) leaves no stale rows in Tổng hợp.
    const shorter = summaryOf(WARDS.slice(0, 2), { period: "2026-W49", at: "2026-12-01T06:05:00.000Z", allMet: ["nghi-thu"] });
    await sink.write(shorter);
    expect(fake.sheets.values(id, SUMMARY_TAB)).toEqual(summaryRows(shorter));
    expect(fake.sheets.values(id, HISTORY_TAB)).toHaveLength(initial + 4);
  });

  it("names units with their kind in both tabs when kinds are mixed", async () => {
    const id = fake.sheets.create("Tổng hợp", { Sheet1: [] });
    const units = unitIndexOf([{ id: "nghi-tan", kind: "xã" }]);
    await googleTownSummary({ clients: clientsFor(fake), spreadsheetId: id, units, retry: noWait }).write(summaryOf(WARDS));
    expect(fake.sheets.values(id, SUMMARY_TAB).map((r) => r[1]).slice(1, 4)).toEqual(["phường nghi-huong", "xã nghi-tan", "phường nghi-thu"]);
    expect(fake.sheets.values(id, HISTORY_TAB).map((r) => r[3])).toContain("xã nghi-tan");
  });

  it("is refused as Sheets refuses past 10 million cells, and then neither tab changes", async () => {
    const id = fake.sheets.create("Tổng hợp", { Sheet1: [] });
    const sink = googleTownSummary({ clients: clientsFor(fake), spreadsheetId: id, retry: noWait });
    await sink.write(summaryOf(WARDS));
    // Lịch sử's grid exactly full, and a big Sheet1 taking the spreadsheet to 10 million cells less 10:
    // the next rows appended must add grid rows, which Sheets refuses.
    const rows = fake.sheets.values(id, HISTORY_TAB).length;
    fake.sheets.mutate(id, (s) => {
      const history = s.sheets.find((t) => t.title === HISTORY_TAB)!;
      history.properties.gridProperties = { ...history.properties.gridProperties, rowCount: rows };
      const big = s.sheets.find((t) => t.title === "Sheet1")!;
      big.properties.gridProperties = { ...big.properties.gridProperties, rowCount: 1, columnCount: 1 };
      const used = s.sheets.reduce((sum, t) => sum + (t.properties.gridProperties?.rowCount ?? 0) * (t.properties.gridProperties?.columnCount ?? 0), 0);
      big.properties.gridProperties = { rowCount: 10_000_000 - used - 10, columnCount: 1 };
    });
    const [summaryBefore, historyBefore] = [fake.sheets.values(id, SUMMARY_TAB), fake.sheets.values(id, HISTORY_TAB)];
    const changed = summaryOf(WARDS, { at: "2026-11-27T05:05:00.000Z", allMet: ["nghi-huong", "nghi-thu"] });
    await expect(sink.write(changed)).rejects.toThrow(/batchUpdate, 400.*10000000 cells/su);
    expect(fake.sheets.values(id, SUMMARY_TAB)).toEqual(summaryBefore);
    expect(fake.sheets.values(id, HISTORY_TAB)).toEqual(historyBefore);
  });

  it("does not retry a failed batch that appends (it could duplicate rows); the next write appends the same change once", async () => {
    const id = fake.sheets.create("Tổng hợp", { Sheet1: [] });
    const sink = googleTownSummary({ clients: clientsFor(fake), spreadsheetId: id, retry: noWait });
    await sink.write(summaryOf(WARDS));
    const before = fake.sheets.values(id, HISTORY_TAB).length;
    const changed = summaryOf(WARDS, { at: "2026-11-27T05:05:00.000Z", allMet: ["nghi-huong"] });
    fake.failNext({ api: "sheets", pathIncludes: ":batchUpdate" }, 503);
    await expect(sink.write(changed)).rejects.toThrow(/batchUpdate, 503/u);
    expect(fake.sheets.values(id, HISTORY_TAB)).toHaveLength(before);
    await sink.write(changed);
    await sink.write(changed);
    // Nghi Hương already met all 34 of the second programme: one change, one row.
    expect(fake.sheets.values(id, HISTORY_TAB).slice(before).map((r) => [r[3], r[4], r[7]])).toEqual([["nghi-huong", 22, "tăng 4"]]);
  });
});
