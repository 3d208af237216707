/**
 * Vietnamese messages for ward staff, one per finding code (like zod's locales).
 * Each says what is wrong and what to type instead.
 */
import { RESULT_VALUES } from "../../sheets-schema/layout.js";
import type { FindingCode } from "./findings.js";
import { decimalVi } from "./vi-format.js";

export interface MessageParams {
  criterion?: string;
  /** What staff typed (shortened for display). */
  value?: string;
  expected?: string;
  max?: number;
  row?: number;
  tab?: string;
  programme?: string;
}

const ALLOWED = RESULT_VALUES.join(", ");
const MAX_SHOWN = 40;

/** Shorten typed text for a message: long pastes would drown the message. */
export function shorten(value: string): string {
  return value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN - 1)}…` : value;
}

const MESSAGES: Record<FindingCode, (p: MessageParams) => string> = {
  "tab-missing": (p) => `Không tìm thấy trang tính “${p.tab}”. Hãy khôi phục trang tính này với đúng tên “${p.tab}” theo biểu mẫu gốc.`,
  "header-row-missing": () =>
    "Không tìm thấy dòng tiêu đề của bảng (STT, Mã tiêu chí, Nội dung tiêu chí, Kết quả, …). Hãy khôi phục dòng tiêu đề theo biểu mẫu gốc.",
  "header-missing": (p) =>
    `Không tìm thấy cột “${p.expected}” ở dòng tiêu đề. Hãy đặt lại đúng tên cột “${p.expected}” (không đổi tên, không xóa cột).`,
  "ward-name-missing": (p) => `Chưa ghi tên phường. Hãy nhập “${p.expected}” vào ô bên phải ô “Tên phường:”.`,
  "ward-mismatch": (p) => `Tên phường “${p.value}” không khớp với phường của tệp này. Hãy nhập đúng “${p.expected}”.`,
  "criterion-missing": (p) =>
    `Thiếu dòng của tiêu chí ${p.criterion}. Hãy thêm lại một dòng có Mã tiêu chí “${p.criterion}” (sao chép từ biểu mẫu gốc).`,
  "criterion-unknown": (p) =>
    `Mã tiêu chí “${p.value}” không có trong bộ tiêu chí ${p.programme}. Hãy sửa lại đúng mã (ví dụ TC01) hoặc xóa dòng này.`,
  "criterion-duplicate": (p) =>
    `Mã tiêu chí ${p.criterion} bị lặp lại (đã có ở dòng ${p.row}). Hãy xóa dòng trùng, mỗi tiêu chí chỉ giữ một dòng.`,
  "criterion-code-missing": (p) =>
    `Dòng ${p.row} có dữ liệu nhưng không có Mã tiêu chí. Hãy nhập mã tiêu chí (ví dụ TC01) hoặc xóa dữ liệu ở dòng này.`,
  "result-missing": (p) => `Chưa nhập Kết quả cho tiêu chí ${p.criterion}. Hãy chọn một trong các giá trị: ${ALLOWED}.`,
  "result-invalid": (p) => `Giá trị “${p.value}” không hợp lệ ở cột Kết quả. Hãy chọn một trong các giá trị: ${ALLOWED}.`,
  "points-missing": (p) =>
    `Tiêu chí ${p.criterion} được chấm điểm nhưng chưa có Điểm tự chấm. Hãy nhập một số từ 0 đến ${decimalVi(p.max ?? 0)}.`,
  "points-not-number": (p) =>
    `Điểm tự chấm “${p.value}” không phải là số. Hãy nhập một số từ 0 đến ${decimalVi(p.max ?? 0)} (phần thập phân dùng dấu phẩy, ví dụ 8,5).`,
  "points-out-of-range": (p) =>
    `Điểm tự chấm ${p.value} nằm ngoài khoảng cho phép. Hãy nhập một số từ 0 đến ${decimalVi(p.max ?? 0)}.`,
  "points-not-applicable": (p) =>
    `Tiêu chí ${p.criterion} chỉ đánh giá Đạt hoặc Chưa đạt, không chấm điểm. Hãy xóa điểm ở ô này.`,
  "evidence-missing": (p) =>
    `Tiêu chí ${p.criterion} được đánh giá Đạt nhưng chưa có minh chứng. Hãy ghi số, ngày văn bản hoặc đường dẫn tài liệu vào cột Minh chứng.`,
  "cell-error-value": (p) =>
    `Ô này đang báo lỗi ${p.value} (công thức hỏng hoặc tham chiếu không còn). Hãy nhập trực tiếp giá trị cần điền thay cho công thức.`,
  "legacy-encoding": (p) =>
    `Chữ “${p.value}” có vẻ được gõ bằng phông chữ cũ (TCVN3 hoặc VNI) nên hiển thị sai dấu. Hãy gõ lại bằng bảng mã Unicode (trong Unikey chọn bảng mã Unicode).`,
};

/** The Vietnamese message for a finding code. */
export function messageFor(code: FindingCode, params: MessageParams): string {
  return MESSAGES[code](params);
}
