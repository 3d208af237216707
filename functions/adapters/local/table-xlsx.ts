/**
 * Render an OutputTable (built in core) as an .xlsx, for people: typed cells (numbers as
 * numbers, text as inline text: right in every locale, never a formula), bold frozen header,
 * column widths and a filter. The CSV beside it is for scripts.
 *
 * The package is written directly (SpreadsheetML parts, zip-writer.ts) rather than through
 * exceljs: every ward's feedback is one such file, and exceljs's writer was the largest cost of
 * a 700-ward run after reading. The parts that never change are deflated once per process.
 */
import { isValidTabTitle } from "../../../sheets-schema/layout.js";
import { columnLetters } from "../../core/cells.js";
import type { OutputTable, TableCell } from "../../core/output-table.js";
import { type DeflatedPart, deflatePart, deflateText, writeZip } from "./zip-writer.js";

const FONT = "Times New Roman";
/** Excel's limit for the text of one cell. */
const MAX_CELL_TEXT = 32767;
// Characters XML 1.0 cannot carry (C0 controls but tab/LF/CR, U+FFFE/U+FFFF, lone surrogates):
// written as they are, they make the package unreadable, so Excel offers to repair it.
// eslint-disable-next-line no-control-regex -- matching the control characters is the point
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/gu;

const MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships";
const HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const CT = "application/vnd.openxmlformats-officedocument.spreadsheetml";

/** Style ids in styles.xml: 1 the body (12 pt, top, wrapped), 2 the header (bold, centred vertically). */
const BODY_STYLE = 1;
const HEADER_STYLE = 2;

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };

/** Text for XML content or a double-quoted attribute. */
function escapeXml(text: string): string {
  return /[&<>"]/u.test(text) ? text.replace(/[&<>"]/gu, (ch) => ESCAPES[ch] ?? ch) : text;
}

/** Cell text as Excel can hold it: characters XML cannot carry replaced, cut at Excel's length. */
function cellText(value: string): string {
  const text = value.replace(NOT_XML, "\uFFFD");
  return text.length > MAX_CELL_TEXT ? `${text.slice(0, MAX_CELL_TEXT - 1)}…` : text;
}

/** One cell: a number as a number, text inline (never a formula), an empty cell with its style only. */
function cellXml(ref: string, value: TableCell, style: number): string {
  if (typeof value === "number" && Number.isFinite(value)) return `<c r="${ref}" s="${style}"><v>${value}</v></c>`;
  const text = value === null ? "" : cellText(String(value));
  if (text === "") return `<c r="${ref}" s="${style}"/>`;
  const space = /^\s|\s$/u.test(text) ? ' xml:space="preserve"' : "";
  return `<c r="${ref}" s="${style}" t="inlineStr"><is><t${space}>${escapeXml(text)}</t></is></c>`;
}

function rowXml(cells: readonly TableCell[], row: number, style: number): string {
  let xml = `<row r="${row}">`;
  // An empty cell is written too, with its style alone: it keeps the column's font when typed into.
  for (let c = 0; c < cells.length; c++) xml += cellXml(`${columnLetters(c)}${row}`, cells[c] ?? null, style);
  return `${xml}</row>`;
}

/** The worksheet part, piece by piece (a row a piece): a large table is deflated as it is written. */
function* sheetPieces(table: OutputTable): Generator<string> {
  const columns = table.header.length;
  const cols = table.header.map((_, i) => `<col min="${i + 1}" max="${i + 1}" width="${table.widths[i] ?? 12}" style="${BODY_STYLE}" customWidth="1"/>`).join("");
  const pane = '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/></sheetView></sheetViews>';
  yield `${HEAD}<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">${pane}<sheetFormatPr defaultRowHeight="15"/>${cols ? `<cols>${cols}</cols>` : ""}<sheetData>`;
  yield rowXml(table.header, 1, HEADER_STYLE);
  for (let r = 0; r < table.rows.length; r++) yield rowXml(table.rows[r] ?? [], r + 2, BODY_STYLE);
  const filter = columns ? `<autoFilter ref="A1:${columnLetters(columns - 1)}${Math.max(1, table.rows.length + 1)}"/>` : "";
  yield `</sheetData>${filter}<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`;
}

