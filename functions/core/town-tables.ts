/**
 * The tables of the town report: results per ward (with rank, points and band beside criteria
 * met, and "Đang thực hiện" apart from "Chưa đạt"), results per criteria group in percent, and
 * the criteria many wards have not met. A ward without a usable self-assessment is one muted
 * cell across its figures, never a row of zeros. Pure.
 */
import type { Catalogue } from "../../sheets-schema/catalogue.js";
import type { TableCell, TableView } from "./document-blocks.js";
import { isAssessed, type ProgrammeSummary, type WardRow } from "./aggregate-town.js";
import { appraisedFiguresText, hasAppraisal, hasReview, recognisedOf, reviewOf } from "./review-summary.js";
import type { ProgrammeScore } from "./score-ward.js";
import { APPRAISAL_INCOMPLETE, MET_ALL_LABEL, REVIEW_STATE_LABEL, type Runtime, WARD_STATUS_LABELS } from "./vocabulary.js";
import { numberVi, percentVi, sentenceCase, signedVi } from "./vi-format.js";

/** A centred cell, or a left one. */
export const cell = (text: string, options: Omit<TableCell, "text"> = {}): TableCell => ({ text, align: "center", ...options });
const head = (text: string): TableCell => ({ text, align: "center", bold: true });

/** What stands in a row of a ward without a usable assessment ("Không đọc được bảng tính" in the Google runtime). */
export function gapText(row: Pick<WardRow, "status" | "filled">, runtime: Runtime = "local"): string {
  return row.status === "ok" && !row.filled ? "Chưa nhập kết quả tự đánh giá" : WARD_STATUS_LABELS[runtime][row.status];
}

/** "47,5/50 (Xuất sắc)", "47,5/50", or null without points. */
export function pointsText(row: Pick<WardRow, "points" | "maxPoints" | "band">): string | null {
  if (row.points === null || row.maxPoints === null) return null;
  const points = `${numberVi(row.points)}/${numberVi(row.maxPoints)}`;
  return row.band ? `${points} (${row.band})` : points;
}

function wardNote(row: WardRow, score: ProgrammeScore | undefined): string {
  const notes = [
    row.errors ? `${numberVi(row.errors)} lỗi` : "",
    row.leftOut.length ? `chưa tính: ${row.leftOut.join(", ")}` : "",
    score && score.counts.empty + score.counts.missing ? `${numberVi(score.counts.empty + score.counts.missing)} tiêu chí chưa nhập` : "",
  ].filter(Boolean);
  return notes.length ? ` (${notes.join("; ")})` : "";
}

interface ResultsOptions {
  /** 1 gives "Bảng 1"; "PL1.1" (an annex table) gives "Bảng PL1.1". */
  number: number | string;
  ranks: ReadonlyMap<string, number>;
  scores: ReadonlyMap<string, ProgrammeScore>;
  hasChange: boolean;
  period: string;
  /** The units' noun: "phường", "xã, phường". */
  noun: string;
  runtime: Runtime;
}

/**
 * "Bảng 1. Kết quả tự đánh giá của các phường": met/total, %, in progress, not met, points and
 * band, whether every criterion is met, rank, change. Once any ward has an appraisal, "Tự đánh
 * giá" and "Thẩm định" stand side by side; once any ward has submitted, "Trạng thái" of the cycle.
 */
