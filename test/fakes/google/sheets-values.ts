/** spreadsheets.values.*: batchGet, get, update, append, clear, batchUpdate, batchClear. */
import type { sheets_v4 } from "@googleapis/sheets";
import { type FakeRequest, type FakeResponse, ok, queryList, queryValue, readJson } from "./common.js";
import { invalidArgument } from "./errors.js";
import { columnName } from "./sheets-a1.js";
import {
  type CellValue,
  type FakeSpreadsheet,
  type ResolvedRange,
  type ValueRenderOption,
  ensureGridSize,
  formatResolved,
  getCell,
  isEmptyValue,
  parseUserEntered,
  renderCell,
  resolveA1,
  rowCount,
  updateCell,
  writeValue,
} from "./sheets-model.js";

/** What the values handlers need from the spreadsheet store. */
export interface SpreadsheetStore {
  read(id: string): FakeSpreadsheet;
  /** Runs `change` on a copy and keeps it only when it returns (all-or-nothing); bumps the Drive version. */
  mutate<T>(id: string, change: (spreadsheet: FakeSpreadsheet) => T): T;
}

type Rendered = string | number | boolean;
type Dimension = "ROWS" | "COLUMNS";

export function readValueRange(range: ResolvedRange, render: ValueRenderOption, dimension: Dimension): sheets_v4.Schema$ValueRange {
  const rows: Rendered[][] = [];
  const lastRow = Math.min(range.endRow, range.sheet.grid.length);
  for (let r = range.startRow; r < lastRow; r++) {
    const row: Rendered[] = [];
    const lastColumn = Math.min(range.endColumn, range.sheet.grid[r]?.length ?? 0);
    for (let c = range.startColumn; c < lastColumn; c++) row.push(renderCell(getCell(range.sheet, r, c), render));
    rows.push(trimEnd(row));
  }
  const values = trimRows(dimension === "COLUMNS" ? transpose(rows) : rows);
  return { range: formatResolved(range), majorDimension: dimension, ...(values.length > 0 ? { values } : {}) };
}

function trimEnd(row: Rendered[]): Rendered[] {
  let end = row.length;
  while (end > 0 && row[end - 1] === "") end--;
  return row.slice(0, end);
}

function trimRows(rows: Rendered[][]): Rendered[][] {
  let end = rows.length;
  while (end > 0 && (rows[end - 1]?.length ?? 0) === 0) end--;
  return rows.slice(0, end);
}

function transpose(rows: Rendered[][]): Rendered[][] {
  const width = Math.max(0, ...rows.map((row) => row.length));
  return Array.from({ length: width }, (_, c) => trimEnd(rows.map((row) => row[c] ?? "")));
}

function renderOption(request: FakeRequest): ValueRenderOption {
  const option = queryValue(request.query, "valueRenderOption") ?? "FORMATTED_VALUE";
  if (option !== "FORMATTED_VALUE" && option !== "UNFORMATTED_VALUE" && option !== "FORMULA") {
    throw invalidArgument(`Invalid value at 'value_render_option' (${option})`);
  }
  return option;
}

function dimensionOf(value: string | null | undefined): Dimension {
  const dimension = value ?? "ROWS";
  if (dimension !== "ROWS" && dimension !== "COLUMNS") throw invalidArgument(`Invalid value at 'major_dimension' (${dimension})`);
  return dimension;
}

export function batchGet(store: SpreadsheetStore, id: string, request: FakeRequest): FakeResponse {
  const spreadsheet = store.read(id);
  const render = renderOption(request);
  const dimension = dimensionOf(queryValue(request.query, "majorDimension"));
  const valueRanges = queryList(request.query, "ranges").map((range) =>
    readValueRange(resolveA1(spreadsheet, range, { checkGrid: true }), render, dimension),
  );
  const body: sheets_v4.Schema$BatchGetValuesResponse = { spreadsheetId: id, valueRanges };
  return ok(body);
}

export function getValues(store: SpreadsheetStore, id: string, range: string, request: FakeRequest): FakeResponse {
  const resolved = resolveA1(store.read(id), range, { checkGrid: true });
  const body: sheets_v4.Schema$ValueRange = readValueRange(resolved, renderOption(request), dimensionOf(queryValue(request.query, "majorDimension")));
  return ok(body);
}

type InputOption = "RAW" | "USER_ENTERED";

