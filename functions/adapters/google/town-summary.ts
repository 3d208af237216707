/**
 * SummarySink for the town summary spreadsheet (owned by the service): "Tổng hợp" rewritten
 * whole on every write, and one row per programme × ward appended to "Lịch sử" when the
 * period or the figures changed since the last append.
 *
 * Whether to append is decided from the sheet itself: every history row carries a content
 * key (period + figures, not the time), and the last key in the "Mã nội dung" column is
 * compared with the new one. It costs one small read per write, but needs no state of its
 * own and stays right after a crash between the two writes (the next run appends).
 */
import { randomInt } from "node:crypto";
import { sha256Hex } from "../../hashing.js";
import type { sheets_v4 } from "@googleapis/sheets";
import { SUMMARY_TAB } from "../../../sheets-schema/layout.js";
import type { TownSummary, WardRow } from "../../core/aggregate-town.js";
import { formatLocalDateTime } from "../../core/period.js";
import type { SummarySink } from "../../ports.js";
import type { GoogleClients } from "./clients.js";
import { type RetryOptions, withRetry } from "./retry.js";
import { quoteTab } from "./sheet-source.js";

export const HISTORY_TAB = "Lịch sử";
export const SUMMARY_HEADERS = ["Đề án", "Phường", "Số tiêu chí đạt", "Tổng số tiêu chí", "Tỷ lệ", "Được công nhận", "Số lỗi", "Tình trạng"] as const;
export const HISTORY_HEADERS = ["Kỳ", "Thời điểm tổng hợp", "Đề án", "Phường", "Số tiêu chí đạt", "Tổng số tiêu chí", "Được công nhận", "Mã nội dung"] as const;
const RATIO_COLUMN = SUMMARY_HEADERS.indexOf("Tỷ lệ");
const MIN_ROWS = 200;

export type SummaryCell = string | number;

export interface GoogleTownSummaryOptions {
  clients: Pick<GoogleClients, "sheets">;
  spreadsheetId: string;
  retry?: RetryOptions;
}

function wardState(w: WardRow): string {
  if (w.status === "missing") return "Chưa có bảng tính";
  if (w.status === "unreadable") return "Không đọc được bảng tính";
  if (w.errors > 0) return "Có lỗi cần sửa";
  return w.filled ? "Đã nhập" : "Chưa nhập kết quả";
}

/** The "Tổng hợp" tab: header, then one row per programme × ward. Pure. */
export function summaryRows(summary: TownSummary): SummaryCell[][] {
  const rows = summary.programmes.flatMap((p) =>
    p.wards.map((w) => [p.shortName, w.name, w.met, w.total, w.total ? w.met / w.total : 0, w.recognised ? "Có" : "Không", w.errors, wardState(w)]),
  );
  return [[...SUMMARY_HEADERS], ...rows];
}

/** What the history records of a summary, without the time it was made: equal keys, nothing new to append. */
export function historyKey(summary: TownSummary): string {
  const figures = summary.programmes.map((p) => [p.id, p.wards.map((w) => [w.id, w.met, w.total, w.recognised])]);
  return sha256Hex(JSON.stringify([summary.period, figures])).slice(0, 16);
}

/** The rows appended to "Lịch sử" for a summary. Pure. */
export function historyRows(summary: TownSummary): SummaryCell[][] {
  const key = historyKey(summary);
  const at = formatLocalDateTime(new Date(summary.generatedAt));
  return summary.programmes.flatMap((p) => p.wards.map((w) => [summary.period, at, p.shortName, w.name, w.met, w.total, w.recognised ? "Có" : "Không", key]));
}

function cellData(value: SummaryCell | undefined, header: boolean, column: number): sheets_v4.Schema$CellData {
  const userEnteredValue = typeof value === "number" ? { numberValue: value } : { stringValue: value ?? "" };
  const numberFormat = !header && column === RATIO_COLUMN ? { type: "PERCENT", pattern: "0.0%" } : null;
  return { userEnteredValue, userEnteredFormat: { textFormat: { bold: header }, ...(numberFormat ? { numberFormat } : {}) } };
}

/** Resize a tab and rewrite all of it (the rows left over from a longer table are cleared). */
export function rewriteRequests(sheetId: number, rows: readonly SummaryCell[][], columnCount: number): sheets_v4.Schema$Request[] {
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

/** The content key of the last history row, or null when there is none. */
async function lastHistoryKey(ctx: SummaryContext): Promise<string | null> {
  const { spreadsheetId } = ctx;
  const range = `${quoteTab(HISTORY_TAB)}!H:H`;
  const response = await call(ctx, "sheets.values.get", true, () => ctx.clients.sheets.spreadsheets.values.get({ spreadsheetId, range, majorDimension: "COLUMNS" }));
  const column = response.data.values?.[0] ?? [];
  const last: unknown = column.at(-1);
  return column.length > 1 && typeof last === "string" ? last : null;
}

/** Rewrite Tổng hợp in one batchUpdate, creating it and Lịch sử when missing. Returns whether Lịch sử already existed. */
async function rewriteSummary(ctx: SummaryContext, summary: TownSummary): Promise<boolean> {
  const ids = await sheetIds(ctx);
  const requests: sheets_v4.Schema$Request[] = [];
  const summaryId = ids.get(SUMMARY_TAB) ?? randomInt(1, 2 ** 31 - 1);
  if (!ids.has(SUMMARY_TAB)) requests.push(addSheet(summaryId, SUMMARY_TAB));
  const hadHistory = ids.has(HISTORY_TAB);
  if (!hadHistory) {
    const historyId = randomInt(1, 2 ** 31 - 1);
    requests.push(addSheet(historyId, HISTORY_TAB), ...rewriteRequests(historyId, [[...HISTORY_HEADERS]], HISTORY_HEADERS.length));
  }
  requests.push(...rewriteRequests(summaryId, summaryRows(summary), SUMMARY_HEADERS.length));
  // A batch that adds a tab fails when repeated after it was applied; a pure rewrite does not.
  const idempotent = requests.every((r) => !r.addSheet);
  const { spreadsheetId } = ctx;
  await call(ctx, "sheets.spreadsheets.batchUpdate", idempotent, () => ctx.clients.sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests } }));
  return hadHistory;
}

async function appendHistory(ctx: SummaryContext, summary: TownSummary): Promise<void> {
  const values = historyRows(summary);
  if (!values.length) return;
  const { spreadsheetId } = ctx;
  const range = `${quoteTab(HISTORY_TAB)}!A:H`;
  // Appending twice would duplicate rows: only quota refusals are retried.
  await call(ctx, "sheets.values.append", false, () =>
    ctx.clients.sheets.spreadsheets.values.append({ spreadsheetId, range, valueInputOption: "RAW", insertDataOption: "INSERT_ROWS", requestBody: { values } }),
  );
}

/** SummarySink over the town summary spreadsheet: 3 requests, 4 when the history grows. */
export function googleTownSummary(options: GoogleTownSummaryOptions): SummarySink {
  const ctx: SummaryContext = { ...options, retry: options.retry ?? {} };
  return {
    write: async (summary) => {
      const hadHistory = await rewriteSummary(ctx, summary);
      if (hadHistory && (await lastHistoryKey(ctx)) === historyKey(summary)) return;
      await appendHistory(ctx, summary);
    },
  };
}
