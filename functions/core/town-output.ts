/**
 * Plain outputs of the town picture: summary.json, summary.csv and the terminal table.
 * Pure formatting; the Vietnamese labels are what town staff read.
 */
import type { TownSummary, WardRow } from "./aggregate-town.js";
import { SUMMARY_TAB } from "../../sheets-schema/layout.js";
import { type OutputTable, type TableCell, tableToCsv } from "./output-table.js";
import { type UnitKind, unitCount, unitsNoun } from "./organisation.js";
import { sentenceCase } from "./vi-format.js";
import { appraisedFiguresText, appraisedOf, reviewOf } from "./review-summary.js";
import { MET_ALL_LABEL, REVIEW_STATE_LABEL, WARD_STATUS_LABEL, periodLabel } from "./vocabulary.js";

/** summary.json: the documented shape first, richer fields after it. */
export function toSummaryJson(summary: TownSummary): unknown {
  return {
    period: summary.period,
    generatedAt: summary.generatedAt,
    previousPeriod: summary.previousPeriod,
    programmes: summary.programmes.map((p) => ({
      id: p.id,
      name: p.name,
      criteria: p.criteria,
      wards: p.wards.map((w) => ({
        id: w.id,
        name: w.name,
        met: w.met,
        total: w.total,
        recognised: w.recognised,
        errors: w.errors,
        status: w.status,
        points: w.points,
        maxPoints: w.maxPoints,
        band: w.band,
        warnings: w.warnings,
        leftOut: w.leftOut,
        change: w.change,
        review: reviewOf(w),
        appraised: appraisedOf(w),
        differs: w.differs ?? [],
      })),
      recognisedCount: p.recognisedCount,
      proposal: p.proposal ?? [],
      ranking: p.ranking.map((r) => ({ code: r.code, notMet: r.notMet, wards: r.wards })),
      completeness: p.completeness,
      change: p.change,
    })),
  };
}

const SUMMARY_HEADER = [
  ["Kỳ", 10], ["Mã đề án", 22], ["Đề án", 34], ["Mã phường", 14], ["Phường", 16], ["Số tiêu chí đạt", 10], ["Tổng số tiêu chí", 10],
  ["Điểm tự chấm", 10], ["Điểm tối đa", 10], ["Xếp loại", 12], [MET_ALL_LABEL, 12], ["Số lỗi", 8], ["Số cảnh báo", 10], ["Tình trạng", 26],
  // Appended, never inserted: scripts reading columns by position keep working.
  ["Số tiêu chí đạt (thẩm định)", 12], ["Trạng thái", 18],
] as const;

/**
 * The town summary as a typed table, one line per programme and ward: out/summary.csv (for
 * scripts) and out/summary.xlsx (for people). A ward whose file cannot be read says so in
 * Tình trạng and has no figures, never a misleading 0. The last two columns: criteria met of all
 * on the appraisal ("21/22", "5/22 (chưa thẩm định hết)"; empty before one) and where the ward stands in the review cycle.
 */
export function summaryTable(summary: TownSummary): OutputTable {
  const period = periodLabel(summary.period); // once, not once a line (issue 11: 10,000 wards)
  const rows = summary.programmes.flatMap((p) =>
    p.wards.map((w): TableCell[] => {
      const usable = w.status === "ok";
      return [
        period, p.id, p.shortName, w.id, w.name, usable ? w.met : null, w.total,
        w.points, w.maxPoints, w.band, usable ? (w.recognised ? "Có" : "Không") : null, usable ? w.errors : null, usable ? w.warnings : null, WARD_STATUS_LABEL[w.status],
        appraisedFiguresText(w), REVIEW_STATE_LABEL[reviewOf(w)],
      ];
    }),
  );
  return { title: SUMMARY_TAB, header: SUMMARY_HEADER.map(([h]) => h), rows, widths: SUMMARY_HEADER.map(([, w]) => w) };
}

/** summary.csv: one line per programme and ward (see summaryTable). */
export function toSummaryCsv(summary: TownSummary): string {
  return tableToCsv(summaryTable(summary));
}

// One column per code unit: Latin, precomposed Vietnamese letters, box drawing and ✓ (no marks, no surrogates).
const SINGLE_UNITS = /^[\u0020-\u02FF\u1E00-\u1EFF\u2010-\u27FF]*$/u;

function width(text: string): number {
  return SINGLE_UNITS.test(text) ? text.length : Array.from(text.normalize("NFC")).length;
}

