/**
 * What the xlsx reader says after the package is repaired: XML no reader parses gets its own
 * reason (not "tệp bị hỏng"); a stray value far down is read, a paste is refused.
 */
import { readFile } from "node:fs/promises";
import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { readXlsxBuffer } from "../../../functions/adapters/local/xlsx-reader.js";
import { SheetsReadError } from "../../../functions/errors.js";
import { corpusFile } from "../../fixtures/corpus-manifest.js";

async function withSheet(edit: (xml: string) => string): Promise<Buffer> {
  const zip = await JSZip.loadAsync(await readFile(corpusFile("op-plain.xlsx")));
  zip.file("xl/worksheets/sheet2.xml", edit(await zip.file("xl/worksheets/sheet2.xml")!.async("string")));
  return zip.generateAsync({ type: "nodebuffer" });
}

const reasonOf = async (data: Buffer): Promise<SheetsReadError> => {
  const error = await readXlsxBuffer(data, "wards/x.xlsx").catch((e: unknown) => e);
  if (!(error instanceof SheetsReadError)) throw new Error(`expected a SheetsReadError, got ${String(error)}`);
  return error;
};

describe("readXlsxBuffer after the repair", () => {
  it("says to save the file again as .xlsx when the zip is whole but its XML cannot be parsed", async () => {
    const error = await reasonOf(await withSheet((xml) => xml.replace("</sheetData>", "<row r=\"999\"><c r=\"A999\"><v>1</v></row></sheetDat>")));
    expect(error.kind).toBe("corrupt");
    expect(error.message).toMatch(/^Không đọc được tệp wards\/x\.xlsx: tệp còn nguyên .* Lưu lại dưới dạng Sổ làm việc Excel \(\.xlsx\)/u);
    expect(error.message).not.toContain("bị hỏng");
  });

  it("reads a tab with one stray value on row 1,000,000 (the ward is told at that cell, not refused)", async () => {
    const data = await withSheet((xml) => xml.replace("</sheetData>", "<row r=\"1000000\"><c r=\"A1000000\" t=\"inlineStr\"><is><t>x</t></is></c></row></sheetData>"));
    const tab = (await readXlsxBuffer(data, "wards/x.xlsx")).sheets[1]!;
    expect(tab.rows).toHaveLength(1_000_000);
    expect(tab.rows.at(-1)?.[0]).toBe("x");
  });

  it("refuses a tab of more than 5,000 rows holding values, with the core limit's reason", async () => {
    const paste = Array.from({ length: 5_000 }, (_, i) => `<row r="${i + 100}"><c r="A${i + 100}" t="inlineStr"><is><t>x</t></is></c></row>`).join("");
    const error = await reasonOf(await withSheet((xml) => xml.replace("</sheetData>", `${paste}</sheetData>`)));
    expect(error.kind).toBe("too-many-rows");
    expect(error.message).toMatch(/có 5\.0\d\d dòng \(tối đa 5\.000\)/u);
  });
});
