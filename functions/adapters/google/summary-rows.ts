/**
 * The rows of the town summary spreadsheet, as pure functions: "Tổng hợp" (one row per
 * programme × unit, rewritten whole) and the "Lịch sử" rows of one write — one row per unit
 * whose figures changed since the Tổng hợp that was there before, so the history grows with
 * the edits, not with the number of units times the number of writes.
 */
import type { TownSummary, WardRow } from "../../core/aggregate-town.js";
import { isAssessed } from "../../core/aggregate-town.js";
import type { UnitIndex } from "../../core/chart-selection.js";
import { unitKindOf, unitLabel } from "../../core/organisation.js";
import { formatLocalDateTime } from "../../core/period.js";
import { appraisedFiguresText, reviewOf } from "../../core/review-summary.js";
import { MET_ALL_LABEL, REVIEW_STATE_LABEL, WARD_STATUS_LABELS, changeWording, periodLabel } from "../../core/vocabulary.js";

// The cycle's two columns are appended: a Tổng hợp written before them is still compared column for column.
export const SUMMARY_HEADERS = ["Đề án", "Đơn vị", "Số tiêu chí đạt", "Tổng số tiêu chí", "Tỷ lệ", MET_ALL_LABEL, "Số lỗi", "Tình trạng", "Thẩm định", "Trạng thái"] as const;
export const HISTORY_HEADERS = ["Kỳ", "Thời điểm tổng hợp", "Đề án", "Đơn vị", "Số tiêu chí đạt", "Tổng số tiêu chí", MET_ALL_LABEL, "Thay đổi"] as const;

export type SummaryCell = string | number;

const YES = "Có";
const NOT_YET = "Chưa";
const FIRST = "lần đầu có số liệu";

function wardState(w: WardRow): string {
  if (w.status !== "ok") return WARD_STATUS_LABELS.google[w.status];
  if (w.errors > 0) return "Có lỗi cần sửa";
  return w.filled ? "Đã nhập" : "Chưa nhập kết quả";
}

/** Unit names as the sheet shows them: with their kind ("xã Nghi Lộc") when the units are of several kinds. */
function namer(summary: TownSummary, units: UnitIndex): (w: WardRow) => string {
  const ids = summary.programmes.flatMap((p) => p.wards.map((w) => w.id));
  const mixed = new Set(ids.map((id) => unitKindOf(units.get(id) ?? {}))).size > 1;
  return (w) => (mixed ? unitLabel({ name: w.name, kind: units.get(w.id)?.kind }) : w.name);
}

/**
 * The "Tổng hợp" tab: header, then one row per programme × unit. A unit without a usable
 * self-assessment has empty figures (never a 0) and says why in "Tình trạng"; "Thẩm định" is
 * "21/22" met on the appraisal ("5/22 (chưa thẩm định hết)" while criteria remain; empty before one), "Trạng thái" the step of the review cycle. Pure.
 */
export function summaryRows(summary: TownSummary, units: UnitIndex = new Map()): SummaryCell[][] {
  const name = namer(summary, units);
  const rows = summary.programmes.flatMap((p) =>
    p.wards.map((w): SummaryCell[] => {
      const figures: SummaryCell[] = isAssessed(w) ? [w.met, w.total, w.total ? w.met / w.total : 0, w.recognised ? YES : NOT_YET] : ["", w.total, "", ""];
      const [met, total, ratio, all] = figures;
      return [p.shortName, name(w), met!, total!, ratio!, all!, w.errors, wardState(w), appraisedFiguresText(w) ?? "", REVIEW_STATE_LABEL[reviewOf(w)]];
    }),
  );
  return [[...SUMMARY_HEADERS], ...rows];
}

/** Columns a history row records of a unit: criteria met, total, whether every criterion is met (empty when not assessed). */
const FIGURES = [2, 3, 5] as const;
const sameFigures = (a: readonly SummaryCell[], b: readonly SummaryCell[]): boolean => FIGURES.every((c) => (a[c] ?? "") === (b[c] ?? ""));

function changeOf(before: readonly SummaryCell[] | undefined, after: readonly SummaryCell[]): string {
  const [was, now] = [before?.[2], after[2]];
  if (typeof now !== "number") return typeof was === "number" ? String(after[7]) : "";
  if (typeof was !== "number") return FIRST;
  return changeWording(now - was);
}

/** The previous row of the same programme and unit: usually at the same place, else looked up by name. */
function priorFinder(previous: readonly (readonly SummaryCell[])[]): (row: readonly SummaryCell[], index: number) => readonly SummaryCell[] | undefined {
  let byKey: Map<string, readonly SummaryCell[]> | null = null;
  const keyOf = (row: readonly SummaryCell[]): string => `${String(row[0])}\u0000${String(row[1])}`;
  return (row, index) => {
    const same = previous[index + 1];
    if (same && same[0] === row[0] && same[1] === row[1]) return same;
    byKey ??= new Map(previous.slice(1).map((r) => [keyOf(r), r]));
    return byKey.get(keyOf(row));
  };
}

/**
 * The rows to append to "Lịch sử" for a write: one per programme × unit whose figures differ
 * from the Tổng hợp rows read back before the write (`previous`, header included; [] when the
 * tab is new). A unit that never had figures adds nothing. `current` is this write's Tổng hợp
 * (summaryRows), when the caller has it already. Pure.
 *
 * @example historyRows(previousTongHop, summary) // → [["tuần 48/2026", "27/11/2026 10:05", "CAP điển hình", "Nghi Hương", 19, 22, "Chưa", "tăng 1"]]
 */
export function historyRows(previous: readonly (readonly SummaryCell[])[], summary: TownSummary, units: UnitIndex = new Map(), current = summaryRows(summary, units)): SummaryCell[][] {
  const priorOf = priorFinder(previous);
  const at = formatLocalDateTime(new Date(summary.generatedAt));
  const period = periodLabel(summary.period);
  return current.slice(1).flatMap((row, i) => {
    const prior = priorOf(row, i);
    if (prior ? sameFigures(prior, row) : typeof row[2] !== "number") return [];
    return [[period, at, row[0]!, row[1]!, row[2]!, row[3]!, row[5]!, changeOf(prior, row)]];
  });
}
