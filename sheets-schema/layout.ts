/**
 * The workbook layout agreed with ward staff: tab titles, column headers, allowed values.
 * Each vocabulary is defined once; types and zod enums derive from these arrays.
 */
import { foldKey } from "./text.js";

/** Tab explaining how to fill in the workbook. */
export const GUIDE_TAB = "Hướng dẫn";
/** Tab the service owns for validation results (never typed in by staff). */
export const CHECK_TAB = "Kiểm tra";
/** Town summary tab. */
export const SUMMARY_TAB = "Tổng hợp";

/**
 * Column keys in their default order, and the header text staff see. `input`: the ward types
 * there; `appraiser`: the supervising police types there (the ward's staff never do). Old
 * workbooks without the appraiser columns stay valid: those columns are optional.
 */
export const COLUMNS = [
  { key: "stt", header: "STT", input: false, appraiser: false, width: 6 },
  { key: "code", header: "Mã tiêu chí", input: false, appraiser: false, width: 15 },
  { key: "text", header: "Nội dung tiêu chí", input: false, appraiser: false, width: 60 },
  { key: "result", header: "Kết quả", input: true, appraiser: false, width: 16 },
  { key: "points", header: "Điểm tự chấm", input: true, appraiser: false, width: 11 },
  { key: "maxPoints", header: "Điểm tối đa", input: false, appraiser: false, width: 10 },
  { key: "evidence", header: "Minh chứng", input: true, appraiser: false, width: 34 },
  { key: "note", header: "Ghi chú", input: true, appraiser: false, width: 28 },
  { key: "appraisal", header: "Kết quả thẩm định", input: false, appraiser: true, width: 16 },
  { key: "appraisalNote", header: "Ý kiến thẩm định", input: false, appraiser: true, width: 30 },
] as const;

export type ColumnKey = (typeof COLUMNS)[number]["key"];

/** Columns the parser cannot work without (the rest only disable their own checks). */
export const REQUIRED_COLUMNS: readonly ColumnKey[] = ["code", "result", "points", "evidence"];

/** Label of the cell, above the header row, whose right neighbour holds the ward name. */
export const WARD_LABEL = "Tên phường:";
/** Label of the cell holding the date of the last update (informational). */
export const UPDATED_LABEL = "Ngày cập nhật:";

/** Label of the ward's status cell (its value beside it: SUBMISSION_VALUES). */
export const SUBMISSION_LABEL = "Trạng thái:";
/** Label of the appraiser's conclusion cell (its value beside it: CONCLUSION_VALUES). */
export const CONCLUSION_LABEL = "Kết luận thẩm định:";

/** The values allowed in the Kết quả column, as shown in the dropdown. */
export const RESULT_VALUES = ["Đạt", "Chưa đạt", "Đang thực hiện"] as const;
export type ResultValue = (typeof RESULT_VALUES)[number];

// Folded spellings accepted for each value: tone/case/spacing variants fold together;
// "Không đạt" is a synonym of "Chưa đạt". Whole-value matching only: "Chưa đạt" contains "đạt".
const RESULT_SYNONYMS: ReadonlyArray<readonly [string, ResultValue]> = [
  ["dat", "Đạt"],
  ["chua dat", "Chưa đạt"],
  ["khong dat", "Chưa đạt"],
  ["dang thuc hien", "Đang thực hiện"],
];
const RESULT_BY_KEY = new Map<string, ResultValue>(RESULT_SYNONYMS);

/**
 * The canonical Kết quả value for what staff typed, or undefined when it is not one.
 *
 * @example parseResultValue("chưa  ĐẠT") === "Chưa đạt"; parseResultValue("Không đạt") === "Chưa đạt"
 */
export function parseResultValue(typed: string): ResultValue | undefined {
  return exactValue(RESULT_EXACT, typed) ?? RESULT_BY_KEY.get(foldKey(typed));
}

/**
 * The values that read as themselves, checked once: a cell holding exactly one (what the dropdown
 * writes) is decided by comparing, without folding (issue 11: two lookups a row less).
 */
function selfReading<T extends string>(values: readonly T[], byKey: ReadonlyMap<string, T>): readonly T[] {
  return values.filter((v) => byKey.get(foldKey(v)) === v);
}

