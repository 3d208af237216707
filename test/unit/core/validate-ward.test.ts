import { beforeAll, describe, expect, it } from "vitest";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import type { CellValue, RawWorkbook } from "../../../functions/core/cells.js";
import { evaluateWorkbook } from "../../../functions/core/evaluate-ward.js";
import type { Finding } from "../../../functions/core/findings.js";
import { FINDING_CODES } from "../../../functions/core/findings.js";
import { findingMessage } from "../../../functions/core/messages.js";
import type { WardIdentity } from "../../../functions/core/ward-identity.js";
import { allMetWorkbook, builtinCatalogues, cellOf, withCell } from "../../fixtures/workbooks.js";

const TAB1 = "CA phường kiểu mẫu";
const TAB2 = "Phong trào toàn dân BVANTQ";
const WARD: WardIdentity = { id: "nghi-huong", name: "Nghi Hương", aliases: [] };

let catalogues: Catalogue[];
let clean: RawWorkbook;
beforeAll(async () => {
  catalogues = await builtinCatalogues();
  clean = allMetWorkbook(catalogues);
});

const findingsOf = (workbook: RawWorkbook, ward: WardIdentity | null = WARD): Finding[] => evaluateWorkbook(workbook, catalogues, ward).findings;

/** Set the cell of a criterion in a column (D result, E points, G evidence, B code; I appraisal, J its note). */
const edit = (tab: string, code: string, column: "B" | "D" | "E" | "G" | "H" | "I" | "J", value: CellValue) => (wb: RawWorkbook) => withCell(wb, tab, cellOf(wb, tab, code, column), value);

/** The status cells beside their labels: Trạng thái in C5, Kết luận thẩm định in C6. */
const submit = (tab: string, value: CellValue = "Đề nghị thẩm định") => (wb: RawWorkbook) => withCell(wb, tab, "C5", value);
const conclude = (tab: string, value: CellValue) => (wb: RawWorkbook) => withCell(wb, tab, "C6", value);
/** Every criterion of the first programme appraised Đạt, but `except`. */
const appraiseAll = (except: string | null = null) => (wb: RawWorkbook) =>
  catalogues[0]!.criteria.filter((c) => c.code !== except).reduce((acc, c) => edit(TAB1, c.code, "I", "Đạt")(acc), wb);
const all = (...changes: Array<(wb: RawWorkbook) => RawWorkbook>) => (wb: RawWorkbook) => changes.reduce((acc, change) => change(acc), wb);

/** A copy of a tab under another title, as Excel's "Move or Copy…" makes it. */
const copyTab = (wb: RawWorkbook, tab: string, title: string): RawWorkbook => {
  const sheet = wb.sheets.find((s) => s.title === tab);
  return sheet ? { sheets: [...wb.sheets, { ...sheet, title }] } : wb;
};

/** A merged range listed on the tab (the cells keep their values: exceljs repeats the top-left one in each). */
const withMerge = (wb: RawWorkbook, tab: string, range: string): RawWorkbook => ({
  sheets: wb.sheets.map((s) => (s.title === tab ? { ...s, merges: [...(s.merges ?? []), range] } : s)),
});

const withFormat = (wb: RawWorkbook, tab: string, a1: string, format: string): RawWorkbook => ({
  sheets: wb.sheets.map((s) => (s.title === tab ? { ...s, numberFormats: { ...s.numberFormats, [a1]: format } } : s)),
});

const removeRow = (tab: string, code: string) => (wb: RawWorkbook): RawWorkbook => ({
  sheets: wb.sheets.map((s) => (s.title === tab ? { ...s, rows: s.rows.filter((r) => r[1] !== code) } : s)),
});

interface Case {
  name: string;
  change: (wb: RawWorkbook) => RawWorkbook;
  expected: Pick<Finding, "code" | "severity" | "tab" | "cell" | "criterion">;
  says: RegExp;
}

