import type { sheets_v4 } from "@googleapis/sheets";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { CHECK_PROTECTION } from "../../../../functions/adapters/google/check-tab.js";
import { LOCKED_PROTECTION, RESULT_RULE, dropdownRows } from "../../../../functions/adapters/google/provision-plan.js";
import { type ExistingSheet, isResultRule, readExistingSheets } from "../../../../functions/adapters/google/provision-existing.js";
import { repairRequests } from "../../../../functions/adapters/google/provision-repair.js";
import { APPRAISAL_PROTECTION } from "../../../../functions/adapters/google/provision-review.js";
import { type CellValue, isBlank } from "../../../../functions/core/cells.js";
import type { Catalogue } from "../../../../sheets-schema/catalogue.js";
import { CHECK_TAB, COLUMNS } from "../../../../sheets-schema/layout.js";
import { CONCLUSION_ROW, HEADER_ROW, type WorkbookPlan, planWardWorkbook } from "../../../../sheets-schema/workbook-plan.js";
import { builtinCatalogues } from "../../../fixtures/workbooks.js";

const INPUT_COLUMNS = COLUMNS.flatMap((c, i) => (c.input ? [i] : []));
const CHECK_ID = 99;
const APPRAISER = "thamdinh@congan.example";
let catalogues: Catalogue[];

beforeAll(async () => {
  catalogues = await builtinCatalogues();
});

const planFor = (list: readonly Catalogue[] = catalogues): WorkbookPlan => planWardWorkbook(list, "Nghi Hương", null);

/** The spreadsheet as provisioning leaves it: plan values, dropdowns, protections, an empty Kiểm tra tab. */
function provisioned(plan = planFor()): ExistingSheet[] {
  const tabs = plan.tabs.map((tab, i): ExistingSheet => {
    const resultRules = new Set(dropdownRows(tab).map((r) => `${r}:${tab.dropdowns[0]?.column ?? 3}`));
    const listRules = new Map(tab.dropdowns.flatMap((d) => dropdownRows(tab, d).map((r) => [`${r}:${d.column}`, d.values.join("|")] as const)));
    return {
      sheetId: i + 1,
      title: tab.title,
      rowCount: tab.rows.length + 50,
      columnCount: tab.widths.length,
      protections: tab.headerRow === null ? [] : [LOCKED_PROTECTION, LOCKED_PROTECTION, APPRAISAL_PROTECTION, APPRAISAL_PROTECTION],
      values: tab.rows.map((row) => row.map((c) => c.value)),
      resultRules,
      listRules,
    };
  });
  return [...tabs, { sheetId: CHECK_ID, title: CHECK_TAB, rowCount: 500, columnCount: 5, protections: [CHECK_PROTECTION], values: [], resultRules: new Set() }];
}

function repair(sheets: ExistingSheet[], list: readonly Catalogue[] = catalogues) {
  let next = 1000;
  return repairRequests({ plan: planFor(list), catalogues: list, wardName: "Nghi Hương", sheets, appraisers: [APPRAISER], newSheetId: () => next++ });
}

/** Every cell an updateCells request writes: [sheetId, row, column]. */
function writtenCells(requests: sheets_v4.Schema$Request[]): Array<[number, number, number]> {
  return requests.flatMap((r) => {
    const u = r.updateCells;
    if (!u?.start) return [];
    const { sheetId = 0, rowIndex = 0, columnIndex = 0 } = u.start;
    return (u.rows ?? []).flatMap((row, dr) => (row.values ?? []).map((_, dc): [number, number, number] => [sheetId ?? 0, (rowIndex ?? 0) + dr, (columnIndex ?? 0) + dc]));
  });
}

const tabIndex = 1; // the first programme tab
const sheetOf = (sheets: ExistingSheet[]) => sheets[tabIndex]!;
const rowOfCode = (sheet: ExistingSheet, code: string) => sheet.values.findIndex((row) => row[1] === code);

