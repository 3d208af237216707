/**
 * The notice (THÔNG BÁO) to one ward: addressed to the ward's police, with its own Nơi nhận;
 * per programme what is met, what is not and why, the recognition rule, earlier periods, and
 * the findings to fix. A ward that sent nothing, or whose file cannot be read, gets one short
 * paragraph saying so, never pages of "Thiếu dòng tiêu chí". Pure.
 */
import type { Catalogue } from "../../sheets-schema/catalogue.js";
import { CHECK_TAB, SUBMISSION_LABEL, SUBMISSION_VALUES } from "../../sheets-schema/layout.js";
import type { DocBlock, DocumentView, TableCell, TableView } from "./document-blocks.js";
import { type Snapshot, type WardOutcome, type WardStatus, wasAssessed } from "./aggregate-town.js";
import { type DocumentSettings, KIND_TITLE, documentFrame, issuerName } from "./document-frame.js";
import type { Finding } from "./findings.js";
import { findingMessage } from "./messages.js";
import { type UnitKind, unitKindOf, unitLabel, unitPolice } from "./organisation.js";
import { listFindings, moreFindingsLine } from "./output-bounds.js";
import { samePeriodKind } from "./period.js";
import type { ProgrammeScore } from "./score-ward.js";
import { TREND_PERIODS } from "./town-annex.js";
import { type WardTrail, appraisalText, historyBlocks, wasReturned } from "./ward-review.js";
import { recognitionRuleText } from "./town-figures.js";
import { cell, pointsText } from "./town-tables.js";
import { CRITERION_STATUS_LABEL, MET_ALL_PROSE, type Runtime, SEVERITY_LABEL, WARD_STATUS_LABELS, sheetPlace } from "./vocabulary.js";
import { numberVi, percentVi, periodLabel, sentenceCase } from "./vi-format.js";

export interface WardDocumentInput {
  /** The ward; `kind` as configured (absent: phường). */
  ward: { id: string; name: string; kind?: UnitKind | undefined };
  period: string;
  catalogues: readonly Catalogue[];
  scores: readonly ProgrammeScore[];
  findings: readonly Finding[];
  history: readonly Snapshot[];
  settings: DocumentSettings;
  issuedAt: Date;
  /** The number allocated to this notice, or null (blank for the clerk). */
  number: number | null;
  /** Where the ward's full list of findings is (null: nowhere the reader can open). */
  fullList?: string | null;
  /** The ward's outcome status and reason; absent: a readable workbook. */
  status?: { status: WardStatus; reason: string | null };
  /** Local workbooks are sent again as files; a Google spreadsheet is fixed in place (default local). */
  runtime?: Runtime;
  /** Where each programme stands in the review cycle (the outcome's `review`); absent: not shown. */
  review?: WardOutcome["review"];
  /** This period's changes of the ward's cells and steps of the cycle (the trail); absent or empty: no history table. */
  trail?: WardTrail;
}

const p = (text: string): DocBlock => ({ kind: "paragraph", runs: [{ text }] });

/** The one paragraph of a ward without a usable workbook, or null when it has one. */
function absentParagraph(input: WardDocumentInput, police: string): DocBlock | null {
  const status = input.status?.status ?? "ok";
  const unit = unitLabel(input.ward);
  const period = periodLabel(input.period);
  if (status === "missing") {
    return p(`Đến ${period}, ${issuerName(input.settings)} chưa nhận được bảng tự đánh giá tiêu chí của ${unit}. Đề nghị ${police} hoàn thành và gửi bảng tự đánh giá để tổng hợp, báo cáo.`);
  }
  if (status === "ok" && !input.findings.length && !input.scores.some((s) => s.filled)) {
    return p(`Đến ${period}, bảng tự đánh giá tiêu chí của ${unit} chưa nhập kết quả của tiêu chí nào. Đề nghị ${police} nhập kết quả tự đánh giá để tổng hợp, báo cáo.`);
  }
  if (status === "unreadable") {
    const given = sentenceCase(input.status?.reason?.trim() || WARD_STATUS_LABELS[input.runtime ?? "local"].unreadable);
    const reason = /[.!?]$/u.test(given) ? given : `${given}.`;
    const ask = input.runtime === "google" ? `xem lý do ở ${sheetPlace(CHECK_TAB)} của bảng tính và sửa theo hướng dẫn` : "kiểm tra và gửi lại tệp";
    return p(`Đến ${period}, ${issuerName(input.settings)} chưa tổng hợp được kết quả tự đánh giá tiêu chí của ${unit}. ${reason} Đề nghị ${police} ${ask}.`);
  }
  return null;
}

