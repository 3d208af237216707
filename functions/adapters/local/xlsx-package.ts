/**
 * Rebuild, in memory, the part of an .xlsx package that tieuchi reads (workbook, worksheets,
 * shared strings, styles) under the canonical part names exceljs expects, and leave out the
 * rest: comments, tables, drawings, custom XML, pivot caches. Excel and LibreOffice open files
 * whose extra parts exceljs rejects (an openpyxl comment, absolute part paths); without those
 * parts the cell values read the same. Strict Open XML and prefixed SpreadsheetML are rewritten
 * to the transitional, unprefixed form (xml-namespaces.ts). Limits are checked before and while
 * inflating. The file on disk is never touched.
 */
import { type ReadLimits, type ZipPackage, ZipLimitError, openZip } from "./zip-entries.js";
import { type ReadProblem, READ_PROBLEMS, sniffZipWithoutWorkbook } from "./xlsx-sniff.js";
import { sizeProblem, rowsProblem, cellsProblem } from "./read-problems.js";
import { canonicalPart, usesDate1904 } from "./xml-namespaces.js";

/** A package that cannot be read, with the reason for the ward. */
export class PackageProblem extends Error {
  readonly problem: ReadProblem;
  constructor(problem: ReadProblem, options?: { cause?: unknown }) {
    super(problem.reason, options);
    this.problem = problem;
  }
}

const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml";
const SMALL_PART = 4 * 1024 * 1024;

interface Relationship {
  id: string;
  type: string;
  target: string;
}

function attributes(tag: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of tag.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/gu)) found.set(m[1] ?? "", m[2] ?? m[3] ?? "");
  return found;
}

