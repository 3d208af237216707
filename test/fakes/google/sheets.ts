/** The fake Sheets v4 API: spreadsheets.create/get/batchUpdate and the values endpoints, plus helpers for tests. */
import type { sheets_v4 } from "@googleapis/sheets";
import { type FakeRequest, type FakeResponse, clone, decodeSegment, ok, queryBoolean, queryList, queryValue, randomFileId, randomIntId, readJson } from "./common.js";
import type { FakeDrive } from "./drive.js";
import { GoogleApiError, notFound } from "./errors.js";
import { type Identity, hasScope, scopes } from "./identities.js";
import { selectResponse } from "./field-mask.js";
import { applyRequests, newSheet } from "./sheets-batch.js";
import { spreadsheetSchema } from "./sheets-read.js";
import { type Editor, type Touch, checkProtectedEdits, newProtection } from "./sheets-protection.js";
import {
  type CellValue,
  type FakeSpreadsheet,
  type ResolvedRange,
  ensureGridSize,
  findSheetByTitle,
  getCell,
  resolveA1,
  updateCell,
  valueFromExtended,
  withTouches,
  writeValue,
} from "./sheets-model.js";
import { type SpreadsheetStore, appendValues, batchClearValues, batchGet, batchUpdateValues, clearValues, getValues, readValueRange, updateValues } from "./sheets-values.js";

export const spreadsheetMimeType = "application/vnd.google-apps.spreadsheet";

/** Sheets' answer to a caller without access (not shared, read-only role, drive.file without the app's grant, no storage to create). */
function permissionDenied(): GoogleApiError {
  return new GoogleApiError(403, "The caller does not have permission", { reason: "forbidden" });
}

const fullSheetsScopes = [scopes.spreadsheets, scopes.spreadsheetsReadonly, scopes.drive, scopes.driveReadonly];

export class FakeSheets implements SpreadsheetStore {
  private readonly spreadsheets = new Map<string, FakeSpreadsheet>();
  /** Who edits during an API request (Drive records them as lastModifyingUser; protections apply); helpers edit as staff. */
  private editor: string | undefined;

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

  /** The copy Drive's files.copy makes of a spreadsheet (a template kept in the drive). */
  copy(fromId: string, toId: string, title: string): void {
    const copy = clone(this.read(fromId));
    copy.spreadsheetId = toId;
    copy.properties = { ...copy.properties, title };
    this.spreadsheets.set(toId, copy);
  }

  /** Writes rows at `a1` as if staff typed them (null leaves a blank cell); grows the grid; bumps the Drive version. */
  setValues(id: string, tab: string, a1: string, rows: Array<Array<CellValue>>): void {
    this.mutate(id, (spreadsheet) => this.typeIn(spreadsheet, tab, a1, rows));
  }

  /**
   * Types rows in the browser as `email`: protections apply (a cell `email` may not edit is refused with a
   * 400 INVALID_ARGUMENT GoogleApiError, as Sheets answers, not a 403) and Drive records `email` as the last
   * modifying user.
   */
  typeAs(email: string, id: string, tab: string, a1: string, rows: Array<Array<CellValue>>): void {
    this.editor = email;
    try {
      this.setValues(id, tab, a1, rows);
    } finally {
      this.editor = undefined;
    }
  }

  /** The caller as protections see it: their email and the file's owners (who can always edit). */
  private editorOf(id: string, email: string): Editor {
    return { email, owners: this.drive.file(id)?.owners ?? [] };
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
    const before = this.read(id);
    const copy = clone(before);
    const touched: Touch[] = [];
    const result = withTouches((sheet, row, column) => touched.push({ sheetId: sheet.sheetId, row, column }), () => change(copy));
    if (this.editor !== undefined) checkProtectedEdits(before, copy, this.editorOf(id, this.editor), touched);
    this.spreadsheets.set(id, copy);
    if (this.editor === undefined) this.drive.touch(id);
    else this.drive.touch(id, this.editor);
    return result;
  }

