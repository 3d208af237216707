import { describe, expect, it } from "vitest";
import { inputHash, quoteTab, tabOfRange, toCellValue } from "../../../../functions/adapters/google/sheet-source.js";
import type { RawWorkbook } from "../../../../functions/core/cells.js";

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

describe("inputHash", () => {
  const workbook = (extra: RawWorkbook["sheets"] = []): RawWorkbook => ({
    sheets: [{ title: "CA phường kiểu mẫu", rows: [["a", null], [1, 2]] }, ...extra],
  });

  it("ignores the service's own tabs and the guide", () => {
    const withOwnTabs = workbook([
      { title: "Kiểm tra", rows: [["Kết quả kiểm tra lúc …"]] },
      { title: "Hướng dẫn", rows: [["…"]] },
    ]);
    expect(inputHash(withOwnTabs)).toBe(inputHash(workbook()));
  });

  it("ignores trailing empty cells and rows, and tab order", () => {
    const padded: RawWorkbook = { sheets: [{ title: "CA phường kiểu mẫu", rows: [["a"], [1, 2, null], [], [null]] }] };
    expect(inputHash(padded)).toBe(inputHash(workbook()));
    const two = workbook([{ title: "B", rows: [["b"]] }]);
    expect(inputHash({ sheets: [...two.sheets].reverse() })).toBe(inputHash(two));
  });

  it("changes when staff change a cell", () => {
    expect(inputHash({ sheets: [{ title: "CA phường kiểu mẫu", rows: [["a"], [1, 3]] }] })).not.toBe(inputHash(workbook()));
  });
});
