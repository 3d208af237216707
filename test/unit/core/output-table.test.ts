import { describe, expect, it } from "vitest";
import type { Finding } from "../../../functions/core/findings.js";
import { csvField, neutraliseFormula, tableToCsv } from "../../../functions/core/output-table.js";
import { findingsCsv } from "../../../functions/core/ward-feedback.js";
import { HOSTILE_TEXT } from "../../fixtures/hostile-text.js";

function unknownCode(value: string, tab = "CA phường kiểu mẫu"): Finding {
  return { severity: "error", tab, cell: "B7", criterion: value, code: "criterion-unknown", params: { value, programme: "CA phường kiểu mẫu" } };
}

describe("CSV cells are safe to open in a spreadsheet", () => {
  it.each(HOSTILE_TEXT)("neutralises %j with a leading single quote", (text) => {
    expect(neutraliseFormula(text)).toBe(`'${text}`);
    const field = csvField(text);
    expect(field.replace(/^"/u, "")).toMatch(/^'/u);
  });

  it("leaves ordinary text, Vietnamese and numbers (negative ones too) alone", () => {
    expect(csvField("Đạt")).toBe("Đạt");
    expect(csvField("Kế hoạch số 12/KH-CAP")).toBe("Kế hoạch số 12/KH-CAP");
    expect(csvField(-2)).toBe("-2");
    expect(csvField(47.5)).toBe("47.5");
    expect(csvField(null)).toBe("");
  });

  it("is UTF-8 with a BOM, comma separated, CRLF, quoting commas and quotes", () => {
    const csv = tableToCsv({ header: ["Ô", "Nội dung"], rows: [["D7", 'Giá trị “a, b” "x"'], ["D8", 3]] });
    expect(csv).toBe('\uFEFFÔ,Nội dung\r\nD7,"Giá trị “a, b” ""x"""\r\nD8,3\r\n');
  });

  it("a ward's findings CSV carries no cell a spreadsheet would run", () => {
    const findings = HOSTILE_TEXT.flatMap((text) => [unknownCode(text), unknownCode("TC99", text)]);
    const csv = findingsCsv(findings);
    const fields = csv
      .replace(/^\uFEFF/u, "")
      .split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)|\r\n(?=(?:[^"]*"[^"]*")*[^"]*$)/u)
      .map((f) => f.replace(/^"|"$/gu, ""));
    for (const field of fields) expect(field).not.toMatch(/^[=+\-@\t\r]/u);
    for (const text of HOSTILE_TEXT) expect(csv).toContain(`'${text.replace(/"/gu, '""')}`);
  });
});
