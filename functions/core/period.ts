/**
 * Reporting periods and local dates in Asia/Ho_Chi_Minh (UTC+7, no daylight saving).
 * The instant always comes from a Clock passed in; nothing here reads the wall clock.
 */

/** Vietnam's offset from UTC in milliseconds; fixed since 1975, no daylight saving. */
export const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;

/** The calendar date and time in Vietnam for an instant, as UTC fields of a shifted Date. */
function local(instant: Date): Date {
  return new Date(instant.getTime() + VIETNAM_OFFSET_MS);
}

/**
 * ISO week period in Vietnam time, e.g. "2026-W48".
 *
 * @example weekPeriod(new Date("2026-11-27T03:00:00Z")) === "2026-W48"
 */
export function weekPeriod(instant: Date): string {
  const d = local(instant);
  const day = d.getUTCDay() || 7;
  const thursday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 4 - day));
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((thursday.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

/** The Vietnam-local calendar date as YYYY-MM-DD. */
export function localDate(instant: Date): string {
  return local(instant).toISOString().slice(0, 10);
}

/** "27/11/2026 10:05" in Vietnam time, for CLI and file stamps read by staff. */
export function formatLocalDateTime(instant: Date): string {
  const iso = local(instant).toISOString();
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)} ${iso.slice(11, 16)}`;
}
