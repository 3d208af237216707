import { beforeAll, describe, expect, it } from "vitest";
import { HISTORY_HEADERS, SUMMARY_HEADERS, type SummaryCell, historyRows, summaryRows } from "../../../../functions/adapters/google/summary-rows.js";
import { type ProgrammeSummary, type TownSummary, type WardOutcome, type WardRow, aggregateTown } from "../../../../functions/core/aggregate-town.js";
import { unitIndexOf } from "../../../../functions/core/chart-selection.js";
import { evaluateWorkbook } from "../../../../functions/core/evaluate-ward.js";
import type { Catalogue } from "../../../../sheets-schema/catalogue.js";
import { reviewedOutcomes } from "../../../fixtures/outcomes.js";
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

describe("Tổng hợp rows", () => {
  it("has the header, then one row per programme and unit; a unit that sent nothing has no figures, never a 0", () => {
    const rows = summaryRows(summary);
    expect(rows[0]).toEqual([...SUMMARY_HEADERS]);
    expect(SUMMARY_HEADERS).toContain("Đạt đủ tiêu chí");
    expect(SUMMARY_HEADERS).not.toContain("Được công nhận");
    expect(rows).toHaveLength(1 + 2 * 2);
    expect(rows[1]).toEqual([catalogues[0]!.shortName, "Nghi Hương", 18, 22, 18 / 22, "Chưa", 0, "Đã nhập", "", "Đang cập nhật"]);
    expect(rows[2]).toEqual([catalogues[0]!.shortName, "Nghi Tân", "", 22, "", "", 0, "Chưa gửi bảng tự đánh giá", "", "Chưa gửi"]);
    expect(rows[3]?.slice(0, 6)).toEqual([catalogues[1]!.shortName, "Nghi Hương", 34, 34, 1, "Có"]);
  });

  it("ends with the appraised criteria met of all (saying when the appraisal is partial) and the step of the review cycle", () => {
    const reviewed = reviewedOutcomes(catalogues);
    const rows = summaryRows(aggregateTown(reviewed, catalogues, { period: "2026-W48", generatedAt: "2026-11-27T03:00:00.000Z", previous: null }));
    expect(SUMMARY_HEADERS.slice(-2)).toEqual(["Thẩm định", "Trạng thái"]);
    expect(rows.slice(1, 8).map((r) => [r[1], r[2], r[8], r[9]])).toEqual([
      ["Nghi Hải", 20, "", "Đang cập nhật"],
      ["Nghi Hòa", 15, "", "Đang cập nhật"],
      ["Nghi Hương", 18, "", "Đề nghị thẩm định"],
      ["Nghi Tân", 22, "21/22", "Đã thẩm định"],
      ["Nghi Thu", 19, "2/22 (chưa thẩm định hết)", "Trả lại"],
      ["Nghi Thủy", 21, "", "Đang cập nhật"],
      ["Thu Thủy", 22, "22/22", "Đã thẩm định"],
    ]);
  });

  it("adds no Lịch sử row when a Tổng hợp written before the cycle's columns is read back", () => {
    const before = summaryRows(summary).map((r) => r.slice(0, 8));
    expect(historyRows(before, summary)).toEqual([]);
  });

  it("names units with their kind when the kinds are mixed", () => {
    const rows = summaryRows(summary, unitIndexOf([{ id: "nghi-tan", kind: "xã" }]));
    expect(rows.slice(1, 3).map((r) => r[1])).toEqual(["phường Nghi Hương", "xã Nghi Tân"]);
  });
});

