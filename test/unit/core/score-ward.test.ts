import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { type Answers, HEADER_ROW } from "../../../sheets-schema/workbook-plan.js";
import type { RawWorkbook } from "../../../functions/core/cells.js";
import { evaluateWorkbook } from "../../../functions/core/evaluate-ward.js";
import { CRITERION_STATUSES } from "../../../functions/core/score-ward.js";
import { P1, P2, allMetWorkbook, builtinCatalogues, cellOf, rawWorkbook, sampleWorkbook, withCell } from "../../fixtures/workbooks.js";

const WARD = { id: "nghi-huong", name: "Nghi Hương", aliases: [] };
const TAB1 = "CA phường kiểu mẫu";
let catalogues: Catalogue[];
beforeAll(async () => {
  catalogues = await builtinCatalogues();
});

const scoresOf = (wb: RawWorkbook) => evaluateWorkbook(wb, catalogues, WARD).scores;

// What staff might type: allowed values in many spellings, and mistakes.
const typedResult = fc.constantFrom("Đạt", "đạt", "ĐẠT", "Chưa đạt", "Không đạt", "chưa đạt", "Đang thực hiện", "", "Hoàn thành", "x", "Đạt yêu cầu");
const typedPoints = fc.oneof(fc.constantFrom<string | number | undefined>(undefined, "", "tám", "8,5", "-1"), fc.integer({ min: -2, max: 12 }));
const typedAnswer = fc.record({ result: typedResult, points: typedPoints, evidence: fc.constantFrom<string | undefined>(undefined, "Kế hoạch số 5/KH-CAP") });

function answersArb(cats: () => Catalogue[]): fc.Arbitrary<Answers> {
  return fc.tuple(fc.array(typedAnswer, { minLength: 56, maxLength: 56 })).map(([list]) => {
    let i = 0;
    return Object.fromEntries(
      cats().map((c) => [
        c.id,
        Object.fromEntries(
          c.criteria.map((cr) => {
            const a = list[i++ % list.length]!;
            return [cr.code, { result: a.result, ...(a.points === undefined ? {} : { points: a.points }), ...(a.evidence ? { evidence: a.evidence } : {}) }];
          }),
        ),
      ]),
    );
  });
}

/** Permute the rows below the header (Fisher–Yates driven by the generated numbers). */
function shuffleRows(wb: RawWorkbook, random: number[]): RawWorkbook {
  return {
    sheets: wb.sheets.map((s) => {
      const body = s.rows.slice(HEADER_ROW + 1);
      for (let i = body.length - 1; i > 0; i--) {
        const j = (random[i % random.length] ?? 0) % (i + 1);
        [body[i], body[j]] = [body[j]!, body[i]!];
      }
      return { ...s, rows: [...s.rows.slice(0, HEADER_ROW + 1), ...body] };
    }),
  };
}

describe("scoreWard", () => {
  it("scores the sample wards as reported in the press", () => {
    const huong = scoresOf(sampleWorkbook(catalogues, "nghi-huong"));
    expect(huong.map((s) => [s.programmeId, s.met, s.total, s.recognised])).toEqual([[P1, 18, 22, false], [P2, 34, 34, true]]);
    const thu = evaluateWorkbook(sampleWorkbook(catalogues, "nghi-thu"), catalogues, { id: "nghi-thu", name: "Nghi Thu", aliases: [] }).scores;
    expect(thu.map((s) => [s.met, s.total])).toEqual([[19, 22], [29, 34]]);
  });

  it("recognises a ward only when every criterion is met without errors", () => {
    const clean = allMetWorkbook(catalogues);
    expect(scoresOf(clean).map((s) => s.recognised)).toEqual([true, true]);
    const badName = withCell(clean, TAB1, "C3", "Nghi Thu");
    expect(scoresOf(badName).map((s) => [s.met, s.recognised])).toEqual([[22, false], [34, true]]);
  });

  it("leaves rows with errors out and names them", () => {
    const clean = allMetWorkbook(catalogues);
    const wb = withCell(withCell(clean, TAB1, cellOf(clean, TAB1, "TC02", "G"), null), TAB1, cellOf(clean, TAB1, "TC07", "D"), "Xong");
    const [p1] = scoresOf(wb);
    expect(p1).toMatchObject({ met: 20, leftOut: ["TC02", "TC07"], errors: 2, recognised: false });
  });

  it("sums points and classifies them into bands", () => {
    const clean = allMetWorkbook(catalogues);
    const [, p2] = scoresOf(withCell(clean, "Phong trào toàn dân BVANTQ", cellOf(clean, "Phong trào toàn dân BVANTQ", "TC25", "E"), "5,5"));
    expect(p2).toMatchObject({ points: 45.5, maxPoints: 50, band: "Xuất sắc" });
  });

  it("never counts Chưa đạt or Không đạt as met", () => {
    fc.assert(
      fc.property(fc.constantFrom("Chưa đạt", "Không đạt", "chưa ĐẠT", "KHÔNG ĐẠT", "Chưa đạt".normalize("NFD")), (typed) => {
        const answers = Object.fromEntries(catalogues.map((c) => [c.id, Object.fromEntries(c.criteria.map((cr) => [cr.code, { result: typed, points: 1 }]))]));
        return scoresOf(rawWorkbook(catalogues, "Nghi Hương", answers)).every((s) => s.met === 0 && !s.recognised);
      }),
      { numRuns: 10 },
    );
  });

  it("keeps met ≤ total and the status counts summing to total, whatever is typed", () => {
    fc.assert(
      fc.property(answersArb(() => catalogues), (answers) => {
        const scores = scoresOf(rawWorkbook(catalogues, "Nghi Hương", answers));
        return scores.every((s) => {
          const sum = CRITERION_STATUSES.reduce((n, k) => n + s.counts[k], 0);
          return s.met <= s.total && sum === s.total && s.met === s.counts.met && (s.points ?? 0) <= (s.maxPoints ?? 0) && (!s.recognised || s.errors === 0);
        });
      }),
      { numRuns: 60 },
    );
  });

  it("gives the same scores when criteria rows are reordered", () => {
    fc.assert(
      fc.property(answersArb(() => catalogues), fc.array(fc.nat(), { minLength: 1, maxLength: 40 }), (answers, random) => {
        const wb = rawWorkbook(catalogues, "Nghi Hương", answers);
        const strip = (wb2: RawWorkbook) => scoresOf(wb2).map(({ criteria, ...rest }) => ({ ...rest, criteria: [...criteria].sort((a, b) => a.code.localeCompare(b.code)) }));
        expect(strip(shuffleRows(wb, random))).toEqual(strip(wb));
      }),
      { numRuns: 40 },
    );
  });
});

