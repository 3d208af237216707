/**
 * The hash of what ward staff typed, whatever source the workbook came from: the programme
 * tabs only (not the guide, not the service's own tabs), sorted by title, trailing empty
 * cells and rows dropped. Equal hashes mean staff changed nothing, even when the file's
 * version moved because the service wrote its Kiểm tra tab.
 */
import { CHECK_TAB, GUIDE_TAB, SUMMARY_TAB } from "../../sheets-schema/layout.js";
import { foldKey } from "../../sheets-schema/text.js";
import type { CellValue, RawSheet, RawWorkbook } from "../core/cells.js";
import { sha256Hex } from "../hashing.js";

const NOT_INPUT = new Set([GUIDE_TAB, CHECK_TAB, SUMMARY_TAB].map(foldKey));

function canonicalRows(rows: RawSheet["rows"]): CellValue[][] {
  const trimmed = rows.map((row) => {
    const cells = [...row];
    while (cells.length && cells[cells.length - 1] === null) cells.pop();
    return cells;
  });
  while (trimmed.length && trimmed[trimmed.length - 1]?.length === 0) trimmed.pop();
  return trimmed;
}

/**
 * Merges and date formats change what the clerk typed as read (a merge empties cells, a date
 * format turns points into a date): hashed when the source gives them, and only then, so the
 * hashes of sources that never do (Google's values API) stay as they were.
 */
function layoutOf(sheet: RawSheet): unknown[] {
  const formats = Object.entries(sheet.numberFormats ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const merges = [...(sheet.merges ?? [])].sort();
  return merges.length || formats.length ? [{ merges, formats }] : [];
}

/**
 * SHA-256 of the staff input in a workbook: the programme tabs only (not the guide, not the
 * service's own tabs), sorted by title, trailing empty cells and rows dropped. Equal hashes
 * mean staff changed nothing, even when the file's version moved because the service wrote
 * its Kiểm tra tab.
 */
export function inputHash(workbook: RawWorkbook): string {
  const tabs = workbook.sheets
    .filter((s) => !NOT_INPUT.has(foldKey(s.title)))
    .map((s) => [s.title, canonicalRows(s.rows), ...layoutOf(s)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return sha256Hex(JSON.stringify(tabs));
}
