import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import type { CellValue, RawWorkbook } from "../../../functions/core/cells.js";
import { evaluateWorkbook } from "../../../functions/core/evaluate-ward.js";
import { isWardError } from "../../../functions/core/findings.js";
import { findingMessage } from "../../../functions/core/messages.js";
import { parseWardWorkbook } from "../../../functions/core/parse-ward.js";
import type { WardIdentity } from "../../../functions/core/ward-identity.js";
import { CONCLUSION_ROW, SUBMISSION_ROW } from "../../../sheets-schema/workbook-plan.js";
import { P1, allMetWorkbook, builtinCatalogues, cellOf, rawWorkbook, withCell } from "../../fixtures/workbooks.js";

const TAB1 = "CA phường kiểu mẫu";
const WARD: WardIdentity = { id: "nghi-huong", name: "Nghi Hương", aliases: [] };

let catalogues: Catalogue[];
let clean: RawWorkbook;
beforeAll(async () => {
  catalogues = await builtinCatalogues();
  clean = allMetWorkbook(catalogues);
});

const evaluate = (wb: RawWorkbook) => evaluateWorkbook(wb, catalogues, WARD);
const appraise = (wb: RawWorkbook, code: string, appraisal: CellValue, note: CellValue = null): RawWorkbook =>
  withCell(withCell(wb, TAB1, cellOf(wb, TAB1, code, "I"), appraisal), TAB1, cellOf(wb, TAB1, code, "J"), note);

/** The workbook as the layout was before issue 12: no Trạng thái / Kết luận rows, no appraisal columns, header on row 5. */
function oldLayout(wb: RawWorkbook): RawWorkbook {
  return {
    sheets: wb.sheets.map((s) =>
      s.title === "Hướng dẫn" ? s : { ...s, rows: s.rows.filter((_, r) => r !== SUBMISSION_ROW && r !== CONCLUSION_ROW).map((row) => row.slice(0, 8)) },
    ),
  };
}

