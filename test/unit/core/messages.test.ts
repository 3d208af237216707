import { describe, expect, it } from "vitest";
import { APPRAISAL_VALUES, CONCLUSION_VALUES, RESULT_VALUES, SUBMISSION_VALUES } from "../../../sheets-schema/layout.js";
import { FINDING_CODES, type Finding, type FindingCode, type FindingParamsByCode } from "../../../functions/core/findings.js";
import { MESSAGES_VI, type MessageTable, findingMessage, renderFinding } from "../../../functions/core/messages.js";

const TAB = "CA phường kiểu mẫu";

// One finding of every code, with the params validateWard gives it.
const PARAMS: { [C in FindingCode]: FindingParamsByCode[C] } = {
  "tab-missing": {},
  "header-row-missing": {},
  "header-missing": { header: "Minh chứng" },
  "ward-name-missing": { expected: "Nghi Hương" },
  "ward-mismatch": { value: "Nghi Thu", expected: "Nghi Hương" },
  "criterion-missing": { criterion: "TC05" },
  "criterion-unknown": { value: "TC99", programme: "CA phường kiểu mẫu" },
  "criterion-duplicate": { criterion: "TC03", firstRow: 9 },
  "criterion-code-missing": { row: 40 },
  "result-missing": { criterion: "TC03", allowed: RESULT_VALUES },
  "result-invalid": { value: "dat roi", allowed: RESULT_VALUES },
  "points-missing": { criterion: "TC25", min: 0, max: 10 },
  "points-not-number": { value: "tám", min: 0, max: 7.5 },
  "points-out-of-range": { value: 12.5, min: 0, max: 10 },
  "points-not-applicable": { criterion: "TC01" },
  "evidence-missing": { criterion: "TC02" },
  "cell-error-value": { value: "#REF!" },
  "legacy-encoding": { value: "§· hoµn thµnh" },
  "tab-copy": { copy: "CA phường kiểu mẫu (2)", edited: true },
  "tab-copy-only": { copy: "CA phường kiểu mẫu (2)" },
  "merged-cell": { range: "D12:D14", anchor: "D12", header: "Kết quả" },
  "points-date": { typed: "9/10", suggestion: "9", min: 0, max: 10 },
  "invisible-characters": { value: "TC02\u2060", read: "TC02" },
  "edited-after-close": { period: "2026-11", criteria: ["TC01", "TC05"] },
  "submission-invalid": { value: "Xong", allowed: SUBMISSION_VALUES },
  "submission-blocked": { errors: 3 },
  "appraisal-invalid": { value: "Đang thực hiện", allowed: APPRAISAL_VALUES },
  "appraisal-missing": { criteria: ["TC05"] },
  "appraisal-note-missing": { criterion: "TC05" },
  "conclusion-invalid": { value: "Đồng ý", allowed: CONCLUSION_VALUES },
  "conclusion-before-submission": {},
  "conclusion-stale": {},
  "returned-still-submitted": {},
};

const findingOf = (code: FindingCode): Finding => ({ severity: "error", tab: TAB, cell: "D7", criterion: "TC01", code, params: PARAMS[code] }) as Finding;

