/**
 * A tab's cells as the clerk sees them: strings NFC with format characters removed (what was
 * typed kept aside for messages), the covered cells of a merged range empty, and numbers shown
 * as dates marked with their format.
 */
import { memoised, normalizeKeepingFormatChars, normalizeText } from "../../sheets-schema/text.js";
import { type CellRange, type CellValue, type RawSheet, parseRange, toA1 } from "./cells.js";
import { isDateFormat } from "./typed-date.js";

/** The merged range a cell belongs to: its A1 range and its top-left (anchor) cell. */
export interface CellMerge {
  range: string;
  anchor: string;
  /** True when the range spans more than one row. */
  spansRows: boolean;
}

/** A cell as parsed: its A1 address and its value (strings NFC-normalised, format characters removed). */
export interface InputCell {
  a1: string;
  value: CellValue;
  /** The text as typed, format characters kept, when it differs from `value` ("TC02\u2060"). */
  typed?: string;
  /** The merged range holding this cell, when it is in one. */
  merge?: CellMerge;
  /** The number format of a number shown as a date or time ("m/d/yy"). */
  dateFormat?: string;
}

/** A string cell as read: NFC, collapsed spaces, no format characters (null when nothing is left), and the text as typed when it differs. */
interface ReadText {
  value: string | null;
  typed: string | undefined;
}

// One memo lookup a string cell (issue 11: parse cost): the value and what was typed, worked out once per text.
const readText = memoised((raw: string): ReadText => {
  const text = normalizeText(raw);
  const value = text === "" ? null : text;
  if (value === raw) return { value, typed: undefined };
  // A string read unchanged has nothing typed apart (no format characters).
  const typed = normalizeKeepingFormatChars(raw);
  return { value, typed: typed !== (value ?? "") ? typed : undefined };
});

/** Reads cells of one tab; merges are indexed by row once. */
export interface SheetCells {
  cell(row: number, column: number): InputCell;
  /** The cell's value alone (`cell(row, column).value`), without making the cell. */
  value(row: number, column: number): CellValue;
}

/** The cell reader of a tab: merged ranges and number formats applied. */
export function sheetCells(sheet: RawSheet): SheetCells {
  const merges = indexMerges(sheet);
  // Most tabs have no merges and no number formats (issue 11: parse cost): neither is looked up then.
  const formats = sheet.numberFormats && hasKeys(sheet.numberFormats) ? sheet.numberFormats : undefined;
  const rows = sheet.rows;
  return {
    cell(row, column) {
      const a1 = toA1(row, column);
      const merge = merges.size === 0 ? undefined : merges.get(row)?.find((m) => column >= m.bounds.left && column <= m.bounds.right)?.merge;
      const covered = merge !== undefined && merge.anchor !== a1;
      const raw = covered ? null : (rows[row]?.[column] ?? null);
      if (raw === null && merge === undefined) return blankCell(row, column, a1);
      return typeof raw === "string" ? textCell(a1, readText(raw), merge) : otherCell(a1, raw, merge, typeof raw === "number" && formats ? formats[a1] : undefined);
    },
    value(row, column) {
      if (merges.size !== 0) return this.cell(row, column).value;
      const raw = rows[row]?.[column] ?? null;
      return typeof raw === "string" ? readText(raw).value : raw;
    },
  };
}

function hasKeys(record: object): boolean {
  for (const key in record) if (Object.hasOwn(record, key)) return true;
  return false;
}

function textCell(a1: string, text: ReadText, merge: CellMerge | undefined): InputCell {
  const cell: InputCell = { a1, value: text.value };
  if (text.typed !== undefined) cell.typed = text.typed;
  if (merge) cell.merge = merge;
  return cell;
}

function otherCell(a1: string, raw: Exclude<CellValue, string>, merge: CellMerge | undefined, format: string | undefined): InputCell {
  const cell: InputCell = { a1, value: raw };
  if (merge) cell.merge = merge;
  if (typeof raw === "number" && format !== undefined && isDateFormat(format)) cell.dateFormat = format;
  return cell;
}

// A blank cell outside any merge is the same at an address on every tab: made once per address of a tab's usual
// area (issue 11: the appraiser's columns, Ghi chú and the points of criteria without points are mostly blank).
// Parsed cells are never changed.
const BLANK_CELLS: InputCell[][] = [];
const BLANK_COLUMNS = 64;
const BLANK_ROWS = 2048;

function blankCell(row: number, column: number, a1: string): InputCell {
  if (column >= BLANK_COLUMNS || row >= BLANK_ROWS) return { a1, value: null };
  const byRow = (BLANK_CELLS[column] ??= []);
  return (byRow[row] ??= { a1, value: null });
}

interface IndexedMerge {
  bounds: CellRange;
  merge: CellMerge;
}

// Rows past the last row read hold nothing: a merge reaching far below is clamped there.
function indexMerges(sheet: RawSheet): Map<number, IndexedMerge[]> {
  const byRow = new Map<number, IndexedMerge[]>();
  const lastRow = sheet.rows.length - 1;
  for (const text of sheet.merges ?? []) {
    const bounds = parseRange(text);
    if (!bounds || (bounds.top === bounds.bottom && bounds.left === bounds.right)) continue;
    const merge = { range: `${toA1(bounds.top, bounds.left)}:${toA1(bounds.bottom, bounds.right)}`, anchor: toA1(bounds.top, bounds.left), spansRows: bounds.bottom > bounds.top };
    for (let row = bounds.top; row <= Math.min(bounds.bottom, lastRow); row++) {
      const list = byRow.get(row) ?? [];
      list.push({ bounds, merge });
      byRow.set(row, list);
    }
  }
  return byRow;
}

/** True when the cell is covered by a merge (inside a merged range, not its top-left cell). */
export function isCovered(cell: InputCell | undefined): cell is InputCell & { merge: CellMerge } {
  return cell?.merge !== undefined && cell.merge.anchor !== cell.a1;
}
