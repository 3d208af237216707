import { beforeAll, describe, expect, it } from "vitest";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { evaluateWorkbook } from "../../../functions/core/evaluate-ward.js";
import { FINDING_CODES } from "../../../functions/core/findings.js";
import { FINDING_TITLES } from "../../../functions/core/messages.js";
import { findingsCsv, formatWardFeedback } from "../../../functions/core/ward-feedback.js";
import { builtinCatalogues, cellOf, sampleWorkbook, withCell } from "../../fixtures/workbooks.js";

let catalogues: Catalogue[];
beforeAll(async () => {
  catalogues = await builtinCatalogues();
});

function evaluated() {
  const base = sampleWorkbook(catalogues, "nghi-huong");
  const tab = catalogues[0]!.tabTitle;
  const workbook = withCell(base, tab, cellOf(base, tab, "TC01", "D"), "dat roi");
  const ward = { id: "nghi-huong", name: "Nghi Hương", aliases: [] };
  const evaluation = evaluateWorkbook(workbook, catalogues, ward);
  return { evaluation, outcome: { ward, status: "ok" as const, reason: null, scores: evaluation.scores } };
}

describe("ward feedback", () => {
  it("names the sheet tab and the cell the reader's way, with the rendered sentence", () => {
    const { evaluation, outcome } = evaluated();
    const text = formatWardFeedback(outcome, evaluation.findings, catalogues, new Date("2026-11-27T03:05:00Z"), "wards/nghi-huong.xlsx");
    expect(text).toContain("1. [Lỗi] Trang tính “CA phường kiểu mẫu”, ô D9, tiêu chí TC01: Giá trị “dat roi” không hợp lệ ở cột Kết quả.");
  });

  it("gives staff the kind of mistake in Vietnamese in the CSV, not the machine code", () => {
    const { evaluation } = evaluated();
    const lines = findingsCsv(evaluation.findings).replace(/^\uFEFF/u, "").split("\r\n");
    expect(lines[0]).toBe("Mức độ,Trang tính,Ô,Mã tiêu chí,Loại lỗi,Nội dung cần sửa");
    expect(lines[1]).toMatch(/^Lỗi,CA phường kiểu mẫu,D9,TC01,Kết quả không hợp lệ,/u);
    expect(lines[1]).not.toContain("result-invalid");
  });

  it("has a Vietnamese kind for every code, none repeated", () => {
    const titles = FINDING_CODES.map((c) => FINDING_TITLES[c]);
    expect(new Set(titles).size).toBe(FINDING_CODES.length);
    titles.forEach((t) => expect(t).toMatch(/^\p{Lu}[\p{L} ]+$/u));
  });
});