describe("findingMessage", () => {
  it.each(FINDING_CODES.map((code) => [code]))("renders %s from its params, in NFC, with nothing left blank", (code) => {
    const message = findingMessage(findingOf(code));
    expect(message).toMatch(/^\p{Lu}.*\.$/u);
    expect(message.normalize("NFC")).toBe(message);
    expect(message).not.toMatch(/undefined|null|NaN|\[object/u);
  });

  it("says the values, numbers and names the params carry, in Vietnamese notation", () => {
    expect(findingMessage(findingOf("result-invalid"))).toBe(
      "Giá trị “dat roi” không hợp lệ ở cột Kết quả. Hãy chọn một trong các giá trị: Đạt, Chưa đạt, Đang thực hiện.",
    );
    expect(findingMessage(findingOf("points-out-of-range"))).toBe("Điểm tự chấm 12,5 nằm ngoài khoảng cho phép. Hãy nhập một số từ 0 đến 10.");
    expect(findingMessage(findingOf("points-not-number"))).toContain("từ 0 đến 7,5");
    expect(findingMessage(findingOf("tab-missing"))).toContain(`“${TAB}”`);
    expect(findingMessage({ ...findingOf("ward-name-missing"), params: { expected: null } } as Finding)).toContain("Hãy nhập “tên phường”");
  });

  it("uses the wording of the reader's review (LANGUAGE.md)", () => {
    expect(findingMessage(findingOf("cell-error-value"))).toContain("tham chiếu không còn tồn tại");
    expect(findingMessage(findingOf("legacy-encoding"))).toContain("bảng mã cũ TCVN3 (.VnTime) hoặc VNI");
  });

  it("shows invisible characters in a quoted value, so it never reads as the right code", () => {
    const unknown = { ...findingOf("criterion-unknown"), params: { value: "TC2\u2060\u200B", programme: "CA phường kiểu mẫu" } } as Finding;
    expect(findingMessage(unknown)).toContain("“TC2⟨U+2060⟩⟨U+200B⟩”");
    expect(findingMessage(findingOf("invisible-characters"))).toContain("“TC02⟨U+2060⟩”");
    expect(findingMessage(findingOf("invisible-characters"))).toContain("gõ lại “TC02”");
  });

  it("shows a date-converted points value as the clerk typed it, and says to type the number only", () => {
    const message = findingMessage(findingOf("points-date"));
    expect(message).toContain("Điểm tự chấm “9/10”");
    expect(message).toContain("ví dụ 9");
    expect(message).not.toMatch(/\d{5}/u);
  });

  it("says which tab counts and what to do with a copy", () => {
    expect(findingMessage(findingOf("tab-copy"))).toMatch(/chỉ tính trang tính “CA phường kiểu mẫu”.*chép các thay đổi.*xóa trang tính “CA phường kiểu mẫu \(2\)”/u);
    const unedited = { ...findingOf("tab-copy"), params: { copy: "CA phường kiểu mẫu (2)", edited: false } } as Finding;
    expect(findingMessage(unedited)).not.toContain("chép các thay đổi");
    expect(findingMessage(findingOf("tab-copy-only"))).toContain("đổi tên trang tính “CA phường kiểu mẫu (2)” thành “CA phường kiểu mẫu”");
  });

  it("shortens a long paste when shown, and keeps what was typed in the params", () => {
    const typed = "x".repeat(200);
    const finding = { ...findingOf("result-invalid"), params: { value: typed, allowed: RESULT_VALUES } } as Finding;
    expect(findingMessage(finding)).toContain(`“${"x".repeat(39)}…”`);
    expect(finding.params).toEqual({ value: typed, allowed: RESULT_VALUES });
  });

  it("renders from another table without touching the finding", () => {
    const reworded: MessageTable = { ...MESSAGES_VI, "result-invalid": ({ params }) => `Sai: ${params.value}.` };
    const finding = findingOf("result-invalid");
    const before = structuredClone(finding);
    expect(findingMessage(finding, reworded)).toBe("Sai: dat roi.");
    expect(finding).toEqual(before);
  });

  it("shows the sentence of a finding stored before findings carried params", () => {
    const stored = { severity: "error", tab: TAB, cell: "D7", criterion: "TC01", code: "result-invalid", message: "Câu cũ đã lưu." } as unknown as Finding;
    expect(findingMessage(stored)).toBe("Câu cũ đã lưu.");
  });
});

describe("renderFinding", () => {
  it("gives the documented check --json record, message rendered", () => {
    expect(renderFinding(findingOf("result-invalid"))).toEqual({
      severity: "error",
      tab: TAB,
      cell: "D7",
      criterion: "TC01",
      code: "result-invalid",
      message: "Giá trị “dat roi” không hợp lệ ở cột Kết quả. Hãy chọn một trong các giá trị: Đạt, Chưa đạt, Đang thực hiện.",
    });
    expect(Object.keys(renderFinding(findingOf("tab-missing")))).toEqual(["severity", "tab", "cell", "criterion", "code", "message"]);
  });
});
