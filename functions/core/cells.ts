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
  let n = index + 1;
  let letters = "";
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** A1 notation for 0-based row and column: (0, 0) → "A1". */
export function toA1(row: number, column: number): string {
  return `${columnLetters(column)}${row + 1}`;
}

/** True when a cell holds nothing a person typed (null, or only white space). */
export function isBlank(value: CellValue | undefined): boolean {
  return value === null || value === undefined || (typeof value === "string" && value.trim() === "");
}
