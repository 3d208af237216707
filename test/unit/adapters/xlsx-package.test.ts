/**
 * The package repair before exceljs parses: parts tieuchi does not read are left out, part
 * names and paths are made canonical, and the file on disk is never touched.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { repackageWorkbook } from "../../../functions/adapters/local/xlsx-package.js";
import { readWorkbookFile } from "../../../functions/adapters/local/workspace.js";
import { readXlsxBuffer } from "../../../functions/adapters/local/xlsx-reader.js";
import { DEFAULT_READ_LIMITS } from "../../../functions/adapters/local/zip-entries.js";
import { corpusFile } from "../../fixtures/corpus-manifest.js";

const titles = async (data: Buffer): Promise<string[]> => (await readXlsxBuffer(data, "x.xlsx")).sheets.map((s) => s.title);

describe("repackageWorkbook", () => {
  it("keeps only the workbook, its tabs and styles (openpyxl writes inline strings), under canonical names", async () => {
    const repaired = await repackageWorkbook(await readFile(corpusFile("op-comments.xlsx")), DEFAULT_READ_LIMITS);
    expect([...repaired.keys()].sort()).toEqual([
      "[Content_Types].xml", "_rels/.rels", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
      "xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml",
    ]);
    expect(repaired.get("xl/worksheets/sheet2.xml")).not.toMatch(/legacyDrawing|tableParts/u);
  });

  it("reads tabs stored under other part names and absolute targets, in the workbook's tab order", async () => {
    const zip = await JSZip.loadAsync(await readFile(corpusFile("op-plain.xlsx")));
    const rels = await zip.file("xl/_rels/workbook.xml.rels")!.async("string");
    for (const n of [1, 2, 3]) {
      zip.file(`xl/tabs/tab-${n}.xml`, await zip.file(`xl/worksheets/sheet${n}.xml`)!.async("string"));
      zip.remove(`xl/worksheets/sheet${n}.xml`);
    }
    zip.file("xl/_rels/workbook.xml.rels", rels.replace(/Target="\/?(?:xl\/)?worksheets\/sheet(\d)\.xml"/gu, 'Target="/xl/tabs/tab-$1.xml"'));
    const moved = await zip.generateAsync({ type: "nodebuffer" });
    expect(await titles(moved)).toEqual(["Hướng dẫn", "CA phường kiểu mẫu", "Phong trào toàn dân BVANTQ"]);
  });

  it("drops a chart sheet and custom XML it cannot use, and reads the rest", async () => {
    const zip = await JSZip.loadAsync(await readFile(corpusFile("op-plain.xlsx")));
    const book = await zip.file("xl/workbook.xml")!.async("string");
    zip.file("xl/workbook.xml", book.replace("</sheets>", '<sheet name="Biểu đồ" sheetId="9" r:id="rId99"/></sheets>'));
    const rels = await zip.file("xl/_rels/workbook.xml.rels")!.async("string");
    zip.file("xl/_rels/workbook.xml.rels", rels.replace("</Relationships>", '<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/chartsheet" Target="chartsheets/sheet1.xml"/><Relationship Id="rId98" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml" Target="../customXml/item1.xml"/></Relationships>'));
    zip.file("xl/chartsheets/sheet1.xml", "<chartsheet>not what exceljs reads</chartsheet>");
    zip.file("customXml/item1.xml", "<b:Sources xmlns:b='x'/>");
    expect(await titles(await zip.generateAsync({ type: "nodebuffer" }))).toEqual(["Hướng dẫn", "CA phường kiểu mẫu", "Phong trào toàn dân BVANTQ"]);
  });

  it("calls a zip encrypted with a password (7-Zip, WinRAR) password-protected", async () => {
    const data = Buffer.from(await readFile(corpusFile("op-plain.xlsx")));
    for (let i = 0; i + 4 <= data.length; i++) {
      if (data.readUInt32LE(i) === 0x04034b50) data.writeUInt16LE(data.readUInt16LE(i + 6) | 1, i + 6);
      if (data.readUInt32LE(i) === 0x02014b50) data.writeUInt16LE(data.readUInt16LE(i + 8) | 1, i + 8);
    }
    await expect(readXlsxBuffer(data, "x.xlsx")).rejects.toMatchObject({ kind: "encrypted", message: expect.stringContaining("gỡ mật khẩu") });
  });

  it("never touches the file on disk", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tieuchi-package-"));
    try {
      const file = join(dir, "nghi-huong.xlsx");
      const original = await readFile(corpusFile("op-table-absolute.xlsx"));
      await writeFile(file, original);
      expect((await readWorkbookFile(file))?.sheets).toHaveLength(3);
      expect((await readFile(file)).equals(original)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
