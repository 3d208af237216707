/** Cell values as every sheet source delivers them, and A1 addressing. */

/** A spreadsheet error value such as "#REF!" or "#N/A". */
export interface CellError {
  error: string;
}

/**
 * One cell's value as read: text, number (dates as spreadsheet serial numbers), boolean,
 * an error value, or null when empty. Formula cells arrive as their result.
 */
export type CellValue = string | number | boolean | CellError | null;

/** One tab: rows[r][c], 0-based, ragged rows allowed. */
export interface RawSheet {
  title: string;
  rows: ReadonlyArray<ReadonlyArray<CellValue>>;
  /**
   * Merged ranges in A1 notation ("H12:H14"), when the source knows them. The value of a merged
   * range is its top-left cell's; a source may repeat it in the other cells (exceljs does): the
   * parser treats those as empty.
   */
  merges?: readonly string[];
  /**
   * Number format codes by A1 address ("E12" → "m/d/yy"), for numeric cells whose format is not
   * General, when the source knows them: how a date typed by mistake ("9/10") is recognised.
   */
  numberFormats?: Readonly<Record<string, string>>;
}

/** A whole workbook as read by any SheetSource (xlsx file or Google Sheet). */
export interface RawWorkbook {
  sheets: readonly RawSheet[];
}

export function isCellError(value: CellValue | undefined): value is CellError {
  return typeof value === "object" && value !== null && "error" in value;
}

/** Spreadsheet error literals, for sources that deliver them as plain strings. */
export const ERROR_LITERALS = ["#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#ERROR!", "#SPILL!", "#CALC!"] as const;

/** Column letters for a 0-based index: 0 → "A", 27 → "AB". */
export function columnLetters(index: number): string {
  return COLUMN_LETTERS[index] ?? lettersOf(index);
}

function lettersOf(index: number): string {
  let n = index + 1;
  let letters = "";
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

// Every cell address is built from these: the first 256 columns are worked out once.
const COLUMN_LETTERS = Array.from({ length: 256 }, (_, i) => lettersOf(i));

/** A rectangle of cells, 0-based and inclusive. */
export interface CellRange {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** 0-based row and column of an A1 address ("$H$12" works), or undefined when it is not one. */
function fromA1(a1: string): { row: number; column: number } | undefined {
  const m = /^\$?([A-Za-z]{1,3})\$?(\d{1,7})$/u.exec(a1.trim());
  if (!m?.[1] || !m[2]) return undefined;
  const column = Array.from(m[1].toUpperCase()).reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
  return { row: Number(m[2]) - 1, column };
}

/** A range in A1 notation ("H12:H14", or one cell "H12") as 0-based bounds, or undefined. */
export function parseRange(a1: string): CellRange | undefined {
  const [first, second = first] = a1.split(":");
  const a = fromA1(first ?? "");
  const b = fromA1(second ?? "");
  if (!a || !b) return undefined;
  return { top: Math.min(a.row, b.row), left: Math.min(a.column, b.column), bottom: Math.max(a.row, b.row), right: Math.max(a.column, b.column) };
}

/** A1 notation for 0-based row and column: (0, 0) → "A1". */
export function toA1(row: number, column: number): string {
  if (column >= A1_COLUMNS || row >= A1_ROWS || row < 0 || column < 0 || !Number.isInteger(row)) return `${columnLetters(column)}${row + 1}`;
  const byRow = (A1_CACHE[column] ??= []);
  return (byRow[row] ??= `${columnLetters(column)}${row + 1}`);
}

// Every parsed cell carries its address: the addresses of a tab's usual area are built once (issue 11: parse cost).
const A1_COLUMNS = 64;
const A1_ROWS = 2048;
const A1_CACHE: string[][] = [];

/** True when a cell holds nothing a person typed (null, or only white space). */
export function isBlank(value: CellValue | undefined): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value !== "string") return false;
  // A first character from "!" to "~" is not white space: most texts are decided without trimming.
  const first = value.charCodeAt(0);
  return !(first > 32 && first < 127) && value.trim() === "";
}
