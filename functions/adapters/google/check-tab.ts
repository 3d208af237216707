/**
 * FeedbackSink writing the ward's own "Kiểm tra" tab. Normally ONE spreadsheets.batchUpdate
 * that resizes the tab and rewrites every cell of it, so a shorter list leaves no stale rows.
 * Every request names the Kiểm tra sheet id: no other tab is ever written.
 */
import { randomInt } from "node:crypto";
import type { sheets_v4 } from "@googleapis/sheets";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { CHECK_TAB } from "../../../sheets-schema/layout.js";
import { isError, isWardError } from "../../core/findings.js";
import { listFindings, moreFindingsLine } from "../../core/output-bounds.js";
import { SEVERITY_LABEL, findingMessage } from "../../core/messages.js";
import { MET_ALL_PROSE, REVIEW_STATE_LABEL } from "../../core/vocabulary.js";
import { formatLocalDateTime } from "../../core/period.js";
import type { WardConfig } from "../../config.js";
import { TieuchiError } from "../../errors.js";
import type { FeedbackSink, WardFeedback } from "../../ports.js";
import type { GoogleClients } from "./clients.js";
import { GoogleApiError } from "./google-errors.js";
import { type RetryOptions, withRetry } from "./retry.js";

export const CHECK_HEADERS = ["Mức độ", "Trang tính", "Ô", "Mã tiêu chí", "Nội dung cần sửa"] as const;
export const CHECK_PROTECTION = "Trang do hệ thống tieuchi ghi; không sửa";
const COLUMN_WIDTHS = [80, 170, 50, 90, 640];
/** The tab keeps at least this many rows, every one rewritten on each write. */
const DEFAULT_MIN_ROWS = 500;

export interface GoogleCheckTabOptions {
  clients: Pick<GoogleClients, "sheets">;
  catalogues: readonly Catalogue[];
  /** The ward's spreadsheet id, or null when it has none (nothing is written). */
  spreadsheetIdOf(ward: WardConfig): Promise<string | null>;
  /** The Kiểm tra sheet id recorded at provisioning, or null when unknown. */
  checkSheetIdOf(ward: WardConfig): Promise<number | null>;
  /** Told the sheet id after the tab had to be created or found again, so it can be recorded. */
  onCheckSheetCreated?(ward: WardConfig, sheetId: number): Promise<void>;
  /** Rows the tab is sized to at least (default 500): more than any previous list. */
  minRows?: number;
  retry?: RetryOptions;
}

/**
 * "; trạng thái: Đề nghị thẩm định (lúc 02/12/2026 09:15)", and the appraised figures once there
 * are any. The time is the state's own: when it was submitted, appraised, or (closed) when the
 * period was closed, from the closing record; a closed entry without it shows no time.
 */
function reviewPart(feedback: WardFeedback, catalogue: Catalogue): string {
  const entry = feedback.outcome.review?.find((r) => r.programmeId === catalogue.id);
  const appraisal = feedback.outcome.scores.find((x) => x.programmeId === catalogue.id)?.appraisal;
  const figures = appraisal ? `; kết quả thẩm định: đạt ${appraisal.met}/${appraisal.total} tiêu chí` : "";
  if (!entry) return figures;
  const at = entry.state === "closed" ? (entry.closedAt ?? null) : entry.state === "appraised" ? (entry.appraisedAt ?? entry.submittedAt) : entry.state === "submitted" ? entry.submittedAt : null;
  return `; trạng thái: ${REVIEW_STATE_LABEL[entry.state]}${at ? ` (lúc ${formatLocalDateTime(new Date(at))})` : ""}${figures}`;
}

function programmeLine(feedback: WardFeedback, catalogue: Catalogue): string {
  const s = feedback.outcome.scores.find((x) => x.programmeId === catalogue.id);
  if (!s || feedback.outcome.status !== "ok") return `${catalogue.tabTitle}: chưa có kết quả.`;
  const recognised = s.recognised ? `; ${MET_ALL_PROSE}` : "";
  return `${catalogue.tabTitle}: tự đánh giá đạt ${s.met}/${s.total} tiêu chí${recognised}; ${s.errors} lỗi, ${s.warnings} cảnh báo${reviewPart(feedback, catalogue)}.`;
}

