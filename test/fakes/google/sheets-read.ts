/** The read side of the fake Sheets API: spreadsheets.get's resource and its grid data. */
import type { sheets_v4 } from "@googleapis/sheets";
import { clone } from "./common.js";
import { type FakeSpreadsheet, type ResolvedRange, cellData, getCell, resolveA1, sheetProperties } from "./sheets-model.js";
import { type Editor, protectionsAs } from "./sheets-protection.js";

/**
 * The Spreadsheet resource spreadsheets.get returns: every tab (or those of `ranges`), grid data only on request;
 * protections as `viewer` sees them.
 */
export function spreadsheetSchema(spreadsheet: FakeSpreadsheet, includeGridData: boolean, ranges: string[], viewer: Editor): sheets_v4.Schema$Spreadsheet {
  const resolved = ranges.map((range) => resolveA1(spreadsheet, range, { checkGrid: true }));
  const sheets = spreadsheet.sheets
    .filter((sheet) => ranges.length === 0 || resolved.some((range) => range.sheet.sheetId === sheet.sheetId))
    .map((sheet) => {
      const schema: sheets_v4.Schema$Sheet = { properties: sheetProperties(sheet) };
      if (sheet.protectedRanges.length > 0) schema.protectedRanges = protectionsAs(sheet, viewer);
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
