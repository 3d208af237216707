/**
 * What the town report says of the review cycle: the appraised figures beside the wards' own
 * ("Nghi Hải: tự đánh giá 19/22; thẩm định 18/22"), where each ward stands, the wards the
 * recognition proposal lists, and the table of criteria where the appraisal differs from the
 * ward's claim. Nothing at all while no ward has submitted or been appraised, so the report
 * of a period without the cycle reads as before. Pure, linear in wards × differing criteria.
 */
import type { Catalogue } from "../../sheets-schema/catalogue.js";
import type { TableCell, TableView } from "./document-blocks.js";
import type { ProgrammeSummary, WardRow } from "./aggregate-town.js";
import type { ReviewState } from "./review-cycle.js";
import { appraisedOf, hasAppraisal, hasReview, reviewCountsOf } from "./review-summary.js";
import type { ProgrammeScore } from "./score-ward.js";
import { namedList } from "./town-figures.js";
import { cell } from "./town-tables.js";
import { APPRAISAL_INCOMPLETE, APPRAISAL_LABEL, CRITERION_STATUS_LABEL, MET_ALL_PROSE } from "./vocabulary.js";
import { numberVi, sentenceCase } from "./vi-format.js";

/** "Nghi Hải (tự đánh giá 19/22; thẩm định 18/22)". */
export function bothFiguresText(w: Pick<WardRow, "name" | "met" | "total" | "appraised">): string {
  const a = appraisedOf(w);
  const appraised = a ? `thẩm định ${a.met}/${a.total}${a.complete ? "" : `, ${APPRAISAL_INCOMPLETE} các tiêu chí`}` : "chưa thẩm định";
  return `${w.name} (tự đánh giá ${w.met}/${w.total}; ${appraised})`;
}

/** How each step reads in a sentence, in the order the office follows them. */
const STEP_PROSE: ReadonlyArray<[ReviewState, string]> = [
  ["submitted", "đã đề nghị thẩm định, chờ kết luận"],
  ["appraised", "đã thẩm định"],
  ["returned", "được trả lại để bổ sung, sửa"],
  ["closed", "đã chốt kết quả của kỳ"],
];

/** "1 phường đã đề nghị thẩm định, chờ kết luận; 2 phường đã thẩm định; …", or null when no ward is past its own editing. */
function stepsText(counts: Record<ReviewState, number>, noun: string): string | null {
  const parts = STEP_PROSE.filter(([s]) => counts[s] > 0).map(([s, text]) => `${numberVi(counts[s])} ${noun} ${text}`);
  return parts.length ? parts.join("; ") : null;
}

/** The paragraphs on the cycle for section II.2; empty while nothing was submitted or appraised. */
export function reviewParagraphs(p: ProgrammeSummary, noun: string): string[] {
  if (!hasReview([p]) && !hasAppraisal([p])) return [];
  const counts = stepsText(reviewCountsOf(p), noun);
  const appraised = p.wards.filter((w) => appraisedOf(w) !== null);
  const byId = new Map(p.wards.map((w) => [w.id, w.name]));
  const proposal = (p.proposal ?? []).map((id) => byId.get(id) ?? id);
  return [
    ...(counts ? [`Về thẩm định: ${counts}.`] : []),
    ...(appraised.length ? [`Kết quả tự đánh giá và thẩm định: ${namedList(appraised.map(bothFiguresText), noun)}.`] : []),
    proposal.length
      ? `Theo kết quả thẩm định, có ${numberVi(proposal.length)} ${noun} ${MET_ALL_PROSE}: ${namedList(proposal, noun)} (danh sách tại tờ trình đề nghị công nhận).`
      : `Theo kết quả thẩm định, chưa có ${noun} nào ${MET_ALL_PROSE}.`,
  ];
}

/** The rows of one ward: STT and name on its first row (cells left blank below, no row spans to split across pages), then code, text, own result, appraisal, note. */
function wardDiffRows(w: WardRow, score: ProgrammeScore | undefined, texts: ReadonlyMap<string, string>, index: number): TableCell[][] {
  const own = new Map((score?.criteria ?? []).map((c) => [c.code, c.status]));
  const appraisal = new Map((score?.appraisal?.criteria ?? []).map((c) => [c.code, c]));
  const codes = w.differs ?? [];
  return codes.map((code, i) => {
    const a = appraisal.get(code);
    return [
      ...(i === 0 ? [cell(String(index)), cell(w.name, { align: "left" })] : [cell(""), cell("")]),
      cell(code),
      cell(texts.get(code) ?? "", { align: "left" }),
      cell(CRITERION_STATUS_LABEL[own.get(code) ?? "missing"]),
      cell(a?.result ? APPRAISAL_LABEL[a.result] : "—"),
      cell(a?.note ?? "", { align: "left" }),
    ];
  });
}

/**
 * "Bảng N. Các tiêu chí có kết quả thẩm định khác kết quả tự đánh giá": per ward (its name
 * on its first row) each differing criterion with its text, the ward's result, the appraisal
 * and the appraisers' note. Null when no appraisal differs anywhere.
 */
export function differencesTable(p: ProgrammeSummary, catalogue: Catalogue, scores: ReadonlyMap<string, ProgrammeScore>, o: { number: number | string; noun: string }): TableView | null {
  const texts = new Map(catalogue.criteria.map((c) => [c.code, c.text]));
  const differing = p.wards.filter((w) => (w.differs ?? []).length > 0);
  if (!differing.length) return null;
  const body = differing.flatMap((w, i) => wardDiffRows(w, scores.get(w.id), texts, i + 1));
  return {
    id: "appraisal-differences",
    caption: `Bảng ${o.number}. Các tiêu chí có kết quả thẩm định khác kết quả tự đánh giá`,
    head: [["STT", sentenceCase(o.noun), "Tiêu chí", "Nội dung tiêu chí", "Tự đánh giá", "Thẩm định", "Ý kiến thẩm định"].map((t) => cell(t, { bold: true }))],
    body,
    widths: [7, 13, 8, 34, 11, 10, 17],
  };
}
