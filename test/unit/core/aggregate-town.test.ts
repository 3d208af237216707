import fc from "fast-check";
import { degradedOutcomes, sampleOutcomes } from "../../fixtures/outcomes.js";
import { beforeAll, describe, expect, it } from "vitest";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { type WardOutcome, aggregateTown, toSnapshot, wasAssessed } from "../../../functions/core/aggregate-town.js";
import { emptyScore } from "../../../functions/core/score-ward.js";
import { formatTownTable, toSummaryCsv, toSummaryJson } from "../../../functions/core/town-output.js";
import { P1, P2, builtinCatalogues } from "../../fixtures/workbooks.js";

let catalogues: Catalogue[];
let outcomes: WardOutcome[];
const META = { period: "2026-W48", generatedAt: "2026-11-27T03:00:00.000Z", previous: null };

beforeAll(async () => {
  catalogues = await builtinCatalogues();
  outcomes = sampleOutcomes(catalogues);
});

describe("aggregateTown", () => {
  it("builds the ward table and counts recognised wards per programme", () => {
    const town = aggregateTown(outcomes, catalogues, META);
    const p1 = town.programmes.find((p) => p.id === P1)!;
    expect(p1.wards.map((w) => `${w.name} ${w.met}/${w.total}`)).toEqual([
      "Nghi Hải 20/22", "Nghi Hòa 15/22", "Nghi Hương 18/22", "Nghi Tân 22/22", "Nghi Thu 19/22", "Nghi Thủy 21/22", "Thu Thủy 22/22",
    ]);
    expect(town.programmes.map((p) => [p.id, p.recognisedCount, p.wardCount])).toEqual([[P1, 2, 7], [P2, 2, 7]]);
  });

  it("ranks criteria by how many wards have not met them", () => {
    const p1 = aggregateTown(outcomes, catalogues, META).programmes[0]!;
    expect(p1.ranking.slice(0, 3).map((r) => [r.code, r.notMet])).toEqual([["TC20", 5], ["TC14", 4], ["TC22", 3]]);
    expect(p1.ranking[0]!.wards).toEqual(["nghi-hai", "nghi-hoa", "nghi-huong", "nghi-thu", "nghi-thuy"]);
  });

  it("reports wards not filled in, unreadable or with errors", () => {
    const list = degradedOutcomes(outcomes, catalogues);
    const p1 = aggregateTown(list, catalogues, META).programmes[0]!;
    expect(p1.completeness).toEqual({ notFilled: ["nghi-hai"], withErrors: ["nghi-hoa", "nghi-tan"], unreadable: ["thu-thuy"] });
    expect(p1.wards.find((w) => w.id === "nghi-tan")).toMatchObject({ met: 21, errors: 1, leftOut: ["TC01"], recognised: false });
    expect(p1.recognisedCount).toBe(0);
  });

  it("shows the change against the previous snapshot", () => {
    const before = toSnapshot(aggregateTown(outcomes, catalogues, { ...META, period: "2026-W47" }));
    before.programmes[0]!.wards.find((w) => w.id === "nghi-huong")!.met = 15;
    before.programmes[0]!.wards.find((w) => w.id === "thu-thuy")!.recognised = false;
    const now = aggregateTown(outcomes, catalogues, { ...META, previous: before });
    const p1 = now.programmes[0]!;
    expect(now.previousPeriod).toBe("2026-W47");
    expect(p1.wards.find((w) => w.id === "nghi-huong")!.change).toEqual({ met: 3, recognisedBefore: false });
    expect(p1.change).toEqual({ recognised: 1, met: 3 });
    expect(now.programmes[1]!.change).toEqual({ recognised: 0, met: 0 });
  });

  it("does not depend on the order wards arrive in", () => {
    const reference = aggregateTown(outcomes, catalogues, META);
    fc.assert(
      fc.property(fc.shuffledSubarray(outcomes, { minLength: outcomes.length, maxLength: outcomes.length }), (shuffled) => {
        expect(aggregateTown(shuffled, catalogues, META)).toEqual(reference);
      }),
      { numRuns: 30 },
    );
  });

  it("keeps met ≤ total and recognised ≤ wards for any subset of wards", () => {
    fc.assert(
      fc.property(fc.subarray(outcomes), (subset) => {
        const town = aggregateTown(subset, catalogues, META);
        return town.programmes.every((p) => p.recognisedCount <= p.wardCount && p.wards.every((w) => w.met <= w.total) && p.ranking.every((r) => r.notMet <= p.wardCount));
      }),
      { numRuns: 50 },
    );
  });
});

