/**
 * Load a workbook into exceljs from its parts as text (already inflated and repaired by
 * xlsx-package.ts), the steps of exceljs's own `xlsx.load` without the zip: handing exceljs a
 * zip made only for it cost a second jszip pass (open, inflate, decode every part again), about
 * a tenth of a 700-ward run. Uses exceljs's loader methods and part readers, which its typings
 * do not declare: exceljs is pinned (package.json), and the reader tests run through this file.
 */
import { createRequire } from "node:module";
import type ExcelJS from "exceljs";

/** The canonical part names xlsx-package.ts writes, with their text. */
export type WorkbookParts = ReadonlyMap<string, string>;

type Chunks = Iterable<string>;

interface PartReader {
  parseStream(chunks: Chunks): Promise<unknown>;
}

/** exceljs's XLSX loader (workbook.xlsx): the steps `load` takes after opening the zip. */
interface Loader {
  parseRels(chunks: Chunks): Promise<unknown>;
  parseWorkbook(chunks: Chunks): Promise<Record<"sheets" | "definedNames" | "views" | "properties" | "calcProperties", unknown>>;
  _processWorksheetEntry(chunks: Chunks, model: Record<string, unknown>, sheetNo: string, options: unknown, path: string): Promise<void>;
  reconcile(model: Record<string, unknown>, options: unknown): void;
  workbook: { model: unknown };
}

const require = createRequire(import.meta.url);
const readers = (): { SharedStrings: new () => PartReader; Styles: new () => PartReader } => ({
  SharedStrings: require("exceljs/lib/xlsx/xform/strings/shared-strings-xform.js") as new () => PartReader,
  Styles: require("exceljs/lib/xlsx/xform/style/styles-xform.js") as new () => PartReader,
});

/** Text in 16 kB pieces, as exceljs feeds its XML parser (a piece's events are gathered at once). */
function* chunksOf(text: string): Generator<string> {
  for (let i = 0; i < text.length; i += 16 * 1024) yield text.slice(i, i + 16 * 1024);
}

const SHEET = /^xl\/worksheets\/sheet(\d+)\.xml$/u;

/** Fill `workbook` from its parts, as `workbook.xlsx.load(zip)` would from a zip holding them. */
export async function loadWorkbookParts(workbook: ExcelJS.Workbook, parts: WorkbookParts): Promise<void> {
  const loader = workbook.xlsx as unknown as Loader;
  const { SharedStrings, Styles } = readers();
  const model: Record<string, unknown> = { worksheets: [], worksheetHash: {}, worksheetRels: [], themes: {}, media: [], mediaIndex: {}, drawings: {}, drawingRels: {}, comments: {}, tables: {}, vmlDrawings: {} };
  for (const [name, text] of parts) {
    const chunks = chunksOf(text);
    if (name === "_rels/.rels") model.globalRels = await loader.parseRels(chunks);
    else if (name === "xl/_rels/workbook.xml.rels") model.workbookRels = await loader.parseRels(chunks);
    else if (name === "xl/workbook.xml") {
      const { sheets, definedNames, views, properties, calcProperties } = await loader.parseWorkbook(chunks);
      Object.assign(model, { sheets, definedNames, views, properties, calcProperties });
    } else if (name === "xl/sharedStrings.xml" || name === "xl/styles.xml") {
      const reader = name === "xl/styles.xml" ? new Styles() : new SharedStrings();
      await reader.parseStream(chunks);
      model[name === "xl/styles.xml" ? "styles" : "sharedStrings"] = reader;
    } else {
      const sheetNo = SHEET.exec(name)?.[1];
      if (sheetNo !== undefined) await loader._processWorksheetEntry(chunks, model, sheetNo, undefined, name);
    }
  }
  loader.reconcile(model, undefined);
  loader.workbook.model = model;
}
