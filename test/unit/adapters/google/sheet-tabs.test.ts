import { describe, expect, it } from "vitest";
import { boundedRange, tabGrids, tabsToRead } from "../../../../functions/adapters/google/sheet-tabs.js";
import { SHEET_LIMITS } from "../../../../functions/core/sheet-limits.js";
import type { Catalogue } from "../../../../sheets-schema/catalogue.js";

const catalogues = [{ tabTitle: "CA phường kiểu mẫu" }, { tabTitle: "Phong trào toàn dân BVANTQ" }] as unknown as Catalogue[];
const grid = (title: string, rowCount = 1000, columnCount = 26) => ({ title, rowCount, columnCount });

describe("tabsToRead", () => {
  it("reads the programme tabs first, then copies and other tabs, never the guide or the service's tabs", () => {
    const tabs = [grid("Hướng dẫn"), grid("Bản sao của CA phường kiểu mẫu"), grid("Phong trào toàn dân BVANTQ"), grid("Kiểm tra"), grid("ca phường kiểu mẫu"), grid("Tổng hợp")];
    expect(tabsToRead(tabs, catalogues).map((t) => t.title)).toEqual(["Phong trào toàn dân BVANTQ", "ca phường kiểu mẫu", "Bản sao của CA phường kiểu mẫu"]);
  });

  it("reads at most six other tabs", () => {
    const tabs = [grid("CA phường kiểu mẫu"), ...Array.from({ length: 20 }, (_, i) => grid(`Trang tính${i + 1}`))];
    expect(tabsToRead(tabs, catalogues)).toHaveLength(7);
  });
});

describe("boundedRange", () => {
  it.each([
    [grid("CA phường kiểu mẫu"), "'CA phường kiểu mẫu'!A1:Z1000"],
    [grid("Tab 'x'", 200_000, 26), "'Tab ''x'''!A1:Z5001"],
    [grid("Rộng", 40, 18_278), "'Rộng'!A1:AD40"],
    [grid("Hẹp", 3, 1), "'Hẹp'!A1:A3"],
  ])("%j → %s", (tab, range) => {
    expect(boundedRange(tab, SHEET_LIMITS)).toBe(range);
  });
});

describe("tabGrids", () => {
  it("reads titles and grid sizes from a spreadsheets.get answer, zero when Google leaves a field out", () => {
    expect(tabGrids({ sheets: [{ properties: { title: "A", gridProperties: { rowCount: 5, columnCount: 2 } } }, { properties: { title: "B" } }] })).toEqual([
      grid("A", 5, 2),
      grid("B", 0, 0),
    ]);
  });
});
