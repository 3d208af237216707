import { beforeAll, describe, expect, it } from "vitest";
import { HISTORY_HEADERS, SUMMARY_HEADERS, historyKey, historyRows, summaryRows } from "../../../../functions/adapters/google/town-summary.js";
import { type TownSummary, type WardOutcome, aggregateTown } from "../../../../functions/core/aggregate-town.js";
import { evaluateWorkbook } from "../../../../functions/core/evaluate-ward.js";
import type { Catalogue } from "../../../../sheets-schema/catalogue.js";
import { builtinCatalogues, sampleWorkbook } from "../../../fixtures/workbooks.js";

let catalogues: Catalogue[];
let summary: TownSummary;

beforeAll(async () => {
  catalogues = await builtinCatalogues();
  const ward = { id: "nghi-huong", name: "Nghi Hương" };
  const outcome: WardOutcome = { ward, status: "ok", reason: null, scores: evaluateWorkbook(sampleWorkbook(catalogues), catalogues, { ...ward, aliases: [] }).scores };
  const missing: WardOutcome = { ward: { id: "nghi-tan", name: "Nghi Tân" }, status: "missing", reason: null, scores: [] };
  summary = aggregateTown([outcome, missing], catalogues, { period: "2026-W48", generatedAt: "2026-11-27T03:05:00.000Z", previous: null });
});

describe("town summary rows", () => {
  it("has the header, then one row per programme and ward", () => {
    const rows = summaryRows(summary);
    expect(rows[0]).toEqual([...SUMMARY_HEADERS]);
    expect(rows).toHaveLength(1 + 2 * 2);
    expect(rows[1]).toEqual([catalogues[0]!.shortName, "Nghi Hương", 18, 22, 18 / 22, "Không", 0, "Đã nhập"]);
    expect(rows[2]).toEqual([catalogues[0]!.shortName, "Nghi Tân", 0, 22, 0, "Không", 0, "Chưa có bảng tính"]);
    expect(rows[3]?.slice(0, 6)).toEqual([catalogues[1]!.shortName, "Nghi Hương", 34, 34, 1, "Có"]);
  });

  it("keys history rows by period and figures, not by time", () => {
    const rows = historyRows(summary);
    expect(HISTORY_HEADERS).toHaveLength(rows[0]!.length);
    expect(rows[0]).toEqual(["2026-W48", "27/11/2026 10:05", catalogues[0]!.shortName, "Nghi Hương", 18, 22, "Không", historyKey(summary)]);
    expect(historyKey({ ...summary, generatedAt: "2026-11-27T09:00:00.000Z" })).toBe(historyKey(summary));
    expect(historyKey({ ...summary, period: "2026-W49" })).not.toBe(historyKey(summary));
  });
});
