/**
 * Vietnamese messages for ward staff, one per finding code (like zod's locales). Each says
 * what is wrong and what to type instead. Rendered late, from a finding's typed params, by
 * every place that shows a finding; nothing is hashed from these sentences.
 */
import type { Finding, FindingCode, FindingOf, Severity } from "./findings.js";
import { APPRAISAL_VALUES, CONCLUSION_LABEL, CONCLUSION_VALUES, SUBMISSION_LABEL, SUBMISSION_VALUES, headerOf } from "../../sheets-schema/layout.js";
import { showInvisible } from "../../sheets-schema/text.js";
import { pointsInText } from "./typed-date.js";
import { decimalVi, periodLabel, sentenceCase } from "./vi-format.js";
import { sheetPlace } from "./vocabulary.js";

/** A message table: for every code, the sentence from that code's finding. */
export type MessageTable = { [C in FindingCode]: (finding: FindingOf<C>) => string };

const MAX_SHOWN = 40;

/** Typed text for a message: invisible characters shown ("TC02⟨U+2060⟩"), long pastes shortened. */
function shorten(value: string): string {
  const shown = showInvisible(value);
  return shown.length > MAX_SHOWN ? `${shown.slice(0, MAX_SHOWN - 1)}…` : shown;
}

const choices = (allowed: readonly string[]): string => allowed.map((v) => `“${v}”`).join(", ");
const SUBMITTED = SUBMISSION_VALUES[1];
const [APPRAISED, RETURNED] = CONCLUSION_VALUES;
const APPRAISAL_CHOICE = APPRAISAL_VALUES.map((v) => `“${v}”`).join(" hoặc ");

const CODES_SHOWN = 10;

/** Criterion codes for a message, cut after ten: "TC01, TC02, …, TC10 và 12 tiêu chí khác". */
const codeList = (codes: readonly string[]): string =>
  codes.length > CODES_SHOWN ? `${codes.slice(0, CODES_SHOWN).join(", ")} và ${codes.length - CODES_SHOWN} tiêu chí khác` : codes.join(", ");

/** The criteria of an appraisal-missing finding; a finding stored before it listed them names one (`criterion`). */
const criteriaOf = (p: { criteria?: readonly string[]; criterion?: string }): readonly string[] => p.criteria ?? (p.criterion ? [p.criterion] : []);

const range = (p: { min: number; max: number }): string => `từ ${decimalVi(p.min)} đến ${decimalVi(p.max)}`;

