import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { HISTORY_HEADERS, HISTORY_TAB, googleTownSummary, historyRows, summaryRows } from "../../../functions/adapters/google/town-summary.js";
import { type TownSummary, type WardOutcome, aggregateTown } from "../../../functions/core/aggregate-town.js";
import { evaluateWorkbook } from "../../../functions/core/evaluate-ward.js";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { SUMMARY_TAB } from "../../../sheets-schema/layout.js";
import { type FakeGoogle, startFakeGoogle } from "../../fakes/google/server.js";
import { builtinCatalogues, sampleWorkbook } from "../../fixtures/workbooks.js";
import { clientsFor, noWait } from "./google-fixtures.js";

let fake: FakeGoogle;
let catalogues: Catalogue[];

beforeAll(async () => {
  [fake, catalogues] = await Promise.all([startFakeGoogle({ now: Date.now }), builtinCatalogues()]);
});
afterAll(() => fake.close());
beforeEach(() => fake.resetLog());

const WARDS = ["nghi-huong", "nghi-thu", "nghi-tan"] as const;

function summaryOf(wardIds: readonly string[], period = "2026-W48", generatedAt = "2026-11-27T03:05:00.000Z"): TownSummary {
  const outcomes: WardOutcome[] = wardIds.map((id) => {
    const ward = { id, name: id };
    const scores = evaluateWorkbook(sampleWorkbook(catalogues, id), catalogues, null).scores;
    return { ward, status: "ok", reason: null, scores };
  });
  return aggregateTown(outcomes, catalogues, { period, generatedAt, previous: null });
}

/** Cells as values.batchGet returns them: numbers stay numbers. */
const asSheet = (rows: Array<Array<string | number>>): Array<Array<string | number>> => rows;

describe("googleTownSummary", () => {
  it("creates Tổng hợp and Lịch sử, writes the table and appends the history once", async () => {
    const id = fake.sheets.create("Tổng hợp tiêu chí - thị xã Cửa Lò", { Sheet1: [] });
    const sink = googleTownSummary({ clients: clientsFor(fake), spreadsheetId: id, retry: noWait });
    const summary = summaryOf(WARDS);
    await sink.write(summary);
    expect(fake.sheets.sheetTitles(id)).toEqual(expect.arrayContaining([SUMMARY_TAB, HISTORY_TAB]));
    expect(fake.sheets.values(id, SUMMARY_TAB)).toEqual(asSheet(summaryRows(summary)));
    expect(fake.sheets.values(id, HISTORY_TAB)).toEqual([[...HISTORY_HEADERS], ...historyRows(summary)]);
    expect(fake.count({ api: "sheets", pathIncludes: ":append" })).toBe(1);
    expect(fake.count({ api: "sheets", pathIncludes: ":batchUpdate" })).toBe(1);
  });

  it("rewrites Tổng hợp every time but appends history only when period or figures change", async () => {
    const id = fake.sheets.create("Tổng hợp", { Sheet1: [] });
    const sink = googleTownSummary({ clients: clientsFor(fake), spreadsheetId: id, retry: noWait });
    const first = summaryOf(WARDS);
    await sink.write(first);
    fake.resetLog();
    // Same figures an hour later: the table is rewritten, the history is not.
    await sink.write(summaryOf(WARDS, "2026-W48", "2026-11-27T04:05:00.000Z"));
    expect(fake.count({ api: "sheets", pathIncludes: ":append" })).toBe(0);
    expect(fake.count({ api: "sheets", pathIncludes: ":batchUpdate" })).toBe(1);
    // A shorter table (one ward fewer) leaves no stale rows.
    const shorter = summaryOf(WARDS.slice(0, 2), "2026-W48", "2026-11-27T05:05:00.000Z");
    await sink.write(shorter);
    expect(fake.sheets.values(id, SUMMARY_TAB)).toEqual(asSheet(summaryRows(shorter)));
    // The next period appends again.
    const next = summaryOf(WARDS.slice(0, 2), "2026-W49", "2026-12-01T03:05:00.000Z");
    await sink.write(next);
    expect(fake.count({ api: "sheets", pathIncludes: ":append" })).toBe(2);
    expect(fake.sheets.values(id, HISTORY_TAB)).toEqual([[...HISTORY_HEADERS], ...historyRows(first), ...historyRows(shorter), ...historyRows(next)]);
  });

  it("does not retry a failed append (it could duplicate rows); the next write appends", async () => {
    const id = fake.sheets.create("Tổng hợp", { Sheet1: [] });
    const sink = googleTownSummary({ clients: clientsFor(fake), spreadsheetId: id, retry: noWait });
    const summary = summaryOf(WARDS);
    fake.failNext({ api: "sheets", pathIncludes: ":append" }, 503);
    await expect(sink.write(summary)).rejects.toThrow(/values\.append, 503/u);
    expect(fake.count({ api: "sheets", pathIncludes: ":append" })).toBe(1);
    await sink.write(summary);
    expect(fake.sheets.values(id, HISTORY_TAB)).toEqual([[...HISTORY_HEADERS], ...historyRows(summary)]);
  });
});