function inputOption(value: string | null | undefined): InputOption {
  if (value === undefined || value === null) throw invalidArgument("'valueInputOption' is required but not specified");
  if (value !== "RAW" && value !== "USER_ENTERED") throw invalidArgument(`Invalid value at 'value_input_option' (${value})`);
  return value;
}

/** One input cell: null skips the cell (as in the real API); "" clears it. */
function toStored(raw: unknown, option: InputOption): { value: CellValue; formula?: string } | undefined {
  if (raw === null || raw === undefined) return undefined;
  if (typeof raw === "number" || typeof raw === "boolean") return { value: raw };
  if (typeof raw !== "string") throw invalidArgument(`Invalid values: ${JSON.stringify(raw)} is not a string, number or boolean`);
  if (raw === "") return { value: null };
  return option === "RAW" ? { value: raw } : parseUserEntered(raw);
}

function toRows(values: unknown, dimension: Dimension): unknown[][] {
  if (values === undefined || values === null) return [];
  if (!Array.isArray(values) || !values.every((row) => Array.isArray(row))) throw invalidArgument("Invalid values: expected an array of arrays");
  const rows = values as unknown[][];
  if (dimension === "ROWS") return rows;
  const height = Math.max(0, ...rows.map((column) => column.length));
  return Array.from({ length: height }, (_, r) => rows.map((column) => column[r] ?? null));
}

/** Writes rows at the range's top-left corner; a multi-cell range bounds the data, a single cell only anchors it. */
export function writeRows(range: ResolvedRange, rows: unknown[][], option: InputOption, bounded: boolean): sheets_v4.Schema$UpdateValuesResponse {
  const width = Math.max(0, ...rows.map((row) => row.length));
  if (bounded && rows.length > range.endRow - range.startRow) {
    throw invalidArgument(`Requested writing within range [${formatResolved(range)}], but tried writing to row [${range.startRow + rows.length}]`);
  }
  if (bounded && width > range.endColumn - range.startColumn) {
    throw invalidArgument(`Requested writing within range [${formatResolved(range)}], but tried writing to column [${columnName(range.startColumn + width - 1)}]`);
  }
  const written = { ...range, endRow: range.startRow + rows.length, endColumn: range.startColumn + width };
  if (written.endRow > rowCount(range.sheet) || written.endColumn > (range.sheet.properties.gridProperties?.columnCount ?? 26)) {
    const limits = `Max rows: ${rowCount(range.sheet)}, max columns: ${range.sheet.properties.gridProperties?.columnCount ?? 26}`;
    throw invalidArgument(`Range (${formatResolved(written)}) exceeds grid limits. ${limits}`);
  }
  let cells = 0;
  const touchedRows = new Set<number>();
  const touchedColumns = new Set<number>();
  rows.forEach((row, r) =>
    row.forEach((raw, c) => {
      const stored = toStored(raw, option);
      if (!stored) return;
      updateCell(range.sheet, range.startRow + r, range.startColumn + c, (cell) => writeValue(cell, stored.value, stored.formula));
      cells++;
      touchedRows.add(r);
      touchedColumns.add(c);
    }),
  );
  if (cells === 0) return { spreadsheetId: "" };
  return { spreadsheetId: "", updatedRange: formatResolved(written), updatedRows: touchedRows.size, updatedColumns: touchedColumns.size, updatedCells: cells };
}

function isSingleCell(range: ResolvedRange): boolean {
  return range.endRow - range.startRow === 1 && range.endColumn - range.startColumn === 1;
}

export function updateValues(store: SpreadsheetStore, id: string, range: string, request: FakeRequest): FakeResponse {
  const option = inputOption(queryValue(request.query, "valueInputOption"));
  const body = readJson<sheets_v4.Schema$ValueRange>(request);
  const result = store.mutate(id, (spreadsheet) => {
    const resolved = resolveA1(spreadsheet, range, { checkGrid: false });
    return writeRows(resolved, toRows(body.values, dimensionOf(body.majorDimension)), option, !isSingleCell(resolved));
  });
  return ok({ ...result, spreadsheetId: id } satisfies sheets_v4.Schema$UpdateValuesResponse);
}