describe("the appraised figures", () => {
  /** Nghi Hương's tab (self 18/22: TC10, TC14, TC20, TC22 not met) with every criterion appraised as `appraisal(code)`. */
  const appraised = (appraisal: (code: string) => string | null): RawWorkbook => {
    const base = sampleWorkbook(catalogues, "nghi-huong");
    return catalogues[0]!.criteria.reduce((wb, c) => withCell(wb, TAB1, cellOf(wb, TAB1, c.code, "I"), appraisal(c.code)), base);
  };
  const selfUnmet = new Set(["TC10", "TC14", "TC20", "TC22"]);

  it("is null while no Kết quả thẩm định is typed", () => {
    expect(scoresOf(sampleWorkbook(catalogues, "nghi-huong")).map((s) => s.appraisal)).toEqual([null, null]);
  });

  it("counts the appraised results and lists where they differ from the ward's own", () => {
    const wb = appraised((code) => (code === "TC05" ? "Chưa đạt" : code === "TC10" ? "Đạt" : selfUnmet.has(code) ? "Không đạt" : "đạt"));
    const score = scoresOf(wb)[0]!;
    expect([score.met, score.total]).toEqual([18, 22]);
    expect(score.appraisal).toMatchObject({ met: 18, total: 22, complete: true, recognised: false, differs: ["TC05", "TC10"] });
    expect(score.appraisal?.criteria.slice(3, 5)).toEqual([
      { code: "TC04", result: "met", note: null },
      { code: "TC05", result: "not-met", note: null },
    ]);
  });

  it("recognises on the appraised results only once every criterion is appraised", () => {
    const allMet = (wb: RawWorkbook, except: string | null) =>
      catalogues[0]!.criteria.reduce((acc, c) => withCell(acc, TAB1, cellOf(acc, TAB1, c.code, "I"), c.code === except ? null : "Đạt"), wb);
    const complete = scoresOf(allMet(allMetWorkbook(catalogues), null))[0]!.appraisal;
    const partial = scoresOf(allMet(allMetWorkbook(catalogues), "TC22"))[0]!.appraisal;
    expect(complete).toMatchObject({ met: 22, complete: true, recognised: true, differs: [] });
    expect(partial).toMatchObject({ met: 21, complete: false, recognised: false, differs: [] });
    // The ward's own figures count the appraised Đạt of criteria it did not meet as nothing more than a difference.
    expect(scoresOf(appraised(() => "Đạt"))[0]!.appraisal).toMatchObject({ met: 22, recognised: true, differs: ["TC10", "TC14", "TC20", "TC22"] });
  });

  it("keeps the appraised figures consistent whatever the appraiser types", () => {
    const typed = fc.constantFrom<string | null>(null, "Đạt", "đạt", "Chưa đạt", "Không đạt", "Đang thực hiện", "Đạt yêu cầu", "x");
    fc.assert(
      fc.property(fc.array(typed, { minLength: 22, maxLength: 22 }), (values) => {
        const wb = appraised((code) => values[Number(code.slice(2)) - 1] ?? null);
        const score = scoresOf(wb)[0]!;
        const appraisal = score.appraisal;
        if (values.every((v) => v === null)) return expect(appraisal).toBeNull();
        const results = appraisal!.criteria.map((c) => c.result);
        expect(appraisal!.met).toBe(results.filter((r) => r === "met").length);
        expect(appraisal!.complete).toBe(results.every((r) => r !== null));
        if (appraisal!.recognised) expect([appraisal!.complete, appraisal!.met]).toEqual([true, 22]);
        for (const code of appraisal!.differs) expect(results[Number(code.slice(2)) - 1]).not.toBeNull();
        expect([score.met, score.errors]).toEqual([18, 0]); // the ward's own figures never move
      }),
      { numRuns: 60 },
    );
  });

  it("reads an invalid appraisal as not appraised, never as met", () => {
    const score = scoresOf(appraised((code) => (code === "TC01" ? "Đạt yêu cầu" : "Đạt")))[0]!;
    expect(score.appraisal).toMatchObject({ met: 21, complete: false, recognised: false });
    expect(score.appraisal?.criteria[0]).toEqual({ code: "TC01", result: null, note: null });
  });
});
