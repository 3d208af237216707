/**
 * Read an .xlsx workbook into a RawWorkbook with exceljs. Read-only: the file is never
 * written. Formula cells come back as their cached result, dates as serial numbers.
 */
import ExcelJS from "exceljs";
import type { CellValue, RawSheet, RawWorkbook } from "../../core/cells.js";
import { SheetsReadError } from "../../errors.js";

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

function toRawSheet(sheet: ExcelJS.Worksheet): RawSheet {
  const rows: CellValue[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: CellValue[] = [];
    row.eachCell({ includeEmpty: false }, (cell, column) => {
      cells[column - 1] = toCellValue(cell.value);
    });
    rows[rowNumber - 1] = Array.from(cells, (v) => v ?? null);
  });
  return { title: sheet.name, rows: Array.from(rows, (r) => r ?? []) };
}

/** Parse workbook bytes. Throws SheetsReadError with a one-line reason when it is not an xlsx. */
export async function readXlsxBuffer(data: Buffer, target: string): Promise<RawWorkbook> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(data as unknown as ExcelJS.Buffer);
  } catch (error) {
    throw new SheetsReadError(target, "không phải tệp Excel .xlsx hợp lệ (tệp hỏng hoặc sai định dạng)", { cause: error });
  }
  return { sheets: workbook.worksheets.map(toRawSheet) };
}
