import ExcelJS from "exceljs";
import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { dropdownRows } from "../../../functions/adapters/google/provision-plan.js";
import { SAMPLE_WARDS, sampleAnswers, sampleReview } from "../../../functions/adapters/local/sample-town.js";
import { renderWorkbookXlsx } from "../../../functions/adapters/local/xlsx-writer.js";
import { dropdownRuns, planWardWorkbook } from "../../../sheets-schema/workbook-plan.js";
import { builtinCatalogues } from "../../fixtures/workbooks.js";
import { decodeRange, packageProblems, sheetXml } from "../../fixtures/xlsx-package.js";

const catalogues = await builtinCatalogues();
const created = new Date("2026-11-30T01:00:00Z");

async function sampleBytes(wardId: string): Promise<Buffer> {
  const ward = SAMPLE_WARDS.find((w) => w.id === wardId)!;
  return renderWorkbookXlsx(planWardWorkbook(catalogues, ward.typedName, "02/11/2023", sampleAnswers(ward, catalogues, { review: true }), { review: sampleReview(ward) }), { creator: "tieuchi", created });
}

describe("workbooks tieuchi init writes open without a repair prompt", () => {
  it.each(SAMPLE_WARDS.map((w) => w.id))("%s: no overlapping validations or merges, valid names and parts", async (wardId) => {
    expect(await packageProblems(await sampleBytes(wardId))).toEqual([]);
  });

  it("an empty workbook (as provisioning plans it) is clean too", async () => {
    const bytes = await renderWorkbookXlsx(planWardWorkbook(catalogues, "Nghi Hương", null), { creator: "tieuchi", created });
    expect(await packageProblems(bytes)).toEqual([]);
  });

  it("each dropdown's validations cover exactly its input cells, one range per run between group headings", async () => {
    const xml = await sheetXml(await sampleBytes("nghi-huong"));
    const plan = planWardWorkbook(catalogues, "Nghi Hương", null);
    plan.tabs.forEach((tab, i) => {
      const part = xml[`xl/worksheets/sheet${i + 1}.xml`]!;
      const refs = [...part.matchAll(/<dataValidation\b[^>]*sqref="([^"]+)"/gu)].map((m) => decodeRange(m[1]!));
      expect(refs).toHaveLength(tab.dropdowns.reduce((n, d) => n + dropdownRuns(tab, d).length, 0));
      for (const dropdown of tab.dropdowns) {
        const boxes = refs.filter((box) => box.left === dropdown.column + 1 && box.top - 1 >= dropdown.fromRow && box.bottom - 1 <= dropdown.toRow);
        boxes.forEach((box) => expect(box.right).toBe(dropdown.column + 1));
        const rows = boxes.flatMap((box) => Array.from({ length: box.bottom - box.top + 1 }, (_, k) => box.top + k - 1));
        expect(rows.sort((a, b) => a - b)).toEqual(dropdownRows(tab, dropdown));
      }
    });
  });

  it("lists Kết quả, Kết quả thẩm định, Trạng thái and Kết luận thẩm định on each programme tab", () => {
    const tab = planWardWorkbook(catalogues, "Nghi Hương", null).tabs[1]!;
    expect(tab.dropdowns.map((d) => [d.title, d.values])).toEqual([
      ["Kết quả", ["Đạt", "Chưa đạt", "Đang thực hiện"]],
      ["Kết quả thẩm định", ["Đạt", "Chưa đạt"]],
      ["Trạng thái", ["Đang cập nhật", "Đề nghị thẩm định"]],
      ["Kết luận thẩm định", ["Đã thẩm định", "Trả lại"]],
    ]);
  });
});

describe("packageProblems", () => {
  it("catches exceljs's cell-by-cell validations (D10:D12 inside D7:D12)", async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("Tab");
    for (let r = 7; r <= 12; r++) sheet.getCell(`D${r}`).dataValidation = { type: "list", allowBlank: true, formulae: ['"Đạt,Chưa đạt"'] };
    const problems = await packageProblems(Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(problems).toEqual(["xl/worksheets/sheet1.xml: data validations overlap: D10:D12 ∩ D7:D12"]);
  });

  it("catches overlapping merges, long validation texts and bad defined names", async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("Tab");
    sheet.getCell("A1").value = "x";
    sheet.getCell("E1").dataValidation = { type: "list", formulae: [`"${"x".repeat(300)}"`], promptTitle: "y".repeat(40) };
    workbook.definedNames.add("Tab!$A$1", "A1");
    // exceljs refuses overlapping merges itself: write them into the sheet XML as another program might.
    const zip = await JSZip.loadAsync(await workbook.xlsx.writeBuffer());
    const xml = await zip.file("xl/worksheets/sheet1.xml")!.async("string");
    zip.file("xl/worksheets/sheet1.xml", xml.replace("</sheetData>", '</sheetData><mergeCells count="2"><mergeCell ref="A1:B2"/><mergeCell ref="B2:C3"/></mergeCells>'));
    const problems = await packageProblems(await zip.generateAsync({ type: "uint8array" }));
    expect(problems).toEqual(
      expect.arrayContaining([
        "xl/worksheets/sheet1.xml: merged ranges overlap: A1:B2 ∩ B2:C3",
        "xl/worksheets/sheet1.xml: validation promptTitle longer than 32",
        "xl/worksheets/sheet1.xml: validation list longer than 255 characters",
        "workbook: invalid defined name “A1”",
      ]),
    );
  });
});

describe("dropdownRuns", () => {
  it("splits at group headings and never overlaps", () => {
    for (const tab of planWardWorkbook(catalogues, "Nghi Hương", null).tabs.slice(1)) {
      for (const dropdown of tab.dropdowns) {
        const runs = dropdownRuns(tab, dropdown);
        runs.forEach((run, i) => {
          expect(run.fromRow).toBeLessThanOrEqual(run.toRow);
          if (i > 0) expect(run.fromRow).toBeGreaterThan(runs[i - 1]!.toRow + 1);
        });
      }
    }
  });
});
