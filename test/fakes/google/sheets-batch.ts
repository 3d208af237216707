/** spreadsheets.batchUpdate: the request kinds the service uses; any other kind is refused by name. */
import type { sheets_v4 } from "@googleapis/sheets";
import { randomIntId } from "./common.js";
import { GoogleApiError, invalidArgument } from "./errors.js";
import { applyUpdateMask, updateMaskPaths } from "./field-mask.js";
import { newProtection } from "./sheets-protection.js";
import {
  type FakeCell,
  type FakeSheet,
  type FakeSpreadsheet,
  type ResolvedRange,
  checkInGrid,
  findSheetById,
  resolveGridRange,
  rowCount,
  columnCount,
  ensureGridSize,
  isEmptyValue,
  sheetProperties,
  updateCell,
  valueFromExtended,
  writeValue,
} from "./sheets-model.js";

type Requests = Required<sheets_v4.Schema$Request>;
/** Who sends the batch (the requester of a new protection joins its editors). */
interface BatchContext {
  requester: string;
}
type Handler<K extends keyof Requests> = (spreadsheet: FakeSpreadsheet, request: Requests[K], context: BatchContext) => sheets_v4.Schema$Response;
type Handlers = { [K in keyof Requests]?: Handler<K> };

export function newSheet(spreadsheet: FakeSpreadsheet, properties: sheets_v4.Schema$SheetProperties, requestName: string): FakeSheet {
  const taken = new Set(spreadsheet.sheets.map((sheet) => sheet.sheetId));
  const sheetId = properties.sheetId ?? (taken.size === 0 ? 0 : randomIntId(taken));
  if (taken.has(sheetId)) throw invalidArgument(`Invalid requests[0].${requestName}: Sheet with id ${sheetId} already exists.`);
  let title = properties.title ?? "";
  for (let n = spreadsheet.sheets.length + 1; title === ""; n++) if (!titleTaken(spreadsheet, `Sheet${n}`)) title = `Sheet${n}`;
  if (titleTaken(spreadsheet, title)) {
    throw invalidArgument(`Invalid requests[0].${requestName}: A sheet with the name "${title}" already exists. Please enter another name.`);
  }
  const { sheetId: _id, title: _title, index: _index, sheetType: _type, ...rest } = structuredClone(properties);
  const sheet: FakeSheet = {
    sheetId,
    title,
    index: 0,
    properties: { ...rest, gridProperties: { rowCount: 1000, columnCount: 26, ...rest.gridProperties } },
    grid: [],
    protectedRanges: [],
    merges: [],
    formatting: [],
  };
  spreadsheet.sheets.splice(properties.index ?? spreadsheet.sheets.length, 0, sheet);
  reindex(spreadsheet);
  return sheet;
}

function titleTaken(spreadsheet: FakeSpreadsheet, title: string, except?: FakeSheet): boolean {
  return spreadsheet.sheets.some((sheet) => sheet !== except && sheet.title.toLowerCase() === title.toLowerCase());
}

function reindex(spreadsheet: FakeSpreadsheet): void {
  spreadsheet.sheets.forEach((sheet, index) => (sheet.index = index));
}

/** Applies the masked CellData fields to one stored cell. */
function applyCellData(cell: FakeCell, data: sheets_v4.Schema$CellData, paths: readonly string[]): void {
  for (const path of paths) {
    const [top, ...rest] = path.split(".");
    if (top === "*" || top === "userEnteredValue") {
      const { value, formula } = valueFromExtended(data.userEnteredValue);
      writeValue(cell, value, formula);
    }
    if (top === "*" || top === "dataValidation") {
      if (data.dataValidation) cell.dataValidation = structuredClone(data.dataValidation);
      else delete cell.dataValidation;
    }
    if (top === "*" || top === "userEnteredFormat") {
      const format = rest.length === 0 ? structuredClone(data.userEnteredFormat) : applyUpdateMask(cell.format ?? {}, data.userEnteredFormat ?? {}, [rest.join(".")]);
      if (format && Object.keys(format).length > 0) cell.format = format;
      else delete cell.format;
    }
    if (top === "*" || top === "note") {
      if (data.note != null) cell.note = data.note;
      else delete cell.note;
    }
  }
}

function forEachCell(range: ResolvedRange, visit: (row: number, column: number) => void): void {
  for (let r = range.startRow; r < range.endRow; r++) for (let c = range.startColumn; c < range.endColumn; c++) visit(r, c);
}

function findProtectedRange(spreadsheet: FakeSpreadsheet, id: number | null | undefined, requestName: string): { sheet: FakeSheet; index: number } {
  for (const sheet of spreadsheet.sheets) {
    const index = sheet.protectedRanges.findIndex((range) => range.protectedRangeId === id);
    if (index !== -1) return { sheet, index };
  }
  throw invalidArgument(`Invalid requests[0].${requestName}: No protected range with id: ${id}`);
}

