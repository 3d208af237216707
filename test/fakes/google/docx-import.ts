/**
 * What Drive's import makes of an uploaded .docx converted to a Google Doc, as far as the Docs
 * API shows it: page size and margins from the section (twips → points), the header with a PAGE
 * field as a PAGE_NUMBER auto text, a different first page, the images as inline objects, and the
 * text. The zip is read synchronously (zlib) because the fake's handlers are synchronous.
 */
import { inflateRawSync } from "node:zlib";
import type { docs_v1 } from "@googleapis/docs";
import { GoogleApiError } from "./errors.js";

export const DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
/** Sources Drive converts to a Google Doc (about.importFormats, the text formats). */
const DOCUMENT_IMPORT_TYPES = new Set(["text/html", "text/plain", "application/rtf", "application/msword", "application/vnd.oasis.opendocument.text", DOCX_MIME]);
/** A text document converted to Google Docs may be up to 50 MB (Drive help, "Files you can store"). */
const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

interface ImportedDocx {
  text: string;
  documentStyle: docs_v1.Schema$DocumentStyle;
  /** Per header part: does it hold a PAGE field. */
  headers: { default: boolean; first: boolean } | null;
  images: number;
}

/** Refuses what Drive refuses to convert to a Doc: another media type, or too large. */
export function checkDocumentImport(contentType: string, bytes: number): void {
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  if (!DOCUMENT_IMPORT_TYPES.has(type)) {
    // The fake's wording; Drive answers 400 badRequest when a conversion is not supported.
    throw new GoogleApiError(400, `Conversion of the uploaded content (${type}) to the requested output type is not supported.`, { reason: "badRequest", location: "mimeType" });
  }
  if (bytes > MAX_IMPORT_BYTES) throw new GoogleApiError(413, "The file is too large to convert to a Google Docs document.", { reason: "uploadTooLarge" });
}

/** The entries of a zip archive (stored or deflated), by name. */
function unzipSync(zip: Buffer): Map<string, Buffer> {
  const entries = new Map<string, Buffer>();
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new GoogleApiError(400, "The uploaded file is not a valid document.", { reason: "badContent" });
  let offset = zip.readUInt32LE(end + 16);
  const count = zip.readUInt16LE(end + 10);
  for (let i = 0; i < count; i += 1) {
    const method = zip.readUInt16LE(offset + 10);
    const size = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extra = zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32);
    const local = zip.readUInt32LE(offset + 42);
    const name = zip.subarray(offset + 46, offset + 46 + nameLength).toString("utf8");
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + size);
    entries.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    offset += 46 + nameLength + extra;
  }
  return entries;
}

const points = (twips: string | undefined, fallback: number): docs_v1.Schema$Dimension => ({ magnitude: twips === undefined ? fallback : Number(twips) / 20, unit: "PT" });
const attr = (xml: string, element: string, name: string): string | undefined => new RegExp(`<w:${element}\\b[^>]*\\bw:${name}="(\\d+)"`, "u").exec(xml)?.[1];

const hasPageField = (xml: string): boolean => /<w:instrText[^>]*>\s*PAGE\b/u.test(xml) || /<w:fldSimple[^>]*w:instr="\s*PAGE\b/u.test(xml);

function headerParts(files: Map<string, Buffer>, documentXml: string): ImportedDocx["headers"] {
  const rels = files.get("word/_rels/document.xml.rels")?.toString("utf8") ?? "";
  const target = (type: string): string | undefined => {
    const id = new RegExp(`<w:headerReference\\b[^>]*w:type="${type}"[^>]*r:id="([^"]+)"`, "u").exec(documentXml)?.[1] ?? new RegExp(`<w:headerReference\\b[^>]*r:id="([^"]+)"[^>]*w:type="${type}"`, "u").exec(documentXml)?.[1];
    const file = id === undefined ? undefined : new RegExp(`Id="${id}"[^>]*Target="([^"]+)"`, "u").exec(rels)?.[1] ?? new RegExp(`Target="([^"]+)"[^>]*Id="${id}"`, "u").exec(rels)?.[1];
    return file === undefined ? undefined : files.get(`word/${file}`)?.toString("utf8");
  };
  const main = target("default");
  if (main === undefined) return null;
  return { default: hasPageField(main), first: hasPageField(target("first") ?? "") };
}

/** Converts uploaded .docx bytes as Drive's import would (the parts the Docs API exposes). */
export function importDocx(bytes: Buffer): ImportedDocx {
  const files = unzipSync(bytes);
  const xml = files.get("word/document.xml")?.toString("utf8");
  if (xml === undefined) throw new GoogleApiError(400, "The uploaded file is not a valid document.", { reason: "badContent" });
  const sect = /<w:sectPr\b[\s\S]*?<\/w:sectPr>/u.exec(xml)?.[0] ?? "";
  const documentStyle: docs_v1.Schema$DocumentStyle = {
    pageSize: { width: points(attr(sect, "pgSz", "w"), 612), height: points(attr(sect, "pgSz", "h"), 792) },
    marginTop: points(attr(sect, "pgMar", "top"), 72),
    marginBottom: points(attr(sect, "pgMar", "bottom"), 72),
    marginLeft: points(attr(sect, "pgMar", "left"), 72),
    marginRight: points(attr(sect, "pgMar", "right"), 72),
    marginHeader: points(attr(sect, "pgMar", "header"), 36),
    useFirstPageHeaderFooter: /<w:titlePg(?:\s*\/>|\s+w:val="(?:1|true)")/u.test(sect),
  };
  const text = [...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/gu)].map((m) => m[1]).join("");
  return { text, documentStyle, headers: headerParts(files, xml), images: (xml.match(/<pic:pic\b/gu) ?? []).length };
}
