/**
 * Reporting periods and local dates in Asia/Ho_Chi_Minh (UTC+7, no daylight saving).
 * The instant always comes from a Clock passed in; nothing here reads the wall clock.
 *
 * A period is named by a sortable, file-safe key: "2026-W49" (ISO week), "2026-11" (month),
 * "2026-Q4" (quarter), "2026-H1" (half-year), "2026" (year). Keys of one kind sort in time
 * order; keys of different kinds are never compared (see samePeriodKind). The words people
 * read ("tháng 11/2026") are in vocabulary.ts.
 */

/** Vietnam's offset from UTC in milliseconds; fixed since 1975, no daylight saving. */
export const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;

/** Every kind of reporting period offices use, shortest first (the order of config and help texts). */
export const PERIOD_KINDS = ["week", "month", "quarter", "half", "year"] as const;

/** The kinds of reporting period: ISO week, month, quarter, half-year, year. */
export type PeriodKind = (typeof PERIOD_KINDS)[number];

/** A period key taken apart: `index` is the week, month, quarter or half number (1 for a year). */
export interface PeriodParts {
  kind: PeriodKind;
  year: number;
  index: number;
}

const DAY_MS = 86_400_000;

/** The calendar date and time in Vietnam for an instant, as UTC fields of a shifted Date. */
function local(instant: Date): Date {
  return new Date(instant.getTime() + VIETNAM_OFFSET_MS);
}

const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

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
  const week = Math.ceil(((thursday.getTime() - yearStart) / DAY_MS + 1) / 7);
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

/** The key of a period from its parts (no range check). */
export function periodKey(parts: PeriodParts): string {
  const { kind, year, index } = parts;
  if (kind === "week") return `${year}-W${String(index).padStart(2, "0")}`;
  if (kind === "month") return `${year}-${String(index).padStart(2, "0")}`;
  if (kind === "quarter") return `${year}-Q${index}`;
  if (kind === "half") return `${year}-H${index}`;
  return String(year);
}

/**
 * The period of a kind that contains an instant (Vietnam time).
 *
 * @example currentPeriod("quarter", new Date("2026-11-27T03:00:00Z")) === "2026-Q4"
 */
export function currentPeriod(kind: PeriodKind, instant: Date): string {
  if (kind === "week") return weekPeriod(instant);
  const d = local(instant);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth() + 1;
  const index = { month, quarter: Math.ceil(month / 3), half: month <= 6 ? 1 : 2, year: 1 }[kind];
  return periodKey({ kind, year, index });
}

const KEY = /^(\d{4})(?:-(W\d{2}|\d{2}|Q[1-4]|H[12]))?$/u;

/** First and last day of a week key's Monday-to-Sunday range, or null when the year has no such week. */
function weekRange(year: number, week: number): { start: string; end: string } | null {
  // ISO week 1 holds 4 January; its Monday starts the year's weeks.
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const monday = Date.UTC(year, 0, 4 - ((jan4.getUTCDay() || 7) - 1) + (week - 1) * 7);
  const start = isoDay(monday);
  if (week < 1 || weekPeriod(new Date(`${start}T12:00:00+07:00`)) !== periodKey({ kind: "week", year, index: week })) return null;
  return { start, end: isoDay(monday + 6 * DAY_MS) };
}

/**
 * A period key taken apart, or null when the text is not the key of a period that exists
 * ("2025-W53", "2026-13" and "2026-Q5" are not).
 *
 * @example parsePeriodKey("2026-H1") → { kind: "half", year: 2026, index: 1 }
 */
export function parsePeriodKey(key: string): PeriodParts | null {
  const m = KEY.exec(key);
  if (!m) return null;
  const year = Number(m[1]);
  const rest = m[2];
  if (rest === undefined) return { kind: "year", year, index: 1 };
  const head = rest.charAt(0);
  const index = Number(/\d/u.test(head) ? rest : rest.slice(1));
  if (head === "W") return weekRange(year, index) ? { kind: "week", year, index } : null;
  if (head === "Q") return { kind: "quarter", year, index };
  if (head === "H") return { kind: "half", year, index };
  return index >= 1 && index <= 12 ? { kind: "month", year, index } : null;
}

/** The kind of a period key, or null when it is not one. */
export function periodKind(key: string): PeriodKind | null {
  return parsePeriodKey(key)?.kind ?? null;
}

/** Whether two keys name periods of one kind (only those compare in time order). */
export function samePeriodKind(a: string, b: string): boolean {
  const kind = periodKind(a);
  return kind !== null && kind === periodKind(b);
}

/** The first and last months (1–12) of a period other than a week. */
function monthSpan(parts: PeriodParts): [number, number] {
  if (parts.kind === "month") return [parts.index, parts.index];
  if (parts.kind === "quarter") return [parts.index * 3 - 2, parts.index * 3];
  if (parts.kind === "half") return [parts.index * 6 - 5, parts.index * 6];
  return [1, 12];
}

/**
 * The first and last local dates (YYYY-MM-DD) of a period of any kind, or null when `period`
 * is not one. Weeks run Monday to Sunday.
 *
 * @example periodDates("2026-W40") → { start: "2026-09-28", end: "2026-10-04" }
 * @example periodDates("2026-Q1") → { start: "2026-01-01", end: "2026-03-31" }
 */
export function periodDates(period: string): { start: string; end: string } | null {
  const parts = parsePeriodKey(period);
  if (!parts) return null;
  if (parts.kind === "week") return weekRange(parts.year, parts.index);
  const [first, last] = monthSpan(parts);
  return { start: isoDay(Date.UTC(parts.year, first - 1, 1)), end: isoDay(Date.UTC(parts.year, last, 0)) };
}

/** Where a period stands at an instant: over, running, or still to come (any kind; not a key: "future"). */
export function periodTense(period: string, now: Date): "closed" | "current" | "future" {
  const kind = periodKind(period);
  if (kind === null) return "future";
  const current = currentPeriod(kind, now);
  return period === current ? "current" : period < current ? "closed" : "future";
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

/**
 * The date whose organisation (wards in force) a period's figures follow: its last day once it
 * is over, today while it runs.
 */
export function organisationDate(period: string, now: Date): string {
  const today = localDate(now);
  const end = periodDates(period)?.end ?? today;
  return end < today ? end : today;
}
