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

/** Column keys in their default order, and the header text staff see. */
export const COLUMNS = [
  { key: "stt", header: "STT", input: false, width: 6 },
  { key: "code", header: "Mã tiêu chí", input: false, width: 15 },
  { key: "text", header: "Nội dung tiêu chí", input: false, width: 60 },
  { key: "result", header: "Kết quả", input: true, width: 16 },
  { key: "points", header: "Điểm tự chấm", input: true, width: 11 },
  { key: "maxPoints", header: "Điểm tối đa", input: false, width: 10 },
  { key: "evidence", header: "Minh chứng", input: true, width: 34 },
  { key: "note", header: "Ghi chú", input: true, width: 28 },
] as const;

export type ColumnKey = (typeof COLUMNS)[number]["key"];

/** Columns the parser cannot work without (the rest only disable their own checks). */
export const REQUIRED_COLUMNS: readonly ColumnKey[] = ["code", "result", "points", "evidence"];

/** Label of the cell, above the header row, whose right neighbour holds the ward name. */
export const WARD_LABEL = "Tên phường:";
/** Label of the cell holding the date of the last update (informational). */
export const UPDATED_LABEL = "Ngày cập nhật:";

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
  return RESULT_BY_KEY.get(foldKey(typed));
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
