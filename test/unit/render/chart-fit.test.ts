/**
 * The printed size of the town report's charts: never taller than 10.5 cm, so two charts and
 * their captions share an A4 page (the province report left a page half blank with 13 cm
 * charts), and never so narrow that the labels become unreadable.
 */
import { describe, expect, it } from "vitest";
import type { ProgrammeSummary, WardRow } from "../../../functions/core/aggregate-town.js";
import { selectTownCharts, unitIndexOf } from "../../../functions/core/chart-selection.js";
import { chartPrintSize, MAX_CHART_HEIGHT_CM } from "../../../functions/render/chart-fit.js";

/** n units with a spread of results; every 9th has not sent. */
function programme(n: number): ProgrammeSummary {
  const wards = Array.from({ length: n }, (_, i): WardRow => {
    const sent = i % 9 !== 8;
    const met = sent ? (i * 7) % 23 : 0;
    return {
      id: `u${i}`, name: `Đơn vị số ${i}`, status: sent ? "ok" : "missing", filled: sent, met, total: 22, points: null, maxPoints: null, band: null,
      recognised: sent && met === 22, errors: 0, warnings: 0, leftOut: [], change: null,
    };
  });
  return {
    id: "p", name: "Đề án", shortName: "CAP điển hình", tabTitle: "P", version: "1", criteria: 22, wards, wardCount: n,
    recognisedCount: wards.filter((w) => w.recognised).length, ranking: [], completeness: { notFilled: [], withErrors: [], unreadable: [] }, change: null,
  };
}

/** A4 text height under NĐ 30 margins (297 − 20 − 20 mm), and what a caption and the figure margins take. */
const PAGE_TEXT_CM = 25.7;
const CAPTION_CM = 1.3;

describe("charts are printed small enough to share a page", () => {
  it.each([7, 25, 130, 3000])("%i units, 13 groups with long names", (n) => {
    const index = unitIndexOf(Array.from({ length: n }, (_, i) => ({ id: `u${i}`, kind: "xã" as const, group: `Cụm thi đua số ${1 + (i % 13)}` })));
    const sizes = selectTownCharts(programme(n), index).map(chartPrintSize);
    expect(sizes.length).toBeGreaterThan(0);
    for (const size of sizes) {
      expect(size.heightCm).toBeLessThanOrEqual(MAX_CHART_HEIGHT_CM + 1e-9);
      expect(size.widthCm).toBeGreaterThanOrEqual(10.5); // 600 px of chart at ≥ 10.5 cm: 13 px labels print at ≥ 7.5 pt
    }
    // Any two charts in a row, with their captions, fit one page.
    for (let i = 1; i < sizes.length; i += 1) expect(sizes[i - 1]!.heightCm + sizes[i]!.heightCm + 2 * CAPTION_CM).toBeLessThan(PAGE_TEXT_CM);
  });
});
