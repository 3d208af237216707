/** What a file that is not a readable .xlsx is, from its first bytes: one reason per kind. */
import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { readXlsxBuffer } from "../../../functions/adapters/local/xlsx-reader.js";
import { READ_PROBLEMS, sniffNonZip } from "../../../functions/adapters/local/xlsx-sniff.js";

const OLE2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const ole = (...streams: string[]): Buffer => Buffer.concat([OLE2, Buffer.alloc(504), ...streams.map((s) => Buffer.from(s, "utf16le"))]);

describe("sniffNonZip", () => {
  it.each([
    ["nothing", Buffer.alloc(0), READ_PROBLEMS.empty],
    ["an old .xls", ole("Workbook", "SummaryInformation"), READ_PROBLEMS.legacyXls],
    ["an .xlsx with a password to open", ole("EncryptionInfo", "EncryptedPackage"), READ_PROBLEMS.encrypted],
    ["an old .doc", ole("WordDocument"), READ_PROBLEMS.word],
    ["an old .ppt", ole("PowerPoint Document"), READ_PROBLEMS.powerpoint],
    ["a PDF", Buffer.from("%PDF-1.7\n"), READ_PROBLEMS.pdf],
    ["a web page with a BOM", Buffer.from("\uFEFF  <html><body><table></table></body></html>"), READ_PROBLEMS.html],
    ["an XML Spreadsheet 2003", Buffer.from('<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">'), READ_PROBLEMS.xml2003],
    ["a CSV", Buffer.from("Mã tiêu chí,Kết quả\r\nTC01,Đạt\r\n"), READ_PROBLEMS.text],
    ["random bytes", Buffer.from([1, 2, 3, 0, 255, 254]), READ_PROBLEMS.unknown],
  ])("%s", (_label, bytes, problem) => {
    expect(sniffNonZip(bytes)).toEqual(problem);
  });
});

describe("zips that hold no workbook", () => {
  it.each([
    ["a PowerPoint .pptx", { "ppt/presentation.xml": "<p/>" }, "not-workbook", "PowerPoint"],
    ["a zip of photos", { "anh-1.jpg": "x" }, "not-workbook", "tệp nén này không phải bảng tính"],
  ])("%s", async (_label, files, kind, says) => {
    const zip = new JSZip();
    for (const [name, text] of Object.entries(files)) zip.file(name, text);
    const data = await zip.generateAsync({ type: "nodebuffer" });
    await expect(readXlsxBuffer(data, "x.xlsx")).rejects.toMatchObject({ kind, message: expect.stringContaining(says) });
  });
});
