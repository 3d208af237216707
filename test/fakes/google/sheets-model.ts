/** The fake's spreadsheet state, and how cells are typed in, stored and rendered. */
import type { sheets_v4 } from "@googleapis/sheets";
import { invalidArgument } from "./errors.js";
import { type CellRect, formatRange, parseCells, splitRange, unparsable } from "./sheets-a1.js";

export type CellValue = string | number | boolean | null;

export interface FakeCell {
  value: CellValue;
  /** The formula text for USER_ENTERED "=…" input; the fake does not evaluate it (value stays null). */
  formula?: string;
  /** "#REF!", "#N/A", …: the cell shows an error (tests set it to mimic a broken formula). */
  formulaError?: string;
  dataValidation?: sheets_v4.Schema$DataValidationRule;
  format?: sheets_v4.Schema$CellFormat;
  note?: string;
}

export interface FakeSheet {
  sheetId: number;
  title: string;
  index: number;
  /** The remaining SheetProperties (gridProperties with rowCount/columnCount, hidden, tabColor, …). */
  properties: sheets_v4.Schema$SheetProperties;
  grid: Array<Array<FakeCell | undefined>>;
  protectedRanges: sheets_v4.Schema$ProtectedRange[];
  merges: sheets_v4.Schema$GridRange[];
  basicFilter?: sheets_v4.Schema$BasicFilter;
  /** Formatting requests with no modelled effect (borders, dimensions, auto-resize), kept for assertions. */
  formatting: sheets_v4.Schema$Request[];
}

export interface FakeSpreadsheet {
  spreadsheetId: string;
  properties: sheets_v4.Schema$SpreadsheetProperties;
  sheets: FakeSheet[];
}

/** A range resolved against a spreadsheet, ends clamped to the grid. */
export interface ResolvedRange {
  sheet: FakeSheet;
  startRow: number;
  startColumn: number;
  endRow: number;
  endColumn: number;
}

export function rowCount(sheet: FakeSheet): number {
  return sheet.properties.gridProperties?.rowCount ?? 1000;
}

export function columnCount(sheet: FakeSheet): number {
  return sheet.properties.gridProperties?.columnCount ?? 26;
}

export function sheetProperties(sheet: FakeSheet): sheets_v4.Schema$SheetProperties {
  return { sheetId: sheet.sheetId, title: sheet.title, index: sheet.index, sheetType: "GRID", ...structuredClone(sheet.properties) };
}

/** Grows the grid (as staff adding rows would) so that it holds at least rows × columns. */
export function ensureGridSize(sheet: FakeSheet, rows: number, columns: number): void {
  const grid = { ...sheet.properties.gridProperties };
  grid.rowCount = Math.max(rows, rowCount(sheet));
  grid.columnCount = Math.max(columns, columnCount(sheet));
  sheet.properties.gridProperties = grid;
}

export function getCell(sheet: FakeSheet, row: number, column: number): FakeCell | undefined {
  return sheet.grid[row]?.[column];
}

export function setCell(sheet: FakeSheet, row: number, column: number, cell: FakeCell | undefined): void {
  while (sheet.grid.length <= row) sheet.grid.push([]);
  const cells = sheet.grid[row] ?? [];
  while (cells.length <= column) cells.push(undefined);
  cells[column] = cell !== undefined && isBlank(cell) ? undefined : cell;
}

type TouchRecorder = (sheet: FakeSheet, row: number, column: number) => void;
let recordTouch: TouchRecorder | undefined;

/** Runs `run`, telling `record` about every cell a write addresses (even one left as it was): protections see them. */
export function withTouches<T>(record: TouchRecorder, run: () => T): T {
  const prior = recordTouch;
  recordTouch = record;
  try {
    return run();
  } finally {
    recordTouch = prior;
  }
}

/** Updates one cell through `change`, starting from a copy of the current cell or a blank one. */
export function updateCell(sheet: FakeSheet, row: number, column: number, change: (cell: FakeCell) => void): void {
  recordTouch?.(sheet, row, column);
  const cell: FakeCell = { ...(getCell(sheet, row, column) ?? { value: null }) };
  change(cell);
  setCell(sheet, row, column, cell);
}

