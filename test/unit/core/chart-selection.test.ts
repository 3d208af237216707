import { describe, expect, it } from "vitest";
import type { ProgrammeSummary, Snapshot, WardRow, WardStatus } from "../../../functions/core/aggregate-town.js";
import { CHART_CAP, type UnitIndex, selectDigestChart, selectTownCharts, selectTrendChart } from "../../../functions/core/chart-selection.js";
import type { UnitKind } from "../../../functions/core/organisation.js";

const TOTAL = 22;

/** A ward row: `met` null is a unit with no usable workbook (status given). */
function row(id: string, name: string, met: number | null, status: WardStatus = "ok"): WardRow {
  const assessed = met !== null && status === "ok";
  return {
    id, name, status, filled: assessed, met: met ?? 0, total: TOTAL, points: null, maxPoints: null, band: null,
    recognised: assessed && met === TOTAL, errors: 0, warnings: 0, leftOut: [], change: null,
  };
}

function programme(wards: WardRow[]): ProgrammeSummary {
  return {
    id: "ca-phuong-dien-hinh", name: "Xây dựng Công an phường điển hình", shortName: "CAP điển hình", tabTitle: "TC", version: "1",
    criteria: TOTAL, wards, wardCount: wards.length, recognisedCount: wards.filter((w) => w.recognised).length, ranking: [],
    completeness: { notFilled: [], withErrors: [], unreadable: [] }, change: null,
  };
}

/** n synthetic units, deterministic: every 9th has not sent, every 31st is unreadable, the rest spread over 0..22. */
function province(n: number, kindOf: (i: number) => UnitKind = (i) => (i % 7 === 0 ? "phường" : "xã")): { summary: ProgrammeSummary; index: UnitIndex } {
  const wards = Array.from({ length: n }, (_, i) => {
    const id = `u-${String(i).padStart(4, "0")}`;
    if (i % 31 === 30) return row(id, `Đơn vị ${i}`, null, "unreadable");
    if (i % 9 === 8) return row(id, `Đơn vị ${i}`, null, "missing");
    return row(id, `Đơn vị ${i}`, (i * 7) % (TOTAL + 1));
  });
  const index: UnitIndex = new Map(wards.map((w, i) => [w.id, { kind: kindOf(i), group: `Cụm ${1 + (i % 12)}` }]));
  return { summary: programme(wards), index };
}

const CUA_LO = programme([
  row("nghi-hai", "Nghi Hải", 20), row("nghi-hoa", "Nghi Hòa", 16), row("nghi-huong", "Nghi Hương", 18), row("nghi-tan", "Nghi Tân", 22),
  row("nghi-thu", "Nghi Thu", 19), row("nghi-thuy", "Nghi Thủy", null, "missing"), row("thu-thuy", "Thu Thủy", 22),
]);

