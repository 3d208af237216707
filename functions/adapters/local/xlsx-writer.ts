/**
 * Render a WorkbookPlan to .xlsx with exceljs: fonts, grey read-only columns, the dropdown
 * lists, frozen header, and sheet protection that leaves only the input cells editable (the
 * ward's, and the appraiser's shaded apart).
 */
import ExcelJS from "exceljs";
import { type CellRole, type TabDropdown, type TabPlan, type WorkbookPlan, dropdownRuns } from "../../../sheets-schema/workbook-plan.js";

const FONT = "Times New Roman";
const GREY: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFE7E6E6" } };
const HEADER_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFD9E2F3" } };
const GROUP_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFFFF2CC" } };
/** The appraiser's cells: a light green, apart from the ward's white input cells. */
const APPRAISAL_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFE2EFDA" } };
const THIN: Partial<ExcelJS.Borders> = {
  top: { style: "thin" },
  left: { style: "thin" },
  bottom: { style: "thin" },
  right: { style: "thin" },
};

interface RoleStyle {
  font: Partial<ExcelJS.Font>;
  fill?: ExcelJS.Fill;
  border?: Partial<ExcelJS.Borders>;
  alignment?: Partial<ExcelJS.Alignment>;
  locked: boolean;
}

const STYLES: Record<CellRole, RoleStyle> = {
  title: { font: { name: FONT, size: 14, bold: true }, locked: true },
  subtitle: { font: { name: FONT, size: 12, italic: true }, locked: true },
  label: { font: { name: FONT, size: 12, bold: true }, locked: true },
  input: { font: { name: FONT, size: 12 }, border: THIN, alignment: { vertical: "top", wrapText: true }, locked: false },
  appraisal: { font: { name: FONT, size: 12 }, fill: APPRAISAL_FILL, border: THIN, alignment: { vertical: "top", wrapText: true }, locked: false },
  header: { font: { name: FONT, size: 12, bold: true }, fill: HEADER_FILL, border: THIN, alignment: { horizontal: "center", vertical: "middle", wrapText: true }, locked: true },
  group: { font: { name: FONT, size: 12, bold: true }, fill: GROUP_FILL, border: THIN, alignment: { vertical: "top", wrapText: true }, locked: true },
  locked: { font: { name: FONT, size: 12 }, fill: GREY, border: THIN, alignment: { horizontal: "center", vertical: "top" }, locked: true },
  lockedText: { font: { name: FONT, size: 12 }, fill: GREY, border: THIN, alignment: { vertical: "top", wrapText: true }, locked: true },
  guideTitle: { font: { name: FONT, size: 13, bold: true }, locked: true },
  guide: { font: { name: FONT, size: 12 }, alignment: { wrapText: false }, locked: true },
};

const LINE_HEIGHT_PT = 15.75;

/**
 * Lines a wrapped cell needs at its column width. Neither exceljs nor LibreOffice fits row
 * heights to wrapped text on open, so the writer sets them (a character ≈ one width unit).
 */
function wrappedLines(planned: { value: string | number | null; role: CellRole }, width: number): number {
  if (typeof planned.value !== "string" || !STYLES[planned.role].alignment?.wrapText) return 1;
  const perLine = Math.max(1, Math.floor(width * 1.3));
  return planned.value.split("\n").reduce((n, line) => n + Math.max(1, Math.ceil(line.length / perLine)), 0);
}

/** exceljs's sheet-level validation list (keyed by A1 range); missing from its type definitions. */
interface SheetValidations {
  dataValidations: { add(range: string, validation: ExcelJS.DataValidation): void };
}

/**
 * One validation per run of criterion rows, given as a range. Set cell by cell, exceljs
 * squeezes alike cells into ranges after sorting addresses as text ("D10" < "D7") and
 * writes overlapping ranges (D10:D12 and D7:D12), which Excel offers to "repair".
 */
function addDropdown(sheet: ExcelJS.Worksheet, tab: TabPlan, dropdown: TabDropdown): void {
  const { column, values, title } = dropdown;
  const letter = sheet.getColumn(column + 1).letter;
  for (const run of dropdownRuns(tab, dropdown)) {
    (sheet as unknown as SheetValidations).dataValidations.add(`${letter}${run.fromRow + 1}:${letter}${run.toRow + 1}`, {
      type: "list",
      allowBlank: true,
      formulae: [`"${values.join(",")}"`],
      showErrorMessage: true,
      errorStyle: "warning",
      errorTitle: "Giá trị không hợp lệ",
      error: `Hãy chọn một trong các giá trị: ${values.join(", ")}.`,
      showInputMessage: true,
      promptTitle: title,
      prompt: `Chọn: ${values.join(", ")}.`,
    });
  }
}

function renderTab(workbook: ExcelJS.Workbook, tab: TabPlan): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(tab.title, {
    views: tab.headerRow === null ? [] : [{ state: "frozen", ySplit: tab.headerRow + 1 }],
    pageSetup: { paperSize: 9, orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  tab.widths.forEach((width, i) => (sheet.getColumn(i + 1).width = width));
  tab.rows.forEach((cells, r) => {
    const lines = Math.max(1, ...cells.map((planned, c) => wrappedLines(planned, tab.widths[c] ?? 10)));
    if (lines > 1) sheet.getRow(r + 1).height = lines * LINE_HEIGHT_PT + 3;
    cells.forEach((planned, c) => {
      const cell = sheet.getCell(r + 1, c + 1);
      const style = STYLES[planned.role];
      if (planned.value !== null) cell.value = planned.value;
      cell.font = style.font;
      if (style.fill) cell.fill = style.fill;
      if (style.border) cell.border = style.border;
      if (style.alignment) cell.alignment = style.alignment;
      cell.protection = { locked: style.locked };
    });
  });
  for (const dropdown of tab.dropdowns) addDropdown(sheet, tab, dropdown);
  return sheet;
}

/**
 * The xlsx bytes of a workbook plan. Programme tabs are protected without a password:
 * the grey columns look and behave read-only, the input cells stay editable.
 */
export async function renderWorkbookXlsx(plan: WorkbookPlan, meta: { creator: string; created: Date }): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = meta.creator;
  workbook.created = meta.created;
  workbook.modified = meta.created;
  for (const tab of plan.tabs) {
    const sheet = renderTab(workbook, tab);
    if (tab.headerRow !== null) {
      await sheet.protect("", { selectLockedCells: true, selectUnlockedCells: true, formatColumns: true, formatRows: true, autoFilter: true, sort: false });
    }
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