/** The messages shipped: Vietnamese, with full diacritics. */
export const MESSAGES_VI: MessageTable = {
  "tab-missing": (f) => `Không tìm thấy trang tính “${f.tab}”. Hãy khôi phục trang tính này với đúng tên “${f.tab}” theo biểu mẫu gốc.`,
  "header-row-missing": () =>
    "Không tìm thấy dòng tiêu đề của bảng (STT, Mã tiêu chí, Nội dung tiêu chí, Kết quả, …). Hãy khôi phục dòng tiêu đề theo biểu mẫu gốc.",
  "header-missing": ({ params: p }) =>
    `Không tìm thấy cột “${p.header}” ở dòng tiêu đề. Hãy đặt lại đúng tên cột “${p.header}” (không đổi tên, không xóa cột).`,
  "ward-name-missing": ({ params: p }) => `Chưa ghi tên phường. Hãy nhập “${p.expected ?? "tên phường"}” vào ô bên phải ô “Tên phường:”.`,
  "ward-mismatch": ({ params: p }) => `Tên phường “${shorten(p.value)}” không khớp với phường của tệp này. Hãy nhập đúng “${p.expected}”.`,
  "criterion-missing": ({ params: p }) =>
    `Thiếu dòng của tiêu chí ${p.criterion}. Hãy thêm lại một dòng có Mã tiêu chí “${p.criterion}” (sao chép từ biểu mẫu gốc).`,
  "criterion-unknown": ({ params: p }) =>
    `Mã tiêu chí “${shorten(p.value)}” không có trong bộ tiêu chí ${p.programme}. Hãy sửa lại đúng mã (ví dụ TC01) hoặc xóa dòng này.`,
  "criterion-duplicate": ({ params: p }) =>
    `Mã tiêu chí ${p.criterion} bị lặp lại (đã có ở dòng ${p.firstRow}). Hãy xóa dòng trùng, mỗi tiêu chí chỉ giữ một dòng.`,
  "criterion-code-missing": ({ params: p }) =>
    `Dòng ${p.row} có dữ liệu nhưng không có Mã tiêu chí. Hãy nhập mã tiêu chí (ví dụ TC01) hoặc xóa dữ liệu ở dòng này.`,
  "result-missing": ({ params: p }) => `Chưa nhập Kết quả cho tiêu chí ${p.criterion}. Hãy chọn một trong các giá trị: ${p.allowed.join(", ")}.`,
  "result-invalid": ({ params: p }) =>
    `Giá trị “${shorten(p.value)}” không hợp lệ ở cột Kết quả. Hãy chọn một trong các giá trị: ${p.allowed.join(", ")}.`,
  "points-missing": ({ params: p }) => `Tiêu chí ${p.criterion} được chấm điểm nhưng chưa có Điểm tự chấm. Hãy nhập một số ${range(p)}.`,
  "points-not-number": ({ params: p }) => {
    const meant = pointsInText(p.value);
    return meant === undefined
      ? `Điểm tự chấm “${shorten(p.value)}” không phải là số. Hãy nhập một số ${range(p)} (phần thập phân dùng dấu phẩy, ví dụ 8,5).`
      : `Điểm tự chấm “${shorten(p.value)}” không phải là số. Hãy chỉ nhập số điểm: nhập ${meant} (một số ${range(p)}, không ghi kèm điểm tối đa hay chữ “điểm”).`;
  },
  "points-out-of-range": ({ params: p }) => `Điểm tự chấm ${decimalVi(p.value)} nằm ngoài khoảng cho phép. Hãy nhập một số ${range(p)}.`,
  "points-not-applicable": ({ params: p }) =>
    `Tiêu chí ${p.criterion} chỉ đánh giá Đạt hoặc Chưa đạt, không chấm điểm. Hãy xóa điểm ở ô này.`,
  "evidence-missing": ({ params: p }) =>
    `Tiêu chí ${p.criterion} được đánh giá Đạt nhưng chưa có minh chứng. Hãy ghi số, ngày văn bản hoặc đường dẫn tài liệu vào cột Minh chứng.`,
  "cell-error-value": ({ params: p }) =>
    `Ô này đang báo lỗi ${p.value} (công thức hỏng hoặc tham chiếu không còn tồn tại). Hãy nhập trực tiếp giá trị cần điền thay cho công thức.`,
  "legacy-encoding": ({ params: p }) =>
    `Chữ “${shorten(p.value)}” có vẻ được gõ bằng bảng mã cũ TCVN3 (.VnTime) hoặc VNI nên hiển thị sai dấu. Hãy gõ lại bằng bảng mã Unicode (trong Unikey chọn bảng mã Unicode).`,
  "tab-copy": (f) =>
    f.params.edited
      ? `Trang tính “${f.params.copy}” là bản sao của trang tính “${f.tab}” và có nội dung khác. Hệ thống chỉ tính trang tính “${f.tab}”, nên các thay đổi ở bản sao chưa được tính. Hãy chép các thay đổi sang trang tính “${f.tab}”, rồi xóa trang tính “${f.params.copy}”.`
      : `Trang tính “${f.params.copy}” là bản sao của trang tính “${f.tab}”. Hệ thống chỉ tính trang tính “${f.tab}”. Hãy xóa trang tính “${f.params.copy}” để tránh nhầm lẫn.`,
  "tab-copy-only": (f) =>
    `Không tìm thấy trang tính “${f.tab}”; trang tính “${f.params.copy}” có vẻ là trang tính này đã bị đổi tên hoặc sao chép. Hệ thống chỉ tính trang tính có tên đúng là “${f.tab}”. Hãy đổi tên trang tính “${f.params.copy}” thành “${f.tab}”.`,
  "merged-cell": (f) =>
    `Ô ${f.cell} nằm trong vùng gộp ô ${f.params.range}, nên giá trị ${f.params.header} chỉ thuộc về ô ${f.params.anchor}${f.criterion ? `, không tính cho tiêu chí ${f.criterion}` : ""}. Hãy bỏ gộp ô (Unmerge / Bỏ gộp ô) rồi nhập ${f.params.header} riêng cho từng dòng.`,
  "points-date": ({ params: p }) =>
    `Điểm tự chấm “${p.typed}” đã bị Excel/LibreOffice tự đổi thành ngày tháng nên không đọc được điểm. Hãy chỉ nhập số điểm (ví dụ ${p.suggestion}), một số ${range(p)}; nếu ô vẫn hiện ngày tháng, hãy định dạng ô là Số (Format Cells → Number) rồi nhập lại.`,
  "invisible-characters": ({ params: p }) =>
    `Ô này có ký tự ẩn không nhìn thấy được: “${shorten(p.value)}” (thường do sao chép từ Word hoặc trang web). Hệ thống đã bỏ các ký tự ẩn và đọc là “${shorten(p.read)}”. Nên xóa nội dung ô và gõ lại “${shorten(p.read)}”.`,
  // Closing a period.
  "edited-after-close": (f) =>
    `${sentenceCase(sheetPlace(f.tab))} được sửa sau khi đã chốt kỳ (${periodLabel(f.params.period)}): ${f.params.criteria.length ? `tiêu chí ${f.params.criteria.join(", ")} khác với số liệu đã chốt` : "nội dung khác với số liệu đã chốt"}. Số liệu đã chốt của kỳ này giữ nguyên; nếu cần sửa, hãy đề nghị cơ quan phụ trách mở lại kỳ.`,
  // The review cycle: the ward's Trạng thái cell, then the appraiser's cells.
  "submission-invalid": (f) =>
    `Giá trị “${shorten(f.params.value)}” không hợp lệ ở ô “${SUBMISSION_LABEL}” (${sheetPlace(f.tab, f.cell)}). Hãy chọn một trong các giá trị: ${choices(f.params.allowed)}.`,
  "submission-blocked": (f) =>
    `Chưa nhận đề nghị thẩm định: ${sheetPlace(f.tab)} còn ${f.params.errors} lỗi. Hãy sửa hết các lỗi được liệt kê trong kết quả kiểm tra; khi không còn lỗi, đề nghị thẩm định (${sheetPlace(f.tab, f.cell)}) sẽ được tiếp nhận.`,
  "appraisal-invalid": (f) =>
    `Giá trị “${shorten(f.params.value)}” không hợp lệ ở cột “${headerOf("appraisal")}” (${sheetPlace(f.tab, f.cell)}). Hãy chọn ${f.params.allowed.map((v) => `“${v}”`).join(" hoặc ")}.`,
  "appraisal-missing": ({ params: p }) =>
    `Đã kết luận “${APPRAISED}” nhưng ${criteriaOf(p).length} tiêu chí chưa có ${headerOf("appraisal")}: ${codeList(criteriaOf(p))}. Hãy chọn ${APPRAISAL_CHOICE} ở cột “${headerOf("appraisal")}” cho các tiêu chí này; kết luận chỉ được ghi nhận khi mọi tiêu chí đã được thẩm định.`,
  "appraisal-note-missing": (f) =>
    f.params.criterion === null
      ? `Đã kết luận “${RETURNED}” (${sheetPlace(f.tab, f.cell)}) nhưng chưa có ${headerOf("appraisalNote")} nào. Hãy ghi ý kiến ở cột “${headerOf("appraisalNote")}” của các tiêu chí phường cần sửa, để thư trả lại nêu rõ lý do.`
      : `Tiêu chí ${f.params.criterion} được thẩm định “${APPRAISAL_VALUES[1]}” nhưng chưa có ${headerOf("appraisalNote")} (${sheetPlace(f.tab, f.cell)}). Hãy ghi lý do và yêu cầu khắc phục để phường biết cần sửa gì.`,
  "conclusion-invalid": (f) =>
    `Giá trị “${shorten(f.params.value)}” không hợp lệ ở ô “${CONCLUSION_LABEL}” (${sheetPlace(f.tab, f.cell)}). Hãy chọn một trong các giá trị: ${choices(f.params.allowed)}.`,
  "conclusion-before-submission": (f) =>
    `Đã ghi kết luận thẩm định (${sheetPlace(f.tab, f.cell)}) nhưng phường chưa chọn “${SUBMITTED}” ở ô “${SUBMISSION_LABEL}”. Kết luận chỉ được ghi nhận sau khi phường đề nghị thẩm định; hãy xóa kết luận hoặc chờ phường đề nghị.`,
  "conclusion-stale": (f) =>
    `Kết luận “${RETURNED}” ở ô “${CONCLUSION_LABEL}” (${sheetPlace(f.tab, f.cell)}) là của lần thẩm định trước; phường đã gửi lại đề nghị thẩm định. Hãy xóa ô này rồi chọn lại kết luận khi thẩm định xong lần này (chọn “${APPRAISED}” thì được ghi nhận ngay).`,
  "returned-still-submitted": (f) =>
    `${sentenceCase(sheetPlace(f.tab))} đã được trả lại để bổ sung, sửa theo ý kiến thẩm định; khi ô “${SUBMISSION_LABEL}” (${sheetPlace(f.tab, f.cell)}) vẫn ghi “${SUBMITTED}”, các chỉnh sửa chưa được coi là gửi lại. Hãy chọn “${SUBMISSION_VALUES[0]}” khi bắt đầu sửa, sửa xong chọn lại “${SUBMITTED}”.`,
};

