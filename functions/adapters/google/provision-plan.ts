/**
 * Pure request building for a NEW ward spreadsheet, from the same WorkbookPlan the local
 * xlsx writer renders: the one batchUpdate that turns the blank spreadsheet Drive created
 * into the workbook (tabs, values, widths, frozen header, role formats, the dropdown lists,
 * warning-only protections, and the appraiser cells protected for the appraisers). The request
 * helpers are shared with provision-repair.ts.
 */
import type { sheets_v4 } from "@googleapis/sheets";
import { COLUMNS, type ColumnKey, RESULT_VALUES, headerOf } from "../../../sheets-schema/layout.js";
import { type CellRole, type PlannedCell, type TabDropdown, type TabPlan, type WorkbookPlan, WARD_ROW } from "../../../sheets-schema/workbook-plan.js";
import { createRequests } from "./check-tab.js";
import { listRule, tabAppraisalProtections, tabDropdownRequests } from "./provision-review.js";

type Request = sheets_v4.Schema$Request;

/** Description of the warning-only protections over what staff must not change on a programme tab. */
export const LOCKED_PROTECTION = "tieuchi: cột không sửa";
/** The columns under LOCKED_PROTECTION (and the cells provisioning may rewrite in a criterion row). */
export const LOCKED_KEYS: readonly ColumnKey[] = ["stt", "code", "text", "maxPoints"];
/** What the Kiểm tra tab says until the first check writes it. */
const CHECK_PLACEHOLDER: readonly string[][] = [["Chưa có kết quả kiểm tra. Trang này do hệ thống tự ghi sau mỗi lần lưu; không sửa trang này."]];
/** Rows of a new Kiểm tra tab: the same minimum the check-tab writer keeps. */
const CHECK_MIN_ROWS = 500;
/** Spare rows below the plan on a new programme tab, for criteria added later. */
const SPARE_ROWS = 50;

/** The Kết quả dropdown: a list, but not strict, so a typo becomes a Finding rather than a refusal. */
export const RESULT_RULE: sheets_v4.Schema$DataValidationRule = listRule(RESULT_VALUES, headerOf("result"));

const rgb = (hex: string): sheets_v4.Schema$Color => {
  const part = (i: number): number => Math.round((parseInt(hex.slice(i, i + 2), 16) / 255) * 1000) / 1000;
  return { red: part(0), green: part(2), blue: part(4) };
};
const GREY = rgb("E7E6E6");
const HEADER_FILL = rgb("D9E2F3");
const GROUP_FILL = rgb("FFF2CC");
const APPRAISAL_FILL = rgb("E2EFDA");
const FONT = "Times New Roman";

/** Each role's format: the xlsx writer's styles, kept to font weight, fill, alignment and wrapping. */
export const ROLE_FORMATS: Readonly<Record<CellRole, sheets_v4.Schema$CellFormat>> = {
  title: { textFormat: { fontFamily: FONT, fontSize: 14, bold: true } },
  subtitle: { textFormat: { fontFamily: FONT, italic: true } },
  label: { textFormat: { fontFamily: FONT, bold: true } },
  input: { textFormat: { fontFamily: FONT }, verticalAlignment: "TOP", wrapStrategy: "WRAP" },
  appraisal: { textFormat: { fontFamily: FONT }, backgroundColor: APPRAISAL_FILL, verticalAlignment: "TOP", wrapStrategy: "WRAP" },
  header: { textFormat: { fontFamily: FONT, bold: true }, backgroundColor: HEADER_FILL, horizontalAlignment: "CENTER", verticalAlignment: "MIDDLE", wrapStrategy: "WRAP" },
  group: { textFormat: { fontFamily: FONT, bold: true }, backgroundColor: GROUP_FILL, verticalAlignment: "TOP", wrapStrategy: "WRAP" },
  locked: { textFormat: { fontFamily: FONT }, backgroundColor: GREY, horizontalAlignment: "CENTER", verticalAlignment: "TOP" },
  lockedText: { textFormat: { fontFamily: FONT }, backgroundColor: GREY, verticalAlignment: "TOP", wrapStrategy: "WRAP" },
  guideTitle: { textFormat: { fontFamily: FONT, fontSize: 13, bold: true } },
  guide: { textFormat: { fontFamily: FONT } },
};