export function isBlank(cell: FakeCell): boolean {
  return isEmptyValue(cell) && cell.dataValidation === undefined && cell.format === undefined && cell.note === undefined;
}

export function isEmptyValue(cell: FakeCell | undefined): boolean {
  return cell === undefined || ((cell.value === null || cell.value === "") && cell.formula === undefined && cell.formulaError === undefined);
}

/** Sets the typed value of a cell, dropping any formula or error it had. */
export function writeValue(cell: FakeCell, value: CellValue, formula?: string): void {
  cell.value = value;
  delete cell.formulaError;
  if (formula === undefined) delete cell.formula;
  else cell.formula = formula;
}

const serialEpoch = Date.UTC(1899, 11, 30);

/** Parses input the way the Sheets UI does for USER_ENTERED (en_US locale, ISO dates only). */
export function parseUserEntered(input: string): { value: CellValue; formula?: string } {
  if (input.startsWith("'")) return { value: input.slice(1) };
  if (input.startsWith("=")) return { value: null, formula: input };
  const trimmed = input.trim();
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(trimmed)) return { value: Number(trimmed) };
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)%$/.test(trimmed)) return { value: Number(trimmed.slice(0, -1)) / 100 };
  if (/^(true|false)$/i.test(trimmed)) return { value: trimmed.toLowerCase() === "true" };
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(trimmed);
  if (date) return { value: (Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3])) - serialEpoch) / 86_400_000 };
  return { value: input };
}

const errorTypes: Record<string, string> = {
  "#NULL!": "NULL_VALUE",
  "#DIV/0!": "DIVIDE_BY_ZERO",
  "#VALUE!": "VALUE",
  "#REF!": "REF",
  "#NAME?": "NAME",
  "#NUM!": "NUM",
  "#N/A": "N_A",
  "#ERROR!": "ERROR",
};

export type ValueRenderOption = "FORMATTED_VALUE" | "UNFORMATTED_VALUE" | "FORMULA";

/** What `values.get` returns for a cell: "" for an empty one, the error text for an error. */
export function renderCell(cell: FakeCell | undefined, option: ValueRenderOption): string | number | boolean {
  if (cell === undefined) return "";
  if (option === "FORMULA" && cell.formula !== undefined) return cell.formula;
  if (cell.formulaError !== undefined) return cell.formulaError;
  if (cell.value === null) return "";
  if (option !== "FORMATTED_VALUE") return cell.value;
  return typeof cell.value === "boolean" ? (cell.value ? "TRUE" : "FALSE") : String(cell.value);
}

export function extendedValue(value: CellValue): sheets_v4.Schema$ExtendedValue | undefined {
  if (value === null) return undefined;
  if (typeof value === "string") return { stringValue: value };
  return typeof value === "number" ? { numberValue: value } : { boolValue: value };
}

/** CellData as `spreadsheets.get` with includeGridData shows it. */
export function cellData(cell: FakeCell | undefined): sheets_v4.Schema$CellData {
  if (cell === undefined) return {};
  const data: sheets_v4.Schema$CellData = {};
  const entered = cell.formula !== undefined ? { formulaValue: cell.formula } : extendedValue(cell.value);
  if (entered) data.userEnteredValue = entered;
  const effective = cell.formulaError !== undefined
    ? { errorValue: { type: errorTypes[cell.formulaError] ?? "ERROR", message: `Formula error ${cell.formulaError}` } }
    : extendedValue(cell.value);
  if (effective) {
    data.effectiveValue = effective;
    data.formattedValue = String(renderCell(cell, "FORMATTED_VALUE"));
  }
  if (cell.format) data.userEnteredFormat = structuredClone(cell.format);
  if (cell.dataValidation) data.dataValidation = structuredClone(cell.dataValidation);
  if (cell.note !== undefined) data.note = cell.note;
  return data;
}

