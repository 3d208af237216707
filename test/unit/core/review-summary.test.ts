/** The review cycle in the town picture: states, appraised figures, differing criteria, counts and the proposal list. */
import { beforeAll, describe, expect, it } from "vitest";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { type TownSummary, type WardOutcome, aggregateTown } from "../../../functions/core/aggregate-town.js";
import { appraisedFiguresText, cycleCountsText, hasAppraisal, hasReview, recognisedOf, reviewCountsOf, reviewOf } from "../../../functions/core/review-summary.js";
import { emptyScore } from "../../../functions/core/score-ward.js";
import { formatTownTable, summaryTable, toSummaryCsv, toSummaryJson } from "../../../functions/core/town-output.js";
import { buildDigestView } from "../../../functions/core/digest-view.js";
import { buildRunDocuments } from "../../../functions/core/run-documents.js";
import { summaryRows } from "../../../functions/adapters/google/summary-rows.js";
import { DOCUMENT_SETTINGS, ISSUED_AT } from "../../fixtures/documents.js";
import { reviewedOutcomes, sampleOutcomes } from "../../fixtures/outcomes.js";
import { builtinCatalogues } from "../../fixtures/workbooks.js";

let catalogues: Catalogue[];
let reviewed: WardOutcome[];
const META = { period: "2026-W48", generatedAt: "2026-11-27T03:00:00.000Z", previous: null };

beforeAll(async () => {
  catalogues = await builtinCatalogues();
  reviewed = reviewedOutcomes(catalogues);
});

const rowsOf = (summary: TownSummary, programme = 0) =>
  summary.programmes[programme]!.wards.map((w) => ({ id: w.id, review: w.review, self: `${w.met}/${w.total}`, appraised: w.appraised ? `${w.appraised.met}/${w.appraised.total}${w.appraised.complete ? "" : "…"}` : null, differs: w.differs }));

describe("aggregateTown over the review cycle", () => {
  it("carries each ward's state, its appraised figures beside its own and the criteria that differ", () => {
    expect(rowsOf(aggregateTown(reviewed, catalogues, META))).toEqual([
      { id: "nghi-hai", review: "updating", self: "20/22", appraised: null, differs: [] },
      { id: "nghi-hoa", review: "updating", self: "15/22", appraised: null, differs: [] },
      { id: "nghi-huong", review: "submitted", self: "18/22", appraised: null, differs: [] },
      { id: "nghi-tan", review: "appraised", self: "22/22", appraised: "21/22", differs: ["TC05"] },
      { id: "nghi-thu", review: "returned", self: "19/22", appraised: "2/22…", differs: ["TC02"] },
      { id: "nghi-thuy", review: "updating", self: "21/22", appraised: null, differs: [] },
      { id: "thu-thuy", review: "appraised", self: "22/22", appraised: "22/22", differs: [] },
    ]);
  });

  it("lists in the proposal only the wards appraised in full that meet the rule on appraised results", () => {
    const [p1, p2] = aggregateTown(reviewed, catalogues, META).programmes;
    expect(p1!.proposal).toEqual(["thu-thuy"]);
    expect(p1!.recognisedCount).toBe(2); // the wards' own claim is still shown as it is
    expect(p2!.proposal).toEqual([]);
  });

  it("counts the wards at each step", () => {
    const [p1, p2] = aggregateTown(reviewed, catalogues, META).programmes;
    expect(p1!.reviewCounts).toEqual({ "not-sent": 0, updating: 3, submitted: 1, returned: 1, appraised: 2, closed: 0 });
    expect(p2!.reviewCounts).toEqual({ "not-sent": 0, updating: 7, submitted: 0, returned: 0, appraised: 0, closed: 0 });
  });

  it("shows a missing workbook as not sent, and a ward without a recorded step as updating", () => {
    const list = reviewed.map((o) => (o.ward.id === "nghi-hai" ? { ...o, status: "missing" as const, scores: catalogues.map(emptyScore), review: [] } : o.ward.id === "nghi-hoa" ? { ...o, review: undefined } : o));
    const wards = aggregateTown(list as WardOutcome[], catalogues, META).programmes[0]!.wards;
    expect(wards.slice(0, 2).map((w) => w.review)).toEqual(["not-sent", "updating"]);
  });

  it("marks every ward closed in a closed period and keeps those appraised before in the proposal", () => {
    const p1 = aggregateTown(reviewed, catalogues, { ...META, closed: true }).programmes[0]!;
    expect(new Set(p1.wards.map((w) => w.review))).toEqual(new Set(["closed"]));
    expect(p1.reviewCounts!.closed).toBe(7);
    expect(p1.proposal).toEqual(["thu-thuy"]);
    // The app records a closed entry with its appraisedAt: still concluded.
    const frozen = reviewed.map((o) => ({ ...o, review: o.review!.map((r) => ({ ...r, state: "closed" as const })) }));
    expect(aggregateTown(frozen, catalogues, META).programmes[0]!.proposal).toEqual(["thu-thuy"]);
  });

  it("leaves a returned or only submitted ward out of the proposal even when its appraisal meets the rule", () => {
    const list = reviewed.map((o) => (o.ward.id === "thu-thuy" ? { ...o, review: o.review!.map((r) => ({ ...r, state: "returned" as const, appraisedAt: null })) } : o));
    expect(aggregateTown(list, catalogues, META).programmes[0]!.proposal).toEqual([]);
  });

  it("reads outcomes stored before the cycle (no review, no appraisal) as nothing appraised", () => {
    const old = sampleOutcomes(catalogues).map((o) => ({ ...o, scores: o.scores.map((s) => ({ ...s, appraisal: undefined })) })) as unknown as WardOutcome[];
    const summary = aggregateTown(old, catalogues, META);
    expect(summary.programmes[0]!.wards.every((w) => w.review === "updating" && w.appraised === null && w.differs!.length === 0)).toBe(true);
    expect(summary.programmes[0]!.proposal).toEqual([]);
    expect(hasAppraisal(summary.programmes)).toBe(false);
    expect(hasReview(summary.programmes)).toBe(false);
  });
});

