/**
 * SummarySink for the town summary spreadsheet (owned by the service): "Tổng hợp" rewritten
 * whole on every write, and "Lịch sử" given one row per unit whose figures changed.
 *
 * What changed is decided from the sheet itself: the Tổng hợp rows are read back (one read,
 * bounded by the number of units) and compared with the new ones. The rewrite of Tổng hợp and
 * the rows appended to Lịch sử (appendCells) go in ONE batchUpdate, which Sheets applies whole
 * or not at all: no crash between the two can lose or repeat a change, and no state of its own
 * is needed. (Two writers at the same moment could both append one change; the sweep is the
 * only writer, and such a row would repeat the same figures.) Rows written per day grow with the edits, not with units × writes (at 3,300 units,
 * 2 rows per unit per write filled the 10-million-cell limit in about 16 hours).
 */
import { randomInt } from "node:crypto";
import type { sheets_v4 } from "@googleapis/sheets";
import { SUMMARY_TAB } from "../../../sheets-schema/layout.js";
import type { TownSummary } from "../../core/aggregate-town.js";
import type { UnitIndex } from "../../core/chart-selection.js";
import type { SummarySink } from "../../ports.js";
import type { GoogleClients } from "./clients.js";
import { type RetryOptions, withRetry } from "./retry.js";
import { quoteTab } from "./sheet-tabs.js";
import { columnLetters } from "../../core/cells.js";
import { HISTORY_HEADERS, SUMMARY_HEADERS, type SummaryCell, historyRows, summaryRows } from "./summary-rows.js";

export const HISTORY_TAB = "Lịch sử";
const RATIO_COLUMN = SUMMARY_HEADERS.indexOf("Tỷ lệ");
const MIN_ROWS = 200;

export interface GoogleTownSummaryOptions {
  clients: Pick<GoogleClients, "sheets">;
  spreadsheetId: string;
  /** Kinds and groups of the units, from the config: names show the kind when kinds are mixed. */
  units?: UnitIndex;
  retry?: RetryOptions;
}

const enteredValue = (value: SummaryCell | undefined): sheets_v4.Schema$ExtendedValue => (typeof value === "number" ? { numberValue: value } : { stringValue: value ?? "" });

function cellData(value: SummaryCell | undefined, header: boolean, column: number): sheets_v4.Schema$CellData {
  const userEnteredValue = enteredValue(value);
  const numberFormat = !header && column === RATIO_COLUMN ? { type: "PERCENT", pattern: "0.0%" } : null;
  return { userEnteredValue, userEnteredFormat: { textFormat: { bold: header }, ...(numberFormat ? { numberFormat } : {}) } };
}

/** Resize a tab and rewrite all of it (the rows left over from a longer table are cleared). */
function rewriteRequests(sheetId: number, rows: readonly SummaryCell[][], columnCount: number): sheets_v4.Schema$Request[] {
  const rowCount = Math.max(MIN_ROWS, rows.length + 1);
  const gridProperties = { rowCount, columnCount, frozenRowCount: 1 };
  const fields = "gridProperties.rowCount,gridProperties.columnCount,gridProperties.frozenRowCount";
  return [
    { updateSheetProperties: { properties: { sheetId, gridProperties }, fields } },
    {
      updateCells: {
        range: { sheetId, startRowIndex: 0, endRowIndex: rowCount, startColumnIndex: 0, endColumnIndex: columnCount },
        rows: rows.map((row, r) => ({ values: row.map((v, c) => cellData(v, r === 0, c)) })),
        fields: "userEnteredValue,userEnteredFormat.textFormat.bold,userEnteredFormat.numberFormat",
      },
    },
  ];
}

function addSheet(sheetId: number, title: string): sheets_v4.Schema$Request {
  return { addSheet: { properties: { sheetId, title } } };
}

type SummaryContext = Required<GoogleTownSummaryOptions>;

function call<T>(ctx: SummaryContext, operation: string, idempotent: boolean, fn: () => Promise<T>): Promise<T> {
  return withRetry(operation, fn, { ...ctx.retry, idempotent });
}

async function sheetIds(ctx: SummaryContext): Promise<Map<string, number>> {
  const { spreadsheetId } = ctx;
  const response = await call(ctx, "sheets.spreadsheets.get", true, () => ctx.clients.sheets.spreadsheets.get({ spreadsheetId, fields: "sheets(properties(sheetId,title))" }));
  return new Map((response.data.sheets ?? []).map((s) => [s.properties?.title ?? "", s.properties?.sheetId ?? 0]));
}

/** The Tổng hợp rows there now (header included), numbers as numbers; [] when the tab is new. */
async function currentSummary(ctx: SummaryContext, exists: boolean): Promise<SummaryCell[][]> {
  if (!exists) return [];
  const { spreadsheetId } = ctx;
  const range = `${quoteTab(SUMMARY_TAB)}!A:${columnLetters(SUMMARY_HEADERS.length - 1)}`;
  const response = await call(ctx, "sheets.values.get", true, () => ctx.clients.sheets.spreadsheets.values.get({ spreadsheetId, range, valueRenderOption: "UNFORMATTED_VALUE" }));
  return (response.data.values ?? []) as SummaryCell[][];
}

function appendRequest(sheetId: number, rows: readonly SummaryCell[][]): sheets_v4.Schema$Request {
  return { appendCells: { sheetId, rows: rows.map((row) => ({ values: row.map((v) => ({ userEnteredValue: enteredValue(v) })) })), fields: "userEnteredValue" } };
}

/** Tabs created when missing, Tổng hợp rewritten and the changed units appended to Lịch sử, in one batchUpdate. */
async function writeSummary(ctx: SummaryContext, summary: TownSummary): Promise<void> {
  const ids = await sheetIds(ctx);
  const requests: sheets_v4.Schema$Request[] = [];
  const summaryId = ids.get(SUMMARY_TAB) ?? randomInt(1, 2 ** 31 - 1);
  if (!ids.has(SUMMARY_TAB)) requests.push(addSheet(summaryId, SUMMARY_TAB));
  const historyId = ids.get(HISTORY_TAB) ?? randomInt(1, 2 ** 31 - 1);
  if (!ids.has(HISTORY_TAB)) requests.push(addSheet(historyId, HISTORY_TAB), ...rewriteRequests(historyId, [[...HISTORY_HEADERS]], HISTORY_HEADERS.length));
  const rows = summaryRows(summary, ctx.units);
  const changes = historyRows(await currentSummary(ctx, ids.has(SUMMARY_TAB)), summary, ctx.units, rows);
  requests.push(...rewriteRequests(summaryId, rows, SUMMARY_HEADERS.length));
  if (changes.length) requests.push(appendRequest(historyId, changes));
  // Adding a tab or appending rows twice is wrong, so such a batch is retried only after a quota refusal.
  const idempotent = requests.every((r) => !r.addSheet && !r.appendCells);
  const { spreadsheetId } = ctx;
  await call(ctx, "sheets.spreadsheets.batchUpdate", idempotent, () => ctx.clients.sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests } }));
}

/** SummarySink over the town summary spreadsheet: 3 requests per write (tabs, Tổng hợp read back, one batchUpdate). */
export function googleTownSummary(options: GoogleTownSummaryOptions): SummarySink {
  const ctx: SummaryContext = { ...options, units: options.units ?? new Map(), retry: options.retry ?? {} };
  return { write: (summary) => writeSummary(ctx, summary) };
}