/** The stored cell for a CellData's userEnteredValue (ExtendedValue is already typed: no parsing). */
export function valueFromExtended(entered: sheets_v4.Schema$ExtendedValue | undefined): { value: CellValue; formula?: string } {
  if (entered?.formulaValue != null) return { value: null, formula: entered.formulaValue };
  if (entered?.stringValue != null) return { value: entered.stringValue };
  if (entered?.numberValue != null) return { value: entered.numberValue };
  if (entered?.boolValue != null) return { value: entered.boolValue };
  return { value: null };
}

export function findSheetByTitle(spreadsheet: FakeSpreadsheet, title: string): FakeSheet | undefined {
  return spreadsheet.sheets.find((sheet) => sheet.title === title);
}

export function findSheetById(spreadsheet: FakeSpreadsheet, sheetId: number, requestName: string): FakeSheet {
  const sheet = spreadsheet.sheets.find((candidate) => candidate.sheetId === sheetId);
  if (!sheet) throw invalidArgument(`Invalid requests[0].${requestName}: No grid with id: ${sheetId}`);
  return sheet;
}

/** Resolves A1 text against the spreadsheet; a bare "A1:B2" means the first sheet, as in the real API. */
export function resolveA1(spreadsheet: FakeSpreadsheet, range: string, options: { checkGrid: boolean }): ResolvedRange {
  const { title, cells } = splitRange(range);
  let sheet = title === undefined ? undefined : findSheetByTitle(spreadsheet, title);
  let rect: CellRect | undefined;
  if (title === undefined) {
    sheet = cells === undefined ? undefined : findSheetByTitle(spreadsheet, cells);
    if (!sheet && cells !== undefined && (rect = parseCells(cells))) sheet = spreadsheet.sheets[0];
  } else if (cells !== undefined) {
    rect = parseCells(cells);
    if (!rect) throw unparsable(range);
  }
  if (!sheet) throw unparsable(range);
  rect ??= { startRow: 0, startColumn: 0, endRow: undefined, endColumn: undefined };
  const rows = rowCount(sheet);
  const columns = columnCount(sheet);
  const resolved: ResolvedRange = {
    sheet,
    startRow: rect.startRow,
    startColumn: rect.startColumn,
    endRow: rect.endRow ?? rows,
    endColumn: rect.endColumn ?? columns,
  };
  if (options.checkGrid && (resolved.endRow > rows || resolved.endColumn > columns || resolved.startRow >= rows || resolved.startColumn >= columns)) {
    throw invalidArgument(`Range (${formatResolved(resolved)}) exceeds grid limits. Max rows: ${rows}, max columns: ${columns}`);
  }
  return resolved;
}

export function formatResolved(range: ResolvedRange): string {
  return formatRange(range.sheet.title, range.startRow, range.startColumn, range.endRow, range.endColumn);
}

/** A GridRange as a resolved rectangle; unbounded sides run to the grid's edge. */
export function resolveGridRange(spreadsheet: FakeSpreadsheet, range: sheets_v4.Schema$GridRange | undefined, requestName: string): ResolvedRange {
  const sheet = findSheetById(spreadsheet, range?.sheetId ?? 0, requestName);
  const resolved: ResolvedRange = {
    sheet,
    startRow: range?.startRowIndex ?? 0,
    startColumn: range?.startColumnIndex ?? 0,
    endRow: range?.endRowIndex ?? rowCount(sheet),
    endColumn: range?.endColumnIndex ?? columnCount(sheet),
  };
  checkInGrid(resolved, requestName);
  return resolved;
}

export function checkInGrid(range: ResolvedRange, requestName: string): void {
  const rows = rowCount(range.sheet);
  const columns = columnCount(range.sheet);
  if (range.endRow > rows) {
    throw invalidArgument(`Invalid requests[0].${requestName}: GridCoordinate.rowIndex[${range.endRow - 1}] is after last row in grid[${rows - 1}]`);
  }
  if (range.endColumn > columns) {
    throw invalidArgument(`Invalid requests[0].${requestName}: GridCoordinate.columnIndex[${range.endColumn - 1}] is after last column in grid[${columns - 1}]`);
  }
  if (range.startRow < 0 || range.startColumn < 0 || range.endRow < range.startRow || range.endColumn < range.startColumn) {
    throw invalidArgument(`Invalid requests[0].${requestName}: Invalid range.`);
  }
}
