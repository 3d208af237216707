import { describe, expect, it } from "vitest";
import type { ProgrammeSummary, WardRow } from "../../../functions/core/aggregate-town.js";
import { selectTownCharts, unitIndexOf } from "../../../functions/core/chart-selection.js";
import { chartSize, renderChartPng, renderChartSvg } from "../../../functions/render/charts.js";

/** n units with a spread of results; every 9th has not sent (a gap, never a 0). */
function programme(n: number): ProgrammeSummary {
  const wards = Array.from({ length: n }, (_, i): WardRow => {
    const sent = i % 9 !== 8;
    const met = sent ? (i * 7) % 23 : 0;
    return {
      id: `u${i}`, name: `Đơn vị ${i}`, status: sent ? "ok" : "missing", filled: sent, met, total: 22, points: null, maxPoints: null, band: null,
      recognised: sent && met === 22, errors: 0, warnings: 0, leftOut: [], change: null,
    };
  });
  return {
    id: "p", name: "Đề án", shortName: "CAP điển hình", tabTitle: "P", version: "1", criteria: 22, wards, wardCount: n,
    recognisedCount: wards.filter((w) => w.recognised).length, ranking: [], completeness: { notFilled: [], withErrors: [], unreadable: [] }, change: null,
  };
}

/** Width and height of a PNG from its IHDR chunk. */
const pngSize = (png: Buffer): { width: number; height: number } => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });

describe("charts drawn for 7, 130 and 3,000 units stay the same size", () => {
  it.each([7, 130, 3000])("%i units: every chart at most 25 bars tall and a small PNG", async (n) => {
    const index = unitIndexOf(Array.from({ length: n }, (_, i) => ({ id: `u${i}`, kind: i % 7 === 0 ? ("phường" as const) : ("xã" as const), group: `Cụm ${1 + (i % 12)}` })));
    const charts = selectTownCharts(programme(n), index);
    let bytes = 0;
    for (const chart of charts) {
      expect(chartSize(chart).height).toBeLessThanOrEqual(chartSize({ ...chart, categories: Array<string>(25).fill("x") }).height);
      const png = await renderChartPng(chart);
      const size = pngSize(png);
      expect(size.width).toBe(1200);
      expect(size.height).toBeLessThanOrEqual(2 * chartSize(chart).height);
      bytes += png.length;
    }
    // The digest's charts together stay far below the 1 MB an email may weigh.
    expect(bytes).toBeLessThan(600_000);
  }, 60_000);
});

describe("a gap says why", () => {
  it("prints “Không đọc được” beside an unreadable unit and “Chưa gửi” beside a missing one", async () => {
    const summary = programme(9); // unit 8 has not sent
    summary.wards[3] = { ...summary.wards[3]!, status: "unreadable", filled: false };
    const [chart] = selectTownCharts(summary);
    const svg = await renderChartSvg(chart!);
    expect(svg).toContain("Không đọc được");
    expect(svg).toContain("Chưa gửi");
  });
});

