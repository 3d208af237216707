import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { renderTableXlsx } from "../../../functions/adapters/local/table-xlsx.js";
import type { Finding } from "../../../functions/core/findings.js";
import { aggregateTown } from "../../../functions/core/aggregate-town.js";
import { summaryTable } from "../../../functions/core/town-output.js";
import { findingsTable } from "../../../functions/core/ward-feedback.js";
import { HOSTILE_TEXT } from "../../fixtures/hostile-text.js";
import { packageProblems, sheetXml } from "../../fixtures/xlsx-package.js";
import { builtinCatalogues } from "../../fixtures/workbooks.js";
import { sampleOutcomes } from "../../fixtures/outcomes.js";

const meta = { creator: "tieuchi", created: new Date("2026-11-30T01:00:00Z") };

async function readBack(bytes: Buffer): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return workbook.worksheets[0]!;
}

function unknownCode(value: string): Finding {
  return { severity: "error", tab: value, cell: "B7", criterion: value, code: "criterion-unknown", params: { value, programme: "CA phường kiểu mẫu" } };
}

describe("findings as .xlsx", () => {
  it("keeps hostile text as plain text, never a formula, and opens cleanly", async () => {
    const bytes = await renderTableXlsx(findingsTable(HOSTILE_TEXT.map(unknownCode)), meta);
    expect(await packageProblems(bytes)).toEqual([]);
    const xml = Object.values(await sheetXml(bytes)).join("");
    expect(xml).not.toMatch(/<f[ >]/u);
    const sheet = await readBack(bytes);
    HOSTILE_TEXT.forEach((text, i) => {
      const cell = sheet.getCell(i + 2, 2); // Trang tính
      expect(cell.type).toBe(ExcelJS.ValueType.String);
      expect(cell.value).toBe(text.replace("\r", "\n")); // XML reads a raw CR as a line feed
    });
  });

  it("has a bold, frozen header and the column widths", async () => {
    const sheet = await readBack(await renderTableXlsx(findingsTable([unknownCode("TC99")]), meta));
    expect(sheet.name).toBe("Kiểm tra");
    expect(sheet.getRow(1).getCell(1).value).toBe("Mức độ");
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(sheet.getColumn(6).width).toBe(90);
  });

  it("replaces characters XML cannot carry instead of writing a broken package", async () => {
    const bytes = await renderTableXlsx({ title: "T", header: ["A"], rows: [["a\u0007b\uD800c"]], widths: [10] }, meta);
    expect(await packageProblems(bytes)).toEqual([]);
    expect((await readBack(bytes)).getCell("A2").value).toBe("a\uFFFDb\uFFFDc");
  });
});

describe("town summary as .xlsx", () => {
  it("writes figures as numbers (47.5 stays a number in every locale) and labels as text", async () => {
    const catalogues = await builtinCatalogues();
    const summary = aggregateTown(sampleOutcomes(catalogues), catalogues, { period: "2026-W48", generatedAt: "2026-11-30T01:00:00.000Z", previous: null });
    const bytes = await renderTableXlsx(summaryTable(summary), meta);
    expect(await packageProblems(bytes)).toEqual([]);
    const sheet = await readBack(bytes);
    expect(sheet.name).toBe("Tổng hợp");
    expect(sheet.getCell("F2").type).toBe(ExcelJS.ValueType.Number);
    expect(sheet.getCell("G2").value).toBe(22);
    expect(sheet.getCell("E2").type).toBe(ExcelJS.ValueType.String);
    expect(sheet.rowCount).toBe(1 + 14);
  });
});
