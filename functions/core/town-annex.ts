/**
 * The annex matrix ward × criterion (Đ / CĐ / ĐTH from vocabulary.ts, with a legend), split into several compact
 * tables when there are many wards, and the trend over periods: how many wards sent an
 * assessment, how many qualify, the average met. Pure and linear in the number of wards.
 */
import type { Catalogue } from "../../sheets-schema/catalogue.js";
import type { DocBlock, TableCell, TableView } from "./document-blocks.js";
import { isAssessed, type ProgrammeSummary, type Snapshot, toSnapshot, type TownSummary, wasAssessed } from "./aggregate-town.js";
import { samePeriodKind } from "./period.js";
import type { CriterionStatus, ProgrammeScore } from "./score-ward.js";
import { cell, gapText } from "./town-tables.js";
import { CRITERION_STATUS_LABEL, CRITERION_STATUS_SHORT, MET_ALL_LABEL, type Runtime } from "./vocabulary.js";
import { numberVi, periodLabel } from "./vi-format.js";

/** Ward columns per matrix table: what fits a portrait A4 page in compact type. */
const MATRIX_WARDS_PER_TABLE = 10;

/** Periods shown in the trend (the current one included). */
export const TREND_PERIODS = 8;

/** "Ký hiệu: Đ: Đạt; CĐ: Chưa đạt; ĐTH: Đang thực hiện; L: Có lỗi, chưa tính; —: chưa nhập kết quả." */
function matrixLegend(): string {
  const shown: CriterionStatus[] = ["met", "not-met", "in-progress", "left-out", "empty"];
  return `Ký hiệu: ${shown.map((s) => `${CRITERION_STATUS_SHORT[s]}: ${s === "empty" ? CRITERION_STATUS_LABEL[s].toLowerCase() : CRITERION_STATUS_LABEL[s]}`).join("; ")}.`;
}

function statusesOf(score: ProgrammeScore | undefined): Map<string, CriterionStatus> {
  return new Map((score?.criteria ?? []).map((c) => [c.code, c.status]));
}

function matrixTable(catalogue: Catalogue, wards: ReadonlyArray<{ name: string; score: ProgrammeScore | undefined }>, part: { index: number; of: number; prefix: string }): TableView {
  const statuses = wards.map((w) => statusesOf(w.score));
  const span = wards.length + 1;
  const body: TableCell[][] = [];
  for (const g of catalogue.groups) {
    body.push([cell(`${g.code}. ${g.name}`, { colSpan: span, align: "left", bold: true })]);
    for (const c of catalogue.criteria.filter((x) => x.group === g.code)) body.push([cell(c.code), ...statuses.map((s) => cell(CRITERION_STATUS_SHORT[s.get(c.code) ?? "missing"]))]);
  }
  body.push([cell("Số tiêu chí đạt", { bold: true }), ...wards.map((w) => cell(`${w.score?.met ?? 0}/${catalogue.criteria.length}`, { bold: true }))]);
  return {
    id: part.of > 1 ? `criteria-matrix-${part.index}` : "criteria-matrix",
    caption: part.of > 1 ? `Bảng ${part.prefix}${part.index}. Kết quả từng tiêu chí (phần ${part.index}/${part.of})` : `Bảng ${part.prefix}1. Kết quả từng tiêu chí`,
    head: [[cell("Tiêu chí", { bold: true }), ...wards.map((w) => cell(w.name, { bold: true }))]],
    body,
    widths: [12, ...wards.map(() => 88 / Math.max(wards.length, 1))],
    note: matrixLegend(),
    compact: true,
  };
}

/**
 * The annex body: one matrix table per group of MATRIX_WARDS_PER_TABLE assessed wards, and a
 * line naming the wards without an assessment (they have no column, never a column of blanks).
 * `prefix` numbers the tables: "PL" gives "Bảng PL1", "PL2." gives "Bảng PL2.1".
 */
export function criteriaMatrix(p: ProgrammeSummary, catalogue: Catalogue, scores: ReadonlyMap<string, ProgrammeScore>, runtime: Runtime = "local", prefix = "PL"): DocBlock[] {
  const assessed = p.wards.filter(isAssessed).map((w) => ({ name: w.name, score: scores.get(w.id) }));
  const absent = p.wards.filter((w) => !isAssessed(w)).map((w) => `${w.name} (${gapText(w, runtime).toLowerCase()})`);
  const blocks: DocBlock[] = [];
  const parts = Math.ceil(assessed.length / MATRIX_WARDS_PER_TABLE);
  for (let i = 0; i < parts; i += 1) {
    blocks.push({ kind: "table", table: matrixTable(catalogue, assessed.slice(i * MATRIX_WARDS_PER_TABLE, (i + 1) * MATRIX_WARDS_PER_TABLE), { index: i + 1, of: parts, prefix }) });
  }
  if (absent.length) blocks.push({ kind: "paragraph", runs: [{ text: `Không có kết quả tự đánh giá: ${absent.join(", ")}.` }] });
  return blocks;
}

/** The snapshots of the trend: same period kind, up to this period, this period taken from the summary. */
export function trendSnapshots(summary: TownSummary, history: readonly Snapshot[]): Snapshot[] {
  const earlier = history.filter((s) => s.period < summary.period && samePeriodKind(s.period, summary.period));
  return [...earlier.sort((a, b) => (a.period < b.period ? -1 : 1)), toSnapshot(summary)].slice(-TREND_PERIODS);
}

interface PeriodFigures {
  period: string;
  assessed: number;
  qualifying: number;
  average: number | null;
}

function periodFigures(snapshots: readonly Snapshot[], programmeId: string): PeriodFigures[] {
  return snapshots.flatMap((s) => {
    const wards = s.programmes.find((p) => p.id === programmeId)?.wards;
    if (!wards) return [];
    const assessed = wards.filter(wasAssessed);
    const average = assessed.length ? assessed.reduce((n, w) => n + w.met, 0) / assessed.length : null;
    return [{ period: s.period, assessed: assessed.length, qualifying: wards.filter((w) => w.recognised).length, average }];
  });
}

/** "Số phường đạt đủ tiêu chí qua các kỳ": a small table, null with fewer than two periods. */
export function qualifyingTrendTable(snapshots: readonly Snapshot[], p: ProgrammeSummary, o: { number: number; noun: string }): TableView | null {
  const rows = periodFigures(snapshots, p.id);
  if (rows.length < 2) return null;
  return {
    id: "qualifying-trend",
    caption: `Bảng ${o.number}. Kết quả qua các kỳ báo cáo`,
    head: [["Kỳ báo cáo", `Số ${o.noun} có kết quả tự đánh giá`, `Số ${o.noun} ${MET_ALL_LABEL.toLowerCase()}`, "Bình quân số tiêu chí đạt"].map((t) => cell(t, { bold: true }))],
    body: rows.map((r) => [cell(periodLabel(r.period), { align: "left" }), cell(numberVi(r.assessed)), cell(numberVi(r.qualifying)), cell(r.average === null ? "—" : `${numberVi(r.average, 1)}/${p.criteria}`)]),
    widths: [25, 25, 25, 25],
  };
}