function figuresText(catalogue: Catalogue, s: ProgrammeScore, noun: string): string {
  const parts = [
    `${sentenceCase(noun)} tự đánh giá đạt ${s.met}/${s.total} tiêu chí (${percentVi(s.met, s.total)})`,
    s.counts["in-progress"] ? `${numberVi(s.counts["in-progress"])} tiêu chí đang thực hiện` : null,
    s.counts["not-met"] ? `${numberVi(s.counts["not-met"])} tiêu chí chưa đạt` : null,
    s.counts["left-out"] ? `${numberVi(s.counts["left-out"])} tiêu chí có lỗi, chưa tính` : null,
    s.counts.empty + s.counts.missing ? `${numberVi(s.counts.empty + s.counts.missing)} tiêu chí chưa nhập kết quả` : null,
  ].filter(Boolean);
  const points = pointsText({ points: s.points, maxPoints: s.maxPoints, band: null });
  const pointsLine = points ? ` Điểm tự chấm ${points}${s.band ? `, xếp loại theo điểm: ${s.band}` : ""}.` : "";
  const verdict = `${sentenceCase(noun)} ${s.recognised ? "" : "chưa "}${MET_ALL_PROSE}.`;
  return `${parts.join("; ")}.${pointsLine} Theo bộ tiêu chí, ${recognitionRuleText(catalogue, noun)}. ${verdict}`;
}

function notMetTable(catalogue: Catalogue, s: ProgrammeScore, index: number): TableView {
  const texts = new Map(catalogue.criteria.map((c) => [c.code, c.text]));
  return {
    id: `not-met-${catalogue.id}`,
    caption: `Bảng ${index}. Các tiêu chí chưa được đánh giá đạt của Đề án “${catalogue.shortName}”`,
    head: [["Mã tiêu chí", "Nội dung tiêu chí", "Tình trạng"].map((t) => cell(t, { bold: true }))],
    body: s.criteria.filter((c) => c.status !== "met").map((c) => [cell(c.code), cell(texts.get(c.code) ?? "", { align: "left" }), cell(CRITERION_STATUS_LABEL[c.status])]),
    widths: [12, 66, 22],
  };
}

/** "Kết quả các kỳ trước: tuần 46/2026 đạt 17/22; tuần 47/2026 chưa có kết quả." or null. */
function earlierText(input: WardDocumentInput, programmeId: string): string | null {
  const earlier = input.history
    .filter((s) => s.period < input.period && samePeriodKind(s.period, input.period))
    .sort((a, b) => (a.period < b.period ? -1 : 1))
    .slice(-(TREND_PERIODS - 1))
    .flatMap((s) => {
      const w = s.programmes.find((x) => x.id === programmeId)?.wards.find((x) => x.id === input.ward.id);
      if (!w) return [];
      return [`${periodLabel(s.period)} ${wasAssessed(w) ? `đạt ${w.met}/${w.total}` : "chưa có kết quả"}`];
    });
  return earlier.length ? `Kết quả các kỳ trước: ${earlier.join("; ")}.` : null;
}

/** Tables are numbered in order of appearance. */
type TableCounter = { next: number };

function programmeBlocks(input: WardDocumentInput, catalogue: Catalogue, index: number, tables: TableCounter): DocBlock[] {
  const s = input.scores.find((x) => x.programmeId === catalogue.id);
  const heading: DocBlock = { kind: "heading", level: 2, text: `${index}. Đề án “${catalogue.name}”` };
  const noun = unitKindOf(input.ward);
  if (!s?.filled) return [heading, p(`${sentenceCase(noun)} chưa nhập kết quả tự đánh giá của đề án này (${sheetPlace(catalogue.tabTitle)}).`)];
  const earlier = earlierText(input, catalogue.id);
  const appraisal = appraisalText(s, input.review?.find((r) => r.programmeId === catalogue.id) ?? null, noun);
  return [
    heading,
    p(figuresText(catalogue, s, noun)),
    ...(appraisal ? [p(appraisal)] : []),
    ...(s.met < s.total ? [{ kind: "table" as const, table: notMetTable(catalogue, s, tables.next++) }] : []),
    ...(earlier ? [p(earlier)] : []),
  ];
}

