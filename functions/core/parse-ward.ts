/**
 * Parse a raw workbook against the sheet contract into a typed WardInput. Tolerant by design:
 * columns are found by header text (folded), rows by criterion code, so moved columns and
 * reordered rows still work. Structural problems are recorded as data for validation.
 */
import type { Catalogue } from "../../sheets-schema/catalogue.js";
import { COLUMNS, type ColumnKey, parseHeader } from "../../sheets-schema/layout.js";
import { foldKey } from "../../sheets-schema/text.js";
import { type CellValue, type RawSheet, type RawWorkbook, isBlank, toA1 } from "./cells.js";
import { type InputCell, type SheetCells, sheetCells } from "./sheet-cells.js";
import { type TabCopy, findTabCopies } from "./tab-copies.js";
import { foldCandidateTest } from "./fold-candidates.js";

export type { InputCell } from "./sheet-cells.js";

export interface CriterionRow {
  /** 1-based row number, as staff see it. */
  row: number;
  /** Criterion code as typed (normalised), or null when the code cell is blank. */
  code: string | null;
  cells: Partial<Record<ColumnKey, InputCell>>;
}

export interface ProgrammeSheet {
  programmeId: string;
  /** Tab title as found in the workbook, or the expected title when missing. */
  tab: string;
  found: boolean;
  /** 1-based header row, or null when no header row was recognised. */
  headerRow: number | null;
  /** 0-based column index of each recognised header. */
  columns: Partial<Record<ColumnKey, number>>;
  /** The ward-name label and the cell beside it, when the label is present. */
  wardName: { label: string; cell: InputCell } | null;
  rows: CriterionRow[];
  /** Other tabs that look like copies of this programme's tab (never counted). */
  copies: TabCopy[];
}

export interface WardInput {
  programmes: ProgrammeSheet[];
}

const HEADER_SCAN_ROWS = 30;
// Folded keys of the label before the unit's name: "Tên phường:", "Tên xã:", "Tên đặc khu:", "Tên xã, phường:" …
const WARD_LABEL_KEYS = new Set(["ten phuong", "phuong", "don vi", "ten don vi", "ten xa", "xa", "ten dac khu", "dac khu", "ten thi tran", "thi tran", "ten xa phuong"]);
// Only cells that could fold to a header or a label are folded (issue 11: folding every string of 30 rows was 67% of parsing).
const isHeaderCandidate = foldCandidateTest(COLUMNS.map((c) => foldKey(c.header)));
const isWardLabelCandidate = foldCandidateTest(WARD_LABEL_KEYS);

/**
 * Parse every programme's tab of a ward workbook.
 *
 * @example parseWardWorkbook({ sheets: [{ title: "CA phường kiểu mẫu", rows }] }, [catalogue])
 */
export function parseWardWorkbook(workbook: RawWorkbook, catalogues: readonly Catalogue[]): WardInput {
  const counted = new Map(catalogues.map((c) => [c.id, findTab(workbook, c.tabTitle)]));
  const copies = findTabCopies(workbook, catalogues, counted, parseSheetBody);
  return { programmes: catalogues.map((catalogue) => parseProgrammeSheet(counted.get(catalogue.id), catalogue, copies.get(catalogue.id) ?? [])) };
}

/** The tab that counts for a programme: titled exactly as the catalogue says, else the same title folded ("Hoà"/"Hòa", case). */
function findTab(workbook: RawWorkbook, title: string): RawSheet | undefined {
  const key = foldKey(title);
  return workbook.sheets.find((s) => s.title === title) ?? workbook.sheets.find((s) => foldKey(s.title) === key);
}

function parseProgrammeSheet(sheet: RawSheet | undefined, catalogue: Catalogue, copies: TabCopy[]): ProgrammeSheet {
  const base = { programmeId: catalogue.id, columns: {}, wardName: null, rows: [], headerRow: null, copies };
  if (!sheet) return { ...base, tab: catalogue.tabTitle, found: false };
  const body = parseSheetBody(sheet);
  if (!body) return { ...base, tab: sheet.title, found: true, wardName: findWardName(sheet, sheet.rows.length) };
  return { ...base, tab: sheet.title, found: true, ...body, wardName: findWardName(sheet, body.headerRow - 1) };
}

