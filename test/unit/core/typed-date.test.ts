import { describe, expect, it } from "vitest";
import { impliedDateFormat, isDateFormat, pointsInText, typedDate } from "../../../functions/core/typed-date.js";

const serial = (y: number, m: number, d: number): number => (Date.UTC(y, m - 1, d) - Date.UTC(1899, 11, 30)) / 86_400_000;

describe("isDateFormat", () => {
  it.each(["MM/DD/YY", "DD/MM/YYYY", "d-mmm", "m/d/yy", "[$-409]d-mmm;@", "h:mm", "dd.mm.yyyy", "yyyy-mm-dd", "[h]:mm:ss"])("%j shows a date or time", (format) => {
    expect(isDateFormat(format)).toBe(true);
  });

  it.each(["General", "0", "0.0", "#,##0.00", "0%", '0.0 "điểm"', "0.00E+00", "@", '[Red]0.0;"-"'])("%j shows a number", (format) => {
    expect(isDateFormat(format)).toBe(false);
  });
});

describe("typedDate: what the clerk typed before the program made it a date", () => {
  it.each([
    ["9/10 in LibreOffice, English locale (10 September)", serial(2026, 9, 10), "MM/DD/YY", 10, "9/10", "9"],
    ["9/10 in LibreOffice, Vietnamese locale (9 October)", serial(2026, 10, 9), "DD/MM/YY", 10, "9/10", "9"],
    ["9/10 in Excel, English locale (10-Sep)", serial(2026, 9, 10), "d-mmm", 10, "9/10", "9"],
    ["9/10 in Excel, Vietnamese locale (9-Oct)", serial(2026, 10, 9), "d-mmm", 10, "9/10", "9"],
    ["7/8 with a maximum of 8, shown with a month name", serial(2026, 8, 7), "dd-mmm-yy", 8, "7/8", "7"],
    ["8.5 where dates are written with dots", serial(2026, 5, 8), "DD.MM.YYYY", 10, "8.5", "8,5"],
    ["9 retyped into a cell formatted as a date", 9, "dd/mm/yyyy", 10, "9", "9"],
    ["7,5 retyped into a cell formatted as a date", 7.5, "dd/mm/yyyy", 10, "7,5", "7,5"],
    ["9:10 turned into a time", 9 / 24 + 10 / 1440, "h:mm", 10, "9:10", "9"],
  ])("%s", (_what, value, format, max, typed, suggestion) => {
    expect(typedDate(value, format, max)).toEqual({ typed, suggestion });
  });
});

describe("impliedDateFormat: a bare serial number where points belong", () => {
  it.each([
    [46304, 10, "dd/mm/yyyy"],
    [serial(2000, 1, 1), 10, "dd/mm/yyyy"],
    [serial(2099, 12, 31), 10, "dd/mm/yyyy"],
    [serial(1999, 12, 31), 10, undefined],
    [12, 10, undefined],
    [46304.5, 10, undefined],
  ])("%d with a maximum of %d → %s", (value, max, expected) => {
    expect(impliedDateFormat(value, max)).toBe(expected);
  });
});

describe("pointsInText: the points in text written as a score", () => {
  it.each([
    ["9/10", "9"],
    [" 9 / 10 ", "9"],
    ["8,5/10", "8,5"],
    ["8.5/10", "8,5"],
    ["9 điểm", "9"],
    ["9đ", "9"],
    ["9 Điểm", "9"],
    ["tám", undefined],
    ["9/10/2026", undefined],
    ["khoảng 9", undefined],
  ])("%j → %j", (text, meant) => {
    expect(pointsInText(text)).toBe(meant);
  });
});