  private resolve(spreadsheet: FakeSpreadsheet, tab: string, a1: string | undefined): ResolvedRange {
    const sheet = findSheetByTitle(spreadsheet, tab);
    if (!sheet) throw new Error(`No tab "${tab}" in spreadsheet ${spreadsheet.spreadsheetId}; tabs: ${spreadsheet.sheets.map((s) => s.title).join(", ")}`);
    const quoted = `'${sheet.title.replace(/'/g, "''")}'`;
    return resolveA1(spreadsheet, a1 === undefined ? quoted : `${quoted}!${a1}`, { checkGrid: false });
  }

  /** Routes a request whose path starts after "v4/", as the caller's identity. */
  handle(request: FakeRequest): FakeResponse | undefined {
    this.editor = request.identity.email;
    try {
      return this.route(request);
    } finally {
      this.editor = undefined;
    }
  }

  /** Google checks access per file: the caller's Drive role, and for a drive.file-only token the app's grant. */
  private authorize(identity: Identity, id: string, write: boolean): void {
    this.read(id);
    const role = this.drive.roleOf(identity, id);
    if (role === undefined || (write && (role === "reader" || role === "commenter"))) throw permissionDenied();
    if (!hasScope(identity, ...fullSheetsScopes) && !this.drive.file(id)?.appAuthorized.includes(identity.email)) throw permissionDenied();
  }

  private route(request: FakeRequest): FakeResponse | undefined {
    const [collection, rawId, ...rest] = request.segments;
    if (collection !== "spreadsheets") return undefined;
    if (rawId === undefined) return request.method === "POST" ? this.createFromApi(request) : undefined;
    const [idPart, action] = decodeSegment(rawId).split(":");
    const id = idPart ?? "";
    this.authorize(request.identity, id, request.method !== "GET" && !/ByDataFilter$/.test(request.segments.join("/")));
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
    const title = body.properties?.title ?? "Untitled spreadsheet";
    const id = this.createDriveFile(request.identity, title);
    const spreadsheet = this.createEmpty(id, title, []);
    spreadsheet.properties = { ...spreadsheet.properties, ...clone(body.properties), title };
    const taken = new Set<number>();
    const sheets = body.sheets && body.sheets.length > 0 ? body.sheets : [{ properties: { title: "Sheet1" } }];
    for (const given of sheets) {
      const sheet = newSheet(spreadsheet, given.properties ?? {}, "addSheet");
      sheet.protectedRanges = (given.protectedRanges ?? []).map((range) => {
        const stored = newProtection(range, request.identity.email, "addSheet");
        stored.protectedRangeId ??= randomIntId(taken);
        taken.add(stored.protectedRangeId);
        return { ...stored, range: { ...stored.range, sheetId: sheet.sheetId } };
      });
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
    return ok(spreadsheetSchema(spreadsheet, false, [], this.editorOf(id, request.identity.email)));
  }

  /** spreadsheets.create puts the file in the caller's My Drive: a service account has none, and Sheets says only "no permission". */
  private createDriveFile(identity: Identity, title: string): string {
    try {
      return this.drive.createFileAs(identity, { name: title, mimeType: spreadsheetMimeType }).id;
    } catch (error) {
      if (error instanceof GoogleApiError && error.reason === "storageQuotaExceeded") throw permissionDenied();
      throw error;
    }
  }

  private getSpreadsheet(id: string, request: FakeRequest): FakeResponse {
    const spreadsheet = this.read(id);
    const body = spreadsheetSchema(spreadsheet, queryBoolean(request.query, "includeGridData"), queryList(request.query, "ranges"), this.editorOf(id, request.identity.email));
    return ok(selectResponse(body, queryValue(request.query, "fields")));
  }

  private batchUpdate(id: string, request: FakeRequest): FakeResponse {
    const body = readJson<sheets_v4.Schema$BatchUpdateSpreadsheetRequest>(request);
    const replies = this.mutate(id, (spreadsheet) => applyRequests(spreadsheet, body.requests ?? [], { requester: request.identity.email }));
    const response: sheets_v4.Schema$BatchUpdateSpreadsheetResponse = { spreadsheetId: id, replies };
    if (body.includeSpreadsheetInResponse) response.updatedSpreadsheet = spreadsheetSchema(this.read(id), body.responseIncludeGridData ?? false, body.responseRanges ?? [], this.editorOf(id, request.identity.email));
    return ok(response);
  }
}
