/** The fake Sheets v4 API: spreadsheets.create/get/batchUpdate and the values endpoints, plus helpers for tests. */
import type { sheets_v4 } from "@googleapis/sheets";
import { type FakeRequest, type FakeResponse, clone, decodeSegment, ok, queryBoolean, queryList, queryValue, randomFileId, readJson } from "./common.js";
import type { FakeDrive } from "./drive.js";
import { notFound } from "./errors.js";
import { selectResponse } from "./field-mask.js";
import { applyRequests, newSheet } from "./sheets-batch.js";
import {
  type CellValue,
  type FakeSpreadsheet,
  type ResolvedRange,
  cellData,
  ensureGridSize,
  findSheetByTitle,
  getCell,
  resolveA1,
  sheetProperties,
  updateCell,
  valueFromExtended,
  writeValue,
} from "./sheets-model.js";
import { type SpreadsheetStore, appendValues, batchClearValues, batchGet, batchUpdateValues, clearValues, getValues, readValueRange, updateValues } from "./sheets-values.js";

export const spreadsheetMimeType = "application/vnd.google-apps.spreadsheet";

export class FakeSheets implements SpreadsheetStore {
  private readonly spreadsheets = new Map<string, FakeSpreadsheet>();

  constructor(private readonly drive: FakeDrive) {}

  /** Creates a spreadsheet with one tab per entry (rows typed in as given) and its Drive file; returns the id. */
  create(title: string, tabs: Record<string, Array<Array<CellValue>>>, options: { parents?: string[] } = {}): string {
    const id = randomFileId(44);
    this.createEmpty(id, title, Object.keys(tabs).length > 0 ? Object.keys(tabs) : ["Sheet1"]);
    const spreadsheet = this.read(id);
    for (const [tab, rows] of Object.entries(tabs)) this.typeIn(spreadsheet, tab, "A1", rows);
    this.drive.registerFile({ id, name: title, mimeType: spreadsheetMimeType, parents: options.parents ?? ["root"] });
    return id;
  }

  /** The spreadsheet behind a Drive file created with the spreadsheet mime type. */
  createEmpty(id: string, title: string, tabs: string[] = ["Sheet1"]): FakeSpreadsheet {
    const spreadsheet: FakeSpreadsheet = { spreadsheetId: id, properties: { title, locale: "en_US", timeZone: "Etc/GMT", autoRecalc: "ON_CHANGE" }, sheets: [] };
    for (const tab of tabs) newSheet(spreadsheet, { title: tab }, "addSheet");
    this.spreadsheets.set(id, spreadsheet);
    return spreadsheet;
  }

  /** Writes rows at `a1` as if staff typed them (null leaves a blank cell); grows the grid; bumps the Drive version. */
  setValues(id: string, tab: string, a1: string, rows: Array<Array<CellValue>>): void {
    this.mutate(id, (spreadsheet) => this.typeIn(spreadsheet, tab, a1, rows));
  }

  private typeIn(spreadsheet: FakeSpreadsheet, tab: string, a1: string, rows: Array<Array<CellValue>>): void {
    const start = this.resolve(spreadsheet, tab, a1);
    ensureGridSize(start.sheet, start.startRow + rows.length, start.startColumn + Math.max(0, ...rows.map((row) => row.length)));
    rows.forEach((row, r) => row.forEach((value, c) => updateCell(start.sheet, start.startRow + r, start.startColumn + c, (cell) => writeValue(cell, value))));
  }

  /** Makes one cell show a formula error ("#REF!", "#N/A", …), as a broken formula would; bumps the Drive version. */
  setFormulaError(id: string, tab: string, a1: string, error: string): void {
    this.mutate(id, (spreadsheet) => {
      const cell = this.resolve(spreadsheet, tab, a1);
      updateCell(cell.sheet, cell.startRow, cell.startColumn, (stored) => {
        writeValue(stored, null, "=ERROR()");
        stored.formulaError = error;
      });
    });
  }

  /** The tab's values as `values.batchGet` with UNFORMATTED_VALUE returns them (trimmed; "" for blank cells inside a row). */
  values(id: string, tab: string): Array<Array<string | number | boolean>> {
    const range = this.resolve(this.read(id), tab, undefined);
    return (readValueRange(range, "UNFORMATTED_VALUE", "ROWS").values ?? []) as Array<Array<string | number | boolean>>;
  }

