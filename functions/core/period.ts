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

const WEEK_PERIOD = /^(\d{4})-W(\d{2})$/u;

/**
 * The first and last local dates (YYYY-MM-DD, Monday and Sunday) of an ISO week period, or
 * null when `period` is not one (or names a week the year does not have).
 *
 * @example periodDates("2026-W40") → { start: "2026-09-28", end: "2026-10-04" }
 */
export function periodDates(period: string): { start: string; end: string } | null {
  const m = WEEK_PERIOD.exec(period);
  if (!m) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  // ISO week 1 holds 4 January; its Monday starts the year's weeks.
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const monday = Date.UTC(year, 0, 4 - ((jan4.getUTCDay() || 7) - 1) + (week - 1) * 7);
  const start = new Date(monday).toISOString().slice(0, 10);
  const end = new Date(monday + 6 * 86_400_000).toISOString().slice(0, 10);
  if (week < 1 || weekPeriod(new Date(`${start}T12:00:00+07:00`)) !== period) return null;
  return { start, end };
}

/** Where a period stands at an instant: the week it names is over, running, or still to come. */
export function periodTense(period: string, now: Date): "closed" | "current" | "future" {
  const current = weekPeriod(now);
  return period === current ? "current" : period < current ? "closed" : "future";
}

/**
 * The date whose organisation (wards in force) a period's figures follow: its last day once it
 * is over, today while it runs.
 */
export function organisationDate(period: string, now: Date): string {
  const today = localDate(now);
  const end = periodDates(period)?.end ?? today;
  return end < today ? end : today;
}
