/**
 * The review cycle in the notice to one ward: its appraised figures beside its own, the
 * criteria the appraisal differs on (with the appraisers' note), where it stands, and a small
 * table of this period's changes of its cells and steps of the cycle (the trail), newest last,
 * bounded so a ward that edits all day still gets a short notice. Pure.
 */
import type { Catalogue } from "../../sheets-schema/catalogue.js";
import type { WardOutcome } from "./aggregate-town.js";
import { type CriterionChange, FIELD_LABEL, type TrailEvent, eventWhat, shownValue } from "./change-trail.js";
import type { DocBlock, TableCell } from "./document-blocks.js";
import { formatLocalDateTime } from "./period.js";
import type { ProgrammeScore } from "./score-ward.js";
import { namedList } from "./town-figures.js";
import { cell } from "./town-tables.js";
import { APPRAISAL_INCOMPLETE, APPRAISAL_LABEL } from "./vocabulary.js";
import { dateVi, decimalVi, numberVi, sentenceCase } from "./vi-format.js";

/** What the trail holds of one ward for the period. */
export interface WardTrail {
  changes: readonly CriterionChange[];
  events: readonly TrailEvent[];
}

/** Entries of the trail the notice lists (the newest); the full log is the office's export. */
const TRAIL_ROWS = 15;

type ReviewEntry = NonNullable<WardOutcome["review"]>[number];

const on = (at: string | null): string => (at ? ` ngày ${dateVi(new Date(at))}` : "");

/** Where the ward stands, as a sentence ("Kết luận thẩm định: trả lại để bổ sung, sửa."); null while it is still editing. */
function stateText(entry: ReviewEntry | null, noun: string): string | null {
  switch (entry?.state) {
    case "submitted":
      return `${sentenceCase(noun)} đã đề nghị thẩm định${on(entry.submittedAt)}, chờ kết luận thẩm định.`;
    case "returned":
      return "Kết luận thẩm định: trả lại để bổ sung, sửa. Khi bắt đầu sửa, chọn “Đang cập nhật” ở ô “Trạng thái:”; sửa xong, chọn lại “Đề nghị thẩm định”.";
    case "appraised":
      return `Kết luận thẩm định: đã thẩm định${on(entry.appraisedAt)}.`;
    case "closed":
      return "Kết quả của kỳ đã chốt.";
    default:
      return null;
  }
}

/**
 * "Kết quả thẩm định: đạt 18/22 tiêu chí (tự đánh giá 19/22). Tiêu chí có kết quả thẩm định
 * khác kết quả tự đánh giá: TC03 (thẩm định: Chưa đạt; ý kiến: “…”). Kết luận thẩm định: đã thẩm
 * định ngày 27/11/2026." Null before any appraisal or submission. `noun`: the unit's ("phường").
 */
export function appraisalText(s: ProgrammeScore, entry: ReviewEntry | null, noun: string): string | null {
  const state = stateText(entry, noun);
  const a = s.appraisal;
  if (!a) return state;
  const notes = new Map(a.criteria.map((c) => [c.code, c]));
  const differ = a.differs.map((code) => {
    const c = notes.get(code);
    const result = c?.result ? `thẩm định: ${APPRAISAL_LABEL[c.result]}` : "chưa thẩm định";
    return `${code} (${result}${c?.note ? `; ý kiến: “${c.note}”` : ""})`;
  });
  const figures = `Kết quả thẩm định: đạt ${a.met}/${a.total} tiêu chí${a.complete ? "" : ` (${APPRAISAL_INCOMPLETE} các tiêu chí)`}; tự đánh giá ${s.met}/${s.total}.`;
  const differs = differ.length ? ` Tiêu chí có kết quả thẩm định khác kết quả tự đánh giá: ${namedList(differ, "tiêu chí")}.` : "";
  return `${figures}${differs}${state ? ` ${state}` : ""}`;
}

type Row = { at: string; cells: TableCell[] };

function changeRow(c: CriterionChange, programme: (id: string) => string): Row {
  const value = (v: string | number | null): string => {
    const shown = shownValue(c.field, v);
    return typeof shown === "number" ? decimalVi(shown) : shown;
  };
  const what = `${FIELD_LABEL[c.field]}: ${value(c.before)} → ${value(c.after)}`;
  return { at: c.at, cells: [cell(formatLocalDateTime(new Date(c.at))), cell(programme(c.programme), { align: "left" }), cell(c.criterion), cell(what, { align: "left" }), cell(c.by ?? "không rõ", { align: "left" })] };
}

function eventRow(e: TrailEvent, programme: (id: string) => string): Row {
  return { at: e.at, cells: [cell(formatLocalDateTime(new Date(e.at))), cell(e.programme ? programme(e.programme) : "Cả kỳ", { align: "left" }), cell(""), cell(eventWhat(e), { align: "left" }), cell(e.by ?? "không rõ", { align: "left" })] };
}

/**
 * "N. Lịch sử thay đổi trong kỳ" with a table of the newest TRAIL_ROWS entries, oldest first,
 * and how many earlier ones are left out. Empty without a trail.
 */
export function historyBlocks(trail: WardTrail | undefined, catalogues: readonly Catalogue[], index: number, tables: { next: number }): DocBlock[] {
  if (!trail || trail.changes.length + trail.events.length === 0) return [];
  const names = new Map(catalogues.map((c) => [c.id, c.shortName]));
  const programme = (id: string): string => names.get(id) ?? id;
  const rows = [...trail.changes.map((c) => changeRow(c, programme)), ...trail.events.map((e) => eventRow(e, programme))].sort((a, b) => a.at.localeCompare(b.at));
  const shown = rows.slice(-TRAIL_ROWS);
  const more = rows.length - shown.length;
  return [
    { kind: "heading", level: 2, text: `${index}. Lịch sử thay đổi trong kỳ` },
    {
      kind: "table",
      table: {
        id: "ward-trail",
        caption: `Bảng ${tables.next++}. Các thay đổi của bảng tự đánh giá và các bước thẩm định`,
        head: [["Thời điểm", "Đề án", "Tiêu chí", "Nội dung thay đổi", "Người thực hiện"].map((t) => cell(t, { bold: true }))],
        body: shown.map((r) => r.cells),
        widths: [15, 22, 8, 33, 22],
        ...(more ? { note: `Chỉ nêu ${numberVi(shown.length)} thay đổi gần nhất; còn ${numberVi(more)} thay đổi trước đó trong nhật ký thay đổi của kỳ.` } : {}),
      },
    },
  ];
}

/** Whether a programme of the ward was returned: the notice then asks for the fixes and a new submission. */
export function wasReturned(review: WardOutcome["review"]): boolean {
  return (review ?? []).some((r) => r.state === "returned");
}