  sheetTitles(id: string): string[] {
    return this.read(id).sheets.map((sheet) => sheet.title);
  }

  protectedRanges(id: string, tab: string): sheets_v4.Schema$ProtectedRange[] {
    return clone(this.resolve(this.read(id), tab, undefined).sheet.protectedRanges);
  }

  dataValidation(id: string, tab: string, a1: string): sheets_v4.Schema$DataValidationRule | undefined {
    const cell = this.resolve(this.read(id), tab, a1);
    return clone(getCell(cell.sheet, cell.startRow, cell.startColumn)?.dataValidation);
  }

  /** The live state (mutating it bypasses version bumps). */
  get(id: string): FakeSpreadsheet {
    return this.read(id);
  }

  has(id: string): boolean {
    return this.spreadsheets.has(id);
  }

  read(id: string): FakeSpreadsheet {
    const spreadsheet = this.spreadsheets.get(id);
    if (!spreadsheet) throw notFound("Requested entity was not found.");
    return spreadsheet;
  }

  mutate<T>(id: string, change: (spreadsheet: FakeSpreadsheet) => T): T {
    const copy = clone(this.read(id));
    const result = change(copy);
    this.spreadsheets.set(id, copy);
    this.drive.touch(id);
    return result;
  }

  private resolve(spreadsheet: FakeSpreadsheet, tab: string, a1: string | undefined): ResolvedRange {
    const sheet = findSheetByTitle(spreadsheet, tab);
    if (!sheet) throw new Error(`No tab "${tab}" in spreadsheet ${spreadsheet.spreadsheetId}; tabs: ${spreadsheet.sheets.map((s) => s.title).join(", ")}`);
    const quoted = `'${sheet.title.replace(/'/g, "''")}'`;
    return resolveA1(spreadsheet, a1 === undefined ? quoted : `${quoted}!${a1}`, { checkGrid: false });
  }

  /** Routes a request whose path starts after "v4/". */
  handle(request: FakeRequest): FakeResponse | undefined {
    const [collection, rawId, ...rest] = request.segments;
    if (collection !== "spreadsheets") return undefined;
    if (rawId === undefined) return request.method === "POST" ? this.createFromApi(request) : undefined;
    const [idPart, action] = decodeSegment(rawId).split(":");
    const id = idPart ?? "";
    if (rest.length === 0) {
      if (request.method === "GET" && action === undefined) return this.getSpreadsheet(id, request);
      if (request.method === "POST" && action === "batchUpdate") return this.batchUpdate(id, request);
      return undefined;
    }
    const [values, rawRange, ...extra] = rest;
    if (extra.length > 0) return undefined;
    if (values === "values:batchGet" && request.method === "GET") return batchGet(this, id, request);
    if (values === "values:batchUpdate" && request.method === "POST") return batchUpdateValues(this, id, request);
    if (values === "values:batchClear" && request.method === "POST") return batchClearValues(this, id, request);
    if (values !== "values" || rawRange === undefined) return undefined;
    const suffix = /:(append|clear)$/.exec(rawRange);
    const range = decodeSegment(suffix ? rawRange.slice(0, suffix.index) : rawRange);
    if (suffix?.[1] === "append" && request.method === "POST") return appendValues(this, id, range, request);
    if (suffix?.[1] === "clear" && request.method === "POST") return clearValues(this, id, range);
    if (suffix) return undefined;
    if (request.method === "GET") return getValues(this, id, range, request);
    if (request.method === "PUT") return updateValues(this, id, range, request);
    return undefined;
  }

  private createFromApi(request: FakeRequest): FakeResponse {
    const body = readJson<sheets_v4.Schema$Spreadsheet>(request);
    const id = randomFileId(44);
    const title = body.properties?.title ?? "Untitled spreadsheet";
    const spreadsheet = this.createEmpty(id, title, []);
    spreadsheet.properties = { ...spreadsheet.properties, ...clone(body.properties), title };
    const sheets = body.sheets && body.sheets.length > 0 ? body.sheets : [{ properties: { title: "Sheet1" } }];
    for (const given of sheets) {
      const sheet = newSheet(spreadsheet, given.properties ?? {}, "addSheet");
      sheet.protectedRanges = clone(given.protectedRanges ?? []);
      for (const grid of given.data ?? []) {
        grid.rowData?.forEach((row, r) =>
          row.values?.forEach((data, c) =>
            updateCell(sheet, (grid.startRow ?? 0) + r, (grid.startColumn ?? 0) + c, (cell) => {
              const { value, formula } = valueFromExtended(data.userEnteredValue);
              writeValue(cell, value, formula);
              if (data.dataValidation) cell.dataValidation = clone(data.dataValidation);
            }),
          ),
        );
      }
    }
    this.drive.registerFile({ id, name: title, mimeType: spreadsheetMimeType, parents: ["root"] });
    return ok(this.toSchema(spreadsheet, false, []));
  }

