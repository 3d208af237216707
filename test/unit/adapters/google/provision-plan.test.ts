import type { sheets_v4 } from "@googleapis/sheets";
import { beforeAll, describe, expect, it } from "vitest";
import { CHECK_PROTECTION } from "../../../../functions/adapters/google/check-tab.js";
import {
  LOCKED_PROTECTION,
  RESULT_RULE,
  dropdownRows,
  newWorkbookRequests,
  runsOf,
  writeCells,
} from "../../../../functions/adapters/google/provision-plan.js";
import { APPRAISAL_PROTECTION } from "../../../../functions/adapters/google/provision-review.js";
import type { Catalogue } from "../../../../sheets-schema/catalogue.js";
import { CHECK_TAB, COLUMNS, GUIDE_TAB } from "../../../../sheets-schema/layout.js";
import { CONCLUSION_ROW, HEADER_ROW, SUBMISSION_ROW, planWardWorkbook } from "../../../../sheets-schema/workbook-plan.js";
import { builtinCatalogues } from "../../../fixtures/workbooks.js";

const INPUT_COLUMNS = COLUMNS.flatMap((c, i) => (c.input ? [i] : []));
const ids = { tabs: [11, 12, 13], check: 14 };
const APPRAISERS = ["thamdinh@congan.example", "pho.thamdinh@congan.example"];
let catalogues: Catalogue[];

beforeAll(async () => {
  catalogues = await builtinCatalogues();
});

const plan = () => planWardWorkbook(catalogues, "Nghi Hương", null);

/** 0-based rows of a programme tab's criteria, as the plan lays them out. */
function criterionRows(tabIndex: number): number[] {
  return plan().tabs[tabIndex]!.rows.flatMap((row, r) => (r > HEADER_ROW && row[1]?.role === "locked" ? [r] : []));
}

describe("runsOf and writeCells", () => {
  it("groups indexes into contiguous runs", () => {
    expect(runsOf([9, 3, 5, 4, 4])).toEqual([
      [3, 6],
      [9, 10],
    ]);
    expect(runsOf([])).toEqual([]);
  });

  it("writes only the cells given, one updateCells per run of columns", () => {
    const cells = new Map<number, sheets_v4.Schema$CellData>([0, 1, 2, 5].map((c) => [c, { userEnteredValue: { stringValue: `c${c}` } }]));
    const requests = writeCells(7, 20, cells, "userEnteredValue");
    expect(requests.map((r) => [r.updateCells?.start, r.updateCells?.rows?.[0]?.values?.length])).toEqual([
      [{ sheetId: 7, rowIndex: 20, columnIndex: 0 }, 3],
      [{ sheetId: 7, rowIndex: 20, columnIndex: 5 }, 1],
    ]);
    expect(requests.every((r) => r.updateCells?.range === undefined)).toBe(true);
  });
});

describe("newWorkbookRequests: the one batch that builds a blank Drive-created spreadsheet", () => {
  it("sets the Vietnamese locale, adds every tab in order with its values, and deletes the blank tab last", () => {
    const all = newWorkbookRequests(plan(), ids, [0], APPRAISERS);
    expect(all[0]).toEqual({ updateSpreadsheetProperties: { properties: { locale: "vi_VN", timeZone: "Asia/Ho_Chi_Minh" }, fields: "locale,timeZone" } });
    expect(all.flatMap((r) => (r.addSheet ? [[r.addSheet.properties?.sheetId, r.addSheet.properties?.title]] : []))).toEqual([
      [11, GUIDE_TAB],
      [12, catalogues[0]!.tabTitle],
      [13, catalogues[1]!.tabTitle],
      [14, CHECK_TAB],
    ]);
    expect(all.at(-1)).toEqual({ deleteSheet: { sheetId: 0 } });
    expect(all.filter((r) => r.deleteSheet)).toHaveLength(1);
    for (const sheetId of [12, 13]) {
      const values = all.find((r) => r.updateCells?.start?.sheetId === sheetId && r.updateCells.fields === "userEnteredValue")?.updateCells?.rows ?? [];
      expect(values[2]?.values?.[2]).toEqual({ userEnteredValue: { stringValue: "Nghi Hương" } });
      expect(values[HEADER_ROW]?.values?.map((v) => v.userEnteredValue?.stringValue)).toEqual(COLUMNS.map((c) => c.header));
      for (const row of values.slice(HEADER_ROW + 1)) expect(INPUT_COLUMNS.map((c) => row.values?.[c])).toEqual([{}, {}, {}, {}]);
    }
  });
});