/** A planned value as CellData ({} for an empty cell). */
export function valueData(value: PlannedCell["value"]): sheets_v4.Schema$CellData {
  if (value === null) return {};
  return { userEnteredValue: typeof value === "number" ? { numberValue: value } : { stringValue: value } };
}

/** Column width in pixels for a width in characters (Excel's rule of thumb: 7 px a character, 5 px padding). */
export const pixelWidth = (characters: number): number => Math.round(characters * 7 + 5);

/** Contiguous runs of the given indexes, as [start, end) pairs. */
export function runsOf(indexes: Iterable<number>): Array<[number, number]> {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const runs: Array<[number, number]> = [];
  for (const i of sorted) {
    const last = runs.at(-1);
    if (last && last[1] === i) last[1] = i + 1;
    else runs.push([i, i + 1]);
  }
  return runs;
}

/**
 * Cells of one row, each run of adjacent columns as one updateCells with `start`, so that no
 * cell outside `cells` is touched (an updateCells `range` would clear the cells left out).
 */
export function writeCells(sheetId: number, row: number, cells: ReadonlyMap<number, sheets_v4.Schema$CellData>, fields: string): Request[] {
  return runsOf(cells.keys()).map(([from, to]) => ({
    updateCells: {
      start: { sheetId, rowIndex: row, columnIndex: from },
      rows: [{ values: Array.from({ length: to - from }, (_, i) => cells.get(from + i) ?? {}) }],
      fields,
    },
  }));
}

/** The Kết quả dropdown on the given rows of one column, one request per run of rows. */
export function dropdownRequests(sheetId: number, column: number, rows: Iterable<number>): Request[] {
  return runsOf(rows).map(([startRowIndex, endRowIndex]) => ({
    setDataValidation: { range: { sheetId, startRowIndex, endRowIndex, startColumnIndex: column, endColumnIndex: column + 1 }, rule: RESULT_RULE },
  }));
}

/**
 * Warning-only protections of a programme tab: the title rows, the header row, and the
 * locked columns below it (unbounded, so rows added later are covered too). Never the ward
 * name and date cells beside their labels, nor the input columns.
 */
export function lockedProtectionRequests(sheetId: number, headerRow: number, lockedColumns: readonly number[]): Request[] {
  const protect = (range: sheets_v4.Schema$GridRange): Request => ({ addProtectedRange: { protectedRange: { range: { sheetId, ...range }, description: LOCKED_PROTECTION, warningOnly: true } } });
  const titleRows = Math.min(WARD_ROW, headerRow);
  return [
    ...(titleRows > 0 ? [protect({ startRowIndex: 0, endRowIndex: titleRows })] : []),
    protect({ startRowIndex: headerRow, endRowIndex: headerRow + 1 }),
    ...runsOf(lockedColumns).map(([startColumnIndex, endColumnIndex]) => protect({ startRowIndex: headerRow + 1, startColumnIndex, endColumnIndex })),
  ];
}

/** Rows and columns of a new tab: the plan, with room below a programme table. */
export function gridSizeOf(tab: TabPlan): { rowCount: number; columnCount: number } {
  const columnCount = Math.max(tab.widths.length, ...tab.rows.map((row) => row.length));
  return { rowCount: tab.rows.length + (tab.headerRow === null ? 0 : SPARE_ROWS), columnCount };
}

/** Rows of a plan tab whose cell takes the dropdown (by default Kết quả): criterion rows, not group headings. */
export function dropdownRows(tab: TabPlan, dropdown: TabDropdown | undefined = tab.dropdowns[0]): number[] {
  if (!dropdown) return [];
  const rows: number[] = [];
  for (let r = dropdown.fromRow; r <= dropdown.toRow; r++) {
    const role = tab.rows[r]?.[dropdown.column]?.role;
    if (role === "input" || role === "appraisal") rows.push(r);
  }
  return rows;
}

