import { describe, expect, it } from "vitest";
import { COLUMNS, RESULT_VALUES, headerOf, isValidTabTitle, parseHeader, parseResultValue } from "../../../sheets-schema/layout.js";

const nfd = (s: string): string => s.normalize("NFD");

describe("parseResultValue", () => {
  it.each([
    ["Đạt", "Đạt"],
    ["đạt", "Đạt"],
    ["ĐẠT", "Đạt"],
    [" Đạt ", "Đạt"],
    ["Dat", "Đạt"],
    [nfd("Đạt"), "Đạt"],
    ["Chưa đạt", "Chưa đạt"],
    ["chưa  ĐẠT", "Chưa đạt"],
    [nfd("Chưa Đạt"), "Chưa đạt"],
    ["Không đạt", "Chưa đạt"],
    ["không đạt", "Chưa đạt"],
    ["Đang thực hiện", "Đang thực hiện"],
    ["đang thực hiện", "Đang thực hiện"],
  ])("reads %j as %j", (typed, expected) => {
    expect(parseResultValue(typed)).toBe(expected);
  });

  it.each(["Đạt yêu cầu", "x", "Có", "", "Chưa", "Không", "Đang"])("rejects %j", (typed) => {
    expect(parseResultValue(typed)).toBeUndefined();
  });

  it.each(["Chưa đạt", "CHƯA ĐẠT", "chua dat", "Chưa  đạt", nfd("Chưa đạt"), "Không đạt"])(
    "never reads the negative %j as Đạt, although it contains the word",
    (typed) => {
      expect(parseResultValue(typed)).not.toBe("Đạt");
      expect(parseResultValue(typed)).toBe("Chưa đạt");
    },
  );

  it("reads every canonical value as itself", () => {
    expect(RESULT_VALUES.map(parseResultValue)).toEqual([...RESULT_VALUES]);
  });
});

describe("parseHeader", () => {
  it.each([
    ["MÃ TIÊU CHÍ", "code"],
    ["Mã  tiêu chí", "code"],
    ["ma tieu chi", "code"],
    [nfd("Mã tiêu chí"), "code"],
    ["Kết quả", "result"],
    ["KẾT QUẢ ", "result"],
    ["Điểm tự chấm", "points"],
    ["Minh chứng", "evidence"],
  ])("reads %j as %j", (text, key) => {
    expect(parseHeader(text)).toBe(key);
  });

  it.each(["Mã TC", "Mã", "", "Kết quả tự đánh giá"])("does not recognise %j", (text) => {
    expect(parseHeader(text)).toBeUndefined();
  });

  it.each(COLUMNS.map((c) => [c.header, c.key] as const))("round-trips the header %j of column %s", (header, key) => {
    expect(parseHeader(header)).toBe(key);
    expect(headerOf(key)).toBe(header);
  });
});

describe("isValidTabTitle", () => {
  it.each([
    ["CA phường kiểu mẫu", true],
    ["Phong trào toàn dân BVANTQ", true],
    ["a".repeat(31), true],
    ["a".repeat(32), false],
    ["", false],
    ["A[1]", false],
    ["A]", false],
    ["10:30", false],
    ["A*", false],
    ["Đạt?", false],
    ["A/B", false],
    ["A\\B", false],
  ])("isValidTabTitle(%j) is %s", (title, valid) => {
    expect(isValidTabTitle(title)).toBe(valid);
  });
});
