import { beforeAll, describe, expect, it } from "vitest";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { COLUMNS } from "../../../sheets-schema/layout.js";
import { CONCLUSION_ROW, HEADER_ROW, SUBMISSION_ROW, type TabPlan, WARD_ROW, planWardWorkbook } from "../../../sheets-schema/workbook-plan.js";
import { P1, builtinCatalogues } from "../../fixtures/workbooks.js";

let catalogues: Catalogue[];
beforeAll(async () => {
  catalogues = await builtinCatalogues();
});

const column = (key: string): number => COLUMNS.findIndex((c) => c.key === key);
const valueAndRole = (tab: TabPlan, row: number, col: number) => [tab.rows[row]?.[col]?.value, tab.rows[row]?.[col]?.role];

describe("planProgrammeTab", () => {
  it("lays the labelled cells in B/C above the header on row 7", () => {
    const tab = planWardWorkbook(catalogues, "Nghi Hương", "02/11/2023").tabs[1]!;
    expect([WARD_ROW, SUBMISSION_ROW, CONCLUSION_ROW, HEADER_ROW]).toEqual([2, 4, 5, 6]);
    expect([3, 4, 5].map((r) => tab.rows[WARD_ROW + r - 3]?.[1]?.value)).toEqual(["Tên phường:", "Ngày cập nhật:", "Trạng thái:"]);
    expect(valueAndRole(tab, SUBMISSION_ROW, 2)).toEqual(["Đang cập nhật", "input"]);
    expect([tab.rows[CONCLUSION_ROW]?.[1]?.value, ...valueAndRole(tab, CONCLUSION_ROW, 2)]).toEqual(["Kết luận thẩm định:", null, "appraisal"]);
    expect(tab.rows[HEADER_ROW]?.map((c) => c.value)).toEqual(COLUMNS.map((c) => c.header));
    expect(tab.headerRow).toBe(HEADER_ROW);
  });

  it("gives the appraiser's cells their own role on every criterion row, and the ward's stay input", () => {
    const tab = planWardWorkbook(catalogues, "Nghi Hương", null).tabs[1]!;
    const criterionRows = tab.rows.filter((row, r) => r > HEADER_ROW && row[1]?.role === "locked");
    expect(criterionRows).toHaveLength(22);
    for (const row of criterionRows) {
      expect(COLUMNS.map((c) => row[column(c.key)]?.role)).toEqual(COLUMNS.map((c) => (c.appraiser ? "appraisal" : c.input ? "input" : c.key === "text" ? "lockedText" : "locked")));
    }
  });

  it("writes sample answers, appraisals and status cells where the plan puts them", () => {
    const tab = planWardWorkbook(catalogues, "Nghi Hương", null, { [P1]: { TC01: { result: "Đạt", appraisal: "Chưa đạt", appraisalNote: "Thiếu biên bản" } } }, {
      review: { [P1]: { submission: "Đề nghị thẩm định", conclusion: "Trả lại" } },
    }).tabs[1]!;
    const tc01 = tab.rows.find((row) => row[1]?.value === "TC01")!;
    expect([tc01[column("result")]?.value, tc01[column("appraisal")]?.value, tc01[column("appraisalNote")]?.value]).toEqual(["Đạt", "Chưa đạt", "Thiếu biên bản"]);
    expect([tab.rows[SUBMISSION_ROW]?.[2]?.value, tab.rows[CONCLUSION_ROW]?.[2]?.value]).toEqual(["Đề nghị thẩm định", "Trả lại"]);
  });

  it("plans the four dropdowns: the two columns over the criterion rows, the two single cells", () => {
    const tab = planWardWorkbook(catalogues, "Nghi Hương", null).tabs[2]!;
    const last = tab.rows.length - 1;
    expect(tab.dropdowns.map(({ title, column: c, fromRow, toRow }) => [title, c, fromRow, toRow])).toEqual([
      ["Kết quả", column("result"), HEADER_ROW + 1, last],
      ["Kết quả thẩm định", column("appraisal"), HEADER_ROW + 1, last],
      ["Trạng thái", 2, SUBMISSION_ROW, SUBMISSION_ROW],
      ["Kết luận thẩm định", 2, CONCLUSION_ROW, CONCLUSION_ROW],
    ]);
  });
});

describe("planGuideTab", () => {
  it("explains the cycle to the ward in Vietnamese: when to submit, and the cells the appraiser fills", () => {
    const guide = planWardWorkbook(catalogues, "Nghi Hương", null).tabs[0]!;
    const text = guide.rows.map((row) => String(row[0]?.value ?? "")).join("\n");
    expect(text).toMatch(/khi đã điền xong và không còn lỗi, chọn “Đề nghị thẩm định”/u);
    expect(text).toMatch(/“Kết quả thẩm định”, “Ý kiến thẩm định” và ô bên phải “Kết luận thẩm định:”.*cán bộ phường không nhập vào các ô này/u);
    expect(text).toMatch(/kết luận “Đã thẩm định” hoặc “Trả lại”/u);
    expect(text).toContain("(tô nền xanh lá nhạt) do cơ quan thẩm định (công an cấp trên) điền");
    // After a return: the explicit toggle, and the appraiser clears the old Trả lại.
    expect(text).toContain("Khi bị trả lại, phường chọn “Đang cập nhật” khi bắt đầu sửa, sửa theo ý kiến thẩm định, sửa xong chọn lại “Đề nghị thẩm định”");
    expect(text).toContain("cơ quan thẩm định xóa ô này rồi chọn lại kết luận khi thẩm định xong lần này");
    expect(text.normalize("NFC")).toBe(text);
    expect(guide.dropdowns).toEqual([]);
  });
});
