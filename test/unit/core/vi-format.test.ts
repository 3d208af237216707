import { describe, expect, it } from "vitest";
import { dateVi, documentDate, documentNumber, numberVi, percentVi, periodLabel, placeAndDate, signedVi } from "../../../functions/core/vi-format.js";

const MINUS = "\u2212";

describe("documentDate", () => {
  it.each([
    ["2023-11-02T03:00:00Z", "ngày 02 tháng 11 năm 2023"],
    ["2024-01-05T03:00:00Z", "ngày 05 tháng 01 năm 2024"],
    ["2024-02-29T03:00:00Z", "ngày 29 tháng 02 năm 2024"],
    ["2023-03-09T03:00:00Z", "ngày 09 tháng 3 năm 2023"],
    ["2023-10-10T03:00:00Z", "ngày 10 tháng 10 năm 2023"],
    ["2023-12-31T03:00:00Z", "ngày 31 tháng 12 năm 2023"],
  ])("%s → %s", (instant, expected) => {
    expect(documentDate(new Date(instant))).toBe(expected);
  });

  it("zero-pads only months 01 and 02", () => {
    const months = Array.from({ length: 12 }, (_, i) => documentDate(new Date(Date.UTC(2023, i, 15, 3))).split(" ")[3]);
    expect(months).toEqual(["01", "02", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"]);
  });

  it.each([
    ["2023-11-01T17:30:00Z", "ngày 02 tháng 11 năm 2023", "02/11/2023"],
    ["2023-11-01T17:00:00Z", "ngày 02 tháng 11 năm 2023", "02/11/2023"],
    ["2023-11-01T16:59:59Z", "ngày 01 tháng 11 năm 2023", "01/11/2023"],
    ["2023-12-31T17:00:00Z", "ngày 01 tháng 01 năm 2024", "01/01/2024"],
    ["2024-02-28T18:00:00Z", "ngày 29 tháng 02 năm 2024", "29/02/2024"],
  ])("takes the calendar date in Vietnam time: %s", (instant, document, short) => {
    expect(documentDate(new Date(instant))).toBe(document);
    expect(dateVi(new Date(instant))).toBe(short);
  });
});

describe("placeAndDate", () => {
  it("puts the place before the document date", () => {
    expect(placeAndDate("Cửa Lò", new Date("2023-11-02T03:00:00Z"))).toBe("Cửa Lò, ngày 02 tháng 11 năm 2023");
  });
});

describe("dateVi", () => {
  it.each([
    ["2026-11-27T03:00:00Z", "27/11/2026"],
    ["2024-01-05T03:00:00Z", "05/01/2024"],
    ["2023-03-09T03:00:00Z", "09/03/2023"],
  ])("%s → %s (day and month both zero-padded)", (instant, expected) => {
    expect(dateVi(new Date(instant))).toBe(expected);
  });
});

describe("numberVi", () => {
  it.each([
    [1234.5, undefined, "1.234,5"],
    [47.5, undefined, "47,5"],
    [0, undefined, "0"],
    [1_000_000, undefined, "1.000.000"],
    [2.345, undefined, "2,35"],
    [81.8181, 1, "81,8"],
    [-3.5, undefined, "-3,5"],
  ])("numberVi(%s, %s) → %s", (value, digits, expected) => {
    expect(numberVi(value, digits)).toBe(expected);
  });
});

describe("percentVi", () => {
  it.each([
    [18, 22, "81,8%"],
    [22, 22, "100%"],
    [16, 22, "72,7%"],
    [34, 34, "100%"],
    [0, 22, "0%"],
    [0, 0, "0%"],
    [5, 0, "0%"],
  ])("percentVi(%i, %i) → %s", (part, whole, expected) => {
    expect(percentVi(part, whole)).toBe(expected);
  });
});

describe("signedVi", () => {
  it.each([
    [2, "+2"],
    [-1, `${MINUS}1`],
    [0, "0"],
    [1.5, "+1,5"],
    [-1234, `${MINUS}1.234`],
  ])("signedVi(%s) → %s", (delta, expected) => {
    expect(signedVi(delta)).toBe(expected);
  });

  it("uses the true minus sign, not a hyphen", () => {
    expect(signedVi(-1)).not.toContain("-");
    expect(signedVi(-1).codePointAt(0)).toBe(0x2212);
  });
});

describe("periodLabel", () => {
  it.each([
    ["2026-W48", "tuần 48/2026"],
    ["2026-W05", "tuần 5/2026"],
    ["2027-W01", "tuần 1/2027"],
    ["2026-11", "tháng 11/2026"],
    ["quý IV/2026", "quý IV/2026"],
  ])("%s → %s", (period, expected) => {
    expect(periodLabel(period)).toBe(expected);
  });
});

describe("documentNumber", () => {
  it.each([
    [5, "Số: 05/BC-CATX"],
    [12, "Số: 12/BC-CATX"],
    [1, "Số: 01/BC-CATX"],
    [123, "Số: 123/BC-CATX"],
  ])("documentNumber(%i) → %s", (n, expected) => {
    expect(documentNumber(n, "BC", "CATX")).toBe(expected);
  });

  it("leaves a blank with no digits for the clerk when there is no number", () => {
    const text = documentNumber(null, "BC", "CATX");
    expect(text).toMatch(/^Số: \s+\/BC-CATX$/u);
    expect(text.slice(0, text.indexOf("/"))).not.toMatch(/\d/u);
    // Non-breaking spaces, so HTML keeps the blank wide enough to write a number into.
    expect(text).toContain("\u00A0".repeat(6));
  });

  it("keeps the document kind and issuer code", () => {
    expect(documentNumber(7, "KH", "CATX")).toBe("Số: 07/KH-CATX");
  });
});
