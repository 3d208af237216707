import { describe, expect, it } from "vitest";
import { quoteTab, tabOfRange, toCellValue } from "../../../../functions/adapters/google/sheet-source.js";

describe("A1 tab names", () => {
  it.each([
    ["CA phường kiểu mẫu", "'CA phường kiểu mẫu'"],
    ["Tab 'x'", "'Tab ''x'''"],
  ])("quotes %s", (title, quoted) => {
    expect(quoteTab(title)).toBe(quoted);
    expect(tabOfRange(`${quoted}!A1:H40`)).toBe(title);
  });

  it("reads unquoted and missing ranges", () => {
    expect(tabOfRange("Sheet1!A1:B2")).toBe("Sheet1");
    expect(tabOfRange(undefined)).toBeNull();
  });
});

describe("toCellValue", () => {
  it.each([
    ["", null],
    [null, null],
    ["Đạt", "Đạt"],
    [8.5, 8.5],
    [45231, 45231],
    [true, true],
    ["#REF!", { error: "#REF!" }],
    ["#N/A", { error: "#N/A" }],
  ])("%j → %j", (input, expected) => {
    expect(toCellValue(input)).toEqual(expected);
  });
});
