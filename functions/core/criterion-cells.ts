/**
 * What a run keeps of a ward's cells beyond its scores (issue 12): per criterion the evidence
 * text (for the trail of changes) and the address of each of its cells (so a warning such as
 * "sửa sau khi đã chốt kỳ" points at the cell that changed). Pure: parsed sheets in, plain data out.
 */
import { isCellError } from "./cells.js";
import type { ChangedField } from "./change-trail.js";
import type { WardInput } from "./parse-ward.js";

/** One criterion's cells as read. */
export interface CriterionCells {
  programme: string;
  code: string;
  tab: string;
  evidence: string | null;
  /** A1 addresses of the criterion's cells by the field the trail compares. */
  a1: Partial<Record<ChangedField, string>>;
}

const FIELD_COLUMN: Record<ChangedField, "result" | "points" | "evidence" | "appraisal" | "appraisalNote"> = {
  result: "result",
  points: "points",
  evidence: "evidence",
  appraisal: "appraisal",
  appraisalNote: "appraisalNote",
};

/** A cell's value as trail text: trimmed, blank and error values as null. */
function textOf(value: unknown): string | null {
  if (value === null || value === undefined || isCellError(value as never)) return null;
  const text = String(value).trim();
  return text || null;
}

/**
 * The cells of every criterion row of every programme tab found (first row of a code only,
 * as scoring counts it).
 *
 * @example criterionCellsOf(input)[0] // → { programme: "ca", code: "TC01", tab: "CA phường kiểu mẫu", evidence: "QĐ 12", a1: { result: "D8", … } }
 */
export function criterionCellsOf(input: WardInput): CriterionCells[] {
  return input.programmes.flatMap((sheet) => {
    const seen = new Set<string>();
    return sheet.rows.flatMap((row): CriterionCells[] => {
      if (row.code === null || seen.has(row.code)) return [];
      seen.add(row.code);
      const a1: Partial<Record<ChangedField, string>> = {};
      for (const [field, column] of Object.entries(FIELD_COLUMN) as Array<[ChangedField, (typeof FIELD_COLUMN)[ChangedField]]>) {
        const cell = row.cells[column];
        if (cell) a1[field] = cell.a1;
      }
      return [{ programme: sheet.programmeId, code: row.code, tab: sheet.tab, evidence: textOf(row.cells.evidence?.value), a1 }];
    });
  });
}