export function batchUpdateValues(store: SpreadsheetStore, id: string, request: FakeRequest): FakeResponse {
  const body = readJson<sheets_v4.Schema$BatchUpdateValuesRequest>(request);
  const option = inputOption(body.valueInputOption);
  const responses = store.mutate(id, (spreadsheet) =>
    (body.data ?? []).map((valueRange) => {
      const resolved = resolveA1(spreadsheet, valueRange.range ?? "", { checkGrid: false });
      const rows = toRows(valueRange.values, dimensionOf(valueRange.majorDimension));
      return { ...writeRows(resolved, rows, option, !isSingleCell(resolved)), spreadsheetId: id, sheet: resolved.sheet.sheetId };
    }),
  );
  const result: sheets_v4.Schema$BatchUpdateValuesResponse = {
    spreadsheetId: id,
    totalUpdatedRows: sum(responses.map((r) => r.updatedRows)),
    totalUpdatedColumns: sum(responses.map((r) => r.updatedColumns)),
    totalUpdatedCells: sum(responses.map((r) => r.updatedCells)),
    totalUpdatedSheets: new Set(responses.filter((r) => (r.updatedCells ?? 0) > 0).map((r) => r.sheet)).size,
    responses: responses.map(({ sheet: _sheet, ...response }) => response),
  };
  return ok(result);
}

function sum(values: Array<number | null | undefined>): number {
  return values.reduce<number>((total, value) => total + (value ?? 0), 0);
}

/** Appends after the last row with a value in the range's columns (the "table"), growing the grid as needed. */
export function appendValues(store: SpreadsheetStore, id: string, range: string, request: FakeRequest): FakeResponse {
  const option = inputOption(queryValue(request.query, "valueInputOption"));
  const body = readJson<sheets_v4.Schema$ValueRange>(request);
  const result = store.mutate(id, (spreadsheet) => {
    const resolved = resolveA1(spreadsheet, range, { checkGrid: true });
    const { sheet } = resolved;
    let lastRow = -1;
    let firstRow = -1;
    for (let r = resolved.startRow; r < sheet.grid.length; r++) {
      for (let c = resolved.startColumn; c < resolved.endColumn; c++) {
        if (!isEmptyValue(getCell(sheet, r, c))) {
          lastRow = r;
          if (firstRow === -1) firstRow = r;
          break;
        }
      }
    }
    const rows = toRows(body.values, dimensionOf(body.majorDimension));
    const start = lastRow === -1 ? resolved.startRow : lastRow + 1;
    const width = Math.max(0, ...rows.map((row) => row.length));
    ensureGridSize(sheet, start + rows.length, resolved.startColumn + width);
    const target: ResolvedRange = { sheet, startRow: start, startColumn: resolved.startColumn, endRow: start + rows.length, endColumn: resolved.startColumn + width };
    const updates = { ...writeRows(target, rows, option, false), spreadsheetId: id };
    const tableRange = firstRow === -1 ? undefined : formatResolved({ ...resolved, startRow: firstRow, endRow: lastRow + 1 });
    return { spreadsheetId: id, updates, ...(tableRange === undefined ? {} : { tableRange }) } satisfies sheets_v4.Schema$AppendValuesResponse;
  });
  return ok(result);
}

function clearRange(range: ResolvedRange): void {
  const lastRow = Math.min(range.endRow, range.sheet.grid.length);
  for (let r = range.startRow; r < lastRow; r++) {
    for (let c = range.startColumn; c < range.endColumn; c++) {
      if (getCell(range.sheet, r, c)) updateCell(range.sheet, r, c, (cell) => writeValue(cell, null));
    }
  }
}

export function clearValues(store: SpreadsheetStore, id: string, range: string): FakeResponse {
  const clearedRange = store.mutate(id, (spreadsheet) => {
    const resolved = resolveA1(spreadsheet, range, { checkGrid: true });
    clearRange(resolved);
    return formatResolved(resolved);
  });
  return ok({ spreadsheetId: id, clearedRange } satisfies sheets_v4.Schema$ClearValuesResponse);
}

export function batchClearValues(store: SpreadsheetStore, id: string, request: FakeRequest): FakeResponse {
  const body = readJson<sheets_v4.Schema$BatchClearValuesRequest>(request);
  const clearedRanges = store.mutate(id, (spreadsheet) =>
    (body.ranges ?? []).map((range) => {
      const resolved = resolveA1(spreadsheet, range, { checkGrid: true });
      clearRange(resolved);
      return formatResolved(resolved);
    }),
  );
  return ok({ spreadsheetId: id, clearedRanges } satisfies sheets_v4.Schema$BatchClearValuesResponse);
}
