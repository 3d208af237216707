/**
 * Issue 11's fast core path gives what the plain definitions give: each shortcut (cached
 * addresses, the blank test without trimming, one memo lookup a string cell, one pass over
 * the findings when scoring, the appraisal told absent before it is built, blank cells made
 * once per address, rows built as one literal, each row's criterion looked up once per tab,
 * values read by comparing before folding) is checked against the straightforward code it
 * replaced, on random input. Review keys, aggregation and tables: core-fast-path-output.test.ts.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { APPRAISAL_VALUES, CONCLUSION_VALUES, RESULT_VALUES, SUBMISSION_VALUES, parseAppraisalValue, parseConclusionValue, parseResultValue, parseSubmissionValue } from "../../../sheets-schema/layout.js";
import { normalizeKeepingFormatChars, normalizeText } from "../../../sheets-schema/text.js";
import { catalogueIndex } from "../../../functions/core/catalogue-index.js";
import { rowPositions } from "../../../functions/core/row-positions.js";
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
        row.forEach((raw, column) => {
          expect(read.cell(0, column)).toEqual(plainCell(toA1(0, column), raw));
          expect(read.value(0, column)).toEqual(plainCell(toA1(0, column), raw).value);
        });
      }),
    );
  });

  it("a blank cell, shared per address, reads as a fresh one inside and outside the shared area", () => {
    fc.assert(
      fc.property(fc.nat({ max: 3000 }), fc.nat({ max: 100 }), (row, column) => {
        const rows: CellValue[][] = [];
        rows[row] = [];
        const read = sheetCells({ title: "t", rows });
        expect(read.cell(row, column)).toEqual({ a1: toA1(row, column), value: null });
        expect(Object.keys(read.cell(row, column))).toEqual(["a1", "value"]);
      }),
    );
  });

  it("a value read as itself by comparing is the value folding reads (the dropdown's text, and anything else)", () => {
    const parsers: Array<[readonly string[], (typed: string) => string | undefined]> = [
      [RESULT_VALUES, parseResultValue],
      [APPRAISAL_VALUES, parseAppraisalValue],
      [SUBMISSION_VALUES, parseSubmissionValue],
      [CONCLUSION_VALUES, parseConclusionValue],
    ];
    // Padded with spaces, a text never equals a value: it is read by folding, as every text was before.
    const folded = (parse: (typed: string) => string | undefined, typed: string): string | undefined => parse(` ${typed} `);
    for (const [values, parse] of parsers) for (const value of [...values, "Không đạt", "ĐẠT", "tra lai"]) expect(parse(value)).toBe(folded(parse, value));
    fc.assert(
      fc.property(fc.oneof(anyText, fc.constantFrom(...RESULT_VALUES, ...SUBMISSION_VALUES, ...CONCLUSION_VALUES)), (text) => {
        for (const [, parse] of parsers) expect(parse(text)).toBe(folded(parse, text));
      }),
    );
  });

  describe("each row's criterion, looked up once per tab", () => {
    let catalogues: Catalogue[];
    beforeAll(async () => {
      catalogues = await builtinCatalogues();
    });
    const code = fc.oneof(fc.constantFrom("TC01", "TC02", "TC03", "tc01", "XX9", "1.1"), fc.constant(null));

    it("is the first criterion of its upper-case code, the first row of each counting, as maps and sets gave", () => {
      fc.assert(
        fc.property(fc.array(code, { maxLength: 40 }), fc.boolean(), (codes, collide) => {
          const base = catalogues[0]!;
          // A catalogue may hold two codes that differ only in case: the upper-case one is looked up, the last of them wins.
          const catalogue: Catalogue = collide ? { ...base, criteria: [...base.criteria, { ...base.criteria[0]!, code: "tc01" }] } : base;
          const rows = codes.map((c, i) => ({ row: i + 10, code: c?.toUpperCase() ?? null, cells: {} }));
          const { at, firstOf, index } = rowPositions(rows, catalogue);
          const byCode = new Map(catalogue.criteria.map((c) => [c.code.toUpperCase(), c]));
          const seen = new Map<string, number>();
          rows.forEach((row, i) => {
            const known = row.code === null ? undefined : byCode.get(row.code);
            expect(index.criterionAt[at[i]!]).toBe(known);
            if (known && row.code !== null && !seen.has(row.code)) seen.set(row.code, i);
            if (known && row.code !== null) expect(firstOf[at[i]!] === i).toBe(seen.get(row.code) === i);
          });
          catalogue.criteria.forEach((c, i) => expect(rows[firstOf[index.positionOf[i]!]!]).toBe(seen.has(c.code.toUpperCase()) ? rows[seen.get(c.code.toUpperCase())!] : undefined));
          expect(catalogueIndex(catalogue)).toBe(index);
        }),
      );
    });
  });

  describe("rows built as one literal", () => {
    let catalogues: Catalogue[];
    beforeAll(async () => {
      catalogues = await builtinCatalogues();
    });

    it("hold the cells reading them key by key in the header's order gives, whatever columns are moved or gone", () => {
      fc.assert(
        fc.property(fc.option(fc.tuple(fc.nat({ max: 9 }), fc.nat({ max: 9 }))), fc.option(fc.nat({ max: 9 })), (swap, drop) => {
          const sheets = sampleWorkbook(catalogues, "nghi-hoa", { review: true }).sheets.map((sheet) => {
            let rows = sheet.rows.map((r) => [...r]);
            if (swap) rows = rows.map((r) => r.map((_, i, all) => all[i === swap[0] ? swap[1] : i === swap[1] ? swap[0] : i] ?? null));
            if (drop !== null) rows = rows.map((r) => r.filter((_, i) => i !== drop));
            return { ...sheet, rows };
          });
          const { input } = evaluateWorkbook({ sheets }, catalogues, null);
          for (const parsed of input.programmes) {
            const sheet = sheets.find((s) => s.title === parsed.tab);
            if (!sheet || parsed.headerRow === null) continue;
            const read = sheetCells(sheet);
            const keys = Object.keys(parsed.columns) as Array<keyof typeof parsed.columns>;
            for (const row of parsed.rows) {
              const expected: Record<string, InputCell> = {};
              for (const key of keys) expected[key] = read.cell(row.row - 1, parsed.columns[key]!);
              expect(row.cells).toEqual(expected);
              expect(Object.keys(row.cells)).toEqual(keys);
            }
          }
        }),
        { numRuns: 40 },
      );
    });
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
