/**
 * The trail's baseline with the evidence of the parse cache's previous run: an unchanged ward
 * writes no trail (not even on a period's first read), an evidence change is still found
 * against the evidence before it, and a previous run that is not the snapshot's falls back to
 * keeping the evidence in the trail.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type PreviousReading, recordTrail, trailBaseline, trailOf } from "../../../functions/app/trail-store.js";
import { summariseTown } from "../../../functions/app/run-town.js";
import { kvStateStore } from "../../../functions/app/snapshot-store.js";
import type { WardOutcome } from "../../../functions/core/aggregate-town.js";
import type { CriterionCells } from "../../../functions/core/criterion-cells.js";
import { type WardReading, readingOf } from "../../../functions/core/change-trail.js";
import { manualClock } from "../../fakes/clock.js";
import { memoryKeyValueStore } from "../../fakes/memory-kv.js";
import { sampleOutcomes } from "../../fixtures/outcomes.js";
import { builtinCatalogues } from "../../fixtures/workbooks.js";

const cellsOf = (outcome: WardOutcome, evidence: string): CriterionCells[] =>
  outcome.scores.flatMap((s) => s.criteria.map((c) => ({ programme: s.programmeId, code: c.code, tab: s.programmeId, evidence: `${evidence} ${c.code}`, a1: {} })));

async function periodWithSnapshot() {
  const kv = memoryKeyValueStore();
  const catalogues = await builtinCatalogues();
  const outcomes = sampleOutcomes(catalogues).filter((o) => o.status === "ok");
  const clock = manualClock("2026-10-01T03:00:00Z");
  await summariseTown(outcomes.map((outcome) => ({ ward: { id: outcome.ward.id, name: outcome.ward.name, aliases: [], contacts: [] }, outcome, findings: [] })), catalogues, { state: kvStateStore(kv, { clock }), clock });
  return { kv, outcome: outcomes[0]!, at: "2026-10-01T05:00:00.000Z" };
}

describe("trailBaseline with the parse cache's previous run", () => {
  it("writes no trail for an unchanged ward, and finds an evidence change against the evidence before it", async () => {
    const { kv, outcome, at } = await periodWithSnapshot();
    const previous = (): PreviousReading => ({ outcome, sheet: { review: [], criteria: cellsOf(outcome, "biên bản") } });
    const baseline = await trailBaseline(kv, "2026-W40", previous);
    expect(baseline(outcome.ward.id)?.criteria[0]?.evidence).toMatch(/^biên bản /u);
    expect(await recordTrail(kv, "2026-W40", [readingOf(outcome, at, null, cellsOf(outcome, "biên bản"))], { baseline })).toEqual([]);
    expect(kv.objects.size).toBe(1); // the snapshot only
    const changed = await recordTrail(kv, "2026-W40", [readingOf(outcome, at, "Lan", cellsOf(outcome, "quyết định"))], { baseline });
    expect(changed.length).toBe(outcome.scores.reduce((n, s) => n + s.criteria.length, 0));
    expect(changed[0]).toMatchObject({ field: "evidence", after: expect.stringMatching(/^quyết định /u), before: expect.stringMatching(/^biên bản /u), by: "Lan" });
    expect(await trailOf(kv, { ward: outcome.ward.id })).toEqual(changed);
  });

  it("writes nothing on a period's first read when the next baseline keeps the evidence", async () => {
    const { kv, outcome, at } = await periodWithSnapshot();
    const baseline = await trailBaseline(kv, "2026-W41", () => null); // a period with no snapshot yet
    expect(baseline(outcome.ward.id)).toBeNull();
    expect(await recordTrail(kv, "2026-W41", [readingOf(outcome, at, null, cellsOf(outcome, "biên bản"))], { baseline })).toEqual([]);
    expect(await kv.list("trail/")).toEqual([]);
  });

  it("keeps the evidence in the trail when the previous run is not the snapshot's (or there is none)", async () => {
    const { kv, outcome, at } = await periodWithSnapshot();
    const other: WardOutcome = { ...outcome, scores: outcome.scores.map((s, i) => (i ? s : { ...s, criteria: s.criteria.map((c, j) => (j ? c : { ...c, points: (c.points ?? 0) + 1 })) })) };
    for (const previous of [(): PreviousReading => ({ outcome: other, sheet: { review: [], criteria: cellsOf(other, "cũ") } }), () => null]) {
      const baseline = await trailBaseline(kv, "2026-W40", previous);
      expect(baseline(outcome.ward.id)?.criteria.some((c) => c.evidence !== undefined)).toBe(false);
    }
    const baseline = await trailBaseline(kv, "2026-W40", () => null);
    await recordTrail(kv, "2026-W40", [readingOf(outcome, at, null, cellsOf(outcome, "biên bản"))], { baseline });
    expect(await kv.list("trail/")).toHaveLength(1);
    const changed = await recordTrail(kv, "2026-W40", [readingOf(outcome, at, null, cellsOf(outcome, "quyết định"))], { baseline });
    expect(changed[0]).toMatchObject({ field: "evidence", before: expect.stringMatching(/^biên bản /u) });
  });
});

describe("recordTrail with the evidence kept by the cache", () => {
  const readingArb = fc.array(fc.record({ status: fc.constantFrom("met" as const, "not-met" as const), points: fc.constantFrom(null, 1, 2), evidence: fc.constantFrom(null, "A", "B") }), { minLength: 2, maxLength: 2 });
  const wardReading = (at: string, criteria: Array<{ status: "met" | "not-met"; points: number | null; evidence: string | null }>): WardReading => ({
    ward: "w",
    at,
    by: null,
    criteria: criteria.map((c, i) => ({ programme: "ca", code: `TC0${i + 1}`, ...c, appraisal: null, appraisalNote: null })),
  });
  const bare = (r: WardReading): WardReading => ({ ...r, criteria: r.criteria.map(({ evidence: _evidence, ...c }) => c) });

  it("records the same changes as the trail that kept every first reading, for any runs of a period", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(readingArb, { minLength: 1, maxLength: 8 }), async (runs) => {
        const [kept, cached] = [memoryKeyValueStore(), memoryKeyValueStore()];
        let previous: WardReading | null = null;
        for (const [i, criteria] of runs.entries()) {
          const reading = wardReading(new Date(Date.UTC(2026, 9, 1, i)).toISOString(), criteria);
          const before = previous;
          // Before: the snapshot's reading (no evidence). Now: the cache's previous run, evidence and all.
          await recordTrail(kept, "2026-W40", [reading], { baseline: () => (before ? bare(before) : null) });
          await recordTrail(cached, "2026-W40", [reading], { baseline: Object.assign(() => before, { evidenceKept: true }) });
          previous = reading;
        }
        expect(await trailOf(cached)).toEqual(await trailOf(kept));
        // Only a real change writes the trail.
        expect((await cached.list("trail/")).length).toBe((await trailOf(kept)).length ? 1 : 0);
      }),
      { numRuns: 300 },
    );
  });
});
