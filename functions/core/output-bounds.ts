/**
 * How much of a ward's findings a letter, report, Kiểm tra tab or email lists. A ward that
 * pastes 200,000 rows must still be told, in a file a person can open and a message a relay
 * accepts: the first findings are listed, then one line says how many more and where the full
 * list is (the ward's .xlsx/.csv). Pure.
 */
import type { Finding } from "./findings.js";
import { numberVi } from "./vi-format.js";
import { sheetPlace } from "./vocabulary.js";

/** Findings listed per ward in any one output; the full list stays in the .xlsx/.csv. */
export const MAX_LISTED_FINDINGS = 200;

/** Largest email tieuchi sends, HTML, text and attachments as encoded on the wire. */
export const MAX_EMAIL_BYTES = 2 * 1024 * 1024;

export interface ListedFindings<F extends Finding = Finding> {
  /** What to list: errors before warnings when some must be left out, each group in sheet order. */
  shown: F[];
  /** How many are not listed, by severity, and where they are (tabs and rows), when some are not. */
  more: { errors: number; warnings: number; places?: string };
}

const MAX_PLACES = 3;

/** Where left-out findings are, as staff find them: “trang tính “X” từ dòng 241 đến dòng 200.040”. */
function placesOf(omitted: readonly Finding[]): string | undefined {
  const rows = new Map<string, { first: number; last: number }>();
  for (const f of omitted) {
    const row = Number(/\d+/u.exec(f.cell)?.[0] ?? 0);
    const seen = rows.get(f.tab);
    rows.set(f.tab, seen ? { first: Math.min(seen.first, row), last: Math.max(seen.last, row) } : { first: row, last: row });
  }
  const parts = [...rows].slice(0, MAX_PLACES).map(([tab, { first, last }]) =>
    first === last ? `${sheetPlace(tab)} dòng ${numberVi(first)}` : `${sheetPlace(tab)} từ dòng ${numberVi(first)} đến dòng ${numberVi(last)}`,
  );
  if (rows.size > MAX_PLACES) parts.push(`${numberVi(rows.size - MAX_PLACES)} trang tính khác`);
  return parts.length ? parts.join(", ") : undefined;
}

/**
 * The findings to list, at most `max` (errors kept before warnings, since they change the count).
 *
 * @example listFindings(findings).more // { errors: 199800, warnings: 0 }
 */
export function listFindings<F extends Finding>(findings: readonly F[], max = MAX_LISTED_FINDINGS): ListedFindings<F> {
  if (findings.length <= max) return { shown: [...findings], more: { errors: 0, warnings: 0 } };
  const errors = findings.filter((f) => f.severity === "error");
  const shown = [...errors, ...findings.filter((f) => f.severity !== "error")].slice(0, Math.max(0, max));
  const shownErrors = shown.filter((f) => f.severity === "error").length;
  const listed = new Set(shown);
  const places = placesOf(findings.filter((f) => !listed.has(f)));
  const more = { errors: errors.length - shownErrors, warnings: findings.length - errors.length - (shown.length - shownErrors) };
  return { shown, more: places === undefined ? more : { ...more, places } };
}

/**
 * The line after a cut list, or null when nothing was left out. `where` names the full list
 * ("tệp “nghi-hoa.xlsx” …"); null when the reader has none (an email, the Google Kiểm tra tab):
 * then the line says on which tabs and rows the rest is, and that it is shown once these are fixed.
 *
 * @example moreFindingsLine({ errors: 1200, warnings: 3 }, "tệp “nghi-hoa.xlsx”") // "… và 1.200 lỗi, 3 cảnh báo khác; xem đầy đủ trong tệp “nghi-hoa.xlsx”."
 */
export function moreFindingsLine(more: ListedFindings["more"], where: string | null): string | null {
  const parts = [more.errors ? `${numberVi(more.errors)} lỗi` : "", more.warnings ? `${numberVi(more.warnings)} cảnh báo` : ""].filter(Boolean);
  if (!parts.length) return null;
  if (where !== null) return `… và ${parts.join(", ")} khác; xem đầy đủ trong ${where}.`;
  // No full list the reader can open (an email, the Google Kiểm tra tab): say where in the workbook the rest is.
  const at = more.places === undefined ? "" : `, ở ${more.places}`;
  return `… và ${parts.join(", ")} khác${at}; hãy sửa các lỗi trên rồi lưu lại, hệ thống sẽ kiểm tra lại và báo tiếp.`;
}

/** Where a local ward's full list is, said the way staff read it (its file in out/kiem-tra/). */
export function fullListFile(wardId: string): string {
  return `tệp “${wardId}.xlsx” (hoặc “${wardId}.csv”) trong thư mục kết quả kiểm tra (out/kiem-tra/)`;
}
