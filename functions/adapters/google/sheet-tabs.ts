/**
 * Which tabs of a ward's Google Sheet to read, and how much of each. Staff copy a programme
 * tab ("Bản sao của …"), rename it, or paste thousands of rows: the local reader sees every
 * tab, so this one does too, bounded by each tab's grid so one read never costs more than
 * the limits allow (and never asks for a range past the grid, which Google refuses).
 */
import type { sheets_v4 } from "@googleapis/sheets";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { CHECK_TAB, GUIDE_TAB, SUMMARY_TAB } from "../../../sheets-schema/layout.js";
import { foldKey } from "../../../sheets-schema/text.js";
import { columnLetters } from "../../core/cells.js";
import type { SheetLimits } from "../../core/sheet-limits.js";

/** The tab metadata one spreadsheets.get returns: titles and grid sizes, no cell data. */
export const TAB_FIELDS = "sheets(properties(title,sheetId,gridProperties(rowCount,columnCount)))";

/** Columns read per tab: a programme tab has about ten, with room for inserted ones. */
const MAX_COLUMNS = 30;

/** Tabs read besides the programme tabs (copies, renamed tabs, a stray sheet): ample for copies. */
const MAX_OTHER_TABS = 6;

export interface TabGrid {
  title: string;
  rowCount: number;
  columnCount: number;
}

const SERVICE_TABS = new Set([GUIDE_TAB, CHECK_TAB, SUMMARY_TAB].map(foldKey));

/** The tabs of a spreadsheets.get answer (fields TAB_FIELDS). */
export function tabGrids(spreadsheet: sheets_v4.Schema$Spreadsheet): TabGrid[] {
  return (spreadsheet.sheets ?? []).map((sheet) => ({
    title: sheet.properties?.title ?? "",
    rowCount: sheet.properties?.gridProperties?.rowCount ?? 0,
    columnCount: sheet.properties?.gridProperties?.columnCount ?? 0,
  }));
}

/**
 * The tabs worth reading: the programme tabs (matched as the parser matches them, folded)
 * first, then up to MAX_OTHER_TABS others that are not the guide or the service's own tabs.
 */
export function tabsToRead(grids: readonly TabGrid[], catalogues: readonly Catalogue[]): TabGrid[] {
  const programme = new Set(catalogues.map((c) => foldKey(c.tabTitle)));
  const candidates = grids.filter((g) => g.title !== "" && g.rowCount > 0 && g.columnCount > 0 && !SERVICE_TABS.has(foldKey(g.title)));
  const own = candidates.filter((g) => programme.has(foldKey(g.title)));
  const others = candidates.filter((g) => !programme.has(foldKey(g.title))).slice(0, MAX_OTHER_TABS);
  return [...own, ...others];
}

/** A tab title as an A1 range: quoted, inner apostrophes doubled ("'CA phường kiểu mẫu'"). */
export function quoteTab(title: string): string {
  return `'${title.replaceAll("'", "''")}'`;
}

/**
 * The A1 range read of a tab: from A1 to the grid's edge, but at most one row past the row
 * limit (so a tab past it is known to be) and MAX_COLUMNS columns.
 *
 * @example boundedRange({ title: "CA", rowCount: 200000, columnCount: 26 }, limits) // "'CA'!A1:Z5001"
 */
export function boundedRange(grid: TabGrid, limits: SheetLimits): string {
  const rows = Math.min(grid.rowCount, limits.rowsPerTab + 1);
  const columns = Math.min(grid.columnCount, MAX_COLUMNS);
  return `${quoteTab(grid.title)}!A1:${columnLetters(columns - 1)}${rows}`;
}