describe("Lịch sử rows: one per unit whose figures changed", () => {
  it("records every unit with figures on the first write, none for a unit that never sent", () => {
    const rows = historyRows([], summary);
    expect(HISTORY_HEADERS).toHaveLength(rows[0]!.length);
    expect(rows).toEqual([
      ["tuần 48/2026", "27/11/2026 10:05", catalogues[0]!.shortName, "Nghi Hương", 18, 22, "Chưa", "lần đầu có số liệu"],
      ["tuần 48/2026", "27/11/2026 10:05", catalogues[1]!.shortName, "Nghi Hương", 34, 34, "Có", "lần đầu có số liệu"],
    ]);
  });

  it("adds nothing when the figures are the same (a later time, a new period, another error count)", () => {
    const previous = summaryRows(summary);
    expect(historyRows(previous, { ...summary, generatedAt: "2026-11-27T09:00:00.000Z", period: "2026-W49" })).toEqual([]);
    const moreErrors = { ...summary, programmes: summary.programmes.map((p) => ({ ...p, wards: p.wards.map((w) => ({ ...w, errors: w.errors + 3 })) })) };
    expect(historyRows(previous, moreErrors)).toEqual([]);
  });

  it("says how a unit changed: tăng, giảm, and a unit whose workbook went missing", () => {
    const previous = summaryRows(summary);
    const edit = (p: ProgrammeSummary, i: number): ProgrammeSummary => ({
      ...p,
      wards: p.wards.map((w): WardRow => (w.id !== "nghi-huong" ? w : i === 0 ? { ...w, met: w.met + 2 } : { ...w, status: "unreadable", filled: false })),
    });
    const rows = historyRows(previous, { ...summary, programmes: summary.programmes.map(edit) });
    expect(rows.map((r) => r.slice(2))).toEqual([
      [catalogues[0]!.shortName, "Nghi Hương", 20, 22, "Chưa", "tăng 2"],
      [catalogues[1]!.shortName, "Nghi Hương", "", 34, "", "Không đọc được bảng tính"],
    ]);
  });
});

/** A synthetic summary of `units` units and two programmes from met counts (met[p][u]); cheap enough for 3,300 units. */
function syntheticSummary(met: number[][], generatedAt: string): TownSummary {
  const programmes = met.map((values, p): ProgrammeSummary => {
    const total = p === 0 ? 22 : 34;
    const wards = values.map((m, u): WardRow => ({
      id: `u${u}`, name: `Đơn vị ${u}`, status: "ok", filled: true, met: m, total, points: null, maxPoints: null, band: null,
      recognised: m === total, errors: 0, warnings: 0, leftOut: [], change: null,
    }));
    return {
      id: `p${p}`, name: `Đề án ${p}`, shortName: `Đề án ${p}`, tabTitle: `P${p}`, version: "1", criteria: total, wards, wardCount: wards.length,
      recognisedCount: 0, ranking: [], completeness: { notFilled: [], withErrors: [], unreadable: [] }, change: null,
    };
  });
  return { period: "2026-W49", generatedAt, previousPeriod: null, programmes };
}

describe("the 10-million-cell horizon at 3,300 units", () => {
  it("a working day of edits and a deadline burst append rows per change, not units × writes", () => {
    const UNITS = 3300;
    const WRITES = 160; // a sweep every 3 minutes over an 8-hour day
    const met = [Array.from({ length: UNITS }, (_, u) => u % 23), Array.from({ length: UNITS }, (_, u) => u % 35)];
    let seed = 7;
    const next = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    let tab: SummaryCell[][] = summaryRows(syntheticSummary(met, "2026-12-01T01:00:00.000Z"));
    let appended = historyRows([], syntheticSummary(met, "2026-12-01T01:00:00.000Z")).length;
    let changes = 0;
    let oldRule = 0;
    for (let write = 1; write <= WRITES + 1; write++) {
      const burst = write === WRITES + 1; // deadline day: every unit changes in both programmes
      const edited = new Set<string>();
      for (let e = 0; e < (burst ? UNITS * 2 : 40); e++) {
        const [p, u] = burst ? [e % 2, Math.floor(e / 2)] : [next(2), next(UNITS)];
        const total = p === 0 ? 22 : 34;
        met[p]![u] = (met[p]![u]! + 1) % (total + 1);
        edited.add(`${p}/${u}`);
      }
      changes += edited.size;
      const now = syntheticSummary(met, new Date(Date.UTC(2026, 11, 1, 1, 3 * write)).toISOString());
      const rows = summaryRows(now);
      appended += historyRows(tab, now, new Map(), rows).length;
      oldRule += 2 * UNITS; // the former Lịch sử: every programme × unit on every write whose figures changed
      tab = rows;
    }
    const cells = (rows: number): number => rows * HISTORY_HEADERS.length;
    expect(appended).toBe(UNITS * 2 + changes); // the first write, then exactly one row per change
    expect(cells(appended)).toBeLessThan(200_000); // < 2% of the 10,000,000 cells a spreadsheet may hold
    expect(cells(oldRule)).toBeGreaterThan(8_000_000); // the former rule nearly filled it in one day
  });
});
