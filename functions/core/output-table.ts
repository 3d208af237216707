/**
 * Tables tieuchi writes for people and scripts (the town summary, a ward's findings): typed
 * cells built once in core, rendered as CSV here and as .xlsx by the local adapter. Pure.
 */

/** A cell: numbers stay numbers (so "47,5" never becomes text in some locale), text stays text. */
export type TableCell = string | number | null;

export interface OutputTable {
  /** Sheet name in the .xlsx (1–31 characters). */
  title: string;
  header: readonly string[];
  rows: ReadonlyArray<readonly TableCell[]>;
  /** Column widths in characters, one per header cell. */
  widths: readonly number[];
}

// A spreadsheet reads a cell starting with one of these as a formula (or as the start of one:
// tab and CR let a following "=" through after trimming). OWASP CSV injection guidance.
const FORMULA_START = /^[=+\-@\t\r]/u;

/**
 * Text made safe to open in a spreadsheet: a leading formula character gets a single quote
 * in front, so "=HYPERLINK(…)" is shown as typed and never run. Numbers are not text and
 * are left alone (a negative number stays a number).
 *
 * @example neutraliseFormula("=SUM(A1)") === "'=SUM(A1)"; neutraliseFormula("Đạt") === "Đạt"
 */
export function neutraliseFormula(text: string): string {
  // Decided on the first character alone, FORMULA_START being the definition (issue 11: no regex run a field).
  return FORMULA_FIRST.has(text.charCodeAt(0)) ? `'${text}` : text;
}

const FORMULA_FIRST = new Set(Array.from("=+-@\t\r", (ch) => ch.charCodeAt(0)).filter((code) => FORMULA_START.test(String.fromCharCode(code))));

/** One CSV field: text neutralised, then quoted when it needs to be (RFC 4180). */
export function csvField(value: TableCell): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  const text = neutraliseFormula(value);
  return /[",\r\n;]/u.test(text) ? `"${text.replace(/"/gu, '""')}"` : text;
}

/**
 * CSV for scripts: UTF-8 with a BOM (Excel on Windows then shows the Vietnamese), comma
 * separated, CRLF line ends, numbers with a dot. People open the .xlsx beside it.
 */
export function tableToCsv(table: Pick<OutputTable, "header" | "rows">): string {
  // Joined, not appended: 20,000 lines appended field by field made a string of 640,000 pieces, slower to make and to
  // write out (flattened) than each line's fields joined and the lines joined (session 5, 10,000 wards in the bench).
  const lines: string[] = [csvLine(table.header)];
  for (const row of table.rows) lines.push(csvLine(row));
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

function csvLine(row: readonly TableCell[]): string {
  const fields: string[] = [];
  for (let i = 0; i < row.length; i++) fields.push(csvField(row[i] ?? null));
  return fields.join(",");
}