function recordFormatting(spreadsheet: FakeSpreadsheet, sheetId: number | null | undefined, request: sheets_v4.Schema$Request, name: string): sheets_v4.Schema$Response {
  findSheetById(spreadsheet, sheetId ?? 0, name).formatting.push(structuredClone(request));
  return {};
}

const handlers: Handlers = {
  addSheet: (spreadsheet, request) => ({ addSheet: { properties: sheetProperties(newSheet(spreadsheet, request.properties ?? {}, "addSheet")) } }),
  deleteSheet: (spreadsheet, request) => {
    const sheet = findSheetById(spreadsheet, request.sheetId ?? 0, "deleteSheet");
    if (spreadsheet.sheets.length === 1) throw invalidArgument("Invalid requests[0].deleteSheet: You can't remove all the visible sheets in a document.");
    spreadsheet.sheets.splice(spreadsheet.sheets.indexOf(sheet), 1);
    reindex(spreadsheet);
    return {};
  },
  updateSpreadsheetProperties: (spreadsheet, request) => {
    // Provisioning sets locale and timeZone on a Drive-created spreadsheet.
    spreadsheet.properties = applyUpdateMask(spreadsheet.properties, request.properties ?? {}, updateMaskPaths(request.fields, "updateSpreadsheetProperties"));
    return {};
  },
  updateSheetProperties: (spreadsheet, request) => {
    const sheet = findSheetById(spreadsheet, request.properties?.sheetId ?? 0, "updateSheetProperties");
    const updated = applyUpdateMask(sheetProperties(sheet), request.properties ?? {}, updateMaskPaths(request.fields, "updateSheetProperties"));
    const { sheetId: _id, title, index, sheetType: _type, ...rest } = updated;
    if (!title || titleTaken(spreadsheet, title, sheet)) {
      throw invalidArgument(`Invalid requests[0].updateSheetProperties: A sheet with the name "${title ?? ""}" already exists. Please enter another name.`);
    }
    sheet.title = title;
    sheet.properties = rest;
    sheet.grid = sheet.grid.slice(0, rowCount(sheet)).map((row) => row.slice(0, columnCount(sheet)));
    if (index != null && index !== sheet.index) {
      spreadsheet.sheets.splice(sheet.index, 1);
      spreadsheet.sheets.splice(Math.min(index, spreadsheet.sheets.length), 0, sheet);
      reindex(spreadsheet);
    }
    return {};
  },
  updateCells: (spreadsheet, request) => {
    const paths = updateMaskPaths(request.fields, "updateCells");
    const rows = request.rows ?? [];
    if ((request.start === undefined) === (request.range === undefined)) throw invalidArgument("Invalid requests[0].updateCells: Exactly one of start or range must be set.");
    let target: ResolvedRange;
    if (request.range) target = resolveGridRange(spreadsheet, request.range, "updateCells");
    else {
      const sheet = findSheetById(spreadsheet, request.start?.sheetId ?? 0, "updateCells");
      const startRow = request.start?.rowIndex ?? 0;
      const startColumn = request.start?.columnIndex ?? 0;
      const width = Math.max(0, ...rows.map((row) => row.values?.length ?? 0));
      target = { sheet, startRow, startColumn, endRow: startRow + rows.length, endColumn: startColumn + width };
      checkInGrid(target, "updateCells");
    }
    forEachCell(target, (r, c) => {
      const data = rows[r - target.startRow]?.values?.[c - target.startColumn];
      // With `start`, only the cells given are touched; with `range`, the cells left out are cleared.
      if (data === undefined && request.range === undefined) return;
      updateCell(target.sheet, r, c, (cell) => applyCellData(cell, data ?? {}, paths));
    });
    return {};
  },
  appendCells: (spreadsheet, request) => {
    // After the last row with a value, growing the grid as Google inserts rows; `fields` is required.
    const paths = updateMaskPaths(request.fields, "appendCells");
    const sheet = findSheetById(spreadsheet, request.sheetId ?? 0, "appendCells");
    let start = sheet.grid.length;
    while (start > 0 && (sheet.grid[start - 1] ?? []).every((cell) => isEmptyValue(cell))) start--;
    const rows = request.rows ?? [];
    ensureGridSize(sheet, start + rows.length, Math.max(0, ...rows.map((row) => row.values?.length ?? 0)));
    rows.forEach((row, r) => row.values?.forEach((data, c) => updateCell(sheet, start + r, c, (cell) => applyCellData(cell, data, paths))));
    return {};
  },
  repeatCell: (spreadsheet, request) => {
    const paths = updateMaskPaths(request.fields, "repeatCell");
    const range = resolveGridRange(spreadsheet, request.range, "repeatCell");
    forEachCell(range, (r, c) => updateCell(range.sheet, r, c, (cell) => applyCellData(cell, request.cell ?? {}, paths)));
    return {};
  },
  setDataValidation: (spreadsheet, request) => {
    const range = resolveGridRange(spreadsheet, request.range, "setDataValidation");
    forEachCell(range, (r, c) =>
      updateCell(range.sheet, r, c, (cell) => {
        if (request.rule) cell.dataValidation = structuredClone(request.rule);
        else delete cell.dataValidation;
      }),
    );
    return {};
  },
  addProtectedRange: (spreadsheet, request, context) => {
    const protectedRange = newProtection(request.protectedRange ?? {}, context.requester, "addProtectedRange");
    const sheet = resolveGridRange(spreadsheet, protectedRange.range, "addProtectedRange").sheet;
    const taken = new Set(spreadsheet.sheets.flatMap((s) => s.protectedRanges.map((range) => range.protectedRangeId ?? 0)));
    protectedRange.protectedRangeId ??= randomIntId(taken);
    if (taken.has(protectedRange.protectedRangeId)) throw invalidArgument(`Invalid requests[0].addProtectedRange: Protected range id ${protectedRange.protectedRangeId} already exists.`);
    protectedRange.range = { sheetId: sheet.sheetId, ...protectedRange.range };
    sheet.protectedRanges.push(protectedRange);
    return { addProtectedRange: { protectedRange: { ...structuredClone(protectedRange), requestingUserCanEdit: true } } };
  },
  deleteProtectedRange: (spreadsheet, request) => {
    const { sheet, index } = findProtectedRange(spreadsheet, request.protectedRangeId, "deleteProtectedRange");
    sheet.protectedRanges.splice(index, 1);
    return {};
  },
  updateProtectedRange: (spreadsheet, request, context) => {
    const paths = updateMaskPaths(request.fields, "updateProtectedRange");
    const { sheet, index } = findProtectedRange(spreadsheet, request.protectedRange?.protectedRangeId, "updateProtectedRange");
    const current = sheet.protectedRanges[index] ?? {};
    const updated = newProtection(applyUpdateMask(current, request.protectedRange ?? {}, paths), context.requester, "updateProtectedRange");
    updated.protectedRangeId = current.protectedRangeId ?? null;
    const target = resolveGridRange(spreadsheet, updated.range, "updateProtectedRange").sheet;
    sheet.protectedRanges.splice(index, 1);
    target.protectedRanges.push(updated);
    return {};
  },
  mergeCells: (spreadsheet, request) => {
    const range = resolveGridRange(spreadsheet, request.range, "mergeCells");
    range.sheet.merges.push({ ...structuredClone(request.range), sheetId: range.sheet.sheetId });
    return {};
  },
  setBasicFilter: (spreadsheet, request) => {
    const sheet = resolveGridRange(spreadsheet, request.filter?.range, "setBasicFilter").sheet;
    sheet.basicFilter = structuredClone(request.filter ?? {});
    return {};
  },
  updateDimensionProperties: (spreadsheet, request) => recordFormatting(spreadsheet, request.range?.sheetId, { updateDimensionProperties: request }, "updateDimensionProperties"),
  autoResizeDimensions: (spreadsheet, request) => recordFormatting(spreadsheet, request.dimensions?.sheetId, { autoResizeDimensions: request }, "autoResizeDimensions"),
  updateBorders: (spreadsheet, request) => {
    resolveGridRange(spreadsheet, request.range, "updateBorders");
    return recordFormatting(spreadsheet, request.range?.sheetId, { updateBorders: request }, "updateBorders");
  },
};

