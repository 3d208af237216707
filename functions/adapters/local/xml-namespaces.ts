/**
 * Two ways of writing the same SpreadsheetML that Excel opens and exceljs does not read:
 * - Strict Open XML (Excel's "Strict Open XML Spreadsheet"): the purl.oclc.org namespaces,
 *   and dates stored as ISO 8601 text (`t="d"`) instead of serial numbers;
 * - a prefixed namespace (`<x:worksheet xmlns:x="…/main">`), as programs built on the Open
 *   XML SDK write it; exceljs matches element names with their prefix.
 * Each part is rewritten, in memory, to the transitional, unprefixed form exceljs expects.
 */

const TRANSITIONAL: ReadonlyArray<readonly [string, string]> = [
  ["http://purl.oclc.org/ooxml/spreadsheetml/main", "http://schemas.openxmlformats.org/spreadsheetml/2006/main"],
  ["http://purl.oclc.org/ooxml/officeDocument/relationships", "http://schemas.openxmlformats.org/officeDocument/2006/relationships"],
  ["http://purl.oclc.org/ooxml/drawingml/main", "http://schemas.openxmlformats.org/drawingml/2006/main"],
];
const MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

/** The part with every Strict namespace URI replaced by its transitional twin. */
function toTransitional(xml: string): string {
  let out = xml;
  for (const [strict, transitional] of TRANSITIONAL) out = out.replaceAll(strict, transitional);
  return out.replace(/\sconformance="strict"/gu, "");
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/gu, "\\$&");
}

/** The part with the SpreadsheetML prefix ("x:") taken off every element, the namespace made the default. */
function unprefixMain(xml: string): string {
  const declared = new RegExp(`\\sxmlns:([\\w.-]+)\\s*=\\s*["']${escapeRegExp(MAIN_NS)}["']`, "u").exec(xml);
  const prefix = declared?.[1];
  if (prefix === undefined) return xml;
  const p = escapeRegExp(prefix);
  return xml
    .replace(new RegExp(`\\sxmlns\\s*=\\s*(?:"[^"]*"|'[^']*')`, "gu"), "")
    .replace(new RegExp(`\\sxmlns:${p}\\s*=\\s*["']${escapeRegExp(MAIN_NS)}["']`, "gu"), ` xmlns="${MAIN_NS}"`)
    .replace(new RegExp(`<(/?)${p}:`, "gu"), "<$1");
}

const DAY_MS = 86_400_000;
const EPOCH_1900 = Date.UTC(1899, 11, 30);

/** An ISO 8601 date or date-time ("2023-11-02", "2023-11-02T08:30:00") as a spreadsheet serial, or null. */
export function isoToSerial(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?Z?$/u.exec(text.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
  const daysInMonth = (Date.UTC(y, mo, 1) - Date.UTC(y, mo - 1, 1)) / DAY_MS;
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth || h > 23 || mi > 59 || s > 59) return null;
  return (Date.UTC(y, mo - 1, d, h, mi, s) - EPOCH_1900) / DAY_MS;
}

// Serial numbers of a workbook in the 1904 date system start 1,462 days later.
const DAYS_1900_TO_1904 = 1_462;

/** Cells stored as ISO dates (`<c t="d"><v>2023-11-02T00:00:00</v></c>`) as serial numbers, as Excel reads them. */
function isoDateCells(xml: string, date1904: boolean): string {
  return xml.replace(/<c\b([^>]*?)\st="d"([^>]*)>\s*<v>([^<]*)<\/v>/gu, (whole, before: string, after: string, value: string) => {
    const serial = isoToSerial(value);
    return serial === null ? whole : `<c${before}${after}><v>${date1904 ? serial - DAYS_1900_TO_1904 : serial}</v>`;
  });
}

/** True when a (canonical) workbook part uses the 1904 date system (`<workbookPr date1904="1"/>`). */
export function usesDate1904(book: string): boolean {
  return /<workbookPr\b[^>]*\sdate1904\s*=\s*["'](?:1|true)["']/u.test(book);
}

/** A kept part (workbook, worksheet, shared strings, styles) in the form exceljs reads. */
export function canonicalPart(xml: string, date1904 = false): string {
  return isoDateCells(unprefixMain(toTransitional(xml)), date1904);
}
