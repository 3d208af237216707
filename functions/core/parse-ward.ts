/**
 * Parse a raw workbook against the sheet contract into a typed WardInput. Tolerant by design:
 * columns are found by header text (folded), rows by criterion code, so moved columns and
 * reordered rows still work. Structural problems are recorded as data for validation.
 */
import type { Catalogue } from "../../sheets-schema/catalogue.js";
import { type ColumnKey, parseHeader } from "../../sheets-schema/layout.js";
import { foldKey, normalizeText } from "../../sheets-schema/text.js";
import { type CellValue, type RawSheet, type RawWorkbook, isBlank, toA1 } from "./cells.js";

/** A cell as parsed: its A1 address and its value (strings NFC-normalised). */
export interface InputCell {
  a1: string;
  value: CellValue;
}

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
}

export interface WardInput {
  programmes: ProgrammeSheet[];
}

const HEADER_SCAN_ROWS = 30;
const WARD_LABEL_KEYS = new Set(["ten phuong", "phuong", "don vi", "ten don vi"]);

/** Normalise one value: strings to NFC with collapsed spaces; other values as they are. */
export function normalizeCell(value: CellValue | undefined): CellValue {
  if (value === undefined) return null;
  if (typeof value === "string") {
    const text = normalizeText(value);
    return text === "" ? null : text;
  }
  return value;
}

/**
 * Parse every programme's tab of a ward workbook.
 *
 * @example parseWardWorkbook({ sheets: [{ title: "CA phường kiểu mẫu", rows }] }, [catalogue])
 */
export function parseWardWorkbook(workbook: RawWorkbook, catalogues: readonly Catalogue[]): WardInput {
  return { programmes: catalogues.map((catalogue) => parseProgrammeSheet(workbook, catalogue)) };
}

function findTab(workbook: RawWorkbook, title: string): RawSheet | undefined {
  const key = foldKey(title);
  return workbook.sheets.find((s) => foldKey(s.title) === key);
}

function parseProgrammeSheet(workbook: RawWorkbook, catalogue: Catalogue): ProgrammeSheet {
  const sheet = findTab(workbook, catalogue.tabTitle);
  const base = { programmeId: catalogue.id, columns: {}, wardName: null, rows: [], headerRow: null };
  if (!sheet) return { ...base, tab: catalogue.tabTitle, found: false };
  const header = findHeaderRow(sheet);
  if (!header) return { ...base, tab: sheet.title, found: true, wardName: findWardName(sheet, sheet.rows.length) };
  return {
    programmeId: catalogue.id,
    tab: sheet.title,
    found: true,
    headerRow: header.row + 1,
    columns: header.columns,
    wardName: findWardName(sheet, header.row),
    rows: parseRows(sheet, header.row, header.columns),
  };
}

function findHeaderRow(sheet: RawSheet): { row: number; columns: Partial<Record<ColumnKey, number>> } | undefined {
  let best: { row: number; columns: Partial<Record<ColumnKey, number>>; count: number } | undefined;
  sheet.rows.slice(0, HEADER_SCAN_ROWS).forEach((cells, row) => {
    const columns: Partial<Record<ColumnKey, number>> = {};
    cells.forEach((value, column) => {
      const key = typeof value === "string" ? parseHeader(value) : undefined;
      if (key && columns[key] === undefined) columns[key] = column;
    });
    const count = Object.keys(columns).length;
    if (count >= 2 && (!best || count > best.count)) best = { row, columns, count };
  });
  return best && { row: best.row, columns: best.columns };
}

function findWardName(sheet: RawSheet, beforeRow: number): ProgrammeSheet["wardName"] {
  for (let row = 0; row < Math.min(beforeRow, HEADER_SCAN_ROWS); row++) {
    const cells = sheet.rows[row] ?? [];
    const labelColumn = cells.findIndex((v) => typeof v === "string" && WARD_LABEL_KEYS.has(foldKey(v)));
    if (labelColumn < 0) continue;
    const offset = cells.slice(labelColumn + 1).findIndex((v) => !isBlank(v));
    const column = offset < 0 ? labelColumn + 1 : labelColumn + 1 + offset;
    return { label: toA1(row, labelColumn), cell: { a1: toA1(row, column), value: normalizeCell(cells[column]) } };
  }
  return null;
}

function parseRows(sheet: RawSheet, headerRow: number, columns: Partial<Record<ColumnKey, number>>): CriterionRow[] {
  const rows: CriterionRow[] = [];
  for (let row = headerRow + 1; row < sheet.rows.length; row++) {
    const values = sheet.rows[row] ?? [];
    const cells: Partial<Record<ColumnKey, InputCell>> = {};
    for (const [key, column] of Object.entries(columns) as Array<[ColumnKey, number]>) {
      cells[key] = { a1: toA1(row, column), value: normalizeCell(values[column]) };
    }
    const codeValue = cells.code?.value ?? null;
    const code = isBlank(codeValue) ? null : codeText(codeValue);
    if (code === null && !hasInput(cells)) continue; // blank line or group heading
    rows.push({ row: row + 1, code, cells });
  }
  return rows;
}

function codeText(value: CellValue): string {
  if (typeof value === "string") return value.toUpperCase();
  if (typeof value === "object" && value !== null) return value.error;
  return String(value);
}

const INPUT_KEYS: readonly ColumnKey[] = ["result", "points", "evidence", "note"];

function hasInput(cells: Partial<Record<ColumnKey, InputCell>>): boolean {
  return INPUT_KEYS.some((key) => !isBlank(cells[key]?.value ?? null));
}
