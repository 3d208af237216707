/**
 * Issue 11's fast core path, second part: the review keys appended part by part, the wards
 * sorted once for every programme, criteria ranked by position, the CSV joined line by line and
 * formulas told by their first character, each checked against the straightforward code it
 * replaced, on random input. (The terminal table: aggregate-town.test.ts.)
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { parseAppraisalValue } from "../../../sheets-schema/layout.js";
import { aggregateTown, type WardOutcome } from "../../../functions/core/aggregate-town.js";
import type { CellValue } from "../../../functions/core/cells.js";
import { evaluateWorkbook } from "../../../functions/core/evaluate-ward.js";
import { type OutputTable, csvField, neutraliseFormula, tableToCsv } from "../../../functions/core/output-table.js";
import type { ProgrammeSheet } from "../../../functions/core/parse-ward.js";
import type { ProgrammeScore } from "../../../functions/core/score-ward.js";
import { cellText } from "../../../functions/core/validate-review.js";
import { sampleOutcomes } from "../../fixtures/outcomes.js";
import { builtinCatalogues, sampleWorkbook } from "../../fixtures/workbooks.js";

// The review keys as they were built: a line per row, the appraisal's from its first typed cell on, codes from the score.
function referenceKeys(sheet: ProgrammeSheet, score: ProgrammeScore): { wardKey: string; appraisalKey: string; returned: unknown[] } {
  const codes = new Map(score.criteria.map((c) => [c.code.toUpperCase(), c.code]));
  const seen = new Set<string>();
  const lines = sheet.rows.filter((r) => r.code !== null);
  const ward = lines.map((r) => [r.cells.result, r.cells.points, r.cells.evidence, r.cells.note].map((c) => cellText(c) ?? "").join("\t"));
  const firstTyped = lines.findIndex((r) => cellText(r.cells.appraisal) !== null || cellText(r.cells.appraisalNote) !== null);
  const returned: unknown[] = [];
  for (const row of lines) {
    const code = codes.get(row.code ?? "");
    if (code === undefined || seen.has(code)) continue;
    seen.add(code);
    const appraisal = cellText(row.cells.appraisal);
    const note = cellText(row.cells.appraisalNote);
    const value = appraisal === null ? null : (parseAppraisalValue(appraisal) ?? null);
    if (value === "Chưa đạt" || note !== null) returned.push({ criterion: code, appraisal: value, note });
  }
  return {
    wardKey: ward.some((w) => w !== "\t\t\t") ? lines.map((r, i) => `${r.code}\t${ward[i]}\n`).join("") : "",
    appraisalKey: firstTyped < 0 ? "" : lines.map((r) => `${r.code}\t${cellText(r.cells.appraisal) ?? ""}\t${cellText(r.cells.appraisalNote) ?? ""}\n`).join(""),
    returned,
  };
}

// Old tableToCsv and neutraliseFormula, kept as the definitions.
const referenceCsv = (t: Pick<OutputTable, "header" | "rows">): string => `\uFEFF${[t.header, ...t.rows].map((r) => r.map(csvField).join(",")).join("\r\n")}\r\n`;
const referenceNeutralise = (text: string): string => (/^[=+\-@\t\r]/u.test(text) ? `'${text}` : text);

describe("core fast path: keys, aggregation and tables", () => {
  let catalogues: Catalogue[];
  beforeAll(async () => {
    catalogues = await builtinCatalogues();
  });

  it("review keys appended part by part are the lines they were built from", () => {
    const typed = fc.constantFrom<CellValue>("Đạt", "Chưa đạt", "Không đạt", "x", "", null, 7, 0, false, { error: "#REF!" }, { error: "" }, "TC01", "tc02", "Ghi chú", "Trả lại");
    const edits = fc.array(fc.record({ tab: fc.nat({ max: 2 }), row: fc.nat({ max: 50 }), column: fc.nat({ max: 10 }), value: typed }), { maxLength: 25 });
    fc.assert(
      fc.property(edits, (list) => {
        const sheets = sampleWorkbook(catalogues, "nghi-thu", { review: true }).sheets.map((s) => ({ ...s, rows: s.rows.map((r) => [...r]) }));
        for (const e of list) ((sheets[e.tab % sheets.length]!.rows as CellValue[][])[e.row] ??= [])[e.column] = e.value;
        for (const s of sheets) (s.rows as CellValue[][]).forEach((r, i, all) => (all[i] ??= r ?? []));
        const evaluation = evaluateWorkbook({ sheets }, catalogues, null);
        for (const reading of evaluation.review) {
          const i = evaluation.input.programmes.findIndex((p) => p.programmeId === reading.programmeId);
          const { wardKey, appraisalKey, returned } = reading;
          expect({ wardKey, appraisalKey, returned }).toEqual(referenceKeys(evaluation.input.programmes[i]!, evaluation.scores[i]!));
        }
      }),
      { numRuns: 60 },
    );
  });

  it("wards sorted once are in each programme's order of before, and criteria ranked by position as by code", () => {
    const base = sampleOutcomes(catalogues);
    const names = fc.constantFrom("Nghi Hương", "Nghi Huong", "nghi hương", "Thu Thủy", "Thu Thuỷ", "Đông Vĩnh", "An Hòa", "An Hoà");
    fc.assert(
      fc.property(fc.array(fc.tuple(names, fc.nat({ max: base.length - 1 }), fc.boolean()), { minLength: 1, maxLength: 30 }), (picks) => {
        const outcomes: WardOutcome[] = picks.map(([name, i, reversed], n) => {
          const scores = base[i]!.scores.map((s) => (reversed ? { ...s, criteria: [...s.criteria].reverse() } : s));
          return { ward: { id: `w${n}`, name }, status: "ok", reason: null, scores };
        });
        const summary = aggregateTown(outcomes, catalogues, { period: "2026-W48", generatedAt: "x", previous: null });
        const collator = new Intl.Collator("vi");
        const order = [...outcomes].sort((a, b) => collator.compare(a.ward.name, b.ward.name) || (a.ward.name < b.ward.name ? -1 : a.ward.name > b.ward.name ? 1 : 0)).map((o) => o.ward.id);
        summary.programmes.forEach((p, k) => {
          expect(p.wards.map((w) => w.id)).toEqual(order);
          const catalogue = catalogues[k]!;
          const notMet = catalogue.criteria.map((c) => order.filter((id) => {
            const score = outcomes.find((o) => o.ward.id === id)?.scores.find((s) => s.programmeId === catalogue.id);
            return score?.filled && score.criteria.some((x) => x.code === c.code && x.status !== "met");
          }));
          expect(p.ranking.map((r) => [r.code, r.wards])).toEqual(
            catalogue.criteria.map((c, i) => [c.code, notMet[i]!] as const).filter(([, w]) => w.length > 0).sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1)),
          );
        });
      }),
      { numRuns: 40 },
    );
  });

  it("the CSV joined line by line, and formulas told by their first character, are what they were", () => {
    const field = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom("=SUM(A1)", "+1", "-2", "@x", "\tx", "\rx", 'a"b', "a,b", "a;b", "Đạt"), fc.integer(), fc.double({ noNaN: true }), fc.constant(null));
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 4 }), { maxLength: 5 }), fc.array(fc.array(field, { maxLength: 6 }), { maxLength: 8 }), (header, rows) => {
        expect(tableToCsv({ header, rows })).toBe(referenceCsv({ header, rows }));
        for (const row of rows) for (const value of row) if (typeof value === "string") expect(neutraliseFormula(value)).toBe(referenceNeutralise(value));
      }),
    );
  });
});