/** `text` padded to `size` columns; `measured`: its width when already known. */
function pad(text: string, size: number, align: "left" | "right" = "left", measured = width(text)): string {
  const fill = " ".repeat(Math.max(0, size - measured));
  return align === "left" ? text + fill : fill + text;
}

/** " · Đề nghị thẩm định", " · Đã thẩm định 21/22": the step of the cycle once the ward is past its own editing. */
function reviewSuffix(w: WardRow): string {
  const state = reviewOf(w);
  if (state === "not-sent" || state === "updating") return "";
  const appraised = appraisedFiguresText(w);
  return ` · ${REVIEW_STATE_LABEL[state]}${appraised && (state === "appraised" || state === "closed") ? ` ${appraised}` : ""}`;
}

function wardCell(w: WardRow | undefined): string {
  if (!w) return "";
  if (w.status !== "ok") return WARD_STATUS_LABEL[w.status];
  if (!w.filled) return `chưa điền${reviewSuffix(w)}`;
  const change = w.change && w.change.met !== 0 ? ` (${w.change.met > 0 ? "+" : ""}${w.change.met})` : "";
  return `${w.met}/${w.total}${w.recognised ? " ✓" : ""}${change}${reviewSuffix(w)}`;
}

/**
 * The ward × programme table printed by `tieuchi run`, with a totals line; a ward past its own
 * editing shows its step of the review cycle after its figures ("22/22 ✓ · Đã thẩm định 21/22"). `kinds` (the
 * configured units' kinds) words the first column and the totals: "Xã, phường", "22/130 xã, phường".
 *
 * @example formatTownTable(summary) // "Phường      CA phường kiểu mẫu  …  Lỗi\nNghi Hải    20/22 …"
 */
export function formatTownTable(summary: TownSummary, kinds: readonly UnitKind[] = []): string {
  const programmes = summary.programmes;
  const wards = programmes[0]?.wards ?? [];
  // One lookup per programme and ward (a find per cell was quadratic: 10 s at 10,000 wards).
  const rowsById = programmes.map((p) => new Map(p.wards.map((w) => [w.id, w])));
  // A file that cannot be read is one problem to fix, never "0 lỗi".
  const errorsOf = (w: WardRow): number => (w.status === "unreadable" ? 1 : rowsById.reduce((sum, rows) => sum + (rows.get(w.id)?.errors ?? 0), 0));
  const header = [sentenceCase(unitsNoun(kinds)), ...programmes.map((p) => p.tabTitle), "Lỗi"];
  const body = wards.map((w) => [w.name, ...rowsById.map((rows) => wardCell(rows.get(w.id))), String(errorsOf(w))]);
  const footer = [MET_ALL_LABEL, ...programmes.map((p) => `${p.recognisedCount}/${unitCount(p.wardCount, kinds)}`), ""];
  const rows = [header, ...body, footer];
  // Each cell measured once, for the column widths and its padding alike.
  const sizes = rows.map((r) => r.map((cell) => width(cell)));
  const widths = header.map((_, c) => sizes.reduce((most, size) => Math.max(most, size[c] ?? 0), 0));
  const line = (i: number): string => {
    const r = rows[i] ?? [];
    return r.map((cell, c) => pad(cell, widths[c] ?? 0, c === r.length - 1 ? "right" : "left", sizes[i]?.[c])).join("  ").trimEnd();
  };
  const rule = widths.map((w) => "─".repeat(w)).join("  ");
  return [line(0), rule, ...body.map((_, i) => line(i + 1)), rule, line(rows.length - 1)].join("\n");
}

/**
 * The line after the table naming every ward with something to fix: error findings (with
 * their count) and files that cannot be read. Null when there is none.
 *
 * @example formatWardsToFix([{ name: "Nghi Hòa", status: "ok", errors: 1 }, { name: "Nghi Thu", status: "unreadable", errors: 0 }])
 * // "Phường có lỗi cần sửa: Nghi Hòa (1), Nghi Thu (không đọc được tệp)"
 */
export function formatWardsToFix(wards: ReadonlyArray<{ name: string; status: WardRow["status"]; errors: number }>, kinds: readonly UnitKind[] = []): string | null {
  const listed = wards
    .filter((w) => w.status === "unreadable" || (w.status === "ok" && w.errors > 0))
    .map((w) => `${w.name} (${w.status === "unreadable" ? WARD_STATUS_LABEL.unreadable.toLowerCase() : w.errors})`);
  return listed.length ? `${sentenceCase(unitsNoun(kinds))} có lỗi cần sửa: ${listed.join(", ")}` : null;
}
