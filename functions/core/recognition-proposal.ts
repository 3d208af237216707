/**
 * The recognition proposal (TỜ TRÌNH đề nghị công nhận, NĐ 30/2020 Phụ lục III, Mẫu 1.3) of one
 * programme: addressed to the supervising agency, a lead paragraph, the table of the units that
 * qualify on their APPRAISED results (own result beside it, and when it was appraised), places
 * for staff prose, Nơi nhận and the signature. Built only for a programme whose proposal list
 * is not empty (`proposalOf`). Pure.
 */
import type { Catalogue } from "../../sheets-schema/catalogue.js";
import type { ProgrammeSummary, TownSummary, WardRow } from "./aggregate-town.js";
import type { UnitIndex } from "./chart-selection.js";
import type { DocBlock, DocumentView, TableView } from "./document-blocks.js";
import { type DocumentSettings, KIND_TITLE, documentFrame, issuerName } from "./document-frame.js";
import { unitKindOf, unitLabel, unitsNoun } from "./organisation.js";
import { parsePeriodKey } from "./period.js";
import { appraisedOf } from "./review-summary.js";
import { recognitionRuleText } from "./town-figures.js";
import { cell } from "./town-tables.js";
import { dateVi, numberVi, sentenceCase } from "./vi-format.js";

export interface RecognitionProposalInput {
  summary: TownSummary;
  programme: ProgrammeSummary;
  catalogue: Catalogue;
  settings: DocumentSettings;
  issuedAt: Date;
  /** The number allocated to this document, or null (blank for the clerk). */
  number: number | null;
  /** Kind of each unit (config.wards); absent: every unit a phường. */
  units?: UnitIndex;
}

/** The rows of the proposal, in the programme's order (by name); empty when no unit qualifies. */
export function proposalOf(programme: ProgrammeSummary): WardRow[] {
  const listed = new Set(programme.proposal ?? []);
  return programme.wards.filter((w) => listed.has(w.id));
}

// Words after which a place name follows, capitalised in a sentence ("Công an tỉnh Nghệ An").
const PLACE_WORDS = /^(?:tỉnh|thành phố|thị xã|huyện|quận|phường|xã|thị trấn|đặc khu)\s/u;

/**
 * An agency written in capitals, as a sentence writes it: "CÔNG AN TỈNH NGHỆ AN" → "Công an tỉnh
 * Nghệ An", "BỘ CÔNG AN" → "Bộ Công an". A name with small letters is kept as written.
 *
 * @example agencyInSentence("CÔNG AN THÀNH PHỐ HÀ NỘI") === "Công an thành phố Hà Nội"
 */
export function agencyInSentence(name: string): string {
  const trimmed = name.trim().replace(/\s+/gu, " ");
  if (trimmed !== trimmed.toUpperCase()) return trimmed;
  const lower = trimmed.toLowerCase();
  const capital = (words: string): string => words.replace(/(^|\s)(\p{L})/gu, (_, space: string, letter: string) => space + letter.toUpperCase());
  if (lower.startsWith("bộ ")) return `Bộ ${capital(lower.slice(3)).replace(/ An$/u, " an")}`;
  for (let i = 0; i < lower.length; i += 1) {
    if (i > 0 && lower[i - 1] !== " ") continue;
    const place = PLACE_WORDS.exec(lower.slice(i));
    if (place) return `${lower.charAt(0).toUpperCase()}${lower.slice(1, i + place[0].length)}${capital(lower.slice(i + place[0].length))}`;
  }
  return `${lower.charAt(0).toUpperCase()}${lower.slice(1)}`;
}