// One case per finding code: the mistake, the finding it must produce, and what the message tells staff.
const CASES: Case[] = [
  { name: "result missing", change: edit(TAB1, "TC03", "D", null), expected: { code: "result-missing", severity: "error", tab: TAB1, cell: "D11", criterion: "TC03" }, says: /Hãy chọn một trong các giá trị: Đạt, Chưa đạt, Đang thực hiện/u },
  { name: "result not allowed", change: edit(TAB1, "TC03", "D", "Hoàn thành"), expected: { code: "result-invalid", severity: "error", tab: TAB1, cell: "D11", criterion: "TC03" }, says: /“Hoàn thành” không hợp lệ.*Đạt, Chưa đạt, Đang thực hiện/u },
  { name: "points missing on a points criterion", change: edit(TAB2, "TC25", "E", null), expected: { code: "points-missing", severity: "error", tab: TAB2, cell: "E37", criterion: "TC25" }, says: /từ 0 đến 10/u },
  { name: "points not a number", change: edit(TAB2, "TC25", "E", "tám"), expected: { code: "points-not-number", severity: "error", tab: TAB2, cell: "E37", criterion: "TC25" }, says: /“tám” không phải là số.*8,5/u },
  { name: "points above maximum", change: edit(TAB2, "TC25", "E", 12), expected: { code: "points-out-of-range", severity: "error", tab: TAB2, cell: "E37", criterion: "TC25" }, says: /từ 0 đến 10/u },
  { name: "negative points", change: edit(TAB2, "TC26", "E", "-1"), expected: { code: "points-out-of-range", severity: "error", tab: TAB2, cell: "E38", criterion: "TC26" }, says: /-1 nằm ngoài/u },
  { name: "points on a pass/fail criterion", change: edit(TAB1, "TC01", "E", 5), expected: { code: "points-not-applicable", severity: "warning", tab: TAB1, cell: "E9", criterion: "TC01" }, says: /xóa điểm/u },
  { name: "Đạt without required evidence", change: edit(TAB1, "TC02", "G", null), expected: { code: "evidence-missing", severity: "error", tab: TAB1, cell: "G10", criterion: "TC02" }, says: /cột Minh chứng/u },
  { name: "criterion row missing", change: removeRow(TAB1, "TC05"), expected: { code: "criterion-missing", severity: "error", tab: TAB1, cell: "B7", criterion: "TC05" }, says: /Mã tiêu chí “TC05”/u },
  { name: "unknown criterion code", change: edit(TAB1, "TC22", "B", "TC99"), expected: { code: "criterion-unknown", severity: "error", tab: TAB1, cell: "B33", criterion: null }, says: /“TC99” không có trong bộ tiêu chí/u },
  { name: "duplicated criterion code", change: edit(TAB1, "TC04", "B", "TC03"), expected: { code: "criterion-duplicate", severity: "error", tab: TAB1, cell: "B12", criterion: "TC03" }, says: /đã có ở dòng 11/u },
  { name: "data on a row without code", change: (wb) => withCell(withCell(wb, TAB1, "D42", "Đạt"), TAB1, "B42", null), expected: { code: "criterion-code-missing", severity: "error", tab: TAB1, cell: "B42", criterion: null }, says: /Dòng 42/u },
  { name: "renamed header", change: (wb) => withCell(wb, TAB1, "G7", "Tài liệu"), expected: { code: "header-missing", severity: "error", tab: TAB1, cell: "G7", criterion: null }, says: /cột “Minh chứng”/u },
  { name: "header row gone", change: (wb) => ({ sheets: wb.sheets.map((s) => (s.title === TAB1 ? { ...s, rows: s.rows.map((r, i) => (i === 6 ? [] : r)) } : s)) }), expected: { code: "header-row-missing", severity: "error", tab: TAB1, cell: "A1", criterion: null }, says: /dòng tiêu đề/u },
  { name: "programme tab missing", change: (wb) => ({ sheets: wb.sheets.filter((s) => s.title !== TAB2) }), expected: { code: "tab-missing", severity: "error", tab: TAB2, cell: "A1", criterion: null }, says: /trang tính “Phong trào toàn dân BVANTQ”/u },
  { name: "ward name empty", change: (wb) => withCell(wb, TAB1, "C3", null), expected: { code: "ward-name-missing", severity: "error", tab: TAB1, cell: "C3", criterion: null }, says: /Hãy nhập “Nghi Hương”/u },
  { name: "another ward's name", change: (wb) => withCell(wb, TAB1, "C3", "Nghi Thu"), expected: { code: "ward-mismatch", severity: "error", tab: TAB1, cell: "C3", criterion: null }, says: /“Nghi Thu” không khớp.*“Nghi Hương”/u },
  { name: "error value from a formula", change: edit(TAB1, "TC06", "D", { error: "#REF!" }), expected: { code: "cell-error-value", severity: "error", tab: TAB1, cell: "D14", criterion: "TC06" }, says: /#REF!/u },
  { name: "error literal typed as text", change: edit(TAB1, "TC06", "G", "#N/A"), expected: { code: "cell-error-value", severity: "error", tab: TAB1, cell: "G14", criterion: "TC06" }, says: /#N\/A/u },
  { name: "legacy TCVN3 text", change: edit(TAB1, "TC01", "H", "§· hoµn thµnh"), expected: { code: "legacy-encoding", severity: "warning", tab: TAB1, cell: "H9", criterion: "TC01" }, says: /Unicode/u },
  { name: "edited copy of a programme tab", change: (wb) => withCell(copyTab(wb, TAB1, `${TAB1} (2)`), `${TAB1} (2)`, "D11", "Chưa đạt"), expected: { code: "tab-copy", severity: "error", tab: TAB1, cell: "A1", criterion: null }, says: /chỉ tính trang tính “CA phường kiểu mẫu”.*xóa trang tính “CA phường kiểu mẫu \(2\)”/u },
  { name: "only a copy of the tab left", change: (wb) => ({ sheets: wb.sheets.map((s) => (s.title === TAB2 ? { ...s, title: `${TAB2} (2)` } : s)) }), expected: { code: "tab-copy-only", severity: "error", tab: TAB2, cell: "A1", criterion: null }, says: /đổi tên trang tính “Phong trào toàn dân BVANTQ \(2\)” thành “Phong trào toàn dân BVANTQ”/u },
  { name: "Kết quả merged over two criteria", change: (wb) => withMerge(wb, TAB1, "D11:D12"), expected: { code: "merged-cell", severity: "error", tab: TAB1, cell: "D12", criterion: "TC04" }, says: /vùng gộp ô D11:D12.*bỏ gộp ô/u },
  { name: "9/10 typed in points, turned into a date", change: (wb) => withFormat(edit(TAB2, "TC25", "E", 46275)(wb), TAB2, "E37", "MM/DD/YY"), expected: { code: "points-date", severity: "error", tab: TAB2, cell: "E37", criterion: "TC25" }, says: /“9\/10”.*ví dụ 9\b/u },
  // The review cycle: the ward's Trạng thái, then the appraiser's cells.
  { name: "a status not in the list", change: submit(TAB1, "Xong rồi"), expected: { code: "submission-invalid", severity: "error", tab: TAB1, cell: "C5", criterion: null }, says: /“Xong rồi” không hợp lệ ở ô “Trạng thái:” \(trang tính “CA phường kiểu mẫu”, ô C5\).*“Đang cập nhật”, “Đề nghị thẩm định”/u },
  { name: "submitted with an error left", change: all(submit(TAB1), edit(TAB1, "TC03", "D", null)), expected: { code: "submission-blocked", severity: "warning", tab: TAB1, cell: "C5", criterion: null }, says: /^Chưa nhận đề nghị thẩm định: trang tính “CA phường kiểu mẫu” còn 1 lỗi\..*khi không còn lỗi, đề nghị thẩm định \(trang tính “CA phường kiểu mẫu”, ô C5\) sẽ được tiếp nhận/u },
  { name: "an appraisal not in the list", change: edit(TAB1, "TC03", "I", "Đang thực hiện"), expected: { code: "appraisal-invalid", severity: "error", tab: TAB1, cell: "I11", criterion: "TC03" }, says: /“Đang thực hiện” không hợp lệ ở cột “Kết quả thẩm định” \(trang tính “CA phường kiểu mẫu”, ô I11\)\. Hãy chọn “Đạt” hoặc “Chưa đạt”/u },
  { name: "Đã thẩm định with a criterion not appraised", change: all(submit(TAB1), appraiseAll("TC05"), conclude(TAB1, "Đã thẩm định")), expected: { code: "appraisal-missing", severity: "warning", tab: TAB1, cell: "C6", criterion: null }, says: /^Đã kết luận “Đã thẩm định” nhưng 1 tiêu chí chưa có Kết quả thẩm định: TC05\. Hãy chọn “Đạt” hoặc “Chưa đạt”/u },
  { name: "Chưa đạt without a reason", change: edit(TAB1, "TC03", "I", "Không đạt"), expected: { code: "appraisal-note-missing", severity: "warning", tab: TAB1, cell: "J11", criterion: "TC03" }, says: /TC03 được thẩm định “Chưa đạt” nhưng chưa có Ý kiến thẩm định \(trang tính “CA phường kiểu mẫu”, ô J11\)\. Hãy ghi lý do/u },
  { name: "Trả lại without any reason", change: all(submit(TAB1), conclude(TAB1, "Trả lại")), expected: { code: "appraisal-note-missing", severity: "warning", tab: TAB1, cell: "C6", criterion: null }, says: /Đã kết luận “Trả lại” \(trang tính “CA phường kiểu mẫu”, ô C6\) nhưng chưa có Ý kiến thẩm định nào/u },
  { name: "a conclusion not in the list", change: all(submit(TAB1), conclude(TAB1, "Đồng ý")), expected: { code: "conclusion-invalid", severity: "error", tab: TAB1, cell: "C6", criterion: null }, says: /“Đồng ý” không hợp lệ ở ô “Kết luận thẩm định:”.*“Đã thẩm định”, “Trả lại”/u },
  { name: "a conclusion before the ward submitted", change: conclude(TAB1, "Đã thẩm định"), expected: { code: "conclusion-before-submission", severity: "warning", tab: TAB1, cell: "C6", criterion: null }, says: /phường chưa chọn “Đề nghị thẩm định” ở ô “Trạng thái:”/u },
  { name: "code pasted from Word with a word joiner", change: edit(TAB1, "TC02", "B", "TC02\u2060"), expected: { code: "invisible-characters", severity: "warning", tab: TAB1, cell: "B10", criterion: "TC02" }, says: /“TC02⟨U\+2060⟩”.*“TC02”/u },
];

describe("validateWard", () => {
  it("finds nothing in a clean workbook", () => {
    expect(findingsOf(clean)).toEqual([]);
  });

  it.each(CASES)("$name → $expected.code at $expected.cell", ({ change, expected, says }) => {
    const findings = findingsOf(change(clean));
    expect(findings).toContainEqual(expect.objectContaining(expected));
    const finding = findings.find((f) => f.code === expected.code && f.cell === expected.cell);
    const message = finding ? findingMessage(finding) : "";
    expect(message).toMatch(says);
    expect(message.normalize("NFC")).toBe(message);
  });

  it("carries what staff typed and what is allowed as data, not as a sentence", () => {
    const typed = edit(TAB2, "TC25", "E", 12)(edit(TAB1, "TC04", "B", "TC03")(edit(TAB1, "TC03", "D", "Hoàn thành")(clean)));
    const params = Object.fromEntries(findingsOf(typed).map((f) => [f.code, f.params]));
    expect(params).toEqual({
      "result-invalid": { value: "Hoàn thành", allowed: ["Đạt", "Chưa đạt", "Đang thực hiện"] },
      "criterion-duplicate": { criterion: "TC03", firstRow: 11 },
      "criterion-missing": { criterion: "TC04" },
      "points-out-of-range": { value: 12, min: 0, max: 10 },
    });
    expect(findingsOf(typed).every((f) => !("message" in f))).toBe(true);
  });

  it("covers every finding code with a case", () => {
    // Three codes come from the app, not from validation: "edited-after-close" from the closed period's run
    // (test/unit/app/period-close.test.ts), the two cycle warnings from the ward's review record (test/unit/app/review-store.test.ts).
    const fromApp = new Set(["edited-after-close", "conclusion-stale", "returned-still-submitted"]);
    const fromValidation = FINDING_CODES.filter((code) => !fromApp.has(code));
    expect(new Set(CASES.map((c) => c.expected.code))).toEqual(new Set(fromValidation));
  });

  it.each([
    ["lower case", "đạt"],
    ["upper case", "ĐẠT"],
    ["extra spaces", "  Chưa   đạt "],
    ["NFD input", "Chưa đạt".normalize("NFD")],
    ["Không đạt synonym", "Không đạt"],
    ["in progress", "đang thực hiện"],
  ])("accepts %s of an allowed value", (_name, typed) => {
    expect(findingsOf(edit(TAB1, "TC03", "D", typed)(clean))).toEqual([]);
  });

  it.each([
    ["tone placement variant", "Nghi Hương", { id: "nghi-hoa", name: "Nghi Hòa", aliases: [] }, "Nghi Hoà"],
    ["Phường prefix", "Nghi Hương", WARD, "Phường Nghi Hương"],
    ["NFD name", "Nghi Hương", WARD, "Nghi Hương".normalize("NFD")],
    ["alias", "Nghi Hương", { ...WARD, aliases: ["CAP Nghi Hương"] }, "CAP Nghi Hương"],
  ])("matches the ward name with a %s", (_name, _base, ward, typed) => {
    const wb = withCell(withCell(clean, TAB1, "C3", typed), TAB2, "C3", typed);
    expect(findingsOf(wb, ward).filter((f) => f.code.startsWith("ward"))).toEqual([]);
  });

  it("finds columns by header text when columns are moved", () => {
    const swap = (wb: RawWorkbook): RawWorkbook => ({
      sheets: wb.sheets.map((s) => (s.title === TAB1 ? { ...s, rows: s.rows.map((r) => { const x = [...r]; [x[3], x[7]] = [x[7] ?? null, x[3] ?? null]; return x; }) } : s)),
    });
    const moved = swap(edit(TAB1, "TC03", "D", "Sai")(clean));
    expect(findingsOf(moved)).toEqual([expect.objectContaining({ code: "result-invalid", cell: "H11" })]);
  });

  it("reports a mistake typed on many rows once per cell, sorted by position", () => {
    const wb = edit(TAB1, "TC02", "D", "x")(edit(TAB1, "TC01", "D", "y")(clean));
    expect(findingsOf(wb).map((f) => f.cell)).toEqual(["D9", "D10"]);
  });

  it("checks no ward name when the ward is unknown", () => {
    expect(findingsOf(withCell(clean, TAB1, "C3", "Bất kỳ"), null)).toEqual([]);
  });
});
