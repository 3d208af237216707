import { describe, expect, it } from "vitest";
import { canonicalPart, isoToSerial, usesDate1904 } from "../../../functions/adapters/local/xml-namespaces.js";

const MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

describe("canonicalPart", () => {
  it("takes the x: prefix off every SpreadsheetML element and makes the namespace the default", () => {
    const xml = `<?xml version="1.0"?><x:worksheet xmlns:x="${MAIN}" xmlns:r="r-ns"><x:sheetData><x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c></x:row></x:sheetData></x:worksheet>`;
    expect(canonicalPart(xml)).toBe(`<?xml version="1.0"?><worksheet xmlns="${MAIN}" xmlns:r="r-ns"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>`);
  });

  it("rewrites Strict namespaces to the transitional ones and drops conformance", () => {
    const xml = `<workbook conformance="strict" xmlns="http://purl.oclc.org/ooxml/spreadsheetml/main" xmlns:r="http://purl.oclc.org/ooxml/officeDocument/relationships"><sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets></workbook>`;
    expect(canonicalPart(xml)).toBe(
      `<workbook xmlns="${MAIN}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    );
  });

  it("turns ISO dates (t=\"d\") into serial numbers, keeping the style", () => {
    expect(canonicalPart(`<c r="E35" s="11" t="d"><v>2026-10-09T00:00:00</v></c>`)).toBe(`<c r="E35" s="11"><v>46304</v></c>`);
    expect(canonicalPart(`<c r="C4" t="d" s="2"><v>2023-11-02</v></c>`)).toBe(`<c r="C4" s="2"><v>45232</v></c>`);
  });

  it("counts ISO dates from 1904 in a workbook of the 1904 date system (old Mac Excel)", () => {
    expect(usesDate1904(`<workbook><workbookPr date1904="1"/></workbook>`)).toBe(true);
    expect(usesDate1904(`<workbook><workbookPr defaultThemeVersion="1"/></workbook>`)).toBe(false);
    expect(canonicalPart(`<c r="C4" t="d"><v>2023-11-02</v></c>`, true)).toBe(`<c r="C4"><v>43770</v></c>`);
  });

  it("leaves alone a prefixed part of another namespace, a plain part and an ISO value it cannot read", () => {
    const other = `<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:x/></a:theme>`;
    expect(canonicalPart(other)).toBe(other);
    const plain = `<worksheet xmlns="${MAIN}"><sheetData/></worksheet>`;
    expect(canonicalPart(plain)).toBe(plain);
    const odd = `<c r="A1" t="d"><v>hôm qua</v></c>`;
    expect(canonicalPart(odd)).toBe(odd);
  });
});

describe("isoToSerial", () => {
  it.each([
    ["1900-03-01", 61],
    ["2023-11-02T00:00:00", 45232],
    ["2023-11-02T12:00:00Z", 45232.5],
    ["2023-11-02T06:00", 45232.25],
    ["2023-13-45", null],
    ["9/10", null],
  ])("%s → %s", (iso, serial) => {
    const got = isoToSerial(iso);
    if (serial === null) expect(got).toBeNull();
    else expect(got).toBeCloseTo(serial, 9);
  });
});
