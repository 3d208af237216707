/**
 * The tabs of an existing ward spreadsheet as provisioning reads them (spreadsheets.get with
 * grid data, typed values and dropdown lists only): what the repair compares with the plan.
 */
import type { sheets_v4 } from "@googleapis/sheets";
import { COLUMNS, RESULT_VALUES } from "../../../sheets-schema/layout.js";
import type { CellValue } from "../../core/cells.js";
import { APPRAISAL_PROTECTION } from "./provision-review.js";

/** One tab of the existing spreadsheet, as read by spreadsheets.get with grid data. */
export interface ExistingSheet {
  sheetId: number;
  title: string;
  rowCount: number;
  columnCount: number;
  /** Descriptions of the tab's protected ranges. */
  protections: string[];
  /** values[r][c], 0-based, as typed (a formula as its text). */
  values: CellValue[][];
  /** "row:column" (0-based) of the cells that carry the Kết quả dropdown. */
  resultRules: Set<string>;
  /** "row:column" → the values of the cell's dropdown list, joined with "|" (every list, Kết quả included). */
  listRules?: ReadonlyMap<string, string>;
  /** The protections of the appraiser's cells and their editors (the service account among them). */
  appraisalEditors?: ReadonlyArray<{ id: number; users: readonly string[] }>;
}

/** The rule is the Kết quả dropdown (same list; strictness and hints aside). */
export function isResultRule(rule: sheets_v4.Schema$DataValidationRule | undefined | null): boolean {
  const values = (rule?.condition?.values ?? []).map((v) => v.userEnteredValue ?? "");
  return rule?.condition?.type === "ONE_OF_LIST" && values.length === RESULT_VALUES.length && RESULT_VALUES.every((v) => values.includes(v));
}

/** A dropdown list's values joined with "|", or null for any other rule. */
function listValues(rule: sheets_v4.Schema$DataValidationRule | undefined | null): string | null {
  if (rule?.condition?.type !== "ONE_OF_LIST") return null;
  return (rule.condition.values ?? []).map((v) => v.userEnteredValue ?? "").join("|");
}

function typedValue(entered: sheets_v4.Schema$ExtendedValue | undefined): CellValue {
  if (entered?.stringValue != null) return entered.stringValue;
  if (entered?.numberValue != null) return entered.numberValue;
  if (entered?.boolValue != null) return entered.boolValue;
  if (entered?.formulaValue != null) return entered.formulaValue;
  if (entered?.errorValue != null) return { error: entered.errorValue.message ?? "#ERROR!" };
  return null;
}

/** The tabs of a spreadsheets.get response (grid data included) as plain values. */
export function readExistingSheets(spreadsheet: sheets_v4.Schema$Spreadsheet): ExistingSheet[] {
  return (spreadsheet.sheets ?? []).map((sheet) => {
    const sparse: CellValue[][] = [];
    const resultRules = new Set<string>();
    const listRules = new Map<string, string>();
    for (const grid of sheet.data ?? []) {
      const [top, left] = [grid.startRow ?? 0, grid.startColumn ?? 0];
      grid.rowData?.forEach((row, r) =>
        row.values?.forEach((cell, c) => {
          (sparse[top + r] ??= [])[left + c] = typedValue(cell.userEnteredValue);
          if (isResultRule(cell.dataValidation)) resultRules.add(`${top + r}:${left + c}`);
          const list = listValues(cell.dataValidation);
          if (list !== null) listRules.set(`${top + r}:${left + c}`, list);
        }),
      );
    }
    const values = Array.from(sparse, (row) => Array.from(row ?? [], (v) => v ?? null));
    const properties = sheet.properties ?? {};
    return {
      sheetId: properties.sheetId ?? 0,
      title: properties.title ?? "",
      rowCount: properties.gridProperties?.rowCount ?? values.length,
      columnCount: properties.gridProperties?.columnCount ?? COLUMNS.length,
      protections: (sheet.protectedRanges ?? []).map((p) => p.description ?? ""),
      // Only protections we may edit: another identity's (setup changed) are left as they are.
      appraisalEditors: (sheet.protectedRanges ?? []).filter((p) => p.description === APPRAISAL_PROTECTION && p.requestingUserCanEdit !== false).map((p) => ({ id: p.protectedRangeId ?? 0, users: p.editors?.users ?? [] })),
      values,
      resultRules,
      listRules,
    };
  });
}
