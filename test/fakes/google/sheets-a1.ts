/** A1 notation as the Sheets API reads and writes it: "'Tab name'!A1:H10", "Tab!A:H", "Tab", "A1:B2". */
import { invalidArgument } from "./errors.js";

/** A rectangle of cells, 0-based, ends exclusive; an absent end runs to the edge of the grid. */
export interface CellRect {
  startRow: number;
  startColumn: number;
  endRow: number | undefined;
  endColumn: number | undefined;
}

export interface SplitRange {
  /** The sheet title, when the range names one. */
  title: string | undefined;
  /** The part after "!", or the whole text when there is no sheet name. */
  cells: string | undefined;
}

export function columnName(index: number): string {
  let name = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

export function columnIndex(name: string): number {
  let index = 0;
  for (const char of name.toUpperCase()) index = index * 26 + (char.charCodeAt(0) - 64);
  return index - 1;
}

/** Quotes a sheet title the way the API echoes it: plain ASCII words bare, everything else in single quotes. */
export function quoteTitle(title: string): string {
  const bare = /^[A-Za-z_][A-Za-z0-9_]*$/.test(title) && !/^[A-Za-z]{1,3}\d+$/.test(title);
  return bare ? title : `'${title.replace(/'/g, "''")}'`;
}

export function splitRange(range: string): SplitRange {
  if (range.startsWith("'")) {
    let title = "";
    let i = 1;
    for (; i < range.length; i++) {
      const char = range[i];
      if (char === "'" && range[i + 1] === "'") {
        title += "'";
        i++;
      } else if (char === "'") break;
      else title += char;
    }
    const rest = range.slice(i + 1);
    if (i >= range.length || (rest !== "" && !rest.startsWith("!"))) throw unparsable(range);
    return { title, cells: rest === "" ? undefined : rest.slice(1) };
  }
  const bang = range.lastIndexOf("!");
  if (bang === -1) return { title: undefined, cells: range };
  return { title: range.slice(0, bang), cells: range.slice(bang + 1) };
}

interface Ref {
  column: number | undefined;
  row: number | undefined;
}

function parseRef(text: string): Ref | undefined {
  const match = /^\$?([A-Za-z]{0,3})\$?(\d*)$/.exec(text);
  if (!match || (match[1] === "" && match[2] === "")) return undefined;
  const row = match[2] === "" ? undefined : Number(match[2]) - 1;
  if (row !== undefined && row < 0) return undefined;
  return { column: match[1] === "" ? undefined : columnIndex(match[1] ?? ""), row };
}

/** Parses the cell part ("A1", "A1:H10", "A:H", "2:5", "A2:H"); undefined when it is not A1 notation. */
export function parseCells(cells: string): CellRect | undefined {
  const [first, second, ...extra] = cells.split(":");
  if (first === undefined || extra.length > 0) return undefined;
  const start = parseRef(first);
  if (!start) return undefined;
  if (second === undefined) {
    if (start.column === undefined || start.row === undefined) return undefined;
    return { startRow: start.row, startColumn: start.column, endRow: start.row + 1, endColumn: start.column + 1 };
  }
  const end = parseRef(second);
  if (!end) return undefined;
  const rect: CellRect = {
    startRow: start.row ?? 0,
    startColumn: start.column ?? 0,
    endRow: end.row === undefined ? undefined : end.row + 1,
    endColumn: end.column === undefined ? undefined : end.column + 1,
  };
  // "A:H" and "2:5" must be whole columns or whole rows on both sides.
  if ((start.row === undefined) !== (end.row === undefined) && start.row === undefined) return undefined;
  if ((start.column === undefined) !== (end.column === undefined) && start.column === undefined) return undefined;
  if ((rect.endRow !== undefined && rect.endRow <= rect.startRow) || (rect.endColumn !== undefined && rect.endColumn <= rect.startColumn)) {
    return undefined;
  }
  return rect;
}

/** "'Tab'!A1:H10", abbreviated to "'Tab'!A1" for one cell, as the API echoes ranges. */
export function formatRange(title: string, startRow: number, startColumn: number, endRow: number, endColumn: number): string {
  const start = `${columnName(startColumn)}${startRow + 1}`;
  const end = `${columnName(endColumn - 1)}${endRow}`;
  return `${quoteTitle(title)}!${endRow - startRow === 1 && endColumn - startColumn === 1 ? start : `${start}:${end}`}`;
}

export function unparsable(range: string): Error {
  return invalidArgument(`Unable to parse range: ${range}`);
}