function exactValue<T extends string>(values: readonly T[], typed: string): T | undefined {
  for (const value of values) if (value === typed) return value;
  return undefined;
}

/** The ward's status: still updating, or done and sent for appraisal. */
export const SUBMISSION_VALUES = ["Đang cập nhật", "Đề nghị thẩm định"] as const;
export type SubmissionValue = (typeof SUBMISSION_VALUES)[number];

/** The values allowed in the Kết quả thẩm định column (the appraiser's dropdown). */
export const APPRAISAL_VALUES = ["Đạt", "Chưa đạt"] as const;
export type AppraisalValue = (typeof APPRAISAL_VALUES)[number];

/** The appraiser's conclusion on a programme's tab: agreed, or sent back to the ward. */
export const CONCLUSION_VALUES = ["Đã thẩm định", "Trả lại"] as const;
export type ConclusionValue = (typeof CONCLUSION_VALUES)[number];

const SUBMISSION_BY_KEY = new Map<string, SubmissionValue>(SUBMISSION_VALUES.map((v) => [foldKey(v), v]));
const APPRAISAL_BY_KEY = new Map<string, AppraisalValue>([
  ["dat", "Đạt"],
  ["chua dat", "Chưa đạt"],
  ["khong dat", "Chưa đạt"],
]);
const CONCLUSION_BY_KEY = new Map<string, ConclusionValue>(CONCLUSION_VALUES.map((v) => [foldKey(v), v]));
const RESULT_EXACT = selfReading(RESULT_VALUES, RESULT_BY_KEY);
const SUBMISSION_EXACT = selfReading(SUBMISSION_VALUES, SUBMISSION_BY_KEY);
const APPRAISAL_EXACT = selfReading(APPRAISAL_VALUES, APPRAISAL_BY_KEY);
const CONCLUSION_EXACT = selfReading(CONCLUSION_VALUES, CONCLUSION_BY_KEY);

/**
 * The canonical Trạng thái value for what was typed (folded, whole value), or undefined.
 *
 * @example parseSubmissionValue("đề nghị THẨM ĐỊNH") === "Đề nghị thẩm định"
 */
export function parseSubmissionValue(typed: string): SubmissionValue | undefined {
  return exactValue(SUBMISSION_EXACT, typed) ?? SUBMISSION_BY_KEY.get(foldKey(typed));
}

/**
 * The canonical Kết quả thẩm định value (folded, whole value; "Không đạt" is "Chưa đạt"), or undefined.
 *
 * @example parseAppraisalValue("Không đạt") === "Chưa đạt"; parseAppraisalValue("Đang thực hiện") === undefined
 */
export function parseAppraisalValue(typed: string): AppraisalValue | undefined {
  return exactValue(APPRAISAL_EXACT, typed) ?? APPRAISAL_BY_KEY.get(foldKey(typed));
}

/**
 * The canonical Kết luận thẩm định value (folded, whole value), or undefined.
 *
 * @example parseConclusionValue("tra lai") === "Trả lại"
 */
export function parseConclusionValue(typed: string): ConclusionValue | undefined {
  return exactValue(CONCLUSION_EXACT, typed) ?? CONCLUSION_BY_KEY.get(foldKey(typed));
}

const HEADER_BY_KEY = new Map<string, ColumnKey>(COLUMNS.map((c) => [foldKey(c.header), c.key]));

/** The column key a header cell names, compared on the folded key ("MÃ TIÊU CHÍ" works). */
export function parseHeader(text: string): ColumnKey | undefined {
  return HEADER_BY_KEY.get(foldKey(text));
}

/** The header text staff see for a column key. */
export function headerOf(key: ColumnKey): string {
  return COLUMNS.find((c) => c.key === key)?.header ?? key;
}

/** Spreadsheet tab titles: 1–31 characters, none of []:*?/\, no apostrophe at either end, not "History" (reserved by Excel). */
export function isValidTabTitle(title: string): boolean {
  return (
    title.length > 0 &&
    title.length <= 31 &&
    !/[[\]:*?/\\]/u.test(title) &&
    !title.startsWith("'") &&
    !title.endsWith("'") &&
    title.toLowerCase() !== "history"
  );
}