/** Every value of a plan tab, written from A1 (for a tab added to an existing spreadsheet). */
export function tabValuesRequest(sheetId: number, tab: TabPlan): Request {
  return { updateCells: { start: { sheetId, rowIndex: 0, columnIndex: 0 }, rows: tab.rows.map((row) => ({ values: row.map((c) => valueData(c.value)) })), fields: "userEnteredValue" } };
}

/** Widths, frozen header, role formats, dropdowns and protections of one plan tab (`appraisers` edit the appraiser cells). */
export function tabLayoutRequests(sheetId: number, tab: TabPlan, appraisers: readonly string[]): Request[] {
  const widths = tab.widths.map((width, i) => ({
    updateDimensionProperties: { range: { sheetId, dimension: "COLUMNS", startIndex: i, endIndex: i + 1 }, properties: { pixelSize: pixelWidth(width) }, fields: "pixelSize" },
  }));
  const formats: Request = {
    updateCells: { start: { sheetId, rowIndex: 0, columnIndex: 0 }, rows: tab.rows.map((row) => ({ values: row.map((c) => ({ userEnteredFormat: ROLE_FORMATS[c.role] })) })), fields: "userEnteredFormat" },
  };
  if (tab.headerRow === null) return [...widths, formats];
  const frozen: Request = { updateSheetProperties: { properties: { sheetId, gridProperties: { frozenRowCount: tab.headerRow + 1 } }, fields: "gridProperties.frozenRowCount" } };
  const locked = COLUMNS.flatMap((c, i) => (LOCKED_KEYS.includes(c.key) ? [i] : []));
  return [
    ...widths,
    frozen,
    formats,
    ...tabDropdownRequests(sheetId, tab),
    ...lockedProtectionRequests(sheetId, tab.headerRow, locked),
    ...tabAppraisalProtections(sheetId, tab, appraisers),
  ];
}

/** The Kiểm tra tab added to an existing spreadsheet: check-tab's own creation batch, with the placeholder line. */
export function checkTabAddRequests(sheetId: number): Request[] {
  return createRequests(sheetId, CHECK_PLACEHOLDER, CHECK_MIN_ROWS);
}

/** Sheet ids for a new workbook: one per plan tab, then the Kiểm tra tab. */
export interface NewWorkbookIds {
  tabs: readonly number[];
  check: number;
}

function idOf(ids: NewWorkbookIds, index: number): number {
  const id = ids.tabs[index];
  if (id === undefined) throw new RangeError(`no sheet id for tab ${index}`);
  return id;
}

/** The spreadsheet's locale and time zone: Vietnamese, so "8,5" is a number and dates read as ngày/tháng/năm. */
const SPREADSHEET_PROPERTIES: sheets_v4.Schema$SpreadsheetProperties = { locale: "vi_VN", timeZone: "Asia/Ho_Chi_Minh" };

/**
 * The ONE batchUpdate that builds a blank spreadsheet (as Drive files.create makes it: one
 * empty tab, "Sheet1", sheetId 0) into a ward workbook: every plan tab added with its values
 * and layout, the Kiểm tra tab with its protection and placeholder, then the blank tabs
 * deleted (last, since a spreadsheet must keep one tab at every step).
 */
export function newWorkbookRequests(plan: WorkbookPlan, ids: NewWorkbookIds, blankSheetIds: readonly number[], appraisers: readonly string[]): Request[] {
  const tabs = plan.tabs.flatMap((tab, i) => {
    const sheetId = idOf(ids, i);
    return [{ addSheet: { properties: { sheetId, title: tab.title, index: i, gridProperties: gridSizeOf(tab) } } }, tabValuesRequest(sheetId, tab), ...tabLayoutRequests(sheetId, tab, appraisers)];
  });
  return [
    { updateSpreadsheetProperties: { properties: SPREADSHEET_PROPERTIES, fields: "locale,timeZone" } },
    ...tabs,
    ...checkTabAddRequests(ids.check),
    ...blankSheetIds.map((sheetId) => ({ deleteSheet: { sheetId } })),
  ];
}