/** The header row (1-based), the columns found on it, and the rows below: or undefined with no header row. */
export function parseSheetBody(sheet: RawSheet): Pick<ProgrammeSheet, "headerRow" | "columns" | "rows"> & { headerRow: number } | undefined {
  const read = sheetCells(sheet);
  const header = findHeaderRow(sheet, read);
  if (!header) return undefined;
  return { headerRow: header.row + 1, columns: header.columns, rows: parseRows(sheet, read, header.row, header.columns) };
}

function findHeaderRow(sheet: RawSheet, read: SheetCells): { row: number; columns: Partial<Record<ColumnKey, number>> } | undefined {
  let best: { row: number; columns: Partial<Record<ColumnKey, number>>; count: number } | undefined;
  const last = Math.min(sheet.rows.length, HEADER_SCAN_ROWS);
  for (let row = 0; row < last; row++) {
    const columns: Partial<Record<ColumnKey, number>> = {};
    const cells = sheet.rows[row] ?? [];
    for (let column = 0; column < cells.length; column++) {
      const key = headerAt(read, row, column, cells[column] ?? null);
      if (key && columns[key] === undefined) columns[key] = column;
    }
    const count = Object.keys(columns).length;
    if (count >= 2 && (!best || count > best.count)) best = { row, columns, count };
    if (count === COLUMNS.length) break; // every column found: no later row can do better
  }
  return best && { row: best.row, columns: best.columns };
}

/** The column a cell's text names, folding only a candidate (a covered cell of a merge names none). */
function headerAt(read: SheetCells, row: number, column: number, raw: CellValue): ColumnKey | undefined {
  if (typeof raw !== "string" || !isHeaderCandidate(raw)) return undefined;
  const value = read.cell(row, column).value;
  return typeof value === "string" ? parseHeader(value) : undefined;
}

function findWardName(sheet: RawSheet, beforeRow: number): ProgrammeSheet["wardName"] {
  const read = sheetCells(sheet);
  for (let row = 0; row < Math.min(beforeRow, HEADER_SCAN_ROWS); row++) {
    const cells = sheet.rows[row] ?? [];
    const labelColumn = cells.findIndex((raw, column) => typeof raw === "string" && isWardLabelCandidate(raw) && isWardLabel(read.cell(row, column).value));
    if (labelColumn < 0) continue;
    let column = labelColumn + 1;
    for (let c = labelColumn + 1; c < cells.length; c++) {
      if (!isBlank(read.cell(row, c).value)) {
        column = c;
        break;
      }
    }
    return { label: toA1(row, labelColumn), cell: read.cell(row, column) };
  }
  return null;
}

function isWardLabel(value: CellValue): boolean {
  return typeof value === "string" && WARD_LABEL_KEYS.has(foldKey(value));
}

function parseRows(sheet: RawSheet, read: SheetCells, headerRow: number, columns: Partial<Record<ColumnKey, number>>): CriterionRow[] {
  const rows: CriterionRow[] = [];
  const entries = Object.entries(columns) as Array<[ColumnKey, number]>;
  for (let row = headerRow + 1; row < sheet.rows.length; row++) {
    const parsed = parseRow(read, row, entries);
    if (parsed) rows.push(parsed);
  }
  return rows;
}

/** One row below the header, or undefined for a blank line or a group heading. */
function parseRow(read: SheetCells, row: number, columns: ReadonlyArray<[ColumnKey, number]>): CriterionRow | undefined {
  const cells: Partial<Record<ColumnKey, InputCell>> = {};
  for (const [key, column] of columns) cells[key] = read.cell(row, column);
  const codeValue = cells.code?.value ?? null;
  const code = isBlank(codeValue) ? null : codeText(codeValue);
  if (code === null && !hasOwnInput(cells)) return undefined;
  return { row: row + 1, code, cells };
}

function codeText(value: CellValue): string {
  if (typeof value === "string") return value.toUpperCase();
  if (typeof value === "object" && value !== null) return value.error;
  return String(value);
}

const INPUT_KEYS: readonly ColumnKey[] = ["result", "points", "evidence", "note"];

/**
 * True when a row without a code holds input of its own. The top-left cell of a range merged
 * down over other rows is not the row's own: a Ghi chú merged from a group heading over its
 * criteria belongs to them, as the clerk sees it. Covered cells of a merge are empty.
 */
function hasOwnInput(cells: Partial<Record<ColumnKey, InputCell>>): boolean {
  return INPUT_KEYS.some((key) => {
    const cell = cells[key];
    return cell !== undefined && !isBlank(cell.value) && cell.merge?.spansRows !== true;
  });
}
