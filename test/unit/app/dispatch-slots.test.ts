import { describe, expect, it } from "vitest";
import { DISPATCH_SLOTS_KEY, sharedDispatchSlots } from "../../../functions/app/dispatch-slots.js";
import { manualClock } from "../../fakes/clock.js";
import { memoryKeyValueStore } from "../../fakes/memory-kv.js";

describe("sharedDispatchSlots", () => {
  it("hands out contiguous blocks, one write each; an idle queue starts now", async () => {
    const clock = manualClock("2026-12-01T01:00:00Z");
    const kv = memoryKeyValueStore();
    const slots = sharedDispatchSlots(kv, { spacingMs: 1000, now: clock.ms });
    const t0 = clock.ms();
    expect(await slots.reserve(3)).toEqual([t0, t0 + 1000, t0 + 2000]);
    expect(await slots.reserve(2)).toEqual([t0 + 3000, t0 + 4000]);
    expect(await slots.reserve(0)).toEqual([]);
    expect(JSON.parse(kv.objects.get(DISPATCH_SLOTS_KEY)!.text)).toEqual({ nextSlotMs: t0 + 5000 });
    clock.advance(60_000); // the slots left in the past are owed to no one
    expect(await slots.reserve(1)).toEqual([t0 + 60_000]);
  });

  it("two instances reserving at the same moment get disjoint blocks: the loser of the compare-and-set retries", async () => {
    const clock = manualClock("2026-12-01T01:00:00Z");
    const kv = memoryKeyValueStore();
    const [a, b] = [sharedDispatchSlots(kv, { spacingMs: 2728, now: clock.ms }), sharedDispatchSlots(kv, { spacingMs: 2728, now: clock.ms })];
    const blocks = await Promise.all([a.reserve(5), b.reserve(4), a.reserve(3)]);
    const all = blocks.flat().sort((x, y) => x - y);
    expect(all).toHaveLength(12);
    expect(all.slice(1).map((t, i) => t - all[i]!)).toEqual(Array(11).fill(2728));
    expect(kv.conflicts).toBeGreaterThan(0);
  });
});