export function wardResultsTable(p: ProgrammeSummary, o: ResultsOptions): TableView {
  const hasPoints = p.wards.some((w) => w.maxPoints !== null);
  const appraised = hasAppraisal([p]);
  const states = hasReview([p]);
  const figures = appraised ? ["Tự đánh giá", "Thẩm định"] : ["Số tiêu chí đạt"];
  const columns = [...figures, "Tỷ lệ", "Đang thực hiện", "Chưa đạt", ...(hasPoints ? ["Điểm tự chấm (xếp loại theo điểm)"] : []), MET_ALL_LABEL, "Xếp hạng", ...(o.hasChange ? ["Thay đổi so với kỳ trước"] : [])];
  const state = (w: WardRow): TableCell[] => (states ? [cell(REVIEW_STATE_LABEL[reviewOf(w)])] : []);
  const body = p.wards.map((w, i): TableCell[] => {
    const score = o.scores.get(w.id);
    const lead = [cell(String(i + 1)), cell(`${w.name}${isAssessed(w) ? wardNote(w, score) : ""}`, { align: "left" })];
    if (!isAssessed(w)) return [...lead, cell(gapText(w, o.runtime), { colSpan: columns.length, muted: true }), ...state(w)];
    return [
      ...lead,
      cell(`${w.met}/${w.total}`),
      ...(appraised ? [cell(appraisedFiguresText(w) ?? "—")] : []),
      cell(percentVi(w.met, w.total)),
      cell(numberVi(score?.counts["in-progress"] ?? 0)),
      cell(numberVi(score?.counts["not-met"] ?? 0)),
      ...(hasPoints ? [cell(pointsText(w) ?? "—")] : []),
      cell(recognisedOf(w) ? "Đạt" : "Chưa"),
      cell(String(o.ranks.get(w.id) ?? "—")),
      ...(o.hasChange ? [cell(w.change ? signedVi(w.change.met) : "—")] : []),
      ...state(w),
    ];
  });
  const rule = `Xếp hạng theo số tiêu chí đạt, sau đó theo điểm tự chấm; các ${o.noun} bằng nhau cùng hạng; ${o.noun} chưa có kết quả tự đánh giá không xếp hạng.`;
  return {
    id: "ward-results",
    caption: `Bảng ${o.number}. Kết quả ${appraised ? "tự đánh giá và thẩm định" : "tự đánh giá"} tiêu chí của các ${o.noun} (${o.period})`,
    head: [[head("STT"), head(sentenceCase(o.noun)), ...columns.map(head), ...(states ? [head("Trạng thái")] : [])]],
    body,
    widths: [7, 17, 9, ...(appraised ? [9] : []), 8, 9, 8, ...(hasPoints ? [14] : []), 9, 8, ...(o.hasChange ? [9] : []), ...(states ? [11] : [])],
    note: appraised ? `${rule} Tỷ lệ, đang thực hiện, chưa đạt, xếp hạng: theo kết quả tự đánh giá. Thẩm định: số tiêu chí được thẩm định đạt (“${APPRAISAL_INCOMPLETE}”: còn tiêu chí chưa thẩm định; “—”: chưa thẩm định). ${MET_ALL_LABEL}: theo kết quả thẩm định khi đã có kết luận thẩm định, trước đó theo kết quả tự đánh giá.` : rule,
  };
}

/** Met and total per group of one ward's score (`groupOf`: criterion code → group code). */
function groupCounts(catalogue: Catalogue, groupOf: ReadonlyMap<string, string>, score: ProgrammeScore | undefined): Map<string, { met: number; total: number }> {
  const counts = new Map(catalogue.groups.map((g) => [g.code, { met: 0, total: 0 }]));
  for (const c of catalogue.criteria) {
    const n = counts.get(c.group);
    if (n) n.total += 1;
  }
  for (const c of score?.criteria ?? []) {
    const n = counts.get(groupOf.get(c.code) ?? "");
    if (n && c.status === "met") n.met += 1;
  }
  return counts;
}

const share = (met: number, total: number): string => `${met}/${total} (${percentVi(met, total)})`;

/** "Bảng 2. Kết quả theo nhóm tiêu chí": ward × group, criteria met and percent, with the town's average. */
export function groupTable(p: ProgrammeSummary, catalogue: Catalogue, scores: ReadonlyMap<string, ProgrammeScore>, o: { number: number | string; noun: string; runtime: Runtime }): TableView {
  const groups = catalogue.groups;
  const sums = new Map(groups.map((g) => [g.code, { met: 0, total: 0 }]));
  const groupOf = new Map(catalogue.criteria.map((c) => [c.code, c.group]));
  const body = p.wards.map((w, i): TableCell[] => {
    const lead = [cell(String(i + 1)), cell(w.name, { align: "left" })];
    if (!isAssessed(w)) return [...lead, cell(gapText(w, o.runtime), { colSpan: groups.length, muted: true })];
    const counts = groupCounts(catalogue, groupOf, scores.get(w.id));
    return [
      ...lead,
      ...groups.map((g) => {
        const n = counts.get(g.code) ?? { met: 0, total: 0 };
        const sum = sums.get(g.code);
        if (sum) {
          sum.met += n.met;
          sum.total += n.total;
        }
        return cell(share(n.met, n.total));
      }),
    ];
  });
  const assessed = p.wards.filter(isAssessed).length;
  const total: TableCell[] = [cell(`Chung (${numberVi(assessed)} ${o.noun} có kết quả)`, { colSpan: 2, bold: true }), ...groups.map((g) => cell(percentVi(sums.get(g.code)?.met ?? 0, sums.get(g.code)?.total ?? 0), { bold: true }))];
  return {
    id: "group-results",
    caption: `Bảng ${o.number}. Kết quả tự đánh giá theo nhóm tiêu chí`,
    head: [[head("STT"), head(sentenceCase(o.noun)), ...groups.map((g) => head(`${g.code}. ${g.name} (${catalogue.criteria.filter((c) => c.group === g.code).length} tiêu chí)`))]],
    body: assessed ? [...body, total] : body,
    widths: [7, 15, ...groups.map(() => 80 / groups.length)],
    note: `Mỗi ô: số tiêu chí đạt/số tiêu chí của nhóm (tỷ lệ). Dòng cuối: tỷ lệ tiêu chí đạt của nhóm trên tổng số ${o.noun} có kết quả.`,
    compact: groups.length > 4,
  };
}