describe("newWorkbookRequests", () => {
  const requests = () => newWorkbookRequests(plan(), ids, [0], APPRAISERS);

  it("puts the dropdown on Kết quả of criterion rows only (not group headings)", () => {
    const validations = requests().flatMap((r) => (r.setDataValidation ? [r.setDataValidation] : []));
    for (const [tabIndex, sheetId] of [
      [1, 12],
      [2, 13],
    ] as const) {
      const own = validations.filter((v) => v.range?.sheetId === sheetId && v.range.startColumnIndex === 3);
      const covered = own.flatMap((v) => Array.from({ length: (v.range?.endRowIndex ?? 0) - (v.range?.startRowIndex ?? 0) }, (_, i) => (v.range?.startRowIndex ?? 0) + i));
      expect(covered).toEqual(criterionRows(tabIndex));
      expect(covered).toEqual(dropdownRows(plan().tabs[tabIndex]!));
      expect(own.every((v) => v.range?.endColumnIndex === 4)).toBe(true);
      for (const v of own) expect(v.rule).toEqual(RESULT_RULE);
    }
    expect(RESULT_RULE).toMatchObject({ strict: false, showCustomUi: true, condition: { type: "ONE_OF_LIST" } });
  });

  it("puts the appraisal list on the criterion rows, and the Trạng thái and Kết luận lists on their one cell", () => {
    const validations = requests().flatMap((r) => (r.setDataValidation && r.setDataValidation.range?.sheetId === 12 ? [r.setDataValidation] : []));
    const column = (c: number) => validations.filter((v) => v.range?.startColumnIndex === c);
    const rows = (list: typeof validations) => list.flatMap((v) => Array.from({ length: (v.range?.endRowIndex ?? 0) - (v.range?.startRowIndex ?? 0) }, (_, i) => (v.range?.startRowIndex ?? 0) + i));
    expect(rows(column(8))).toEqual(criterionRows(1));
    expect(column(8)[0]?.rule?.condition?.values?.map((v) => v.userEnteredValue)).toEqual(["Đạt", "Chưa đạt"]);
    expect(column(2).map((v) => [v.range?.startRowIndex, v.range?.endRowIndex, v.rule?.condition?.values?.map((x) => x.userEnteredValue), v.rule?.strict])).toEqual([
      [SUBMISSION_ROW, SUBMISSION_ROW + 1, ["Đang cập nhật", "Đề nghị thẩm định"], false],
      [CONCLUSION_ROW, CONCLUSION_ROW + 1, ["Đã thẩm định", "Trả lại"], false],
    ]);
  });

  it("protects the appraiser's cells for the appraisers only (not a warning): both columns, and the Kết luận cell", () => {
    const protections = requests().flatMap((r) => (r.addProtectedRange?.protectedRange?.description === APPRAISAL_PROTECTION ? [r.addProtectedRange.protectedRange] : []));
    expect(protections.map((p) => [p.range?.sheetId, p.range?.startRowIndex, p.range?.endRowIndex, p.range?.startColumnIndex, p.range?.endColumnIndex])).toEqual([
      [12, HEADER_ROW + 1, undefined, 8, 10],
      [12, CONCLUSION_ROW, CONCLUSION_ROW + 1, 2, 3],
      [13, HEADER_ROW + 1, undefined, 8, 10],
      [13, CONCLUSION_ROW, CONCLUSION_ROW + 1, 2, 3],
    ]);
    expect(protections.every((p) => p.warningOnly === false && JSON.stringify(p.editors) === JSON.stringify({ users: APPRAISERS }))).toBe(true);
    expect(COLUMNS.slice(8).map((c) => c.key)).toEqual(["appraisal", "appraisalNote"]);
  });

  it("protects warning-only, never over an input column below the header, and the Kiểm tra tab whole", () => {
    const protections = requests().flatMap((r) => (r.addProtectedRange?.protectedRange && r.addProtectedRange.protectedRange.description !== APPRAISAL_PROTECTION ? [r.addProtectedRange.protectedRange] : []));
    expect(protections.every((p) => p.warningOnly === true)).toBe(true);
    expect(protections.filter((p) => p.description === CHECK_PROTECTION)).toEqual([{ range: { sheetId: 14 }, description: CHECK_PROTECTION, warningOnly: true }]);
    const locked = protections.filter((p) => p.description === LOCKED_PROTECTION);
    expect(new Set(locked.map((p) => p.range?.sheetId))).toEqual(new Set([12, 13]));
    for (const p of locked.filter((x) => (x.range?.startRowIndex ?? 0) > HEADER_ROW)) {
      const columns = Array.from({ length: (p.range?.endColumnIndex ?? 0) - (p.range?.startColumnIndex ?? 0) }, (_, i) => (p.range?.startColumnIndex ?? 0) + i);
      expect(columns.filter((c) => INPUT_COLUMNS.includes(c))).toEqual([]);
    }
    // Title rows and the header row; the ward name and date rows stay free.
    expect(locked.filter((p) => p.range?.sheetId === 12 && p.range.startColumnIndex === undefined).map((p) => [p.range?.startRowIndex, p.range?.endRowIndex])).toEqual([
      [0, 2],
      [HEADER_ROW, HEADER_ROW + 1],
    ]);
  });

  it("freezes the header and sets widths", () => {
    const all = requests();
    const frozen = all.flatMap((r) => (r.updateSheetProperties ? [r.updateSheetProperties] : [])).filter((u) => u.fields === "gridProperties.frozenRowCount");
    expect(frozen.map((u) => [u.properties?.sheetId, u.properties?.gridProperties?.frozenRowCount])).toEqual([
      [12, HEADER_ROW + 1],
      [13, HEADER_ROW + 1],
    ]);
    const widths = all.filter((r) => r.updateDimensionProperties?.range?.sheetId === 12).map((r) => r.updateDimensionProperties?.properties?.pixelSize);
    expect(widths).toHaveLength(COLUMNS.length);
    expect(widths[2]).toBeGreaterThan(widths[0]!);
  });
});
