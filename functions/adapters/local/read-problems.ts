/**
 * The reasons given when a workbook is past a reading limit: what happened, with the figures,
 * and what the ward can do about it.
 */
import { cellsReason, rowsReason } from "../../core/sheet-limits.js";
import type { ReadProblem } from "./xlsx-sniff.js";

const vi = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 1 });

function megabytes(bytes: number): string {
  return bytes < 1024 * 1024 ? `${vi.format(bytes / 1024)} KB` : `${vi.format(bytes / (1024 * 1024))} MB`;
}

const SHRINK = "trong khi một bảng tự đánh giá chỉ cần vài trăm KB. Hãy xóa các dòng thừa bên dưới bảng, xóa hình ảnh dán vào, rồi lưu lại.";

/**
 * The package inflates to more than tieuchi reads (a zip bomb, a huge paste, big pictures):
 * `declared` when the central directory says so, else null (found while inflating).
 */
export function sizeProblem(declared: number | null, limit: number): ReadProblem {
  const size = declared === null ? `vượt ${megabytes(limit)}` : `là ${megabytes(declared)} (tối đa ${megabytes(limit)})`;
  return { kind: "too-large", reason: `tệp quá lớn: khi giải nén, nội dung ${size}, ${SHRINK}` };
}

/** The file on disk is larger than any ward workbook should be. */
export function fileSizeProblem(bytes: number, limit: number): ReadProblem {
  return {
    kind: "too-large",
    reason: `tệp quá lớn (${megabytes(bytes)}, tối đa ${megabytes(limit)}). Hãy xóa các dòng thừa bên dưới bảng, xóa hình ảnh dán vào, rồi lưu lại.`,
  };
}

/** One tab holds far more rows than a catalogue has criteria (usually a paste). */
export function rowsProblem(tab: string, rows: number, limit: number): ReadProblem {
  return { kind: "too-many-rows", reason: rowsReason(tab, rows, limit) };
}

/** The workbook as a whole holds too many cells. */
export function cellsProblem(limit: number): ReadProblem {
  return { kind: "too-many-rows", reason: cellsReason(limit) };
}

/** A workbook named on the command line that is not there. */
export const MISSING_FILE_REASON =
  "không tìm thấy tệp này. Hãy kiểm tra tên tệp và đường dẫn (gõ đúng cả dấu và đuôi .xlsx), hoặc chạy lệnh ngay trong thư mục chứa tệp.";