const STYLES_XML =
  `${HEAD}<styleSheet xmlns="${MAIN_NS}">` +
  `<fonts count="3"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><sz val="12"/><name val="${FONT}"/></font><font><b/><sz val="12"/><name val="${FONT}"/></font></fonts>` +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>' +
  '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment vertical="center" wrapText="1"/></xf></cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles><dxfs count="0"/></styleSheet>';

const CONTENT_TYPES_XML =
  `${HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
  `<Override PartName="/xl/workbook.xml" ContentType="${CT}.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="${CT}.worksheet+xml"/>` +
  `<Override PartName="/xl/styles.xml" ContentType="${CT}.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>`;

const ROOT_RELS_XML =
  `${HEAD}<Relationships xmlns="${PKG_REL_NS}"><Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/>` +
  '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>';

const BOOK_RELS_XML =
  `${HEAD}<Relationships xmlns="${PKG_REL_NS}"><Relationship Id="rId1" Type="${REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>` +
  `<Relationship Id="rId2" Type="${REL_NS}/styles" Target="styles.xml"/></Relationships>`;

let constants: Record<"styles" | "types" | "rootRels" | "bookRels", DeflatedPart> | undefined;

/** The parts every table shares, deflated on first use. */
function constantParts(): NonNullable<typeof constants> {
  constants ??= { styles: deflatePart(STYLES_XML), types: deflatePart(CONTENT_TYPES_XML), rootRels: deflatePart(ROOT_RELS_XML), bookRels: deflatePart(BOOK_RELS_XML) };
  return constants;
}

function workbookXml(title: string): string {
  return `${HEAD}<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><bookViews><workbookView/></bookViews><sheets><sheet name="${escapeXml(title)}" sheetId="1" r:id="rId1"/></sheets></workbook>`;
}

/** Core properties; dates as W3CDTF without milliseconds, as Excel writes them. */
function coreXml(meta: { creator: string; created: Date }): string {
  const at = meta.created.toISOString().replace(/\.\d{3}Z$/u, "Z");
  const creator = escapeXml(meta.creator);
  return (
    `${HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
    `<dc:creator>${creator}</dc:creator><cp:lastModifiedBy>${creator}</cp:lastModifiedBy>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${at}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${at}</dcterms:modified></cp:coreProperties>`
  );
}

/**
 * The .xlsx bytes of one table on one sheet. A large table is deflated row by row as it is
 * written, so a ward with 200,000 findings costs the compressed file, not the whole XML.
 *
 * @example await writeFileAtomic("out/summary.xlsx", await renderTableXlsx(summaryTable(summary), meta))
 */
export async function renderTableXlsx(table: OutputTable, meta: { creator: string; created: Date }): Promise<Buffer> {
  if (!isValidTabTitle(table.title)) throw new Error(`table-xlsx: “${table.title}” cannot name a sheet`);
  const parts = constantParts();
  const sheet = await deflateText(sheetPieces(table));
  return writeZip(
    [
      { name: "[Content_Types].xml", deflated: parts.types },
      { name: "_rels/.rels", deflated: parts.rootRels },
      { name: "docProps/core.xml", data: coreXml(meta), method: "deflate" },
      { name: "xl/workbook.xml", data: workbookXml(table.title), method: "deflate" },
      { name: "xl/_rels/workbook.xml.rels", deflated: parts.bookRels },
      { name: "xl/styles.xml", deflated: parts.styles },
      { name: "xl/worksheets/sheet1.xml", deflated: sheet },
    ],
    meta.created,
  );
}