function findingsBlocks(input: WardDocumentInput, index: number, tables: TableCounter): DocBlock[] {
  const heading: DocBlock = { kind: "heading", level: 2, text: `${index}. Các lỗi cần sửa trong bảng tự đánh giá` };
  const listed = listFindings(input.findings);
  if (!listed.shown.length) return [heading, p("Bảng tự đánh giá không có lỗi.")];
  const body = listed.shown.map((f, i): TableCell[] => [
    cell(String(i + 1)),
    cell(SEVERITY_LABEL[f.severity]),
    cell(sheetPlace(f.tab, f.cell), { align: "left" }),
    cell(f.criterion ?? ""),
    cell(findingMessage(f), { align: "left" }),
  ]);
  const more = moreFindingsLine(listed.more, input.fullList ?? null);
  return [
    heading,
    { kind: "table", table: { id: "findings", caption: `Bảng ${tables.next++}. Vị trí và nội dung các lỗi cần sửa`, head: [["STT", "Mức độ", "Vị trí", "Tiêu chí", "Nội dung cần sửa"].map((t) => cell(t, { bold: true }))], body, widths: [7, 10, 24, 10, 49] } },
    ...(more ? [p(more)] : []),
  ];
}

function requestParagraph(input: WardDocumentInput, police: string): DocBlock | null {
  const notMet = input.scores.some((s) => s.filled && s.met < s.total);
  const asks = [input.findings.length ? "sửa các lỗi nêu trên" : null, notMet ? "tiếp tục thực hiện các tiêu chí chưa đạt" : null].filter(Boolean);
  // A returned ward sends again by choosing the submission value once more (the label without its colon).
  const resubmit = wasReturned(input.review) ? `Sau khi bổ sung, sửa theo ý kiến thẩm định, chọn lại “${SUBMISSION_VALUES[1]}” ở ô “${SUBMISSION_LABEL.replace(/:$/u, "")}” để gửi lại.` : null;
  const ask = asks.length ? `Đề nghị ${police} ${asks.join(", ")} và cập nhật bảng tự đánh giá.` : null;
  const text = [ask, resubmit].filter(Boolean).join(" ");
  return text ? p(text) : null;
}

/**
 * The notice to one ward for a period.
 *
 * @example buildWardDocument({ ward, period: "2026-W48", catalogues, scores, findings, history, settings, issuedAt, number: null }).recipient
 * // → "Kính gửi: Công an phường Nghi Hương"
 */
export function buildWardDocument(input: WardDocumentInput): DocumentView {
  const police = unitPolice(input.ward);
  const period = periodLabel(input.period);
  const absent = absentParagraph(input, police);
  const closing = requestParagraph(input, police);
  const tables: TableCounter = { next: 1 };
  const body: DocBlock[] = absent
    ? [absent]
    : [
        p(`${issuerName(input.settings)} thông báo kết quả kiểm tra bảng tự đánh giá tiêu chí của ${unitLabel(input.ward)} đến ${period} như sau:`),
        ...input.catalogues.flatMap((c, i) => programmeBlocks(input, c, i + 1, tables)),
        ...findingsBlocks(input, input.catalogues.length + 1, tables),
        ...historyBlocks(input.trail, input.catalogues, input.catalogues.length + 2, tables),
        ...(closing ? [closing] : []),
      ];
  const { settings } = input;
  const others = settings.reports.noticeDistribution.length ? settings.reports.noticeDistribution : [`Lãnh đạo ${issuerName(settings)} (để b/c)`];
  return {
    kind: "ward-notice",
    frame: documentFrame(settings, { kind: "ward-notice", issuedAt: input.issuedAt, number: input.number, distribution: [police, ...others] }),
    title: KIND_TITLE["ward-notice"],
    summary: [`Kết quả kiểm tra bảng tự đánh giá tiêu chí của ${unitLabel(input.ward)}`, `(${period})`],
    recipient: `Kính gửi: ${police}`,
    body,
    annexes: [],
  };
}
