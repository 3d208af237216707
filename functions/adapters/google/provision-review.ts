/**
 * The appraisal cycle's part of a ward spreadsheet in Google Sheets: the plan's dropdown lists
 * (Kết quả, Kết quả thẩm định, Trạng thái, Kết luận thẩm định) and the protection of the
 * appraiser's cells (the Kết quả thẩm định and Ý kiến thẩm định columns, the Kết luận cell):
 * a real protection, not a warning, whose editors are the configured appraisers (Sheets adds
 * the service account, which requests it). Ward staff still see those cells.
 */
import type { sheets_v4 } from "@googleapis/sheets";
import { COLUMNS } from "../../../sheets-schema/layout.js";
import { type TabDropdown, type TabPlan, dropdownRuns } from "../../../sheets-schema/workbook-plan.js";
import { runsOf } from "./provision-plan.js";

type Request = sheets_v4.Schema$Request;

/** Description of the protection over the appraiser's cells of a programme tab. */
export const APPRAISAL_PROTECTION = "tieuchi: ô thẩm định (chỉ cán bộ thẩm định sửa)";

/** A dropdown list that is not strict: a typo becomes a Finding rather than a refusal. */
export function listRule(values: readonly string[], title: string): sheets_v4.Schema$DataValidationRule {
  return {
    condition: { type: "ONE_OF_LIST", values: values.map((value) => ({ userEnteredValue: value })) },
    strict: false,
    showCustomUi: true,
    inputMessage: `${title}: chọn một trong các giá trị: ${values.join(", ")}.`,
  };
}

/** One dropdown on the given rows of its column, one request per run of consecutive rows. */
export function listRequests(sheetId: number, dropdown: Pick<TabDropdown, "column" | "values" | "title">, runs: ReadonlyArray<{ fromRow: number; toRow: number }>): Request[] {
  const rule = listRule(dropdown.values, dropdown.title);
  const { column } = dropdown;
  return runs.map(({ fromRow, toRow }) => ({
    setDataValidation: { range: { sheetId, startRowIndex: fromRow, endRowIndex: toRow + 1, startColumnIndex: column, endColumnIndex: column + 1 }, rule },
  }));
}

/** Every dropdown of a plan tab, on the cells of an input role only (group headings split the runs). */
export function tabDropdownRequests(sheetId: number, tab: TabPlan): Request[] {
  return tab.dropdowns.flatMap((dropdown) => listRequests(sheetId, dropdown, dropdownRuns(tab, dropdown)));
}

/** The protection of one range of appraiser cells: editors are the appraisers (the requester joins them). */
export function appraisalProtection(sheetId: number, range: Omit<sheets_v4.Schema$GridRange, "sheetId">, appraisers: readonly string[]): Request {
  return { addProtectedRange: { protectedRange: { range: { sheetId, ...range }, description: APPRAISAL_PROTECTION, warningOnly: false, editors: { users: [...appraisers] } } } };
}

/** Columns of the appraiser (Kết quả thẩm định, Ý kiến thẩm định) as [start, end) runs of the given column indexes. */
export function appraiserColumnRuns(columnOf: (key: (typeof COLUMNS)[number]["key"]) => number | undefined): Array<[number, number]> {
  const indexes = COLUMNS.filter((c) => c.appraiser).flatMap((c) => {
    const index = columnOf(c.key);
    return index === undefined ? [] : [index];
  });
  return runsOf(indexes);
}

/**
 * The protections of a new programme tab's appraiser cells: the appraiser columns below the
 * header (unbounded, so rows added later are covered), and each appraiser cell above it (the
 * Kết luận thẩm định cell).
 */
export function tabAppraisalProtections(sheetId: number, tab: TabPlan, appraisers: readonly string[]): Request[] {
  if (tab.headerRow === null) return [];
  const headerRow = tab.headerRow;
  const columns = appraiserColumnRuns((key) => {
    const index = COLUMNS.findIndex((c) => c.key === key);
    return index < 0 ? undefined : index;
  }).map(([startColumnIndex, endColumnIndex]) => appraisalProtection(sheetId, { startRowIndex: headerRow + 1, startColumnIndex, endColumnIndex }, appraisers));
  const cells = tab.rows.slice(0, headerRow).flatMap((row, r) =>
    row.flatMap((cell, c) => (cell.role === "appraisal" ? [appraisalProtection(sheetId, { startRowIndex: r, endRowIndex: r + 1, startColumnIndex: c, endColumnIndex: c + 1 }, appraisers)] : [])),
  );
  return [...columns, ...cells];
}

/** The action line for the appraiser cells' protection, naming who may edit them. */
export function appraisalAction(appraisers: readonly string[]): string {
  const who = appraisers.length > 0 ? `chỉ ${appraisers.join(", ")} (cán bộ thẩm định) được sửa` : "chưa khai báo cán bộ thẩm định (review.appraisers) nên chỉ tài khoản dịch vụ sửa được";
  return `Bảo vệ các cột Kết quả thẩm định, Ý kiến thẩm định và ô Kết luận thẩm định: ${who}`;
}