/** Severity names are part of the vocabulary; re-exported for the places that show findings. */
export { SEVERITY_LABEL } from "./vocabulary.js";

/** What kind of mistake each code is, in a word or two: the column staff read instead of the code. */
export const FINDING_TITLES: Record<FindingCode, string> = {
  "tab-missing": "Thiếu trang tính",
  "header-row-missing": "Thiếu dòng tiêu đề",
  "header-missing": "Thiếu cột",
  "ward-name-missing": "Chưa ghi tên phường",
  "ward-mismatch": "Tên phường không khớp",
  "criterion-missing": "Thiếu dòng tiêu chí",
  "criterion-unknown": "Mã tiêu chí không có trong bộ tiêu chí",
  "criterion-duplicate": "Mã tiêu chí bị lặp",
  "criterion-code-missing": "Dòng thiếu mã tiêu chí",
  "result-missing": "Chưa nhập kết quả",
  "result-invalid": "Kết quả không hợp lệ",
  "points-missing": "Chưa nhập điểm tự chấm",
  "points-not-number": "Điểm không phải là số",
  "points-out-of-range": "Điểm ngoài khoảng cho phép",
  "points-not-applicable": "Điểm ở tiêu chí không chấm điểm",
  "evidence-missing": "Thiếu minh chứng",
  "cell-error-value": "Ô báo lỗi công thức",
  "legacy-encoding": "Chữ gõ bằng bảng mã cũ",
  "tab-copy": "Bản sao của trang tính",
  "tab-copy-only": "Chỉ có bản sao của trang tính",
  "merged-cell": "Ô bị gộp",
  "points-date": "Điểm bị đổi thành ngày tháng",
  "invisible-characters": "Ký tự ẩn",
  "edited-after-close": "Sửa sau khi đã chốt kỳ",
  "submission-invalid": "Trạng thái không hợp lệ",
  "submission-blocked": "Chưa nhận đề nghị thẩm định",
  "appraisal-invalid": "Kết quả thẩm định không hợp lệ",
  "appraisal-missing": "Chưa thẩm định tiêu chí",
  "appraisal-note-missing": "Thiếu ý kiến thẩm định",
  "conclusion-invalid": "Kết luận thẩm định không hợp lệ",
  "conclusion-before-submission": "Kết luận trước khi phường đề nghị",
  "conclusion-stale": "Kết luận của lần thẩm định trước",
  "returned-still-submitted": "Đã trả lại nhưng chưa gửi lại",
};

