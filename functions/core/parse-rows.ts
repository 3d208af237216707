/**
 * The rows below a tab's header row, each with its cells by column key (parse-ward.ts finds the
 * header). A row of the template's own column order is built as one object literal, not key by
 * key (issue 11: 10,000 wards in under a second; keyed stores were the costliest line of parsing).
 */
import { COLUMNS, type ColumnKey } from "../../sheets-schema/layout.js";
import { type CellValue, isBlank } from "./cells.js";
import type { CriterionRow } from "./parse-ward.js";
import type { InputCell, SheetCells } from "./sheet-cells.js";

type RowCells = Partial<Record<ColumnKey, InputCell>>;
/** Builds a row's cells, `indexes[i]` being the column of the i-th key of its layout. */
type BuildCells = (read: SheetCells, row: number, indexes: readonly number[]) => RowCells;

const at = (read: SheetCells, row: number, column: number | undefined): InputCell => read.cell(row, column ?? 0);

// Every column in the template's order, and the ward's columns only (workbooks from before the appraisal).
const allColumns: BuildCells = (read, row, ix) => ({
  stt: at(read, row, ix[0]), code: at(read, row, ix[1]), text: at(read, row, ix[2]), result: at(read, row, ix[3]), points: at(read, row, ix[4]),
  maxPoints: at(read, row, ix[5]), evidence: at(read, row, ix[6]), note: at(read, row, ix[7]), appraisal: at(read, row, ix[8]), appraisalNote: at(read, row, ix[9]),
});
const wardColumns: BuildCells = (read, row, ix) => ({
  stt: at(read, row, ix[0]), code: at(read, row, ix[1]), text: at(read, row, ix[2]), result: at(read, row, ix[3]), points: at(read, row, ix[4]),
  maxPoints: at(read, row, ix[5]), evidence: at(read, row, ix[6]), note: at(read, row, ix[7]),
});

// A reader giving one blank cell, to read a builder's keys.
const PROBE: SheetCells = { cell: () => ({ a1: "A1", value: null }), value: () => null };

/** The builders whose keys are exactly a layout's, in its order (checked here, so a change to COLUMNS cannot make them wrong). */
const CANDIDATES: ReadonlyArray<readonly [readonly ColumnKey[], BuildCells]> = [
  [COLUMNS.map((c) => c.key), allColumns],
  [COLUMNS.filter((c) => !c.appraiser).map((c) => c.key), wardColumns],
];
const LITERALS = CANDIDATES.filter(([keys, build]) => sameKeys(Object.keys(build(PROBE, 0, [])), keys));

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((key, i) => key === b[i]);
}

/** Key by key, in the header's order: any other layout. */
function keyByKey(keys: readonly ColumnKey[]): BuildCells {
  return (read, row, indexes) => {
    const cells: RowCells = {};
    for (let i = 0; i < keys.length; i++) cells[keys[i]!] = at(read, row, indexes[i]);
    return cells;
  };
}

/** Every criterion row, blank line or row of own input below the header (`headerRow` 0-based). */
export function parseRows(rowCount: number, read: SheetCells, headerRow: number, columns: Partial<Record<ColumnKey, number>>): CriterionRow[] {
  const rows: CriterionRow[] = [];
  const keys = Object.keys(columns) as ColumnKey[];
  const indexes = keys.map((key) => columns[key] ?? 0);
  const build = LITERALS.find(([layout]) => sameKeys(layout, keys))?.[1] ?? keyByKey(keys);
  for (let row = headerRow + 1; row < rowCount; row++) {
    const parsed = parseRow(build(read, row, indexes), row);
    if (parsed) rows.push(parsed);
  }
  return rows;
}

/** One row below the header, or undefined for a blank line or a group heading. */
function parseRow(cells: RowCells, row: number): CriterionRow | undefined {
  const codeValue = cells.code?.value ?? null;
  const code = isBlank(codeValue) ? null : codeText(codeValue);
  if (code === null && !hasOwnInput(cells)) return undefined;
  return { row: row + 1, code, cells };
}

function codeText(value: CellValue): string {
  if (typeof value === "string") return hasLowerCase(value) ? value.toUpperCase() : value;
  if (typeof value === "object" && value !== null) return value.error;
  return String(value);
}

/** False when upper-casing cannot change the text: only ASCII without a lower-case letter ("TC01"). */
function hasLowerCase(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 128 || (code >= 97 && code <= 122)) return true;
  }
  return false;
}

const INPUT_KEYS: readonly ColumnKey[] = ["result", "points", "evidence", "note"];

/**
 * True when a row without a code holds input of its own. The top-left cell of a range merged
 * down over other rows is not the row's own: a Ghi chú merged from a group heading over its
 * criteria belongs to them, as the clerk sees it. Covered cells of a merge are empty.
 */
function hasOwnInput(cells: RowCells): boolean {
  for (const key of INPUT_KEYS) {
    const cell = cells[key];
    if (cell !== undefined && !isBlank(cell.value) && cell.merge?.spansRows !== true) return true;
  }
  return false;
}
