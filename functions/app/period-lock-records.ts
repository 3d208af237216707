/**
 * The records of the Google period locks (issue 12): one object per ward and period,
 * "locks/<period>/<ward>.json", while the lock is on; once the period has ended and the sweep
 * lifted it, the record moves to "locks-lifted/<period>/<ward>.json" with when and why, so the
 * sweep's listing of "locks/" holds only the locks still on.
 */
/** What was locked of one ward's spreadsheet, when and by whom; `lifted` once the period ended and the lock came off. */
export interface WardLockRecord {
  ward: string;
  spreadsheetId: string;
  tabs: string[];
  at: string;
  by: string;
  lifted?: { at: string; by: string; reason: string };
}

export const LOCKS = "locks/";
const LIFTED = "locks-lifted/";
export const lockPrefix = (period: string): string => `${LOCKS}${period}/`;
export const lockKey = (period: string, ward: string): string => `${lockPrefix(period)}${encodeURIComponent(ward)}.json`;
export const liftedLockKey = (period: string, ward: string): string => `${LIFTED}${period}/${encodeURIComponent(ward)}.json`;

/** The period and ward of a key under "locks/", or null for any other key. */
export function lockOfKey(key: string): { period: string; ward: string } | null {
  const match = /^locks\/([^/]+)\/([^/]+)\.json$/.exec(key);
  return match ? { period: match[1]!, ward: decodeURIComponent(match[2]!) } : null;
}