function findingsBlock(feedback: WardFeedback): string[][] {
  const header = [...CHECK_HEADERS];
  if (feedback.outcome.status !== "ok") return [[feedback.outcome.reason ?? "Chưa đọc được bảng tính của phường."]];
  if (!feedback.findings.length) return [header, ["Không có lỗi cần sửa. Cảm ơn đồng chí đã cập nhật đầy đủ."]];
  // At most MAX_LISTED_FINDINGS rows: the rest is listed once these are fixed (a sheet has no other full list).
  const listed = listFindings(feedback.findings);
  const rows = listed.shown.map((f) => [SEVERITY_LABEL[f.severity], f.tab, f.cell, f.criterion ?? "", findingMessage(f)]);
  const more = moreFindingsLine(listed.more, null);
  return [header, ...rows, ...(more ? [[more]] : [])];
}

/**
 * The tab's content, row by row: the summary line, one line per programme, a note, a blank
 * row, then the header and one row per finding. Pure.
 *
 * @example checkTabRows(feedback, catalogues)[0] // ["Kết quả kiểm tra lúc 27/11/2026 10:05 (giờ Việt Nam): 2 lỗi, 0 cảnh báo"]
 */
export function checkTabRows(feedback: WardFeedback, catalogues: readonly Catalogue[]): string[][] {
  // The ward's own errors; errors in the appraiser's cells are counted apart (they never block the ward).
  const errors = feedback.findings.filter(isWardError).length;
  const appraiser = feedback.findings.filter(isError).length - errors;
  const warnings = feedback.findings.length - errors - appraiser;
  const theirs = appraiser > 0 ? `; ${appraiser} lỗi ở ô thẩm định (cán bộ thẩm định sửa)` : "";
  return [
    [`Kết quả kiểm tra lúc ${formatLocalDateTime(feedback.checkedAt)} (giờ Việt Nam): ${errors} lỗi, ${warnings} cảnh báo${theirs}`],
    ...catalogues.map((c) => [programmeLine(feedback, c)]),
    ["Trang này do hệ thống tự ghi sau mỗi lần lưu; hãy sửa các ô được nêu trong trang tính tương ứng, không sửa trang này."],
    [],
    ...findingsBlock(feedback),
  ];
}

const bold = (row: number, rows: readonly string[][]): boolean => row === 0 || rows[row]?.[0] === CHECK_HEADERS[0];

/** Resize the tab and rewrite all of it: cells beyond `rows` are cleared by the range. */
export function contentRequests(sheetId: number, rows: readonly string[][], minRows: number): sheets_v4.Schema$Request[] {
  const rowCount = Math.max(minRows, rows.length + 1);
  const columnCount = CHECK_HEADERS.length;
  const rowData = rows.map((row, r) => ({
    values: row.map((text) => ({ userEnteredValue: { stringValue: text }, userEnteredFormat: { textFormat: { bold: bold(r, rows) } } })),
  }));
  return [
    { updateSheetProperties: { properties: { sheetId, gridProperties: { rowCount, columnCount } }, fields: "gridProperties.rowCount,gridProperties.columnCount" } },
    {
      updateCells: {
        range: { sheetId, startRowIndex: 0, endRowIndex: rowCount, startColumnIndex: 0, endColumnIndex: columnCount },
        rows: rowData,
        fields: "userEnteredValue,userEnteredFormat.textFormat.bold",
      },
    },
  ];
}

/** Create the tab (protected with a warning, laid out) in the same batch that fills it. */
export function createRequests(sheetId: number, rows: readonly string[][], minRows: number): sheets_v4.Schema$Request[] {
  const widths = COLUMN_WIDTHS.map((pixelSize, i) => ({
    updateDimensionProperties: { range: { sheetId, dimension: "COLUMNS", startIndex: i, endIndex: i + 1 }, properties: { pixelSize }, fields: "pixelSize" },
  }));
  return [
    { addSheet: { properties: { sheetId, title: CHECK_TAB, gridProperties: { rowCount: Math.max(minRows, rows.length + 1), columnCount: CHECK_HEADERS.length } } } },
    { addProtectedRange: { protectedRange: { range: { sheetId }, description: CHECK_PROTECTION, warningOnly: true } } },
    ...widths,
    ...contentRequests(sheetId, rows, minRows),
  ];
}

