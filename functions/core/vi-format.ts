/**
 * Vietnamese formatting for documents and emails: dates in the administrative style
 * (Nghị định 30/2020), vi-VN numbers and percentages. All in Asia/Ho_Chi_Minh.
 */
import { VIETNAM_OFFSET_MS } from "./period.js";

function localParts(instant: Date): { day: number; month: number; year: number } {
  const d = new Date(instant.getTime() + VIETNAM_OFFSET_MS);
  return { day: d.getUTCDate(), month: d.getUTCMonth() + 1, year: d.getUTCFullYear() };
}

/**
 * "ngày 02 tháng 11 năm 2023": days under 10 zero-padded; of the months only 01 and 02 are
 * (NĐ 30/2020, Phụ lục I), so "tháng 3" … "tháng 12".
 *
 * @example documentDate(new Date("2023-03-05T03:00:00Z")) === "ngày 05 tháng 3 năm 2023"
 */
export function documentDate(instant: Date): string {
  const { day, month, year } = localParts(instant);
  const mm = month <= 2 ? `0${month}` : String(month);
  return `ngày ${String(day).padStart(2, "0")} tháng ${mm} năm ${year}`;
}

/** "Cửa Lò, ngày 02 tháng 11 năm 2023". */
export function placeAndDate(place: string, instant: Date): string {
  return `${place}, ${documentDate(instant)}`;
}

/** "27/11/2026" in Vietnam time. */
export function dateVi(instant: Date): string {
  const { day, month, year } = localParts(instant);
  return `${String(day).padStart(2, "0")}/${String(month).padStart(2, "0")}/${year}`;
}

/** "08:05 ngày 27/11/2026" in Vietnam time. */
export function dateTimeVi(instant: Date): string {
  const d = new Date(instant.getTime() + VIETNAM_OFFSET_MS);
  const hhmm = `${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")}`;
  return `${hhmm} ngày ${dateVi(instant)}`;
}

/** One formatter per number of decimals: building an Intl.NumberFormat costs ~50 µs, formatting ~1 µs. */
const formatters = new Map<number, Intl.NumberFormat>();

/** "1.234,5": vi-VN grouping and decimal comma. */
export function numberVi(value: number, fractionDigits = 2): string {
  let format = formatters.get(fractionDigits);
  if (!format) {
    format = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: fractionDigits });
    formatters.set(fractionDigits, format);
  }
  return format.format(value);
}

/** A number as typed in a Vietnamese sheet, decimal comma, no grouping: 8.5 → "8,5", 1234.5 → "1234,5". */
export function decimalVi(value: number): string {
  return String(value).replace(".", ",");
}

/** "81,8%" for 18/22. Zero denominators give "0%". */
export function percentVi(part: number, whole: number): string {
  const ratio = whole ? (part / whole) * 100 : 0;
  return `${numberVi(ratio, 1)}%`;
}

/** "+2", "−1", "0": a signed change, with a true minus sign. */
export function signedVi(delta: number): string {
  if (delta > 0) return `+${numberVi(delta)}`;
  if (delta < 0) return `−${numberVi(-delta)}`;
  return "0";
}

/** Period labels live with the rest of the wording; re-exported for the formatters' callers. */
export { periodLabel } from "./vocabulary.js";

/** A label at the start of a sentence: "tuần 40/2026" → "Tuần 40/2026". */
export function sentenceCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * "Số: 05/BC-CATX"; without a number, a blank for the clerk who registers the document
 * ("Số:      /BC-CATX"), as drafts are numbered on issue.
 */
export function documentNumber(number: number | null, kind: string, issuerCode: string): string {
  const n = number === null ? "\u00A0".repeat(6) : String(number).padStart(2, "0");
  return `Số: ${n}/${kind}-${issuerCode}`;
}
