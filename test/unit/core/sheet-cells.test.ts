import { describe, expect, it } from "vitest";
import type { RawSheet } from "../../../functions/core/cells.js";
import { isCovered, sheetCells } from "../../../functions/core/sheet-cells.js";

// Ghi chú (H) of rows 12–14 merged; exceljs repeats the top-left value in every covered cell.
const sheet: RawSheet = {
  title: "CA phường kiểu mẫu",
  rows: Array.from({ length: 14 }, (_, r) => (r >= 11 ? [null, null, null, null, r === 11 ? 46275 : null, null, null, "Ghi chung"] : [])),
  merges: ["H12:H14", "$A$1:$H$1", "B3"],
  numberFormats: { E12: "MM/DD/YY", E13: "0.0" },
};

describe("sheetCells", () => {
  const read = sheetCells(sheet);

  it("gives a merged range's value to its top-left cell only", () => {
    expect(read.cell(11, 7)).toEqual({ a1: "H12", value: "Ghi chung", merge: { range: "H12:H14", anchor: "H12", spansRows: true } });
    expect(read.cell(12, 7)).toMatchObject({ a1: "H13", value: null, merge: { anchor: "H12" } });
    expect(isCovered(read.cell(12, 7))).toBe(true);
    expect(isCovered(read.cell(11, 7))).toBe(false);
  });

  it("reads absolute references and ignores one-cell merges", () => {
    expect(read.cell(0, 3).merge).toEqual({ range: "A1:H1", anchor: "A1", spansRows: false });
    expect(read.cell(2, 1).merge).toBeUndefined();
  });

  it("marks numbers shown as dates with their format, and nothing else", () => {
    expect(read.cell(11, 4)).toEqual({ a1: "E12", value: 46275, dateFormat: "MM/DD/YY" });
    expect(read.cell(12, 4).dateFormat).toBeUndefined();
  });

  it("keeps the text as typed when invisible characters were removed", () => {
    const pasted = sheetCells({ title: "t", rows: [["TC02\u2060", "Đạt"]] });
    expect(pasted.cell(0, 0)).toEqual({ a1: "A1", value: "TC02", typed: "TC02\u2060" });
    expect(pasted.cell(0, 1)).toEqual({ a1: "B1", value: "Đạt" });
  });

  it("clamps a merge reaching far below the last row", () => {
    const huge = sheetCells({ title: "t", rows: [["x"], []], merges: ["A1:A1048576"] });
    expect(huge.cell(1, 0).value).toBeNull();
  });
});