function decodeXml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos);/gu, (_, e: string) => ({ amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" })[e] ?? "");
}

function parseRelationships(xml: string): Relationship[] {
  return [...xml.matchAll(/<(?:\w+:)?Relationship\b[^>]*>/gu)].map((m) => {
    const a = attributes(m[0]);
    return { id: a.get("Id") ?? "", type: a.get("Type") ?? "", target: decodeXml(a.get("Target") ?? "") };
  });
}

/** Resolve a relationship target against the folder of the part that holds the rels. */
function resolvePart(baseDir: string, target: string): string {
  const parts = (target.startsWith("/") ? target.slice(1) : `${baseDir}${target}`).split("/");
  const out: string[] = [];
  for (const p of parts) {
    if (p === "..") out.pop();
    else if (p !== "." && p !== "") out.push(p);
  }
  return out.join("/");
}

function relsPathOf(part: string): string {
  const slash = part.lastIndexOf("/");
  return `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
}

// Elements of a worksheet that point at parts left out, or that tieuchi never reads.
const SHEET_DROPS = ["legacyDrawing", "legacyDrawingHF", "drawing", "picture", "tableParts", "hyperlinks", "oleObjects", "controls", "extLst", "mc:AlternateContent"];
const BOOK_DROPS = ["pivotCaches", "externalReferences", "definedNames", "extLst", "fileRecoveryPr"];

function dropElements(xml: string, names: readonly string[]): string {
  let out = xml;
  for (const name of names) {
    out = out.replace(new RegExp(`<${name}\\b[^>]*/>|<${name}\\b[^>]*>[\\s\\S]*?</${name}>`, "gu"), "");
  }
  return out;
}

function countTags(xml: string, tag: string): number {
  return xml.match(new RegExp(`<${tag}[\\s>/]`, "gu"))?.length ?? 0;
}

interface Budget {
  left: number;
}

async function readPart(zip: ZipPackage, name: string, budget: Budget, limits: ReadLimits): Promise<string> {
  try {
    const text = await zip.readText(name, budget.left);
    budget.left -= Buffer.byteLength(text);
    return text;
  } catch (error) {
    if (error instanceof ZipLimitError) throw new PackageProblem(sizeProblem(null, limits.inflatedBytes), { cause: error });
    throw new PackageProblem(READ_PROBLEMS.corrupt, { cause: error });
  }
}

async function workbookPart(zip: ZipPackage, budget: Budget, limits: ReadLimits): Promise<string> {
  if (zip.entries.has("_rels/.rels")) {
    const rels = parseRelationships(await readPart(zip, "_rels/.rels", { left: Math.min(SMALL_PART, budget.left) }, limits));
    const office = rels.find((r) => r.type.endsWith("/officeDocument"));
    const path = office ? resolvePart("", office.target) : null;
    if (path !== null && zip.entries.has(path) && !/^(?:word|ppt)\//u.test(path)) return path;
  }
  if (zip.entries.has("xl/workbook.xml")) return "xl/workbook.xml";
  const mimetype = zip.entries.has("mimetype") ? await readPart(zip, "mimetype", { left: 1024 }, limits).catch(() => null) : null;
  throw new PackageProblem(sniffZipWithoutWorkbook(new Set(zip.entries.keys()), mimetype));
}

/**
 * Read the parts tieuchi needs from a zip, as the text of a package exceljs loads (canonical
 * part name → XML, the order a zip of them would have); exceljs-parts.ts loads them.
 */
export async function repackageWorkbook(data: Buffer, limits: ReadLimits): Promise<Map<string, string>> {
  let zip: ZipPackage;
  try {
    zip = await openZip(data);
  } catch (error) {
    // A zip encrypted with a password (7-Zip, WinRAR) rather than by Excel.
    const encrypted = error instanceof Error && /encrypted/iu.test(error.message);
    throw new PackageProblem(encrypted ? READ_PROBLEMS.encrypted : READ_PROBLEMS.corrupt, { cause: error });
  }
  if (zip.declaredTotal > limits.declaredBytes) throw new PackageProblem(sizeProblem(zip.declaredTotal, limits.declaredBytes));
  const budget: Budget = { left: limits.inflatedBytes };
  const bookPath = await workbookPart(zip, budget, limits);
  const bookDir = bookPath.slice(0, bookPath.lastIndexOf("/") + 1);
  const bookRelsPath = relsPathOf(bookPath);
  const rels = zip.entries.has(bookRelsPath) ? parseRelationships(await readPart(zip, bookRelsPath, budget, limits)) : [];
  const partOf = (r: Relationship): string | null => {
    const path = resolvePart(bookDir, r.target);
    return zip.entries.has(path) ? path : null;
  };
  const out = new Map<string, string>();
  const newRels: string[] = [];
  const overrides: string[] = [];
  const sheetIds = new Map<string, string>();
  let book = canonicalPart(await readPart(zip, bookPath, budget, limits));
  const date1904 = usesDate1904(book);
  let cells = 0;
  for (const rel of rels.filter((r) => r.type.endsWith("/worksheet"))) {
    const path = partOf(rel);
    if (!path) continue;
    const n = sheetIds.size + 1;
    sheetIds.set(rel.id, `rId${n}`);
    const xml = canonicalPart(await readPart(zip, path, budget, limits), date1904);
    const rows = countTags(xml, "row");
    if (rows > limits.rowsPerTab) throw new PackageProblem(rowsProblem(sheetNameOf(book, rel.id) ?? `Sheet${n}`, rows, limits.rowsPerTab));
    cells += countTags(xml, "c");
    if (cells > limits.cells) throw new PackageProblem(cellsProblem(limits.cells));
    put(out, `xl/worksheets/sheet${n}.xml`, dropElements(xml, SHEET_DROPS));
    newRels.push(`<Relationship Id="rId${n}" Type="${REL}/worksheet" Target="worksheets/sheet${n}.xml"/>`);
    overrides.push(`<Override PartName="/xl/worksheets/sheet${n}.xml" ContentType="${MAIN}.worksheet+xml"/>`);
  }
  for (const [kind, name, type] of [["/sharedStrings", "sharedStrings.xml", "sharedStrings"], ["/styles", "styles.xml", "styles"]] as const) {
    const rel = rels.find((r) => r.type.endsWith(kind));
    const path = rel ? partOf(rel) : null;
    if (!rel || !path) continue;
    put(out, `xl/${name}`, canonicalPart(await readPart(zip, path, budget, limits)));
    newRels.push(`<Relationship Id="rId${newRels.length + 1}" Type="${REL}${kind}" Target="${name}"/>`);
    overrides.push(`<Override PartName="/xl/${name}" ContentType="${MAIN}.${type}+xml"/>`);
  }
  if (sheetIds.size === 0) throw new PackageProblem(sniffZipWithoutWorkbook(new Set(zip.entries.keys()), null));
  book = rewriteSheets(dropElements(book, BOOK_DROPS), sheetIds);
  put(out, "xl/workbook.xml", book);
  put(out, "xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${newRels.join("")}</Relationships>`);
  put(out, "_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`);
  put(out, 
    "[Content_Types].xml",
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="${MAIN}.sheet.main+xml"/>${overrides.join("")}</Types>`,
  );
  return out;
}

function put(parts: Map<string, string>, name: string, text: string): void {
  parts.set(name, text);
}

function sheetTags(book: string): string[] {
  return [...book.matchAll(/<(?:\w+:)?sheet\b[^>]*>/gu)].map((m) => m[0]);
}

function relIdOf(tag: string): string | null {
  for (const [key, value] of attributes(tag)) if (/(?:^|:)id$/u.test(key) && key !== "sheetId") return value;
  return null;
}

function sheetNameOf(book: string, relId: string): string | null {
  const tag = sheetTags(book).find((t) => relIdOf(t) === relId);
  const name = tag ? attributes(tag).get("name") : undefined;
  return name === undefined ? null : decodeXml(name);
}

/** Point each kept tab at its new relationship id; tabs whose part was left out (chart sheets) go. */
function rewriteSheets(book: string, ids: ReadonlyMap<string, string>): string {
  return book.replace(/<(?:\w+:)?sheet\b[^>]*>(?:\s*<\/(?:\w+:)?sheet>)?/gu, (tag) => {
    const old = relIdOf(tag);
    const next = old === null ? undefined : ids.get(old);
    if (next === undefined) return "";
    return tag.replace(/([\w]+:id)\s*=\s*(?:"[^"]*"|'[^']*')/u, `$1="${next}"`);
  });
}