const isMissingGrid = (error: unknown): boolean => error instanceof GoogleApiError && error.status === 400 && /no grid with id/iu.test(error.detail);
const isTitleTaken = (error: unknown): boolean => error instanceof GoogleApiError && error.status === 400 && /already exists/iu.test(error.detail);
const sameTitle = (a: string, b: string): boolean => a.normalize("NFC").toLowerCase() === b.normalize("NFC").toLowerCase();

/** The Sheets client and retry options every call below shares. */
interface SheetsContext {
  clients: Pick<GoogleClients, "sheets">;
  retry: RetryOptions;
  minRows: number;
}

function batchUpdate(ctx: SheetsContext, spreadsheetId: string, requests: sheets_v4.Schema$Request[], idempotent: boolean): Promise<unknown> {
  return withRetry("sheets.spreadsheets.batchUpdate", () => ctx.clients.sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests } }), {
    ...ctx.retry,
    idempotent,
  });
}

/** The id of an existing tab titled Kiểm tra (its recorded id was lost), or null. */
async function findCheckSheet(ctx: SheetsContext, spreadsheetId: string): Promise<number | null> {
  const response = await withRetry("sheets.spreadsheets.get", () => ctx.clients.sheets.spreadsheets.get({ spreadsheetId, fields: "sheets(properties(sheetId,title))" }), {
    ...ctx.retry,
    idempotent: true,
  });
  const found = (response.data.sheets ?? []).find((s) => sameTitle(s.properties?.title ?? "", CHECK_TAB));
  return found?.properties?.sheetId ?? null;
}

/** Rewrite the tab with the recorded id; false when that sheet no longer exists. */
async function rewriteKnown(ctx: SheetsContext, spreadsheetId: string, sheetId: number, rows: string[][]): Promise<boolean> {
  try {
    // Rewriting the same content twice changes nothing: safe to repeat after a 5xx.
    await batchUpdate(ctx, spreadsheetId, contentRequests(sheetId, rows, ctx.minRows), true);
    return true;
  } catch (error) {
    if (isMissingGrid(error)) return false;
    throw error;
  }
}

/** Create and fill the tab; when a tab of that name exists already, fill that one. Returns its id. */
async function createAndWrite(ctx: SheetsContext, spreadsheetId: string, rows: string[][]): Promise<number> {
  const sheetId = randomInt(1, 2 ** 31 - 1);
  try {
    // Not idempotent: a repeat after an applied 5xx fails as "already exists", handled below.
    await batchUpdate(ctx, spreadsheetId, createRequests(sheetId, rows, ctx.minRows), false);
    return sheetId;
  } catch (error) {
    if (!isTitleTaken(error)) throw error;
  }
  const existing = await findCheckSheet(ctx, spreadsheetId);
  if (existing === null) throw new TieuchiError(`Không tạo được trang “${CHECK_TAB}”: Google Sheets báo trang đã có nhưng không tìm thấy`);
  await batchUpdate(ctx, spreadsheetId, contentRequests(existing, rows, ctx.minRows), true);
  return existing;
}

export function googleCheckTab(options: GoogleCheckTabOptions): FeedbackSink {
  const ctx: SheetsContext = { clients: options.clients, retry: options.retry ?? {}, minRows: options.minRows ?? DEFAULT_MIN_ROWS };
  return {
    write: async (feedback) => {
      const spreadsheetId = await options.spreadsheetIdOf(feedback.ward);
      if (spreadsheetId === null) return;
      const rows = checkTabRows(feedback, options.catalogues);
      const known = await options.checkSheetIdOf(feedback.ward);
      if (known !== null && (await rewriteKnown(ctx, spreadsheetId, known, rows))) return;
      const sheetId = await createAndWrite(ctx, spreadsheetId, rows);
      await options.onCheckSheetCreated?.(feedback.ward, sheetId);
    },
  };
}
