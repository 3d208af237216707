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
import { renderTableXlsxWithExceljs } from "../../fixtures/table-xlsx-exceljs.js";
import type { OutputTable } from "../../../functions/core/output-table.js";

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

/** What a person sees of a sheet: name, frozen pane, filter, widths, and every cell's value, type, font and alignment. */
function seen(sheet: ExcelJS.Worksheet): unknown {
  const cells: unknown[] = [];
  sheet.eachRow({ includeEmpty: true }, (row, r) =>
    row.eachCell({ includeEmpty: true }, (cell, c) => {
      const { name, size, bold } = cell.font ?? {};
      const { vertical, wrapText } = cell.alignment ?? {};
      cells.push({ at: `${r}:${c}`, value: cell.value, type: cell.type, font: { name, size, bold: bold === true }, vertical, wrapText });
    }),
  );
  const views = (sheet.views as Array<Partial<ExcelJS.WorksheetViewFrozen>>).map(({ state, ySplit, topLeftCell }) => ({ state, ySplit, topLeftCell }));
  const widths = sheet.columns.map((column) => column.width);
  return { name: sheet.name, views, filter: sheet.autoFilter, widths, rows: sheet.rowCount, cells };
}

const finding = (i: number): Finding => ({
  severity: i % 3 === 0 ? "warning" : "error",
  tab: "CA phường kiểu mẫu",
  cell: `G${10 + i}`,
  criterion: `TC${String(i % 40).padStart(2, "0")}`,
  code: "evidence-missing",
  params: { criterion: `TC${i % 40}` },
});

const TABLES: Record<string, () => Promise<OutputTable>> = {
  "findings with hostile text": async () => findingsTable(HOSTILE_TEXT.map(unknownCode)),
  "no findings (the header alone)": async () => findingsTable([]),
  "many findings": async () => findingsTable(Array.from({ length: 300 }, (_, i) => finding(i))),
  "the town summary": async () => {
    const catalogues = await builtinCatalogues();
    return summaryTable(aggregateTown(sampleOutcomes(catalogues), catalogues, { period: "2026-W48", generatedAt: "2026-11-30T01:00:00.000Z", previous: null }));
  },
  "empty cells, markup, spaces, line breaks, long text": async () => ({
    title: "Bảng & <thử>",
    header: ["Mã", "Điểm", "Ghi chú"],
    rows: [["a & <b> \"c\" 'd'", null, "  hai đầu  "], [null, 47.5, "dòng 1\ndòng 2"], ["", -0.25, "x".repeat(40_000)], ["ô", 1e21, "\u0001"]],
    widths: [8, 6],
  }),
};

describe("table .xlsx written directly, against exceljs's writer", () => {
  for (const [name, table] of Object.entries(TABLES)) {
    it(`reads back as exceljs wrote it: ${name}`, async () => {
      const bytes = await renderTableXlsx(await table(), meta);
      expect(await packageProblems(bytes)).toEqual([]);
      const written = await readBack(bytes);
      expect(seen(written)).toEqual(seen(await readBack(await renderTableXlsxWithExceljs(await table(), meta))));
    });
  }

  it("reads back text that looks like markup as typed (exceljs's writer lost “&amp;” to “&”)", async () => {
    const bytes = await renderTableXlsx({ title: "T", header: ["A"], rows: [["&amp; &lt;b&gt;"]], widths: [10] }, meta);
    expect((await readBack(bytes)).getCell("A2").value).toBe("&amp; &lt;b&gt;");
  });

  it("keeps the creator and the time given", async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await renderTableXlsx(findingsTable([]), meta)) as unknown as ArrayBuffer);
    expect(workbook.creator).toBe("tieuchi");
    expect(workbook.created).toEqual(meta.created);
  });

  it("gives the same bytes for the same table and time", async () => {
    const table = findingsTable([finding(1)]);
    expect((await renderTableXlsx(table, meta)).equals(await renderTableXlsx(table, meta))).toBe(true);
  });

  it("deflates a large table as it is written, and it reads back whole", async () => {
    const table = findingsTable(Array.from({ length: 12_000 }, (_, i) => finding(i)));
    const bytes = await renderTableXlsx(table, meta);
    expect(await packageProblems(bytes)).toEqual([]);
    const sheet = await readBack(bytes);
    expect(sheet.rowCount).toBe(12_001);
    expect(sheet.getCell("C12001").value).toBe(table.rows[11_999]![2]);
  }, 60_000);

  it("refuses a title no sheet can have", async () => {
    await expect(renderTableXlsx({ title: "a/b", header: [], rows: [], widths: [] }, meta)).rejects.toThrow(/cannot name a sheet/u);
  });
});
