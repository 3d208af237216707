/**
 * SheetSource over Google Sheets: one spreadsheets.get of the tab titles and grid sizes, then
 * one values.batchGet of every tab that may hold staff input (programme tabs, their copies and
 * renamed tabs), each bounded by its grid and the reading limits; delivered as the same
 * RawWorkbook the xlsx reader gives. Read-only; two Sheets read requests per ward.
 */
import type { sheets_v4 } from "@googleapis/sheets";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { type CellValue, ERROR_LITERALS, type RawSheet, type RawWorkbook } from "../../core/cells.js";
import { SHEET_LIMITS, type SheetLimits, workbookLimitReason } from "../../core/sheet-limits.js";
import type { WardConfig } from "../../config.js";
import { unitLabel } from "../../core/organisation.js";
import { SheetsReadError } from "../../errors.js";
import type { SheetSource } from "../../ports.js";
import type { GoogleClients } from "./clients.js";
import { GoogleApiError } from "./google-errors.js";
import { type RetryOptions, withRetry } from "./retry.js";
import { TAB_FIELDS, type TabGrid, boundedRange, tabGrids, tabsToRead } from "./sheet-tabs.js";

export { quoteTab } from "./sheet-tabs.js";

export interface GoogleSheetSourceOptions {
  clients: Pick<GoogleClients, "sheets">;
  catalogues: readonly Catalogue[];
  /** The ward's spreadsheet id, or null when it has none yet. */
  spreadsheetIdOf(ward: WardConfig): Promise<string | null>;
  retry?: RetryOptions;
  /** Rows per tab and cells read (default SHEET_LIMITS, as the local reader). */
  limits?: SheetLimits;
}

/** The tab title of a returned range ("'Tab ''x'''!A1:H40" → "Tab 'x'"), or null. */
export function tabOfRange(range: string | null | undefined): string | null {
  if (!range) return null;
  const bang = range.lastIndexOf("!");
  const sheet = bang >= 0 ? range.slice(0, bang) : range;
  return sheet.startsWith("'") && sheet.endsWith("'") ? sheet.slice(1, -1).replaceAll("''", "'") : sheet;
}

const ERRORS = new Set<string>(ERROR_LITERALS);

/** One cell as the API gives it (UNFORMATTED_VALUE) to a CellValue: "" → null, "#REF!" → error value. */
export function toCellValue(value: unknown): CellValue {
  if (value === null || value === undefined || value === "") return null;
  if (typeof value === "number" || typeof value === "boolean") return value;
  const text = String(value);
  return ERRORS.has(text) ? { error: text } : text;
}

function toRawSheet(valueRange: sheets_v4.Schema$ValueRange, requested: string): RawSheet {
  const rows = (valueRange.values ?? []).map((row: unknown[]) => row.map(toCellValue));
  return { title: tabOfRange(valueRange.range) ?? requested, rows };
}

/** True when batchGet refused a range because the tabs changed since they were listed (renamed, deleted, rows deleted). */
function isStaleRange(error: unknown): boolean {
  return error instanceof GoogleApiError && error.status === 400 && /unable to parse range|exceeds grid limits/iu.test(error.detail);
}

/** The failure as a SheetsReadError when it concerns this ward only (gone, or not shared). */
function asReadError(error: unknown, ward: WardConfig): unknown {
  if (!(error instanceof GoogleApiError)) return error;
  const target = `bảng tính của ${unitLabel(ward)}`;
  if (error.status === 404) return new SheetsReadError(target, "không tìm thấy bảng tính (đã bị xóa hoặc đổi sang tệp khác)", { cause: error });
  if (error.status === 403) return new SheetsReadError(target, "tài khoản của hệ thống không có quyền đọc bảng tính (cần chia sẻ lại)", { cause: error });
  return error;
}

type ReadContext = Pick<GoogleSheetSourceOptions, "clients" | "catalogues"> & { retry: RetryOptions; limits: SheetLimits };

/** The tabs and their grid sizes: one spreadsheets.get without cell data. */
async function readTabGrids(ctx: ReadContext, spreadsheetId: string): Promise<TabGrid[]> {
  const response = await withRetry("sheets.spreadsheets.get", () => ctx.clients.sheets.spreadsheets.get({ spreadsheetId, fields: TAB_FIELDS }), {
    ...ctx.retry,
    idempotent: true,
  });
  return tabGrids(response.data);
}

/** One values.batchGet of the given tabs, each bounded (none: no request). */
async function batchGetTabs(ctx: ReadContext, spreadsheetId: string, tabs: readonly TabGrid[]): Promise<RawWorkbook> {
  if (!tabs.length) return { sheets: [] };
  const response = await withRetry(
    "sheets.values.batchGet",
    () =>
      ctx.clients.sheets.spreadsheets.values.batchGet({
        spreadsheetId,
        ranges: tabs.map((tab) => boundedRange(tab, ctx.limits)),
        valueRenderOption: "UNFORMATTED_VALUE",
        dateTimeRenderOption: "SERIAL_NUMBER",
        majorDimension: "ROWS",
      }),
    { ...ctx.retry, idempotent: true },
  );
  const ranges = response.data.valueRanges ?? [];
  return { sheets: ranges.map((range, i) => toRawSheet(range, tabs[i]?.title ?? "")) };
}

/** Titles and grids, then the tabs; once more if a tab was renamed or deleted in between. */
async function readWorkbook(ctx: ReadContext, spreadsheetId: string): Promise<{ workbook: RawWorkbook; grids: TabGrid[] }> {
  for (let attempt = 1; ; attempt++) {
    const grids = await readTabGrids(ctx, spreadsheetId);
    try {
      return { workbook: await batchGetTabs(ctx, spreadsheetId, tabsToRead(grids, ctx.catalogues)), grids };
    } catch (error) {
      if (attempt >= 2 || !isStaleRange(error)) throw error;
    }
  }
}

/**
 * SheetSource reading every tab of a ward's spreadsheet that may hold staff input, with two
 * Sheets reads: the tab titles and grid sizes, then one values.batchGet. Past the reading
 * limits the ward is unreadable with the same reason as a local file.
 */
export function googleSheetSource(options: GoogleSheetSourceOptions): SheetSource {
  const ctx: ReadContext = { clients: options.clients, catalogues: options.catalogues, retry: options.retry ?? {}, limits: options.limits ?? SHEET_LIMITS };
  return {
    read: async (ward) => {
      const spreadsheetId = await options.spreadsheetIdOf(ward);
      if (spreadsheetId === null) return null;
      let read: Awaited<ReturnType<typeof readWorkbook>>;
      try {
        read = await readWorkbook(ctx, spreadsheetId);
      } catch (error) {
        throw asReadError(error, ward);
      }
      const rowsOf = (title: string): number => read.grids.find((g) => g.title === title)?.rowCount ?? 0;
      const reason = workbookLimitReason(read.workbook, ctx.limits, rowsOf);
      if (reason !== null) throw new SheetsReadError(`bảng tính của ${unitLabel(ward)}`, reason, { kind: "too-many-rows" });
      return read.workbook;
    },
  };
}
