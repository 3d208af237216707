/** The trail over a KeyValueStore: written only on change, never losing a change to a race, bounded. */
import { describe, expect, it } from "vitest";
import { recordTrail, trailBaseline, trailOf } from "../../../functions/app/trail-store.js";
import { summariseTown } from "../../../functions/app/run-town.js";
import { kvStateStore } from "../../../functions/app/snapshot-store.js";
import type { CriterionReading, WardReading } from "../../../functions/core/change-trail.js";
import { manualClock } from "../../fakes/clock.js";
import { memoryKeyValueStore } from "../../fakes/memory-kv.js";
import { sampleOutcomes } from "../../fixtures/outcomes.js";
import { builtinCatalogues } from "../../fixtures/workbooks.js";

const reading = (ward: string, status: CriterionReading["status"], at: string, points: number | null = null): WardReading => ({ ward, at, by: null, criteria: [{ programme: "ca", code: "TC01", status, points }] });
const metBefore = (ward: string): WardReading => reading(ward, "met", "t0");

describe("recordTrail", () => {
  it("writes nothing until a ward changes, then appends each change", async () => {
    const kv = memoryKeyValueStore();
    expect(await recordTrail(kv, "2026-W40", [reading("a", "met", "2026-10-01T01:00:00Z")])).toEqual([]);
    expect(await recordTrail(kv, "2026-W40", [reading("a", "met", "2026-10-01T02:00:00Z"), reading("b", "met", "2026-10-01T02:00:00Z")], { baseline: metBefore })).toEqual([]);
    expect(kv.objects.size).toBe(0);
    const asked: string[] = [];
    const whoChanged = async (ward: string): Promise<string> => (asked.push(ward), "Lan");
    const now = await recordTrail(kv, "2026-W40", [reading("a", "not-met", "2026-10-01T03:00:00Z"), reading("b", "met", "2026-10-01T03:00:00Z")], { baseline: metBefore, whoChanged });
    expect(now.map((c) => [c.ward, c.field, c.before, c.after, c.by])).toEqual([["a", "result", "met", "not-met", "Lan"]]);
    expect(asked).toEqual(["a"]);
    // Once a ward has a trail, its last reading is the baseline (not the snapshot's).
    expect(await recordTrail(kv, "2026-W40", [reading("a", "not-met", "2026-10-01T03:30:00Z")], { baseline: metBefore })).toEqual([]);
    await recordTrail(kv, "2026-W40", [reading("a", "met", "2026-10-01T04:00:00Z")]);
    await recordTrail(kv, "2026-W41", [reading("a", "not-met", "2026-10-08T04:00:00Z")], { baseline: metBefore });
    expect((await trailOf(kv)).map((c) => [c.at, c.after])).toEqual([["2026-10-01T03:00:00Z", "not-met"], ["2026-10-01T04:00:00Z", "met"], ["2026-10-08T04:00:00Z", "not-met"]]);
    expect(await trailOf(kv, { period: "2026-W41" })).toHaveLength(1);
    expect(await trailOf(kv, { ward: "b" })).toEqual([]);
    expect(await trailOf(kv, { period: "2026-W40", ward: "a" })).toHaveLength(2);
  });

  it("takes the baseline from the period's stored snapshot", async () => {
    const kv = memoryKeyValueStore();
    const catalogues = await builtinCatalogues();
    const outcomes = sampleOutcomes(catalogues);
    const clock = manualClock("2026-10-01T03:00:00Z");
    await summariseTown(outcomes.map((outcome) => ({ ward: { id: outcome.ward.id, name: outcome.ward.name, aliases: [], contacts: [] }, outcome, findings: [] })), catalogues, { state: kvStateStore(kv, { clock }), clock });
    const baseline = await trailBaseline(kv, "2026-W40");
    const first = outcomes[0]!;
    expect(baseline(first.ward.id)?.criteria).toHaveLength(first.scores.reduce((n, s) => n + s.criteria.length, 0));
    expect(baseline("nowhere")).toBeNull();
    expect((await trailBaseline(kv, "2026-W41"))(first.ward.id)).toBeNull();
  });

  it("loses no change when two runs record the same ward at once", async () => {
    const kv = memoryKeyValueStore();
    const base = (): WardReading => reading("a", "met", "t0", 1);
    await Promise.all([recordTrail(kv, "p", [reading("a", "met", "t1", 2)], { baseline: base }), recordTrail(kv, "p", [reading("a", "met", "t2", 3)], { baseline: base })]);
    const changes = await trailOf(kv);
    // Whichever wrote second diffed against the first's reading: the chain of values is unbroken.
    expect(changes).toHaveLength(2);
    expect(changes[0]?.before).toBe(1);
    expect(changes[1]?.before).toBe(changes[0]?.after);
    expect(kv.conflicts).toBeGreaterThan(0);
  });

  it("keeps at most 2,000 changes per ward and period, dropping the oldest", async () => {
    const kv = memoryKeyValueStore();
    const base = (): WardReading => reading("a", "met", "t", 0);
    for (let i = 1; i <= 2_100; i++) await recordTrail(kv, "p", [reading("a", "met", `t${String(i).padStart(5, "0")}`, i)], { baseline: base });
    const changes = await trailOf(kv);
    expect(changes).toHaveLength(2_000);
    expect(changes[0]?.after).toBe(101);
    expect(changes.at(-1)?.after).toBe(2_100);
    const stored = JSON.parse([...kv.objects.values()][0]?.text ?? "{}") as { dropped: number };
    expect(stored.dropped).toBe(100);
  }, 30_000);
});