function proposalTable(rows: readonly WardRow[], names: readonly string[]): TableView {
  return {
    id: "recognition-proposal",
    // The heading above names the list: no caption repeating it.
    caption: "",
    head: [["STT", "Đơn vị", "Kết quả tự đánh giá", "Kết quả thẩm định", "Ngày thẩm định"].map((t) => cell(t, { bold: true }))],
    body: rows.map((w, i) => {
      const a = appraisedOf(w);
      return [
        cell(String(i + 1)),
        cell(names[i] ?? w.name, { align: "left" }),
        cell(`${w.met}/${w.total} tiêu chí`),
        cell(a ? `${a.met}/${a.total} tiêu chí` : "—"),
        cell(w.appraisedAt ? dateVi(new Date(w.appraisedAt)) : "—"),
      ];
    }),
    widths: [7, 30, 21, 21, 21],
  };
}

/** A count as NĐ 30 documents write it: "01", "09", "12". */
const countText = (n: number): string => (n < 10 ? `0${n}` : numberVi(n));

/** "năm 2026": the period's year (a proposal is for the programme's year, not a week; 2026-W53 is of 2026). */
function yearText(period: string): string {
  return `năm ${parsePeriodKey(period)?.year ?? period.slice(0, 4)}`;
}

const p = (text: string): DocBlock => ({ kind: "paragraph", runs: [{ text }] });
const hint = (text: string): DocBlock => ({ kind: "placeholder", text });

/**
 * The TỜ TRÌNH of one programme's proposal for a period.
 *
 * @example buildRecognitionProposal({ summary, programme, catalogue, settings, issuedAt, number: null }).title === "TỜ TRÌNH"
 */
export function buildRecognitionProposal(input: RecognitionProposalInput): DocumentView {
  const { catalogue, settings } = input;
  const rows = proposalOf(input.programme);
  const kinds = rows.map((w) => unitKindOf(input.units?.get(w.id) ?? {}));
  const noun = unitsNoun(kinds);
  const names = rows.map((w, i) => sentenceCase(unitLabel({ name: w.name, kind: kinds[i] })));
  const issuer = issuerName(settings);
  const recipient = agencyInSentence(settings.agency.parent);
  const count = `${countText(rows.length)} ${noun}`;
  // "phường trên" for one ward, "các phường trên" for several.
  const listed = rows.length === 1 ? noun : `các ${noun}`;
  const body: DocBlock[] = [
    p(`Căn cứ Đề án “${catalogue.name}” và bộ tiêu chí kèm theo;`),
    hint("nêu các văn bản hướng dẫn, kế hoạch làm căn cứ đề nghị công nhận"),
    p(`Căn cứ kết quả tự đánh giá của các ${noun} và kết quả thẩm định tính đến ngày ${dateVi(input.issuedAt)}, ${issuer} kính trình ${recipient} xem xét, công nhận ${count} đạt tiêu chuẩn theo Đề án “${catalogue.name}”, cụ thể như sau:`),
    { kind: "heading", level: 2, text: `1. Danh sách ${noun} đề nghị công nhận` },
    { kind: "table", table: proposalTable(rows, names) },
    p(`Theo bộ tiêu chí, ${recognitionRuleText(catalogue, noun)}; ${listed} trên đã được thẩm định tất cả các tiêu chí và đạt điều kiện này theo kết quả thẩm định.`),
    { kind: "heading", level: 2, text: "2. Nhận xét, đánh giá" },
    hint(`nhận xét, đánh giá chung về kết quả thực hiện đề án của ${listed} đề nghị công nhận`),
    { kind: "heading", level: 2, text: "3. Hồ sơ kèm theo" },
    hint("biên bản thẩm định, bảng tự đánh giá của từng đơn vị và các tài liệu kèm theo"),
    p(`${issuer} kính trình ${recipient} xem xét, quyết định./.`),
  ];
  return {
    kind: "recognition-proposal",
    frame: documentFrame(settings, { kind: "recognition-proposal", issuedAt: input.issuedAt, number: input.number, distribution: ["Như trên", `Lãnh đạo ${issuer}`] }),
    title: KIND_TITLE["recognition-proposal"],
    summary: [`Về việc đề nghị công nhận ${noun} đạt tiêu chuẩn`, `theo Đề án “${catalogue.name}” ${yearText(input.summary.period)}`],
    recipient: `Kính gửi: ${recipient}`,
    body,
    annexes: [],
  };
}
