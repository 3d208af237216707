/**
 * Hostile variants of a real ward workbook, built in memory for the limit tests and the
 * memory benchmark: a zip bomb (a part that inflates to far more than the file's size), a
 * huge paste (a tab with 200,000 rows), and a package whose central directory lies about
 * an entry's size.
 */
import JSZip from "jszip";

async function rewritePart(base: Buffer, part: string, edit: (xml: string) => string): Promise<Buffer> {
  const zip = await JSZip.loadAsync(base);
  const file = zip.file(part);
  if (!file) throw new Error(`no part ${part} in the base workbook`);
  zip.file(part, edit(await file.async("string")));
  return zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE", compressionOptions: { level: 9 } });
}

/** The workbook with `padBytes` of blanks inside a comment of one worksheet: compresses ~1000:1. */
export function zipBomb(base: Buffer, padBytes: number, part = "xl/worksheets/sheet2.xml"): Promise<Buffer> {
  return rewritePart(base, part, (xml) => xml.replace(/(<\?xml[^>]*\?>)?/u, (decl) => `${decl}<!--${" ".repeat(padBytes)}-->`));
}

/** The workbook with `rows` rows of pasted text below the table of one worksheet. */
export function hugePaste(base: Buffer, rows: number, part = "xl/worksheets/sheet2.xml"): Promise<Buffer> {
  return rewritePart(base, part, (xml) => {
    const lines: string[] = [];
    for (let r = 1001; r < 1001 + rows; r++) lines.push(`<row r="${r}"><c r="C${r}" t="inlineStr"><is><t>dán thừa ${r}</t></is></c></row>`);
    return xml.replace(/<\/sheetData>|<sheetData\s*\/>/u, `${lines.join("")}</sheetData>`).replace(/<dimension [^>]*\/>/u, "");
  });
}

/** The zip with `entry`'s uncompressed size rewritten to `size` in its local and central headers. */
export function withDeclaredSize(zip: Buffer, entry: string, size: number): Buffer {
  const out = Buffer.from(zip);
  const name = Buffer.from(entry, "utf8");
  for (let i = 0; i + 46 <= out.length; i++) {
    const signature = out.readUInt32LE(i);
    if (signature === 0x04034b50 && out.subarray(i + 30, i + 30 + out.readUInt16LE(i + 26)).equals(name)) out.writeUInt32LE(size, i + 22);
    if (signature === 0x02014b50 && out.subarray(i + 46, i + 46 + out.readUInt16LE(i + 28)).equals(name)) out.writeUInt32LE(size, i + 24);
  }
  return out;
}
