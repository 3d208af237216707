/**
 * Issue 11's fast core path gives what the plain definitions give: each shortcut (cached
 * addresses, the blank test without trimming, one memo lookup a string cell, one pass over
 * the findings when scoring, the appraisal told absent before it is built) is checked against
 * the straightforward code it replaced, on random input.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { normalizeKeepingFormatChars, normalizeText } from "../../../sheets-schema/text.js";
import { type CellValue, columnLetters, isBlank, toA1 } from "../../../functions/core/cells.js";
import { evaluateWorkbook } from "../../../functions/core/evaluate-ward.js";
import { isWardError } from "../../../functions/core/findings.js";
import { type InputCell, sheetCells } from "../../../functions/core/sheet-cells.js";
import { builtinCatalogues, sampleWorkbook } from "../../fixtures/workbooks.js";

// Characters that make normalising and trimming interesting: format characters, odd spaces, combining marks.
const TRICKY = ["a", "Đ", "ạ", " ", "  ", "\u00A0", "\u2007", "\u202F", "\u3000", "\u1680", "\u2028", "\t", "\n", "\u200B", "\u2060", "\uFEFF", "\u00AD", "\u031B", "\u0323", "o", "T", "C", "0", "#", "!", "§", "×"];
const trickyText = fc.array(fc.constantFrom(...TRICKY), { maxLength: 8 }).map((parts) => parts.join(""));
const anyText = fc.oneof(trickyText, fc.string({ unit: "binary", maxLength: 6 }));

// The cell reader as it was before the fast path: normalise, then compare with what was typed.
function plainCell(a1: string, raw: CellValue): InputCell {
  const text = typeof raw === "string" ? normalizeText(raw) : raw;
  const cell: InputCell = { a1, value: text === "" ? null : text };
  if (typeof raw === "string" && cell.value !== raw) {
    const typed = normalizeKeepingFormatChars(raw);
    if (typed !== (cell.value ?? "")) cell.typed = typed;
  }
  return cell;
}

describe("core fast path", () => {
  it("isBlank is `trim() === ''` for every text", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(isBlank(text)).toBe(text.trim() === "");
      }),
    );
    expect([isBlank(null), isBlank(undefined), isBlank(0), isBlank(false), isBlank({ error: "#N/A" })]).toEqual([true, true, false, false, false]);
  });

  it("toA1 is letters and row number, inside and outside the cached area", () => {
    fc.assert(
      fc.property(fc.nat({ max: 5000 }), fc.nat({ max: 300 }), (row, column) => {
        expect(toA1(row, column)).toBe(`${columnLetters(column)}${row + 1}`);
      }),
    );
  });

  it("a string cell reads as normalising it and comparing with what was typed", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(anyText, fc.integer(), fc.constant(null)), { minLength: 1, maxLength: 6 }), (row) => {
        const read = sheetCells({ title: "t", rows: [row] });
        row.forEach((raw, column) => expect(read.cell(0, column)).toEqual(plainCell(toA1(0, column), raw)));
      }),
    );
  });

  describe("scoring counts as filtering the findings would", () => {
    let catalogues: Catalogue[];
    beforeAll(async () => {
      catalogues = await builtinCatalogues();
    });
    // Random cells typed over the sample: results, points, codes, appraisals, status values and mistakes.
    const typed = fc.constantFrom<CellValue>("Đạt", "chưa đạt", "x", "", null, 7, -1, "8,5", { error: "#REF!" }, "TC01", "tc03", "Đề nghị thẩm định", "Trả lại", "Đã thẩm định", "Không đạt", "Ninh B×nh", "Đạt\u2060");
    const edits = fc.array(fc.record({ tab: fc.nat({ max: 2 }), row: fc.nat({ max: 50 }), column: fc.nat({ max: 10 }), value: typed }), { maxLength: 25 });

    it("errors, warnings, the review's errors and the appraisal's presence", () => {
      fc.assert(
        fc.property(edits, (list) => {
          const base = sampleWorkbook(catalogues, "nghi-huong", { review: true });
          const sheets = base.sheets.map((s) => ({ ...s, rows: s.rows.map((r) => [...r]) }));
          for (const e of list) {
            const rows = sheets[e.tab % sheets.length]!.rows as CellValue[][];
            (rows[e.row] ??= [])[e.column] = e.value;
          }
          for (const s of sheets) (s.rows as CellValue[][]).forEach((r, i, all) => (all[i] ??= r ?? []));
          const evaluation = evaluateWorkbook({ sheets }, catalogues, { id: "nghi-huong", name: "Nghi Hương", aliases: [] });
          evaluation.input.programmes.forEach((sheet, i) => {
            const own = evaluation.findings.filter((f) => f.tab === sheet.tab);
            const score = evaluation.scores[i]!;
            expect(score.errors).toBe(sheet.found ? own.filter(isWardError).length : 0);
            expect(score.warnings).toBe(sheet.found ? own.filter((f) => f.severity === "warning").length : 0);
            const appraised = sheet.rows.some((r) => r.code !== null && !isBlank(r.cells.appraisal?.value ?? null));
            if (!appraised) expect(score.appraisal).toBeNull();
            const review = evaluation.review.find((r) => r.programmeId === sheet.programmeId);
            if (review) expect(review.errors).toBe(own.filter(isWardError).length);
          });
        }),
        { numRuns: 60 },
      );
    });
  });
});
