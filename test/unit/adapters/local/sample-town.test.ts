import { describe, expect, it } from "vitest";
import { SAMPLE_WARDS } from "../../../../functions/adapters/local/sample-town.js";
import { evaluateWorkbook } from "../../../../functions/core/evaluate-ward.js";
import { stepReview } from "../../../../functions/core/review-cycle.js";
import { P1, P2, builtinCatalogues, sampleWorkbook } from "../../../fixtures/workbooks.js";

const catalogues = await builtinCatalogues();

const evaluated = (id: string) => {
  const ward = SAMPLE_WARDS.find((w) => w.id === id)!;
  return evaluateWorkbook(sampleWorkbook(catalogues, id, { review: true }), catalogues, { id, name: ward.name, aliases: ward.aliases });
};

describe("the sample town's review cycle (as tieuchi init writes it)", () => {
  it("shows a new user each step: Thu Thủy submitted, Nghi Tân and Nghi Hương appraised, the others updating", () => {
    const states = SAMPLE_WARDS.map((w) => [w.id, evaluated(w.id).review.map((r) => stepReview(null, r, "2026-11-30T01:00:00.000Z", null).record.state)]);
    expect(Object.fromEntries(states)).toEqual({
      "nghi-hai": ["updating", "updating"],
      "nghi-hoa": ["updating", "updating"],
      "nghi-huong": ["updating", "appraised"],
      "nghi-tan": ["appraised", "updating"],
      "nghi-thu": ["updating", "updating"],
      "nghi-thuy": ["updating", "updating"],
      "thu-thuy": ["submitted", "updating"],
    });
  });

  it("qualifies Nghi Tân on appraisal, 22/22 with an Ý kiến on TC07 and no difference, so the sample reaches a TỜ TRÌNH", () => {
    const { scores, findings, review } = evaluated("nghi-tan");
    const p1 = scores.find((s) => s.programmeId === P1)!;
    expect([p1.met, p1.total, p1.recognised]).toEqual([22, 22, true]);
    expect(p1.appraisal).toMatchObject({ met: 22, total: 22, complete: true, recognised: true, differs: [] });
    expect(p1.appraisal?.criteria.find((c) => c.code === "TC07")).toEqual({ code: "TC07", result: "met", note: "Đã bổ sung báo cáo kết quả thực hiện; đạt" });
    expect(review[0]?.returned).toEqual([{ criterion: "TC07", appraisal: "Đạt", note: "Đã bổ sung báo cáo kết quả thực hiện; đạt" }]);
    expect(findings).toEqual([]);
  });

  it("gives Nghi Hương's second programme both figures, self-assessed 34/34 and appraised 33/34 (TC07), and no finding", () => {
    const { scores, findings, review } = evaluated("nghi-huong");
    const p2 = scores.find((s) => s.programmeId === P2)!;
    expect([p2.met, p2.total, p2.recognised]).toEqual([34, 34, true]);
    expect(p2.appraisal).toMatchObject({ met: 33, total: 34, complete: true, recognised: false, differs: ["TC07"] });
    expect(review[1]?.returned).toEqual([{ criterion: "TC07", appraisal: "Chưa đạt", note: "Minh chứng chưa thể hiện kết quả thực hiện; đề nghị bổ sung báo cáo kết quả" }]);
    expect(findings).toEqual([]);
  });
});

describe("the sample's self-assessment alone", () => {
  it("has no status or appraisal typed: every ward updating, no appraised figures", () => {
    for (const ward of SAMPLE_WARDS) {
      const { review, scores } = evaluateWorkbook(sampleWorkbook(catalogues, ward.id), catalogues, { id: ward.id, name: ward.name, aliases: ward.aliases });
      expect(review.map((r) => [r.submitted, r.conclusion, r.appraisalKey])).toEqual([[false, null, ""], [false, null, ""]]);
      expect(scores.map((s) => s.appraisal)).toEqual([null, null]);
    }
  });
});