describe("repairRequests", () => {
  it("asks for nothing on a spreadsheet as provisioned", () => {
    expect(repair(provisioned())).toEqual({ requests: [], actions: [], checkSheetId: CHECK_ID });
  });

  it("asks for nothing whatever staff typed and however they reordered criterion rows", () => {
    const typed = fc.oneof(fc.constant(null), fc.constantFrom("Đạt", "Chưa đạt", "xong", "Kế hoạch số 5/KH-CAP"), fc.integer({ min: 0, max: 10 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(typed, typed, typed, typed), { minLength: 80, maxLength: 80 }), fc.array(fc.nat(), { minLength: 40, maxLength: 40 }), (inputs, order) => {
        const sheets = provisioned();
        const sheet = sheetOf(sheets);
        const rows = sheet.values.map((r) => [...r]);
        const criteria = rows.flatMap((row, r) => (r > HEADER_ROW && catalogues[0]!.criteria.some((c) => c.code === row[1]) ? [r] : []));
        criteria.forEach((r, i) => INPUT_COLUMNS.forEach((c, k) => (rows[r]![c] = inputs[i]?.[k] ?? null)));
        // Swap whole rows, as staff cutting and pasting would (the dropdown sits on every one of them).
        criteria.forEach((r, i) => {
          const other = criteria[(order[i] ?? 0) % criteria.length]!;
          [rows[r], rows[other]] = [rows[other]!, rows[r]!];
        });
        rows[3]![2] = "02/11/2023";
        sheets[tabIndex] = { ...sheet, values: rows };
        expect(repair(sheets).requests).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  it("never writes an input cell below the header, nor a ward name already typed, whatever the damage", () => {
    const damage = fc.array(fc.tuple(fc.nat({ max: 45 }), fc.nat({ max: 7 }), fc.oneof(fc.constant(null), fc.string({ maxLength: 6 }), fc.integer())), { maxLength: 30 });
    fc.assert(
      fc.property(damage, (edits) => {
        const sheets = provisioned();
        const sheet = sheetOf(sheets);
        const rows = sheet.values.map((r) => [...r]);
        for (const [r, c, value] of edits) {
          while (rows.length <= r) rows.push(Array(8).fill(null));
          rows[r]![c] = value;
        }
        sheets[tabIndex] = { ...sheet, values: rows };
        const written = writtenCells(repair(sheets).requests).filter(([id]) => id === sheet.sheetId);
        for (const [, r, c] of written) {
          if (r > HEADER_ROW) expect(INPUT_COLUMNS).not.toContain(c);
          if (r === 2 && c === 2) expect(isBlank(rows[2]?.[2] ?? null)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("fixes a changed text, STT and Điểm tối đa in the row found by code, with value-only writes", () => {
    const sheets = provisioned();
    const sheet = sheetOf(sheets);
    const row = rowOfCode(sheet, "TC05");
    sheet.values[row]![0] = 42;
    sheet.values[row]![2] = "nội dung cũ";
    sheet.values[row]![5] = 10;
    const result = repair(sheets);
    expect(result.requests).toHaveLength(3);
    expect(result.requests.every((r) => r.updateCells?.fields === "userEnteredValue")).toBe(true);
    expect(writtenCells(result.requests)).toEqual([
      [sheet.sheetId, row, 0],
      [sheet.sheetId, row, 2],
      [sheet.sheetId, row, 5],
    ]);
    expect(result.actions).toEqual([
      `Trang “${sheet.title}”: sửa ô “STT” của tiêu chí TC05 (ô A${row + 1})`,
      `Trang “${sheet.title}”: sửa ô “Nội dung tiêu chí” của tiêu chí TC05 (ô C${row + 1})`,
      `Trang “${sheet.title}”: sửa ô “Điểm tối đa” của tiêu chí TC05 (ô F${row + 1})`,
    ]);
  });

  it("never moves columns: swapped Kết quả and Điểm tự chấm stay, and the dropdown follows Kết quả", () => {
    const sheets = provisioned();
    const sheet = sheetOf(sheets);
    for (const row of sheet.values) [row[3], row[4]] = [row[4] ?? null, row[3] ?? null];
    sheets[tabIndex] = { ...sheet, resultRules: new Set([...sheet.resultRules].map((key) => key.replace(/:3$/u, ":4"))) };
    expect(repair(sheets).requests).toEqual([]);

    sheets[tabIndex] = { ...sheet, resultRules: new Set() };
    const validations = repair(sheets).requests.flatMap((r) => (r.setDataValidation ? [r.setDataValidation.range] : []));
    expect(validations.length).toBeGreaterThan(0);
    expect(validations.every((range) => range?.startColumnIndex === 4 && range.endColumnIndex === 5)).toBe(true);
  });

  it("fixes header cells that are blank or unrecognised, leaves recognised spellings alone", () => {
    const sheets = provisioned();
    const sheet = sheetOf(sheets);
    sheet.values[HEADER_ROW]![6] = "MINH CHỨNG";
    sheet.values[HEADER_ROW]![7] = "Ghi chu ca nhan";
    sheet.values[HEADER_ROW]![0] = null;
    const result = repair(sheets);
    expect(writtenCells(result.requests)).toEqual([
      [sheet.sheetId, HEADER_ROW, 0],
      [sheet.sheetId, HEADER_ROW, 7],
    ]);
    expect(result.actions).toEqual([`Trang “${sheet.title}”: ghi tiêu đề cột “STT” vào ô A${HEADER_ROW + 1}`, `Trang “${sheet.title}”: ghi tiêu đề cột “Ghi chú” vào ô H${HEADER_ROW + 1}`]);
  });

  it("writes the ward name only into an empty cell, and the programme's new version into its line", () => {
    const sheets = provisioned();
    const sheet = sheetOf(sheets);
    sheet.values[2]![2] = "Phường Nghi Hương (cũ)";
    expect(repair(sheets).requests).toEqual([]);
    sheet.values[2]![2] = null;
    sheet.values[1]![0] = "Đề án: tên cũ (phiên bản 2022)";
    const result = repair(sheets);
    expect(writtenCells(result.requests)).toEqual([
      [sheet.sheetId, 2, 2],
      [sheet.sheetId, 1, 0],
    ]);
    expect(result.requests[0]?.updateCells?.rows?.[0]?.values?.[0]?.userEnteredValue).toEqual({ stringValue: "Nghi Hương" });
  });

  it("adds a missing criterion after the last used row, with its dropdown; grows the grid when full", () => {
    const first = catalogues[0]!;
    const extended = [{ ...first, criteria: [...first.criteria, { code: "TC23", group: "IV", text: "Tiêu chí mới.", kind: "points" as const, maxPoints: 5, evidenceRequired: false }] }, catalogues[1]!];
    const sheets = provisioned();
    const sheet = { ...sheetOf(sheets), rowCount: sheetOf(sheets).values.length };
    sheets[tabIndex] = sheet;
    const last = sheet.values.length;
    const result = repair(sheets, extended);
    expect(result.requests[0]).toEqual({ updateSheetProperties: { properties: { sheetId: sheet.sheetId, gridProperties: { rowCount: last + 1 } }, fields: "gridProperties.rowCount" } });
    const values = result.requests.flatMap((r) => r.updateCells?.rows?.[0]?.values?.map((v) => v.userEnteredValue) ?? []);
    expect(values).toEqual([{ numberValue: first.criteria.length + 1 }, { stringValue: "TC23" }, { stringValue: "Tiêu chí mới." }, { numberValue: 5 }]);
    expect(writtenCells(result.requests).map(([, r, c]) => [r, c])).toEqual([
      [last, 0],
      [last, 1],
      [last, 2],
      [last, 5],
    ]);
    const validations = result.requests.flatMap((r) => (r.setDataValidation ? [r.setDataValidation] : []));
    expect(validations.map((v) => [v.range?.startRowIndex, v.range?.startColumnIndex, v.rule?.condition?.values?.length])).toEqual([
      [last, 3, 3],
      [last, 8, 2],
    ]);
    expect(validations[0]).toEqual({ range: { sheetId: sheet.sheetId, startRowIndex: last, endRowIndex: last + 1, startColumnIndex: 3, endColumnIndex: 4 }, rule: RESULT_RULE });
  });

  it("adds missing tabs and protections; the Kiểm tra tab gets a fresh id", () => {
    const sheets = provisioned().filter((s) => s.title !== CHECK_TAB && s.title !== catalogues[1]!.tabTitle);
    sheets[tabIndex] = { ...sheetOf(sheets), protections: [] };
    const result = repair(sheets);
    expect(result.checkSheetId).toBe(1001);
    expect(result.requests.flatMap((r) => (r.addSheet ? [[r.addSheet.properties?.sheetId, r.addSheet.properties?.title]] : []))).toEqual([
      [1000, catalogues[1]!.tabTitle],
      [1001, CHECK_TAB],
    ]);
    const protections = result.requests.flatMap((r) => (r.addProtectedRange?.protectedRange ? [r.addProtectedRange.protectedRange] : []));
    expect(protections.filter((p) => p.description !== APPRAISAL_PROTECTION).every((p) => p.warningOnly === true)).toBe(true);
    const appraisal = protections.filter((p) => p.description === APPRAISAL_PROTECTION);
    // The re-added tab's appraiser columns below the header, and its Kết luận thẩm định cell (C6).
    expect(appraisal.map((p) => [p.range?.sheetId, p.range?.startRowIndex, p.range?.endRowIndex, p.range?.startColumnIndex, p.range?.endColumnIndex, p.warningOnly, p.editors])).toEqual([
      [2, HEADER_ROW + 1, undefined, 8, 10, false, { users: [APPRAISER] }],
      [2, CONCLUSION_ROW, CONCLUSION_ROW + 1, 2, 3, false, { users: [APPRAISER] }],
      [1000, HEADER_ROW + 1, undefined, 8, 10, false, { users: [APPRAISER] }],
      [1000, CONCLUSION_ROW, CONCLUSION_ROW + 1, 2, 3, false, { users: [APPRAISER] }],
    ]);
    expect(protections.filter((p) => p.range?.sheetId === sheetOf(sheets).sheetId).length).toBeGreaterThan(0);
    expect(result.actions).toEqual([
      `Trang “${catalogues[0]!.tabTitle}”: bảo vệ (chỉ cảnh báo) các cột STT, Mã tiêu chí, Nội dung tiêu chí, Điểm tối đa và hàng tiêu đề`,
      `Trang “${catalogues[0]!.tabTitle}”: bảo vệ các cột Kết quả thẩm định, Ý kiến thẩm định và ô Kết luận thẩm định: chỉ ${APPRAISER} (cán bộ thẩm định) được sửa`,
      `Thêm trang “${catalogues[1]!.tabTitle}”`,
      `Thêm trang “${CHECK_TAB}” (chỉ cảnh báo khi sửa)`,
    ]);
  });

  it("leaves a tab alone when no header row can be found, and says so", () => {
    const sheets = provisioned();
    const sheet = sheetOf(sheets);
    sheet.values[HEADER_ROW] = sheet.values[HEADER_ROW]!.map((_, c) => (c === 0 ? "Bảng của phường" : null));
    const result = repair(sheets);
    expect(result.requests).toEqual([]);
    expect(result.actions).toEqual([`Trang “${sheet.title}”: không tìm thấy hàng tiêu đề (STT, Mã tiêu chí, …) nên không sửa trang này; cần sửa tay`]);
  });
});

describe("repairRequests on a tab of the older layout (no appraisal cycle yet)", () => {
  /** The tab as provisioned before issue 12: 8 columns, header on row 5, no Trạng thái / Kết luận rows. */
  function olderSheets(): ExistingSheet[] {
    const sheets = provisioned();
    const sheet = sheetOf(sheets);
    const values = sheet.values.filter((_, r) => r !== 4 && r !== 5).map((row) => row.slice(0, 8));
    values[3]![2] = "02/11/2023";
    const resultRules = new Set([...sheet.resultRules].map((key) => key.replace(/^(\d+)/u, (r) => String(Number(r) - 2))));
    sheets[tabIndex] = { ...sheet, values, columnCount: 8, protections: [LOCKED_PROTECTION, LOCKED_PROTECTION], resultRules, listRules: new Map([...resultRules].map((k) => [k, "Đạt|Chưa đạt|Đang thực hiện"])) };
    return sheets;
  }

  it("grows the grid, writes the new headers and the two labels beside the ward name and date, lists and protection", () => {
    const sheets = olderSheets();
    const sheet = sheetOf(sheets);
    const result = repair(sheets);
    const own = result.requests.filter((r) => JSON.stringify(r).includes(`"sheetId":${sheet.sheetId}`));
    expect(own[0]).toEqual({ updateSheetProperties: { properties: { sheetId: sheet.sheetId, gridProperties: { columnCount: COLUMNS.length } }, fields: "gridProperties.columnCount" } });
    expect(writtenCells(result.requests)).toEqual([
      [sheet.sheetId, 4, 8],
      [sheet.sheetId, 4, 9],
      [sheet.sheetId, 2, 4],
      [sheet.sheetId, 2, 5],
      [sheet.sheetId, 3, 4],
    ]);
    const lists = result.requests.flatMap((r) => (r.setDataValidation ? [r.setDataValidation] : []));
    expect(new Set(lists.map((v) => v.range?.startColumnIndex))).toEqual(new Set([8, 5]));
    expect(lists.filter((v) => v.range?.startColumnIndex === 5).map((v) => [v.range?.startRowIndex, v.rule?.condition?.values?.map((x) => x.userEnteredValue)])).toEqual([
      [2, ["Đang cập nhật", "Đề nghị thẩm định"]],
      [3, ["Đã thẩm định", "Trả lại"]],
    ]);
    const protections = result.requests.flatMap((r) => (r.addProtectedRange?.protectedRange ? [r.addProtectedRange.protectedRange] : []));
    expect(protections.map((p) => [p.description, p.range?.startRowIndex, p.range?.endRowIndex, p.range?.startColumnIndex, p.range?.endColumnIndex])).toEqual([
      [APPRAISAL_PROTECTION, 5, undefined, 8, 10],
      [APPRAISAL_PROTECTION, 3, 4, 5, 6],
    ]);
  });

  it("asks for nothing once repaired, and never writes a cell staff typed", () => {
    const sheets = olderSheets();
    const sheet = sheetOf(sheets);
    const values = sheet.values.map((row) => [...row]);
    values[4]!.push("Kết quả thẩm định", "Ý kiến thẩm định");
    values[2]![4] = "Trạng thái:";
    values[2]![5] = "Đề nghị thẩm định";
    values[3]![4] = "Kết luận thẩm định:";
    const listRules = new Map(sheet.listRules);
    for (const r of [...sheet.resultRules].map((k) => Number(k.split(":")[0]))) listRules.set(`${r}:8`, "Đạt|Chưa đạt");
    listRules.set("2:5", "Đang cập nhật|Đề nghị thẩm định").set("3:5", "Đã thẩm định|Trả lại");
    sheets[tabIndex] = { ...sheet, values, columnCount: 10, listRules, protections: [...sheet.protections, APPRAISAL_PROTECTION, APPRAISAL_PROTECTION] };
    expect(repair(sheets)).toEqual({ requests: [], actions: [], checkSheetId: CHECK_ID });
  });
});

describe("repairRequests and the appraisers", () => {
  const SA = "tieuchi@cua-lo.iam.gserviceaccount.com";
  const withEditors = (users: string[]) => {
    const sheets = provisioned();
    sheets[tabIndex] = { ...sheetOf(sheets), appraisalEditors: [{ id: 41, users }, { id: 42, users }] };
    return sheets;
  };

  it("leaves the protection alone when its editors are the appraisers and the service account", () => {
    expect(repair(withEditors([APPRAISER, SA])).requests).toEqual([]);
  });

  it("sets the editors again when review.appraisers changed (one added, or one gone)", () => {
    for (const users of [[SA], ["cu.thamdinh@congan.example", APPRAISER, SA]]) {
      const result = repair(withEditors(users));
      expect(result.requests).toEqual([41, 42].map((protectedRangeId) => ({ updateProtectedRange: { protectedRange: { protectedRangeId, editors: { users: [APPRAISER] } }, fields: "editors" } })));
      expect(result.actions).toHaveLength(1);
    }
  });
});

describe("readExistingSheets", () => {
  it("reads grid data with offsets, formulas as text, and the dropdown cells", () => {
    const [sheet] = readExistingSheets({
      sheets: [
        {
          properties: { sheetId: 5, title: "Tab", gridProperties: { rowCount: 10, columnCount: 8 } },
          protectedRanges: [{ description: LOCKED_PROTECTION }],
          data: [{ startRow: 1, rowData: [{ values: [{ userEnteredValue: { numberValue: 0 } }, {}, { userEnteredValue: { formulaValue: "=A1" } }] }, {}, { values: [{}, {}, {}, { dataValidation: RESULT_RULE }] }] }],
        },
      ],
    });
    const expected: CellValue[][] = [[], [0, null, "=A1"], [], [null, null, null, null]];
    expect(sheet).toEqual({ sheetId: 5, title: "Tab", rowCount: 10, columnCount: 8, protections: [LOCKED_PROTECTION], values: expected, resultRules: new Set(["3:3"]), listRules: new Map([["3:3", "Đạt|Chưa đạt|Đang thực hiện"]]), appraisalEditors: [] });
    expect(isResultRule({ condition: { type: "ONE_OF_LIST", values: [{ userEnteredValue: "Đạt" }] } })).toBe(false);
  });
});