describe("the review cells", () => {
  it("leaves a workbook of the older layout (header on row 5, no appraisal columns) valid, with no new finding", () => {
    const old = oldLayout(clean);
    const sheet = parseWardWorkbook(old, catalogues).programmes[0]!;
    expect(sheet.headerRow).toBe(5);
    expect([sheet.submission, sheet.conclusion, sheet.columns.appraisal, sheet.columns.appraisalNote]).toEqual([null, null, undefined, undefined]);
    const evaluation = evaluate(old);
    expect(evaluation.findings).toEqual([]);
    expect(evaluation.scores.map((s) => [s.met, s.total, s.recognised, s.appraisal])).toEqual(evaluate(clean).scores.map((s) => [s.met, s.total, s.recognised, null]));
    expect(evaluation.review.map((r) => [r.submitted, r.conclusion, r.appraisalKey])).toEqual([[false, null, ""], [false, null, ""]]);
  });

  it("reads any self-assessment the same in both layouts: same findings (bar the row shift), same figures", () => {
    const typed = fc.constantFrom<string | undefined>("Đạt", "Chưa đạt", "Không đạt", "Đang thực hiện", undefined, "Hoàn thành");
    const evidence = fc.constantFrom<string | undefined>(undefined, "Kế hoạch số 5/KH-CAP");
    fc.assert(
      fc.property(fc.array(fc.tuple(typed, evidence), { minLength: 56, maxLength: 56 }), (list) => {
        let i = 0;
        const answers = Object.fromEntries(
          catalogues.map((c) => [c.id, Object.fromEntries(c.criteria.map((cr) => {
            const [result, ev] = list[i++]!;
            return [cr.code, { ...(result ? { result } : {}), ...(ev ? { evidence: ev } : {}), ...(cr.maxPoints ? { points: cr.maxPoints } : {}) }];
          }))]),
        );
        const wb = rawWorkbook(catalogues, "Nghi Hương", answers);
        const shape = (e: ReturnType<typeof evaluate>) => ({
          findings: e.findings.map((f) => [f.tab, f.code, f.severity, f.criterion]),
          scores: e.scores.map(({ appraisal: _, ...rest }) => rest),
          wardKeys: e.review.map((r) => r.wardKey),
        });
        expect(shape(evaluate(oldLayout(wb)))).toEqual(shape(evaluate(wb)));
      }),
      { numRuns: 25 },
    );
  });

  it("finds the status cells beside their labels wherever they are above the header", () => {
    let wb = withCell(withCell(clean, TAB1, "B5", null), TAB1, "C5", null);
    wb = withCell(withCell(withCell(wb, TAB1, "E2", "TRẠNG THÁI"), TAB1, "F2", "đề nghị thẩm định"), TAB1, "C6", null);
    wb = withCell(withCell(wb, TAB1, "B6", null), TAB1, "H4", "Kết luận:");
    const sheet = parseWardWorkbook(wb, catalogues).programmes[0]!;
    expect(sheet.submission).toMatchObject({ a1: "F2", value: "đề nghị thẩm định" });
    expect(sheet.conclusion).toMatchObject({ a1: "I4", value: null });
    expect(evaluate(wb).review[0]!.submitted).toBe(true);
  });

  it("takes the status value from the cell just right of the label, never a note further along the row", () => {
    const noted = withCell(withCell(clean, TAB1, "C5", null), TAB1, "E5", "đ/c Lan");
    expect(parseWardWorkbook(noted, catalogues).programmes[0]!.submission).toMatchObject({ a1: "C5", value: null });
    expect(evaluate(noted).findings).toEqual([]);
    // A merge covering that cell: its top-left holds the value; a merged label is passed over.
    const tab = (wb: RawWorkbook, merges: string[]): RawWorkbook => ({ sheets: wb.sheets.map((s) => (s.title === TAB1 ? { ...s, merges: [...(s.merges ?? []), ...merges] } : s)) });
    const covered = tab(withCell(withCell(clean, TAB1, "C5", null), TAB1, "C4", "Đề nghị thẩm định"), ["C4:D5"]);
    expect(parseWardWorkbook(covered, catalogues).programmes[0]!.submission).toMatchObject({ a1: "C4", value: "Đề nghị thẩm định" });
    const mergedLabel = tab(withCell(withCell(clean, TAB1, "C5", null), TAB1, "D5", "Đề nghị thẩm định"), ["B5:C5"]);
    expect(parseWardWorkbook(mergedLabel, catalogues).programmes[0]!.submission).toMatchObject({ a1: "D5", value: "Đề nghị thẩm định" });
  });

  it("never counts what the appraiser typed against the ward: its errors, figures and recognition stay", () => {
    let wb = appraise(clean, "TC01", "Đang thực hiện");
    wb = appraise(wb, "TC02", { error: "#REF!" }, "§· hoµn thµnh");
    wb = appraise(wb, "TC03", "Chưa đạt");
    wb = withCell(withCell(wb, TAB1, "C6", "Đồng ý"), TAB1, "C5", "Đề nghị thẩm định");
    const { findings, scores, review } = evaluate(wb);
    expect(findings.map((f) => [f.code, f.cell])).toEqual([
      ["conclusion-invalid", "C6"],
      ["appraisal-invalid", "I9"],
      ["appraisal-invalid", "I10"],
      ["appraisal-note-missing", "J11"],
    ]);
    expect(findings.filter(isWardError)).toEqual([]);
    expect(scores[0]).toMatchObject({ errors: 0, met: 22, recognised: true, leftOut: [] });
    expect(review[0]).toMatchObject({ submitted: true, errors: 0, conclusion: null });
  });

  it("wants every criterion appraised only for “Đã thẩm định”, not for a return", () => {
    const returned = withCell(withCell(appraise(clean, "TC03", "Chưa đạt", "Thiếu kế hoạch"), TAB1, "C5", "Đề nghị thẩm định"), TAB1, "C6", "trả lại");
    expect(evaluate(returned).findings).toEqual([]);
    const appraised = withCell(returned, TAB1, "C6", "Đã thẩm định");
    // One warning at the Kết luận cell, the codes cut after ten.
    const missing = evaluate(appraised).findings.filter((f) => f.code === "appraisal-missing");
    expect(missing.map((f) => [f.cell, f.criterion])).toEqual([["C6", null]]);
    expect(findingMessage(missing[0]!)).toBe(
      "Đã kết luận “Đã thẩm định” nhưng 21 tiêu chí chưa có Kết quả thẩm định: TC01, TC02, TC04, TC05, TC06, TC07, TC08, TC09, TC10, TC11 và 11 tiêu chí khác. Hãy chọn “Đạt” hoặc “Chưa đạt” ở cột “Kết quả thẩm định” cho các tiêu chí này; kết luận chỉ được ghi nhận khi mọi tiêu chí đã được thẩm định.",
    );
  });

  it.each([
    ["blank", null, false],
    ["the list's first value", "Đang cập nhật", false],
    ["upper case", "ĐỀ NGHỊ THẨM ĐỊNH", true],
    ["NFD and extra spaces", "  Đề   nghị thẩm định ".normalize("NFD"), true],
  ])("reads a %s Trạng thái without a finding", (_name, value, submitted) => {
    const { findings, review } = evaluate(withCell(clean, TAB1, "C5", value));
    expect(findings).toEqual([]);
    expect(review.find((r) => r.programmeId === P1)?.submitted).toBe(submitted);
  });
});
