import { describe, expect, it } from "vitest";
import type { RawWorkbook } from "../../../functions/core/cells.js";
import { inputHash } from "../../../functions/app/input-hash.js";

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

  it("changes when staff merge cells or a number becomes a date, and not for a source that gives neither", () => {
    const [sheet] = workbook().sheets;
    const base = inputHash(workbook());
    expect(inputHash({ sheets: [{ ...sheet!, merges: ["A1:A2"] }] })).not.toBe(base);
    expect(inputHash({ sheets: [{ ...sheet!, numberFormats: { B2: "MM/DD/YY" } }] })).not.toBe(base);
    expect(inputHash({ sheets: [{ ...sheet!, merges: [], numberFormats: {} }] })).toBe(base);
    expect(base).toBe(inputHash({ sheets: [{ title: "CA phường kiểu mẫu", rows: [["a", null], [1, 2]] }] }));
  });

  it("changes when staff change a cell", () => {
    expect(inputHash({ sheets: [{ title: "CA phường kiểu mẫu", rows: [["a"], [1, 3]] }] })).not.toBe(inputHash(workbook()));
  });
});
