/**
 * How much of a workbook tieuchi reads, whatever its source: a ward's tab has fewer than a
 * hundred rows, so a tab of thousands is a paste gone wrong. Both sources check these limits
 * and give the same Vietnamese reason, so a ward hears the same thing from a file as from a
 * Google Sheet.
 */
import type { RawWorkbook } from "./cells.js";
import { sheetPlace } from "./vocabulary.js";

export interface SheetLimits {
  /** Rows on one tab. */
  rowsPerTab: number;
  /** Cells over the whole workbook. */
  cells: number;
}

export const SHEET_LIMITS: Readonly<SheetLimits> = { rowsPerTab: 5_000, cells: 200_000 };

const vi = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 1 });

/** The reason a tab past the row limit gives: its row count, the limit, and how to remove the rows. */
export function rowsReason(tab: string, rows: number, limit: number): string {
  return `${sheetPlace(tab)} có ${vi.format(rows)} dòng (tối đa ${vi.format(limit)}). Hãy xóa hẳn các dòng thừa bên dưới bảng (chọn các dòng, bấm chuột phải → Xóa, không chỉ xóa nội dung), rồi lưu lại.`;
}

/** The reason a workbook past the cell limit gives. */
export function cellsReason(limit: number): string {
  return `tệp có quá nhiều ô dữ liệu (hơn ${vi.format(limit)} ô). Hãy xóa các dòng, cột và trang tính thừa, chỉ giữ bảng tự đánh giá, rồi lưu lại.`;
}

/** Rows holding at least one value: one stray value far down a tab is one row (answered at its cell), not a paste. */
function filledRows(sheet: RawWorkbook["sheets"][number]): number {
  let filled = 0;
  for (const row of sheet.rows) if (row.some((v) => v !== null && v !== "")) filled++;
  return filled;
}

/**
 * The reason a workbook as read is past a limit, or null. `rowsOf` gives a tab's row count
 * when the source knows more than it delivered (a Google grid read only up to the limit).
 *
 * @example workbookLimitReason({ sheets: [{ title: "CA", rows: pasted }] }) // "trang tính “CA” có 200.000 dòng …"
 */
export function workbookLimitReason(workbook: RawWorkbook, limits: SheetLimits = SHEET_LIMITS, rowsOf: (title: string) => number = () => 0): string | null {
  let cells = 0;
  for (const sheet of workbook.sheets) {
    const filled = filledRows(sheet);
    if (filled > limits.rowsPerTab) return rowsReason(sheet.title, Math.max(filled, rowsOf(sheet.title)), limits.rowsPerTab);
    for (const row of sheet.rows) cells += row.length;
    if (cells > limits.cells) return cellsReason(limits.cells);
  }
  return null;
}
