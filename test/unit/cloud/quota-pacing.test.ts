import { describe, expect, it } from "vitest";
import { queuePace, taskSpacingMs } from "../../../functions/cloud/quota-pacing.js";

describe("queuePace", () => {
  it("gives the default queue 22 wards a minute: 45 of 60 reads at 2 reads a ward", () => {
    expect(queuePace()).toEqual({ wardsPerMinute: 22, maxDispatchesPerSecond: 0.366, maxConcurrentDispatches: 4 });
  });

  it("is bound by whichever quota runs out first, and never below one ward a minute", () => {
    expect(queuePace({ readsPerMinute: 60, writesPerMinute: 60, headroom: 0.25 }, { reads: 1, writes: 3 }).wardsPerMinute).toBe(15);
    expect(queuePace({ readsPerMinute: 300, writesPerMinute: 300, headroom: 0 }, { reads: 1, writes: 1 })).toEqual({ wardsPerMinute: 300, maxDispatchesPerSecond: 5, maxConcurrentDispatches: 50 });
    expect(queuePace({ readsPerMinute: 2, writesPerMinute: 2, headroom: 0.9 }, { reads: 2, writes: 1 })).toEqual({ wardsPerMinute: 1, maxDispatchesPerSecond: 0.016, maxConcurrentDispatches: 1 });
  });

  it("keeps the queue's rate times a minute within the budget it was given", () => {
    for (const headroom of [0, 0.1, 0.25, 0.5]) {
      for (const reads of [1, 2, 3]) {
        const pace = queuePace({ readsPerMinute: 60, writesPerMinute: 60, headroom }, { reads, writes: 1 });
        expect(pace.maxDispatchesPerSecond * 60 * reads).toBeLessThanOrEqual(60 * (1 - headroom));
      }
    }
  });

  it("spaces the tasks one enqueuer creates by one ward's share of a minute (never faster than the pace)", () => {
    expect(taskSpacingMs()).toBe(2728);
    for (const wardsPerMinute of [1, 7, 22, 300]) expect(60_000 / taskSpacingMs({ wardsPerMinute, maxDispatchesPerSecond: 0, maxConcurrentDispatches: 1 })).toBeLessThanOrEqual(wardsPerMinute);
  });
});
