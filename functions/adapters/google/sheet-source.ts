/**
 * SheetSource over Google Sheets: one values.batchGet per read, covering every programme
 * tab, delivered as the same RawWorkbook the xlsx reader gives. Read-only.
 */
import type { sheets_v4 } from "@googleapis/sheets";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { foldKey } from "../../../sheets-schema/text.js";
import { type CellValue, ERROR_LITERALS, type RawSheet, type RawWorkbook } from "../../core/cells.js";
import type { WardConfig } from "../../config.js";
import { SheetsReadError } from "../../errors.js";
import type { SheetSource } from "../../ports.js";
import type { GoogleClients } from "./clients.js";
import { GoogleApiError } from "./google-errors.js";
import { type RetryOptions, withRetry } from "./retry.js";

export interface GoogleSheetSourceOptions {
  clients: Pick<GoogleClients, "sheets">;
  catalogues: readonly Catalogue[];
  /** The ward's spreadsheet id, or null when it has none yet. */
  spreadsheetIdOf(ward: WardConfig): Promise<string | null>;
  retry?: RetryOptions;
}

/** A tab title as an A1 range: quoted, inner apostrophes doubled ("'CA phường kiểu mẫu'"). */
export function quoteTab(title: string): string {
  return `'${title.replaceAll("'", "''")}'`;
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

/** True when batchGet refused a range naming a tab that does not exist. */
function isUnknownRange(error: unknown): boolean {
  return error instanceof GoogleApiError && error.status === 400 && /unable to parse range/iu.test(error.detail);
}

/** The failure as a SheetsReadError when it concerns this ward only (gone, or not shared). */
function asReadError(error: unknown, ward: WardConfig): unknown {
  if (!(error instanceof GoogleApiError)) return error;
  const target = `bảng tính của phường ${ward.name}`;
  if (error.status === 404) return new SheetsReadError(target, "không tìm thấy bảng tính (đã bị xóa hoặc đổi sang tệp khác)", { cause: error });
  if (error.status === 403) return new SheetsReadError(target, "tài khoản của hệ thống không có quyền đọc bảng tính (cần chia sẻ lại)", { cause: error });
  return error;
}

type ReadContext = Pick<GoogleSheetSourceOptions, "clients" | "catalogues"> & { retry: RetryOptions };

/** One values.batchGet of the given tabs (none: no request). */
async function batchGetTabs(ctx: ReadContext, spreadsheetId: string, titles: readonly string[]): Promise<RawWorkbook> {
  if (!titles.length) return { sheets: [] };
  const response = await withRetry(
    "sheets.values.batchGet",
    () =>
      ctx.clients.sheets.spreadsheets.values.batchGet({
        spreadsheetId,
        ranges: titles.map(quoteTab),
        valueRenderOption: "UNFORMATTED_VALUE",
        dateTimeRenderOption: "SERIAL_NUMBER",
        majorDimension: "ROWS",
      }),
    { ...ctx.retry, idempotent: true },
  );
  const ranges = response.data.valueRanges ?? [];
  return { sheets: ranges.map((range, i) => toRawSheet(range, titles[i] ?? "")) };
}

/** After a renamed or deleted tab: read the programme tabs that exist, matched as the parser matches them. */
async function readExistingTabs(ctx: ReadContext, spreadsheetId: string): Promise<RawWorkbook> {
  const response = await withRetry("sheets.spreadsheets.get", () => ctx.clients.sheets.spreadsheets.get({ spreadsheetId, fields: "sheets(properties(title))" }), {
    ...ctx.retry,
    idempotent: true,
  });
  const existing = (response.data.sheets ?? []).map((s) => s.properties?.title ?? "");
  const wanted = new Set(ctx.catalogues.map((c) => foldKey(c.tabTitle)));
  return batchGetTabs(ctx, spreadsheetId, existing.filter((title) => wanted.has(foldKey(title))));
}

async function readWorkbook(ctx: ReadContext, spreadsheetId: string): Promise<RawWorkbook> {
  try {
    return await batchGetTabs(ctx, spreadsheetId, ctx.catalogues.map((c) => c.tabTitle));
  } catch (error) {
    if (!isUnknownRange(error)) throw error;
    return readExistingTabs(ctx, spreadsheetId);
  }
}

/**
 * SheetSource reading every programme tab of a ward's spreadsheet with ONE values.batchGet
 * (three requests only when a tab was renamed or deleted).
 */
export function googleSheetSource(options: GoogleSheetSourceOptions): SheetSource {
  const ctx: ReadContext = { clients: options.clients, catalogues: options.catalogues, retry: options.retry ?? {} };
  return {
    read: async (ward) => {
      const spreadsheetId = await options.spreadsheetIdOf(ward);
      if (spreadsheetId === null) return null;
      try {
        return await readWorkbook(ctx, spreadsheetId);
      } catch (error) {
        throw asReadError(error, ward);
      }
    },
  };
}

/** Tabs that are not staff input: the guide and the service's own tabs. */

