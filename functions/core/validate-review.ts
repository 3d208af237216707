/**
 * The review cycle's cells on a programme tab: the ward's Trạng thái, the appraiser's
 * Kết quả / Ý kiến thẩm định per criterion and Kết luận thẩm định. What the appraiser types is
 * reported for the appraiser and never counted against the ward (findings.ts: isWardError).
 */
import type { Catalogue } from "../../sheets-schema/catalogue.js";
import {
  APPRAISAL_VALUES,
  COLUMNS,
  CONCLUSION_VALUES,
  type ConclusionValue,
  SUBMISSION_VALUES,
  type SubmissionValue,
  parseAppraisalValue,
  parseConclusionValue,
  parseSubmissionValue,
} from "../../sheets-schema/layout.js";
import { columnLetters, isBlank, isCellError } from "./cells.js";
import type { EmitFinding as Emit } from "./findings.js";
import type { CriterionRow, InputCell, ProgrammeSheet } from "./parse-ward.js";
import { rowPositions } from "./row-positions.js";

const [, SUBMITTED] = SUBMISSION_VALUES;
const [APPRAISED, RETURNED] = CONCLUSION_VALUES;

/** A status cell's text as read (an error value as its literal), or null when blank. */
export function cellText(cell: InputCell | null | undefined): string | null {
  if (!cell || cell.value === null || isBlank(cell.value)) return null;
  return isCellError(cell.value) ? cell.value.error : String(cell.value);
}

/**
 * Findings for the status cells and the appraisal columns of one found tab. `wardErrors`: the
 * ward's own errors on the tab, which block a submission.
 */
export function validateReview(sheet: ProgrammeSheet, catalogue: Catalogue, wardErrors: number, emit: Emit): void {
  const submission = readSubmission(sheet.submission, emit);
  const conclusion = readConclusion(sheet.conclusion, emit);
  if (submission === SUBMITTED && wardErrors > 0 && sheet.submission) {
    emit("warning", sheet.submission.a1, null, "submission-blocked", { errors: wardErrors });
  }
  if (conclusion && submission !== SUBMITTED && sheet.conclusion) emit("warning", sheet.conclusion.a1, null, "conclusion-before-submission", {});
  let noted = false;
  const unappraised: string[] = [];
  forEachCriterionRow(sheet, catalogue, (code, row) => {
    if (!validateAppraisal(row, code, emit)) unappraised.push(code);
    noted ||= cellText(row.cells.appraisalNote) !== null;
  });
  if (conclusion === RETURNED && !noted && sheet.conclusion) emit("warning", sheet.conclusion.a1, null, "appraisal-note-missing", { criterion: null });
  // One warning at the Kết luận cell for every criterion left, not one per row.
  if (conclusion === APPRAISED && unappraised.length && sheet.conclusion) emit("warning", sheet.conclusion.a1, null, "appraisal-missing", { criteria: unappraised });
}

function readSubmission(cell: InputCell | null, emit: Emit): SubmissionValue | undefined {
  const text = cellText(cell);
  if (text === null || !cell) return undefined;
  const value = parseSubmissionValue(text);
  if (!value) emit("error", cell.a1, null, "submission-invalid", { value: cell.typed ?? text, allowed: SUBMISSION_VALUES });
  return value;
}

function readConclusion(cell: InputCell | null, emit: Emit): ConclusionValue | undefined {
  const text = cellText(cell);
  if (text === null || !cell) return undefined;
  const value = parseConclusionValue(text);
  if (!value) emit("error", cell.a1, null, "conclusion-invalid", { value: cell.typed ?? text, allowed: CONCLUSION_VALUES });
  return value;
}

/** Visit the first row of each catalogue criterion on the tab, in row order, with the criterion's code. */
function forEachCriterionRow(sheet: ProgrammeSheet, catalogue: Catalogue, visit: (code: string, row: CriterionRow) => void): void {
  const { at, firstOf, index } = rowPositions(sheet.rows, catalogue);
  sheet.rows.forEach((row, i) => {
    const position = at[i] ?? -1;
    const criterion = index.criterionAt[position];
    if (criterion && firstOf[position] === i) visit(criterion.code, row);
  });
}

/** Where an appraiser's cell of a row is, or would be in the layout's column when the tab lacks it. */
const addressOf = (row: CriterionRow, key: "appraisal" | "appraisalNote"): string => row.cells[key]?.a1 ?? `${columnLetters(COLUMNS.findIndex((c) => c.key === key))}${row.row}`;

/** A row's appraisal cells; false when its Kết quả thẩm định is blank. */
function validateAppraisal(row: CriterionRow, criterion: string, emit: Emit): boolean {
  const cell = row.cells.appraisal;
  const text = cellText(cell);
  if (text === null) return false;
  const value = parseAppraisalValue(text);
  if (!value) emit("error", addressOf(row, "appraisal"), criterion, "appraisal-invalid", { value: cell?.typed ?? text, allowed: APPRAISAL_VALUES });
  else if (value === APPRAISAL_VALUES[1] && cellText(row.cells.appraisalNote) === null) {
    emit("warning", addressOf(row, "appraisalNote"), criterion, "appraisal-note-missing", { criterion });
  }
  return true;
}
