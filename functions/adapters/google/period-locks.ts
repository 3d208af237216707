/**
 * PeriodLocks over Google Sheets: closing a period protects every programme tab of a ward's
 * spreadsheet (a real protection, not a warning) whose editors are the supervising office;
 * Sheets adds the service account, which requests it, so the Kiểm tra tab and later repairs
 * still work. Each protection is named for its period, and reopening removes exactly the
 * protections of that name. One spreadsheets.get and at most one batchUpdate per spreadsheet:
 * a province's wards stay within the Sheets write quota (60 a minute) with the adapters'
 * quota retry pacing them.
 */
import type { sheets_v4 } from "@googleapis/sheets";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { foldKey } from "../../../sheets-schema/text.js";
import { periodLabel } from "../../core/vocabulary.js";
import type { PeriodLocks } from "../../ports.js";
import { PeriodLockError } from "../../errors.js";
import type { GoogleClients } from "./clients.js";
import { plainFailure } from "./google-errors.js";
import { type RetryOptions, withRetry } from "./retry.js";

/** The description of a period's lock: the key in brackets makes it exact to find again. */
export const lockDescription = (period: string): string => `tieuchi: kỳ ${periodLabel(period)} đã chốt [${period}]`;

const FIELDS = "sheets(properties(sheetId,title),protectedRanges(protectedRangeId,description))";

interface LockContext {
  clients: Pick<GoogleClients, "sheets">;
  catalogues: readonly Catalogue[];
  retry: RetryOptions;
}

async function programmeTabs(ctx: LockContext, spreadsheetId: string): Promise<sheets_v4.Schema$Sheet[]> {
  const response = await withRetry("sheets.spreadsheets.get", () => ctx.clients.sheets.spreadsheets.get({ spreadsheetId, fields: FIELDS }), { ...ctx.retry, idempotent: true });
  const titles = new Set(ctx.catalogues.map((c) => foldKey(c.tabTitle)));
  return (response.data.sheets ?? []).filter((sheet) => titles.has(foldKey(sheet.properties?.title ?? "")));
}

async function batch(ctx: LockContext, spreadsheetId: string, requests: sheets_v4.Schema$Request[], idempotent: boolean): Promise<void> {
  if (requests.length === 0) return;
  await withRetry("sheets.spreadsheets.batchUpdate", () => ctx.clients.sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests } }), { ...ctx.retry, idempotent });
}

async function lock(ctx: LockContext, spreadsheetId: string, period: string, editors: readonly string[]): Promise<string[]> {
  const description = lockDescription(period);
  const open = (await programmeTabs(ctx, spreadsheetId)).filter((sheet) => !(sheet.protectedRanges ?? []).some((p) => p.description === description));
  const requests = open.map((sheet) => ({
    addProtectedRange: { protectedRange: { range: { sheetId: sheet.properties?.sheetId ?? 0 }, description, warningOnly: false, editors: { users: [...editors] } } },
  }));
  // Not idempotent: a repeat after an unanswered success would add each lock twice (reopening removes both).
  await batch(ctx, spreadsheetId, requests, false);
  return open.map((sheet) => sheet.properties?.title ?? "");
}

async function unlock(ctx: LockContext, spreadsheetId: string, period: string): Promise<string[]> {
  const description = lockDescription(period);
  const locked = (await programmeTabs(ctx, spreadsheetId)).flatMap((sheet) => (sheet.protectedRanges ?? []).filter((p) => p.description === description).map((p) => ({ id: p.protectedRangeId ?? 0, title: sheet.properties?.title ?? "" })));
  // A repeat deletes nothing twice: an id already gone fails the batch, which is then read again by the next reopen.
  await batch(ctx, spreadsheetId, locked.map((p) => ({ deleteProtectedRange: { protectedRangeId: p.id } })), false);
  return [...new Set(locked.map((p) => p.title))];
}

/** A failure as the office reads it (PeriodLockError: Vietnamese, the Google error kept as its cause). */
async function plainly<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw new PeriodLockError(plainFailure(error), { cause: error });
  }
}

/**
 * The period locks of the ward spreadsheets; a failure is a PeriodLockError in Vietnamese.
 *
 * @example await googlePeriodLocks(clients, { catalogues }).lock(spreadsheetId, "2026-11", ["truongphong@congan.example"]) // ["Phường điển hình", …]
 */
export function googlePeriodLocks(clients: Pick<GoogleClients, "sheets">, options: { catalogues: readonly Catalogue[]; retry?: RetryOptions }): PeriodLocks {
  const ctx: LockContext = { clients, catalogues: options.catalogues, retry: options.retry ?? {} };
  return { lock: (id, period, editors) => plainly(lock(ctx, id, period, editors)), unlock: (id, period) => plainly(unlock(ctx, id, period)) };
}