describe("readers of a summary stored before the cycle", () => {
  it("fall back to the ward's status and count from the rows", () => {
    const summary = aggregateTown(reviewed, catalogues, META);
    const p1 = summary.programmes[0]!;
    const { proposal: _p, reviewCounts: _c, ...rest } = p1;
    const stored = { ...rest, wards: p1.wards.map(({ review: _r, appraised: _a, differs: _d, appraisedAt: _t, ...w }) => w) };
    expect(stored.wards.map((w) => reviewOf(w))).toEqual(Array(7).fill("updating"));
    expect(reviewOf({ status: "missing" })).toBe("not-sent");
    expect(reviewCountsOf(stored)).toMatchObject({ updating: 7 });
    expect(reviewCountsOf(p1)).toBe(p1.reviewCounts);
  });
});

describe("the appraised figures and the period's result of a row", () => {
  const full = { met: 21, total: 22, recognised: false, complete: true };
  it("writes met of all, saying when criteria remain to appraise, never a bare count", () => {
    expect([appraisedFiguresText({ appraised: full }), appraisedFiguresText({ appraised: { met: 5, total: 22, recognised: false, complete: false } }), appraisedFiguresText({})]).toEqual(["21/22", "5/22 (chưa thẩm định hết)", null]);
  });
  it("takes the appraised result once the appraisal is concluded, the ward's own before", () => {
    expect(recognisedOf({ recognised: true, appraised: full, appraisedAt: "2026-11-26T02:00:00.000Z" })).toBe(false);
    expect(recognisedOf({ recognised: true, appraised: full, appraisedAt: null })).toBe(true);
    expect(recognisedOf({ recognised: false, appraised: { ...full, met: 22, recognised: true }, appraisedAt: "2026-11-26T02:00:00.000Z" })).toBe(true);
    expect(recognisedOf({ recognised: true })).toBe(true);
  });
});

describe("cycleCountsText", () => {
  it.each([
    [{ submitted: 3, appraised: 2, returned: 1 }, "Đề nghị thẩm định: 3 phường; đã thẩm định: 2; trả lại: 1"],
    [{ appraised: 2, updating: 5 }, "Đã thẩm định: 2 phường"],
    [{ closed: 7 }, "Đã chốt: 7 phường"],
    [{ updating: 4, "not-sent": 3 }, null],
    [{}, null],
  ])("%o → %s", (counts, text) => {
    expect(cycleCountsText(counts, "phường")).toBe(text);
  });
});