describe("charts of a town of 7 wards", () => {
  it("draws every ward, the missing one as a labelled gap, never a 0", () => {
    const charts = selectTownCharts(CUA_LO);
    expect(charts).toEqual([
      {
        kind: "bar",
        title: "CAP điển hình: số tiêu chí đạt của từng phường",
        categories: ["Nghi Hải", "Nghi Hòa", "Nghi Hương", "Nghi Tân", "Nghi Thu", "Nghi Thủy", "Thu Thủy"],
        values: [20, 16, 18, 22, 19, null, 22],
        max: 22,
        highlight: [false, false, false, true, false, false, true],
        gapLabel: "Chưa gửi",
      },
    ]);
  });

  it("colours a ward by its appraised result once the appraisal is concluded, by its own before", () => {
    const appraised = (w: WardRow, met: number, appraisedAt: string | null): WardRow => ({ ...w, appraised: { met, total: TOTAL, complete: true, recognised: met === TOTAL }, appraisedAt });
    // Nghi Tân: 22/22 on its own, 21/22 on a concluded appraisal; Thu Thủy: appraised 21/22 but not concluded yet; Nghi Hải: 20/22, appraised 22/22.
    const wards = CUA_LO.wards.map((w) => (w.id === "nghi-tan" ? appraised(w, 21, "2026-11-26T02:00:00.000Z") : w.id === "thu-thuy" ? appraised(w, 21, null) : w.id === "nghi-hai" ? appraised(w, 22, "2026-11-26T02:00:00.000Z") : w));
    expect(selectTownCharts(programme(wards))[0]?.highlight).toEqual([true, false, false, false, false, false, true]);
  });

  it("says “Không đọc được” for a unit whose file cannot be read, “Chưa gửi” for the others", () => {
    const wards = CUA_LO.wards.map((w) => (w.id === "nghi-hoa" ? { ...w, status: "unreadable" as const, filled: false } : w));
    const [chart] = selectTownCharts({ ...CUA_LO, wards });
    expect(chart?.values.slice(0, 2)).toEqual([20, null]);
    expect(chart?.gapLabel).toBe("Chưa gửi");
    expect(chart?.gapLabels).toEqual([null, "Không đọc được", null, null, null, null, null]);
  });

  it("names units with their kind when kinds are mixed", () => {
    const index: UnitIndex = new Map([["nghi-hai", { kind: "xã" }]]);
    const [chart] = selectTownCharts(CUA_LO, index);
    expect(chart?.title).toBe("CAP điển hình: số tiêu chí đạt của từng xã, phường");
    expect(chart?.categories.slice(0, 2)).toEqual(["xã Nghi Hải", "phường Nghi Hòa"]);
  });

  it("draws one line per ward over the periods, a gap where a ward was not assessed", () => {
    const snap = (period: string, met: Record<string, number | null>): Snapshot => ({
      period, generatedAt: "2023-11-01T00:00:00.000Z",
      programmes: [{ id: "ca-phuong-dien-hinh", wards: Object.entries(met).map(([id, m]) => ({ id, met: m ?? 0, total: TOTAL, recognised: m === TOTAL, assessed: m !== null })) }],
    });
    const trend = selectTrendChart(CUA_LO, [snap("2023-W43", { "nghi-hai": 17, "nghi-thuy": null }), snap("2023-W44", { "nghi-hai": 20, "nghi-thuy": 12 })]);
    expect(trend?.periods).toEqual(["tuần 43/2023", "tuần 44/2023"]);
    expect(trend?.series.find((s) => s.name === "Nghi Thủy")?.values).toEqual([null, 12]);
    expect(trend?.series.find((s) => s.name === "Nghi Hải")?.values).toEqual([17, 20]);
    expect(trend?.series.find((s) => s.name === "Nghi Tân")?.values).toEqual([null, null]);
    expect(selectTrendChart(CUA_LO, [snap("2023-W43", {})])).toBeNull();
  });
});

describe.each([130, 3000])("charts of %i units", (n) => {
  const { summary, index } = province(n);
  const charts = selectTownCharts(summary, index);
  const assessed = summary.wards.filter((w) => w.filled);

  it("no bar chart has more than the cap of categories", () => {
    expect(charts.length).toBeLessThanOrEqual(5);
    for (const chart of charts) {
      expect(chart.categories.length).toBeLessThanOrEqual(CHART_CAP);
      expect(chart.values).toHaveLength(chart.categories.length);
      expect(chart.highlight).toHaveLength(chart.categories.length);
    }
  });

  it("names the top 10 and bottom 10 by criteria met, among units that sent, and says who ties at the cut", () => {
    const [top, bottom] = charts;
    const mets = assessed.map((w) => w.met).sort((a, b) => b - a);
    expect(top?.values).toEqual(mets.slice(0, 10));
    expect(bottom?.values).toEqual(mets.slice(-10));
    expect(top?.highlight).toEqual(mets.slice(0, 10).map((m) => m === TOTAL));
    const edge = mets[9]!;
    const tied = mets.filter((m) => m === edge).length - mets.slice(0, 10).filter((m) => m === edge).length;
    const note = tied ? `; còn ${tied} (xã|phường|xã, phường) khác cũng đạt ${edge}/22` : "";
    expect(top?.title).toMatch(new RegExp(`^CAP điển hình: 10 xã, phường đạt nhiều tiêu chí nhất${note}$`, "u"));
    expect(bottom?.title).toMatch(/^CAP điển hình: 10 xã, phường đạt ít tiêu chí nhất/u);
    expect([...(top?.categories ?? []), ...(bottom?.categories ?? [])].every((c) => /^(xã|phường) Đơn vị \d+$/u.test(c))).toBe(true);
  });

  it("distributes every unit once: by criteria met, with “Chưa gửi” and “Không đọc được” as their own buckets", () => {
    const distribution = charts[2]!;
    expect(distribution.title).toBe(`CAP điển hình: phân bố ${n === 3000 ? "3.000" : n} xã, phường theo số tiêu chí đạt`);
    expect(distribution.axisName).toBe("Số đơn vị");
    expect(distribution.fullMark).toBe(false);
    expect(distribution.categories.slice(0, 2)).toEqual(["0/22", "1/22"]);
    expect(distribution.categories.slice(-3)).toEqual(["22/22", "Chưa gửi", "Không đọc được"]);
    const values = distribution.values as number[];
    expect(values.reduce((a, b) => a + b, 0)).toBe(n);
    expect(values.at(-2)).toBe(summary.wards.filter((w) => w.status === "missing").length);
    expect(values.at(-1)).toBe(summary.wards.filter((w) => w.status === "unreadable").length);
    expect(values[0]).toBe(assessed.filter((w) => w.met === 0).length);
    expect(distribution.max).toBe(Math.max(...values));
    expect(distribution.highlight.filter(Boolean)).toHaveLength(1);
  });

  it("gives the email the distribution, one chart whatever the number of units", () => {
    expect(selectDigestChart(summary, index)).toEqual(charts[2]);
    expect(selectDigestChart(CUA_LO)).toEqual(selectTownCharts(CUA_LO)[0]);
  });

  it("summarises per group: average criteria met among units that sent", () => {
    const groups = charts[3]!;
    expect(groups.title).toBe("CAP điển hình: bình quân số tiêu chí đạt theo nhóm");
    expect(groups.categories).toHaveLength(12);
    const members = summary.wards.filter((_, i) => i % 12 === 0);
    const sent = members.filter((w) => w.filled);
    expect(groups.categories[0]).toBe(`Cụm 1 (${sent.length}/${members.length} đã gửi)`);
    expect(groups.values[0]).toBeCloseTo(sent.reduce((s, w) => s + w.met, 0) / sent.length, 1);
  });
});