function render<C extends FindingCode>(finding: FindingOf<C>, table: MessageTable): string {
  return table[finding.code](finding);
}

/**
 * The sentence staff read for a finding, rendered from its code and params.
 *
 * @example findingMessage(finding) // "Chưa nhập Kết quả cho tiêu chí TC03. Hãy chọn một trong các giá trị: Đạt, Chưa đạt, Đang thực hiện."
 */
export function findingMessage(finding: Finding, table: MessageTable = MESSAGES_VI): string {
  return storedSentence(finding) ?? render<FindingCode>(finding, table);
}

/**
 * Ward states and snapshots written before findings carried params hold the sentence
 * instead; such a finding is shown as it was written.
 */
function storedSentence(finding: Finding): string | undefined {
  const stored = finding as { params?: unknown; message?: unknown };
  return stored.params === undefined && typeof stored.message === "string" ? stored.message : undefined;
}

/** A finding as shown outside the service (`check --json`): its place, code and sentence. */
export interface RenderedFinding {
  severity: Severity;
  tab: string;
  cell: string;
  criterion: string | null;
  code: FindingCode;
  message: string;
}

/** A finding with its sentence rendered, in the documented order of `check --json`. */
export function renderFinding(finding: Finding, table: MessageTable = MESSAGES_VI): RenderedFinding {
  const { severity, tab, cell, criterion, code } = finding;
  return { severity, tab, cell, criterion, code, message: findingMessage(finding, table) };
}