describe("the summary table and summary.json", () => {
  it("end each row with the appraised criteria met and the step of the cycle", () => {
    const table = summaryTable(aggregateTown(reviewed, catalogues, META));
    expect(table.header.slice(-2)).toEqual(["Số tiêu chí đạt (thẩm định)", "Trạng thái"]);
    expect(table.widths).toHaveLength(table.header.length);
    expect(table.rows.slice(0, 7).map((r) => [r[4], r[5], ...r.slice(-2)])).toEqual([
      ["Nghi Hải", 20, null, "Đang cập nhật"],
      ["Nghi Hòa", 15, null, "Đang cập nhật"],
      ["Nghi Hương", 18, null, "Đề nghị thẩm định"],
      ["Nghi Tân", 22, "21/22", "Đã thẩm định"],
      ["Nghi Thu", 19, "2/22 (chưa thẩm định hết)", "Trả lại"],
      ["Nghi Thủy", 21, null, "Đang cập nhật"],
      ["Thu Thủy", 22, "22/22", "Đã thẩm định"],
    ]);
  });

  it("keeps the documented JSON shape and adds the cycle after it", () => {
    const json = toSummaryJson(aggregateTown(reviewed, catalogues, META)) as { programmes: Array<{ proposal: string[]; wards: Array<Record<string, unknown>> }> };
    expect(json.programmes[0]!.proposal).toEqual(["thu-thuy"]);
    expect(json.programmes[0]!.wards[3]).toMatchObject({ id: "nghi-tan", met: 22, review: "appraised", appraised: { met: 21, total: 22, recognised: false, complete: true }, differs: ["TC05"] });
  });
});

describe("a summary stored before the cycle, read by every view", () => {
  const strip = (summary: TownSummary): TownSummary => ({
    ...summary,
    programmes: summary.programmes.map(({ proposal: _p, reviewCounts: _c, ...p }) => ({ ...p, wards: p.wards.map(({ review: _r, appraised: _a, differs: _d, appraisedAt: _t, ...w }) => w) })),
  });

  it.each([
    ["summary.csv", (s: TownSummary) => toSummaryCsv(s).split("\r\n")[1]!.split(",").slice(-2).join(","), ",Đang cập nhật"],
    ["Tổng hợp", (s: TownSummary) => summaryRows(s)[1]!.slice(-2).join(","), ",Đang cập nhật"],
    ["digest", (s: TownSummary) => String(buildDigestView(s, { issuer: "X", documents: new Map(), table: null, runtime: "local" }).programmes[0]!.cycle), "null"],
    ["run documents (no TỜ TRÌNH without a stored proposal)", (s: TownSummary) => buildRunDocuments({ summary: s, wards: [], catalogues, history: [], settings: DOCUMENT_SETTINGS, issuedAt: ISSUED_AT, numbers: new Map() }).map((d) => d.kind).join(","), "town-report,town-report"],
  ])("%s", (_name, read, expected) => {
    expect(read(strip(aggregateTown(reviewed, catalogues, META)))).toBe(expected);
  });
});

describe("the terminal table", () => {
  it("shows the step of the cycle after the figures of a ward past its own editing", () => {
    expect(formatTownTable(aggregateTown(reviewed, catalogues, META))).toMatchInlineSnapshot(`
      "Phường           CA phường kiểu mẫu            Phong trào toàn dân BVANTQ  Lỗi
      ───────────────  ────────────────────────────  ──────────────────────────  ───
      Nghi Hải         20/22                         32/34                         0
      Nghi Hòa         15/22                         27/34                         1
      Nghi Hương       18/22 · Đề nghị thẩm định     34/34 ✓                       0
      Nghi Tân         22/22 ✓ · Đã thẩm định 21/22  33/34                         0
      Nghi Thu         19/22 · Trả lại               29/34                         0
      Nghi Thủy        21/22                         30/34                         0
      Thu Thủy         22/22 ✓ · Đã thẩm định 22/22  34/34 ✓                       0
      ───────────────  ────────────────────────────  ──────────────────────────  ───
      Đạt đủ tiêu chí  2/7 phường                    2/7 phường"
    `);
  });
});
