/**
 * Numbers a spreadsheet shows as dates or times. Excel and LibreOffice turn "9/10" typed in a
 * points cell into the 9th of October (or the 10th of September), stored as a serial number
 * (days since 1899-12-30) with a date format: this recovers what the clerk typed.
 */
import { decimalVi } from "./vi-format.js";

const MS_PER_DAY = 86_400_000;
const SERIAL_EPOCH_MS = Date.UTC(1899, 11, 30);

/** A number format code without its quoted text, escaped characters and [bracketed] parts (colours, locales). */
function formatLetters(format: string): string {
  return format
    .replace(/"[^"]*"/gu, "")
    .replace(/\\./gu, "")
    .replace(/\[[^\]]*\]/gu, "")
    .toLowerCase();
}

/**
 * True when a number format shows a date or a time ("m/d/yy", "DD/MM/YYYY", "d-mmm", "h:mm").
 *
 * @example isDateFormat("MM/DD/YY") === true; isDateFormat("0.0") === false; isDateFormat("General") === false
 */
export function isDateFormat(format: string): boolean {
  const letters = formatLetters(format);
  return letters !== "general" && /[dmyhs]/u.test(letters.replace(/general/gu, ""));
}

// Serials of 2000-01-01 and 2099-12-31.
const FIRST_PLAUSIBLE = 36_526;
const LAST_PLAUSIBLE = 73_050;

/**
 * The format to read a points value with when the source gave none (Google's values API does
 * not): a whole number above the maximum that is a date of this century is a date the
 * spreadsheet made ("9/10" in a vi_VN spreadsheet is 9 October), read day first; else undefined.
 *
 * @example impliedDateFormat(46304, 10) === "dd/mm/yyyy"; impliedDateFormat(12, 10) === undefined
 */
export function impliedDateFormat(value: number, maxPoints: number): string | undefined {
  return Number.isInteger(value) && value > maxPoints && value >= FIRST_PLAUSIBLE && value <= LAST_PLAUSIBLE ? "dd/mm/yyyy" : undefined;
}

/** What the clerk most likely typed, and the number of points they meant. */
export interface TypedDate {
  /** As typed: "9/10", "8.5", "9:10". */
  typed: string;
  /** The points meant: "9", "8,5". */
  suggestion: string;
}

/**
 * What was typed into a cell that now holds a date: day and month in the order the format
 * shows them, without the year the program added.
 *
 * @example typedDate(46304, "DD/MM/YY") // → { typed: "9/10", suggestion: "9" } (9 October 2026)
 */
export function typedDate(serial: number, format: string, maxPoints: number | null = null): TypedDate {
  const letters = formatLetters(format);
  if (!/[dy]/u.test(letters) && /h/u.test(letters)) return typedTime(serial);
  // Serials of 1900 are numbers typed into a cell formatted as a date: the number is what was typed.
  if (serial < 367) return { typed: decimalVi(serial), suggestion: decimalVi(serial) };
  const date = new Date(SERIAL_EPOCH_MS + Math.floor(serial) * MS_PER_DAY);
  const day = date.getUTCDate();
  const month = date.getUTCMonth() + 1;
  const [first, second] = typedOrder(letters, day, month, maxPoints);
  const separator = separatorOf(letters);
  const typed = `${first}${separator}${second}`;
  return { typed, suggestion: separator === "." || separator === "," ? `${first},${second}` : String(first) };
}

// Numeric formats keep the order the program recognised the input in (LibreOffice writes "DD/MM/YY"
// in a Vietnamese locale, "MM/DD/YY" in an English one). Formats with month names ("d-mmm", Excel's
// own) do not: the points come first and the maximum, or the larger number, second.
function typedOrder(letters: string, day: number, month: number, maxPoints: number | null): [number, number] {
  if (!/mmm/u.test(letters)) return letters.indexOf("m") < letters.indexOf("d") ? [month, day] : [day, month];
  if (maxPoints !== null && day === maxPoints && month !== maxPoints) return [month, day];
  if (maxPoints !== null && month === maxPoints && day !== maxPoints) return [day, month];
  return day <= month ? [day, month] : [month, day];
}

function separatorOf(letters: string): string {
  const match = /[dm]+([/.,-])/u.exec(letters);
  return match?.[1] === "-" ? "/" : (match?.[1] ?? "/");
}

function typedTime(serial: number): TypedDate {
  const minutes = Math.round((serial - Math.floor(serial)) * 24 * 60);
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return { typed: `${hours}:${String(rest).padStart(2, "0")}`, suggestion: String(hours) };
}

/**
 * The points meant by text that is not a number but holds one the way people write a score:
 * "9/10", "8,5 / 10", "9 điểm", "9đ". Undefined for anything else.
 *
 * @example pointsInText("9/10") === "9"; pointsInText("8.5 điểm") === "8,5"; pointsInText("tám") === undefined
 */
export function pointsInText(text: string): string | undefined {
  const folded = text.normalize("NFC").trim().toLowerCase();
  const m = /^(\d+(?:[.,]\d+)?)\s*(?:\/\s*\d+(?:[.,]\d+)?|đ|điểm|đ\/\d+|điểm\s*\/\s*\d+)$/u.exec(folded);
  return m?.[1]?.replace(".", ",");
}