  private getSpreadsheet(id: string, request: FakeRequest): FakeResponse {
    const spreadsheet = this.read(id);
    const body = this.toSchema(spreadsheet, queryBoolean(request.query, "includeGridData"), queryList(request.query, "ranges"));
    return ok(selectResponse(body, queryValue(request.query, "fields")));
  }

  private batchUpdate(id: string, request: FakeRequest): FakeResponse {
    const body = readJson<sheets_v4.Schema$BatchUpdateSpreadsheetRequest>(request);
    const replies = this.mutate(id, (spreadsheet) => applyRequests(spreadsheet, body.requests ?? []));
    const response: sheets_v4.Schema$BatchUpdateSpreadsheetResponse = { spreadsheetId: id, replies };
    if (body.includeSpreadsheetInResponse) response.updatedSpreadsheet = this.toSchema(this.read(id), body.responseIncludeGridData ?? false, body.responseRanges ?? []);
    return ok(response);
  }

  private toSchema(spreadsheet: FakeSpreadsheet, includeGridData: boolean, ranges: string[]): sheets_v4.Schema$Spreadsheet {
    const resolved = ranges.map((range) => resolveA1(spreadsheet, range, { checkGrid: true }));
    const sheets = spreadsheet.sheets
      .filter((sheet) => ranges.length === 0 || resolved.some((range) => range.sheet.sheetId === sheet.sheetId))
      .map((sheet) => {
        const schema: sheets_v4.Schema$Sheet = { properties: sheetProperties(sheet) };
        if (sheet.protectedRanges.length > 0) schema.protectedRanges = clone(sheet.protectedRanges);
        if (sheet.merges.length > 0) schema.merges = clone(sheet.merges);
        if (sheet.basicFilter) schema.basicFilter = clone(sheet.basicFilter);
        if (includeGridData) {
          const own = resolved.filter((range) => range.sheet.sheetId === sheet.sheetId);
          const wanted = ranges.length === 0 ? [resolveA1(spreadsheet, `'${sheet.title.replace(/'/g, "''")}'`, { checkGrid: false })] : own;
          schema.data = wanted.map((range) => gridData(range));
        }
        return schema;
      });
    return {
      spreadsheetId: spreadsheet.spreadsheetId,
      properties: clone(spreadsheet.properties),
      sheets,
      spreadsheetUrl: `https://docs.google.com/spreadsheets/d/${spreadsheet.spreadsheetId}/edit`,
    };
  }
}

/** GridData as the API returns it: trailing blank cells and rows left out, zero offsets omitted. */
function gridData(range: ResolvedRange): sheets_v4.Schema$GridData {
  const rowData: sheets_v4.Schema$RowData[] = [];
  const lastRow = Math.min(range.endRow, range.sheet.grid.length);
  for (let r = range.startRow; r < lastRow; r++) {
    const values: sheets_v4.Schema$CellData[] = [];
    const lastColumn = Math.min(range.endColumn, range.sheet.grid[r]?.length ?? 0);
    for (let c = range.startColumn; c < lastColumn; c++) values.push(cellData(getCell(range.sheet, r, c)));
    while (values.length > 0 && Object.keys(values[values.length - 1] ?? {}).length === 0) values.pop();
    rowData.push(values.length > 0 ? { values } : {});
  }
  while (rowData.length > 0 && rowData[rowData.length - 1]?.values === undefined) rowData.pop();
  const data: sheets_v4.Schema$GridData = {};
  if (range.startRow > 0) data.startRow = range.startRow;
  if (range.startColumn > 0) data.startColumn = range.startColumn;
  if (rowData.length > 0) data.rowData = rowData;
  return data;
}
