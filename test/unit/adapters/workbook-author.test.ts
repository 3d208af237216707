/** The workbook's lastModifiedBy core property, for the trail: a name or null, never an exception. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { workbookLastModifiedBy } from "../../../functions/adapters/local/workbook-author.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "tieuchi-author-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function zipWithCore(core: string | null): Promise<string> {
  const zip = new JSZip();
  zip.file("xl/workbook.xml", "<workbook/>");
  if (core !== null) zip.file("docProps/core.xml", core);
  const file = join(dir, `w${Math.random().toString(36).slice(2)}.xlsx`);
  await writeFile(file, await zip.generateAsync({ type: "nodebuffer" }));
  return file;
}

describe("workbookLastModifiedBy", () => {
  it("reads the name Excel or ExcelJS saved, entities decoded", async () => {
    const book = new ExcelJS.Workbook();
    book.addWorksheet("A");
    book.lastModifiedBy = "Trần Văn Bình";
    const file = join(dir, "b.xlsx");
    await book.xlsx.writeFile(file);
    expect(await workbookLastModifiedBy(file)).toBe("Trần Văn Bình");
    expect(await workbookLastModifiedBy(await zipWithCore('<cp:coreProperties xmlns:cp="x"><cp:lastModifiedBy>L&amp;T &#7889;</cp:lastModifiedBy></cp:coreProperties>'))).toBe("L&T ố");
  });

  it("is null without the file, the part, the property or a name", async () => {
    expect(await workbookLastModifiedBy(join(dir, "none.xlsx"))).toBeNull();
    const text = join(dir, "t.xlsx");
    await writeFile(text, "not a zip");
    expect(await workbookLastModifiedBy(text)).toBeNull();
    expect(await workbookLastModifiedBy(await zipWithCore(null))).toBeNull();
    expect(await workbookLastModifiedBy(await zipWithCore("<coreProperties><creator>a</creator></coreProperties>"))).toBeNull();
    expect(await workbookLastModifiedBy(await zipWithCore("<cp:lastModifiedBy>  </cp:lastModifiedBy>"))).toBeNull();
  });

  it("is null for the placeholder ExcelJS writes when it knows no user", async () => {
    const book = new ExcelJS.Workbook();
    book.addWorksheet("A");
    const file = join(dir, "unknown.xlsx");
    await book.xlsx.writeFile(file);
    expect(await workbookLastModifiedBy(file)).toBeNull();
  });
});