describe("edge cases of a large organisation", () => {
  it("groups by kind when no groups are configured, and buckets a 34-criterion programme within the cap", () => {
    const wards = Array.from({ length: 40 }, (_, i) => ({ ...row(`u${i}`, `Đơn vị ${i}`, i % 35), total: 34 }));
    const summary = { ...programme(wards), criteria: 34 };
    const index: UnitIndex = new Map(wards.map((w, i) => [w.id, { kind: i < 30 ? "xã" : "phường" }]));
    const charts = selectTownCharts(summary, index);
    const distribution = charts.find((c) => c.axisName === "Số đơn vị")!;
    expect(distribution.categories.length).toBeLessThanOrEqual(CHART_CAP);
    expect(distribution.categories.slice(0, 2)).toEqual(["0–1/34", "2–3/34"]);
    expect(distribution.categories.at(-2)).toBe("34/34");
    expect((distribution.values as number[]).reduce((a, b) => a + b, 0)).toBe(40);
    expect(charts.at(-1)?.categories).toEqual(["Phường (10/10 đã gửi)", "Xã (30/30 đã gửi)"]);
  });

  it("lists the groups in their natural order: Cụm 2 before Cụm 10", () => {
    const { summary, index } = province(130);
    const groups = selectTownCharts(summary, index).at(-1)!;
    expect(groups.categories.map((c) => c.split(" (")[0])).toEqual(Array.from({ length: 12 }, (_, i) => `Cụm ${i + 1}`));
  });

  it("shows the units that sent, sorted, when only a few of many have", () => {
    const wards = Array.from({ length: 130 }, (_, i) => (i < 5 ? row(`u${i}`, `Đơn vị ${i}`, 10 + i) : row(`u${i}`, `Đơn vị ${i}`, null, "missing")));
    const [sent] = selectTownCharts(programme(wards));
    expect(sent?.title).toBe("CAP điển hình: 5 phường đã gửi bảng tự đánh giá");
    expect(sent?.values).toEqual([14, 13, 12, 11, 10]);
  });

  it("trends how many units met every criterion when there are too many for one line each", () => {
    const { summary } = province(130);
    const snap = (period: string, recognised: number): Snapshot => ({
      period, generatedAt: "2026-11-01T00:00:00.000Z",
      programmes: [{ id: "ca-phuong-dien-hinh", wards: summary.wards.map((w, i) => ({ id: w.id, met: 0, total: TOTAL, recognised: i < recognised })) }],
    });
    const trend = selectTrendChart(summary, [snap("2026-10", 3), snap("2026-11", 9)]);
    expect(trend).toMatchObject({ periods: ["tháng 10/2026", "tháng 11/2026"], series: [{ name: "Số phường đạt đủ tiêu chí", values: [3, 9] }], max: 130, fullMark: false });
  });
});
