import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { evaluateWorkbook } from "../../../functions/core/evaluate-ward.js";
import { readXlsxBuffer } from "../../../functions/adapters/local/xlsx-reader.js";
import { renderWorkbookXlsx } from "../../../functions/adapters/local/xlsx-writer.js";
import { planWardWorkbook } from "../../../sheets-schema/workbook-plan.js";
import { P1, builtinCatalogues } from "../../fixtures/workbooks.js";

const catalogues = await builtinCatalogues();
const created = new Date("2026-11-30T01:00:00Z");
const TAB1 = "CA phường kiểu mẫu";

async function written(): Promise<{ bytes: Buffer; sheet: ExcelJS.Worksheet }> {
  const plan = planWardWorkbook(catalogues, "Nghi Hương", "02/11/2023", { [P1]: { TC01: { result: "Đạt", evidence: "Kế hoạch số 1/KH-CAP", appraisal: "Đạt" } } });
  const bytes = await renderWorkbookXlsx(plan, { creator: "tieuchi", created });
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return { bytes, sheet: workbook.getWorksheet(TAB1)! };
}

const fillOf = (cell: ExcelJS.Cell): string | undefined => (cell.fill?.type === "pattern" ? cell.fill.fgColor?.argb : undefined);

describe("renderWorkbookXlsx", () => {
  it("leaves the ward's and the appraiser's cells unlocked, the appraiser's shaded apart", async () => {
    const { sheet } = await written();
    const cells = { ward: sheet.getCell("D9"), status: sheet.getCell("C5"), appraisal: sheet.getCell("I9"), note: sheet.getCell("J9"), conclusion: sheet.getCell("C6"), code: sheet.getCell("B9") };
    expect(Object.fromEntries(Object.entries(cells).map(([k, c]) => [k, c.protection?.locked ?? true]))).toEqual({ ward: false, status: false, appraisal: false, note: false, conclusion: false, code: true });
    const appraiserFill = fillOf(cells.appraisal);
    expect(appraiserFill).toBeDefined();
    expect([fillOf(cells.note), fillOf(cells.conclusion)]).toEqual([appraiserFill, appraiserFill]);
    expect(fillOf(cells.ward)).not.toBe(appraiserFill);
    expect(fillOf(cells.code)).not.toBe(appraiserFill);
    expect([sheet.getCell("H7").value, sheet.getCell("I7").value, sheet.getCell("J7").value]).toEqual(["Ghi chú", "Kết quả thẩm định", "Ý kiến thẩm định"]);
  });

  it("puts each list on its cells: Kết quả, Kết quả thẩm định, Trạng thái, Kết luận thẩm định", async () => {
    const { sheet } = await written();
    const list = (a1: string) => {
      const v = sheet.getCell(a1).dataValidation;
      return v?.type === "list" ? [v.formulae?.[0], v.promptTitle] : undefined;
    };
    expect([list("D9"), list("I9"), list("C5"), list("C6"), list("J9"), list("I8")]).toEqual([
      ['"Đạt,Chưa đạt,Đang thực hiện"', "Kết quả"],
      ['"Đạt,Chưa đạt"', "Kết quả thẩm định"],
      ['"Đang cập nhật,Đề nghị thẩm định"', "Trạng thái"],
      ['"Đã thẩm định,Trả lại"', "Kết luận thẩm định"],
      undefined,
      undefined,
    ]);
  });

  it("reads back through the local reader as the plan wrote it: status cells, appraisal, no finding of the ward's", async () => {
    const { bytes } = await written();
    const evaluation = evaluateWorkbook(await readXlsxBuffer(bytes, "nghi-huong.xlsx"), catalogues, null);
    const sheet = evaluation.input.programmes[0]!;
    expect([sheet.headerRow, sheet.submission?.a1, sheet.submission?.value, sheet.conclusion?.a1, sheet.conclusion?.value]).toEqual([7, "C5", "Đang cập nhật", "C6", null]);
    expect(evaluation.scores[0]?.appraisal?.criteria[0]).toEqual({ code: "TC01", result: "met", note: null });
    expect(evaluation.review[0]).toMatchObject({ submitted: false, conclusion: null });
  });
});
