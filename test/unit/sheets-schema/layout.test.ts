import { describe, expect, it } from "vitest";
import {
  APPRAISAL_VALUES,
  COLUMNS,
  CONCLUSION_VALUES,
  RESULT_VALUES,
  SUBMISSION_VALUES,
  headerOf,
  isValidTabTitle,
  parseAppraisalValue,
  parseConclusionValue,
  parseHeader,
  parseResultValue,
  parseSubmissionValue,
} from "../../../sheets-schema/layout.js";

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

describe("the review cycle's values", () => {
  it.each<[string, (typed: string) => string | undefined, string, string | undefined]>([
    ["Trạng thái", parseSubmissionValue, "Đề nghị thẩm định", "Đề nghị thẩm định"],
    ["Trạng thái", parseSubmissionValue, "đề nghị  THẨM ĐỊNH", "Đề nghị thẩm định"],
    ["Trạng thái", parseSubmissionValue, nfd("Đang cập nhật"), "Đang cập nhật"],
    ["Trạng thái", parseSubmissionValue, "Đề nghị", undefined],
    ["Trạng thái", parseSubmissionValue, "Đề nghị thẩm định lại", undefined],
    ["Kết quả thẩm định", parseAppraisalValue, "ĐẠT", "Đạt"],
    ["Kết quả thẩm định", parseAppraisalValue, "Không đạt", "Chưa đạt"],
    ["Kết quả thẩm định", parseAppraisalValue, "chua dat", "Chưa đạt"],
    ["Kết quả thẩm định", parseAppraisalValue, "Đang thực hiện", undefined],
    ["Kết quả thẩm định", parseAppraisalValue, "Đạt yêu cầu", undefined],
    ["Kết luận thẩm định", parseConclusionValue, "đã thẩm định", "Đã thẩm định"],
    ["Kết luận thẩm định", parseConclusionValue, "Tra lai", "Trả lại"],
    ["Kết luận thẩm định", parseConclusionValue, "Thẩm định", undefined],
    ["Kết luận thẩm định", parseConclusionValue, "Đã trả lại", undefined],
  ])("%s: reads %j as %j (whole folded value)", (_cell, parse, typed, expected) => {
    expect(parse(typed)).toBe(expected);
  });

  it("reads every canonical value as itself", () => {
    expect(SUBMISSION_VALUES.map(parseSubmissionValue)).toEqual([...SUBMISSION_VALUES]);
    expect(APPRAISAL_VALUES.map(parseAppraisalValue)).toEqual([...APPRAISAL_VALUES]);
    expect(CONCLUSION_VALUES.map(parseConclusionValue)).toEqual([...CONCLUSION_VALUES]);
  });

  it("puts the appraiser's two columns after Ghi chú, neither of them the ward's input", () => {
    expect(COLUMNS.filter((c) => c.appraiser).map((c) => [c.key, c.header, c.input])).toEqual([
      ["appraisal", "Kết quả thẩm định", false],
      ["appraisalNote", "Ý kiến thẩm định", false],
    ]);
    expect(COLUMNS.map((c) => c.key).slice(-3)).toEqual(["note", "appraisal", "appraisalNote"]);
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
    ["KẾT QUẢ THẨM ĐỊNH", "appraisal"],
    ["Ý kiến  thẩm định", "appraisalNote"],
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
