import { describe, expect, it } from "vitest";
import { SHEET_LIMITS, workbookLimitReason } from "../../../functions/core/sheet-limits.js";
import type { RawSheet } from "../../../functions/core/cells.js";

const tab = (title: string, rows: number, width = 3): RawSheet => ({ title, rows: Array.from({ length: rows }, (_, r) => Array.from({ length: width }, (_, c) => r * width + c)) });

describe("workbookLimitReason", () => {
  it("says nothing of a normal workbook", () => {
    expect(workbookLimitReason({ sheets: [tab("CA", 60, 8), tab("BVANTQ", 80, 8)] })).toBeNull();
  });

  it("names the tab and counts its rows, with the local reader's words", () => {
    expect(workbookLimitReason({ sheets: [tab("CA", 60), tab("BVANTQ", 5_001)] })).toBe(
      "trang tính “BVANTQ” có 5.001 dòng (tối đa 5.000). Hãy xóa hẳn các dòng thừa bên dưới bảng (chọn các dòng, bấm chuột phải → Xóa, không chỉ xóa nội dung), rồi lưu lại.",
    );
  });

  it("counts the rows the source knows of when it delivered only the first ones (a Google grid)", () => {
    expect(workbookLimitReason({ sheets: [tab("CA", 5_001)] }, SHEET_LIMITS, () => 200_000)).toMatch(/^trang tính “CA” có 200\.000 dòng/u);
    expect(workbookLimitReason({ sheets: [tab("CA", 4_000)] }, SHEET_LIMITS, () => 200_000)).toBeNull();
  });

  it("counts rows holding values: a stray value far down a tab is not a paste", () => {
    const rows = Array.from({ length: 100_000 }, (_, r) => (r < 40 || r === 99_999 ? ["x"] : []));
    expect(workbookLimitReason({ sheets: [{ title: "CA", rows }] })).toBeNull();
  });

  it("stops at the cell limit over all tabs", () => {
    expect(workbookLimitReason({ sheets: [tab("A", 4_000, 30), tab("B", 4_000, 30)] })).toBe(
      "tệp có quá nhiều ô dữ liệu (hơn 200.000 ô). Hãy xóa các dòng, cột và trang tính thừa, chỉ giữ bảng tự đánh giá, rồi lưu lại.",
    );
  });
});