/** Sheets' limit on the cells of a spreadsheet, blank grid cells included. */
const CELL_LIMIT = 10_000_000;

/** Applies the requests in order to `spreadsheet` (the caller passes a copy and keeps it only on success). */
export function applyRequests(spreadsheet: FakeSpreadsheet, requests: sheets_v4.Schema$Request[], context: BatchContext): sheets_v4.Schema$Response[] {
  const replies = applyEach(spreadsheet, requests, context);
  const cells = spreadsheet.sheets.reduce((sum, sheet) => sum + rowCount(sheet) * columnCount(sheet), 0);
  if (cells > CELL_LIMIT) throw invalidArgument(`This action would increase the number of cells in the workbook above the limit of ${CELL_LIMIT} cells.`);
  return replies;
}

function applyEach(spreadsheet: FakeSpreadsheet, requests: sheets_v4.Schema$Request[], context: BatchContext): sheets_v4.Schema$Response[] {
  return requests.map((request, i) => {
    const kinds = Object.keys(request).filter((key) => request[key as keyof sheets_v4.Schema$Request] != null);
    const [kind] = kinds;
    if (kind === undefined || kinds.length > 1) throw invalidArgument(`Invalid requests[${i}]: exactly one request kind must be set (got ${kinds.join(", ") || "none"}).`);
    const handler = handlers[kind as keyof Requests] as Handler<keyof Requests> | undefined;
    if (!handler) throw invalidArgument(`Invalid requests[${i}]: the fake Sheets API does not support '${kind}'.`);
    try {
      return handler(spreadsheet, request[kind as keyof Requests] as never, context);
    } catch (error) {
      if (error instanceof GoogleApiError) throw new GoogleApiError(error.status, error.message.replace("requests[0]", `requests[${i}]`), { reason: error.reason });
      throw error;
    }
  });
}
