/**
 * Read an .xlsx workbook into a RawWorkbook with exceljs. Read-only: the file is never
 * written. Formula cells come back as their cached result, dates as serial numbers.
 */
import ExcelJS from "exceljs";
import type { CellValue, RawSheet, RawWorkbook } from "../../core/cells.js";
import { workbookLimitReason } from "../../core/sheet-limits.js";
import { SheetsReadError } from "../../errors.js";
import { fileSizeProblem } from "./read-problems.js";
import { type WorkbookParts, loadWorkbookParts } from "./exceljs-parts.js";
import { PackageProblem, repackageWorkbook } from "./xlsx-package.js";
import { type ReadProblem, READ_PROBLEMS, isZip, sniffNonZip } from "./xlsx-sniff.js";
import { DEFAULT_READ_LIMITS, type ReadLimits } from "./zip-entries.js";

const MS_PER_DAY = 86_400_000;
// Spreadsheet serial 0 is 1899-12-30; exceljs turns date-formatted serials into UTC Dates.
const SERIAL_EPOCH_MS = Date.UTC(1899, 11, 30);

/** Convert one exceljs cell value into the source-neutral CellValue. */
export function toCellValue(value: ExcelJS.CellValue | undefined): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  if (value instanceof Date) return (value.getTime() - SERIAL_EPOCH_MS) / MS_PER_DAY;
  if ("error" in value) return { error: String(value.error) };
  if ("richText" in value) return value.richText.map((part) => part.text).join("");
  if ("formula" in value || "sharedFormula" in value) return toCellValue((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
  if ("hyperlink" in value) return toCellValue((value as ExcelJS.CellHyperlinkValue).text as ExcelJS.CellValue);
  return null;
}

// exceljs keeps a loaded sheet's merges on a field its typings do not declare.
function mergesOf(sheet: ExcelJS.Worksheet): string[] {
  const merges = (sheet as unknown as { _merges?: Record<string, { range?: unknown } | undefined> })._merges ?? {};
  return Object.values(merges).flatMap((m) => (typeof m?.range === "string" ? [m.range] : []));
}

function toRawSheet(sheet: ExcelJS.Worksheet): RawSheet {
  const rows: CellValue[][] = [];
  const numberFormats: Record<string, string> = {};
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: CellValue[] = [];
    row.eachCell({ includeEmpty: false }, (cell, column) => {
      const value = toCellValue(cell.value);
      cells[column - 1] = value;
      const format = cell.numFmt;
      if (typeof value === "number" && typeof format === "string" && format !== "" && format.toLowerCase() !== "general") numberFormats[cell.address] = format;
    });
    rows[rowNumber - 1] = Array.from(cells, (v) => v ?? null);
  });
  return { title: sheet.name, rows: Array.from(rows, (r) => r ?? []), merges: mergesOf(sheet), numberFormats };
}

/**
 * Parse workbook bytes. Throws SheetsReadError with a one-line reason the ward can act on
 * when the bytes are not a readable .xlsx (empty, old .xls, password, truncated, a Word file)
 * or are past a limit; the package is repaired in memory first (xlsx-package.ts).
 */
export async function readXlsxBuffer(data: Buffer, target: string, limits: ReadLimits = DEFAULT_READ_LIMITS): Promise<RawWorkbook> {
  const fail = (problem: ReadProblem, cause?: unknown): SheetsReadError =>
    new SheetsReadError(`tệp ${target}`, problem.reason, cause === undefined ? { kind: problem.kind } : { kind: problem.kind, cause });
  if (!isZip(data)) throw fail(sniffNonZip(data));
  if (data.length > limits.fileBytes) throw fail(fileSizeProblem(data.length, limits.fileBytes));
  let repaired: WorkbookParts;
  try {
    repaired = await repackageWorkbook(data, limits);
  } catch (error) {
    if (error instanceof PackageProblem) throw fail(error.problem, error.cause);
    throw fail(READ_PROBLEMS.corrupt, error);
  }
  const workbook = new ExcelJS.Workbook();
  try {
    await loadWorkbookParts(workbook, repaired);
  } catch (error) {
    throw fail(READ_PROBLEMS.unreadableXml, error);
  }
  const read: RawWorkbook = { sheets: workbook.worksheets.map(toRawSheet) };
  // The same core limit as for a Google Sheet, on what exceljs made of it (one value on row 1,000,000 is 1,000,000 rows).
  const reason = workbookLimitReason(read, limits);
  if (reason !== null) throw fail({ kind: "too-many-rows", reason });
  return read;
}
