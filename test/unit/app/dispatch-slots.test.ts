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

  it("re-checks take one slot in three, so a change enqueued during their lane waits one gap, not the whole lane", async () => {
    const clock = manualClock("2026-12-01T01:00:00Z");
    const slots = sharedDispatchSlots(memoryKeyValueStore(), { spacingMs: 1000, now: clock.ms });
    const t0 = clock.ms();
    const rechecks = await slots.reserve(0, 130); // the daily listing: every ward read before, no change reported
    expect(rechecks.slice(0, 3)).toEqual([t0, t0 + 3000, t0 + 6000]);
    clock.advance(10_500);
    const changes = await slots.reserve(3);
    expect(changes).toEqual([t0 + 11_000, t0 + 13_000, t0 + 14_000]); // the gaps at once, not after the lane (t0 + 390 s)
    clock.advance(500);
    expect(await slots.reserve(1)).toEqual([t0 + 16_000]);
    const all = [...rechecks, ...changes, t0 + 16_000].sort((x, y) => x - y);
    expect(all.slice(1).every((t, i) => t - all[i]! >= 1000)).toBe(true); // together never faster than the pace
  });

  it("a second batch of re-checks continues the lane; past its end changes go at the full pace", async () => {
    const clock = manualClock("2026-12-01T01:00:00Z");
    const slots = sharedDispatchSlots(memoryKeyValueStore(), { spacingMs: 1000, now: clock.ms });
    const t0 = clock.ms();
    expect(await slots.reserve(2, 2)).toEqual([t0, t0 + 1000, t0 + 2000, t0 + 5000]); // changes first, then the lane after them
    expect(await slots.reserve(1, 1)).toEqual([t0 + 3000, t0 + 8000]);
    expect(await slots.reserve(3)).toEqual([t0 + 4000, t0 + 6000, t0 + 7000]);
    clock.advance(60_000);
    expect(await slots.reserve(2)).toEqual([t0 + 60_000, t0 + 61_000]); // the lane is over
  });
});
