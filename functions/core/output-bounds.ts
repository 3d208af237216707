/**
 * How much of a ward's findings a letter, report, Kiểm tra tab or email lists. A ward that
 * pastes 200,000 rows must still be told, in a file a person can open and a message a relay
 * accepts: the first findings are listed, then one line says how many more and where the full
 * list is (the ward's .xlsx/.csv). Pure.
 */
import type { Finding } from "./findings.js";
import { numberVi } from "./vi-format.js";

/** Findings listed per ward in any one output; the full list stays in the .xlsx/.csv. */
export const MAX_LISTED_FINDINGS = 200;

/** Largest email tieuchi sends, HTML, text and attachments as encoded on the wire. */
export const MAX_EMAIL_BYTES = 2 * 1024 * 1024;

export interface ListedFindings<F extends Finding = Finding> {
  /** What to list: errors before warnings when some must be left out, each group in sheet order. */
  shown: F[];
  /** How many are not listed, by severity. */
  more: { errors: number; warnings: number };
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
  return { shown, more: { errors: errors.length - shownErrors, warnings: findings.length - errors.length - (shown.length - shownErrors) } };
}

/**
 * The line after a cut list, or null when nothing was left out. `where` names the full list
 * ("tệp “nghi-hoa.xlsx” …"); null when the reader has none (the Google Kiểm tra tab): then
 * the line says the rest is shown once these are fixed.
 *
 * @example moreFindingsLine({ errors: 1200, warnings: 3 }, "tệp “nghi-hoa.xlsx”") // "… và 1.200 lỗi, 3 cảnh báo khác; xem đầy đủ trong tệp “nghi-hoa.xlsx”."
 */
export function moreFindingsLine(more: ListedFindings["more"], where: string | null): string | null {
  const parts = [more.errors ? `${numberVi(more.errors)} lỗi` : "", more.warnings ? `${numberVi(more.warnings)} cảnh báo` : ""].filter(Boolean);
  if (!parts.length) return null;
  const rest = where === null ? "hãy sửa các lỗi trên rồi lưu lại, hệ thống sẽ kiểm tra lại và báo tiếp" : `xem đầy đủ trong ${where}`;
  return `… và ${parts.join(", ")} khác; ${rest}.`;
}

/** Where a local ward's full list is, said the way staff read it (its file in out/kiem-tra/). */
export function fullListFile(wardId: string): string {
  return `tệp “${wardId}.xlsx” (hoặc “${wardId}.csv”) trong thư mục kết quả kiểm tra (out/kiem-tra/)`;
}