describe("a ward without a usable assessment in the change", () => {
  const p1 = (summary: ReturnType<typeof aggregateTown>) => summary.programmes.find((p) => p.id === P1)!;
  const ward = (summary: ReturnType<typeof aggregateTown>, id: string) => p1(summary).wards.find((w) => w.id === id)!;

  it.each([
    { name: "sent before, missing now", before: "ok", now: "missing" },
    { name: "sent before, unreadable now", before: "ok", now: "unreadable" },
    { name: "missing before, sent now", before: "missing", now: "ok" },
  ] as const)("$name: no change, and no drop or rise in the programme's change", ({ before, now }) => {
    const degrade = (list: readonly WardOutcome[], status: "ok" | "missing" | "unreadable"): WardOutcome[] =>
      status === "ok" ? [...list] : list.map((o) => (o.ward.id === "thu-thuy" ? { ...o, status, scores: catalogues.map(emptyScore) } : o));
    const previous = toSnapshot(aggregateTown(degrade(outcomes, before), catalogues, { ...META, period: "2026-W47" }));
    const summary = aggregateTown(degrade(outcomes, now), catalogues, { ...META, previous });
    expect(ward(summary, "thu-thuy").change).toBeNull();
    expect(p1(summary).change).toEqual({ recognised: 0, met: 0 });
  });

  it("records in the snapshot whether each ward was assessed", () => {
    const degraded = degradedOutcomes(outcomes, catalogues);
    const wards = toSnapshot(aggregateTown(degraded, catalogues, META)).programmes[0]!.wards;
    expect(wards.filter((w) => !w.assessed).map((w) => w.id)).toEqual(["nghi-hai", "thu-thuy"]);
  });

  it.each([
    [{ id: "x", met: 0, total: 22, recognised: false }, false],
    [{ id: "x", met: 3, total: 22, recognised: false }, true],
    [{ id: "x", met: 0, total: 22, recognised: false, assessed: true }, true],
    [{ id: "x", met: 12, total: 22, recognised: false, assessed: false }, false],
  ])("reads %o of an older snapshot as assessed: %s", (snapshotWard, assessed) => {
    expect(wasAssessed(snapshotWard)).toBe(assessed);
  });
});

describe("town outputs", () => {
  it("writes summary.json in the documented shape", () => {
    const json = toSummaryJson(aggregateTown(outcomes, catalogues, META)) as { programmes: Array<Record<string, unknown> & { wards: Array<Record<string, unknown>> }> };
    const p = json.programmes[0]!;
    expect(p).toMatchObject({ id: P1, name: catalogues[0]!.name, criteria: 22 });
    expect(p.wards[0]).toMatchObject({ id: "nghi-hai", name: "Nghi Hải", met: 20, total: 22, recognised: false, errors: 0 });
  });

  it("prints the terminal table", () => {
    expect(formatTownTable(aggregateTown(outcomes, catalogues, META))).toMatchInlineSnapshot(`
      "Phường           CA phường kiểu mẫu  Phong trào toàn dân BVANTQ  Lỗi
      ───────────────  ──────────────────  ──────────────────────────  ───
      Nghi Hải         20/22               32/34                         0
      Nghi Hòa         15/22               27/34                         1
      Nghi Hương       18/22               34/34 ✓                       0
      Nghi Tân         22/22 ✓             33/34                         0
      Nghi Thu         19/22               29/34                         0
      Nghi Thủy        21/22               30/34                         0
      Thu Thủy         22/22 ✓             34/34 ✓                       0
      ───────────────  ──────────────────  ──────────────────────────  ───
      Đạt đủ tiêu chí  2/7 phường          2/7 phường"
    `);
  });

  it("writes CSV with a BOM, Vietnamese headers and quoted commas", () => {
    const csv = toSummaryCsv(aggregateTown(outcomes, catalogues, META));
    expect(csv.startsWith("\uFEFFKỳ,Mã đề án,Đề án,")).toBe(true);
    expect(csv).toContain('"Công an phường điển hình, kiểu mẫu"');
    expect(csv.trimEnd().split("\r\n")).toHaveLength(1 + 14);
  });
});
