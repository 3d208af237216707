/**
 * A clock that only moves when the test says so, shared by the code under test (as its Clock), the fake
 * Google server (as its `now`) and the product's retry policy (as its `sleep`). Passing `sleep` lets a
 * retry back off for 95 s of virtual time in no real time, so quota windows refill as they would on Google.
 */
export interface ManualClock {
  now(): Date;
  /** Milliseconds since the epoch: pass `clock.ms` as `startFakeGoogle({ now })`. */
  ms(): number;
  advance(ms: number): void;
  /** Advances the clock by `ms` and resolves on the next tick (a retry's wait, taken in virtual time). */
  sleep(ms: number): Promise<void>;
}

export function manualClock(startIso: string): ManualClock {
  let current = Date.parse(startIso);
  if (Number.isNaN(current)) throw new Error(`manualClock: not an ISO date: ${startIso}`);
  const advance = (ms: number): void => {
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`manualClock: cannot advance by ${ms} ms`);
    current += ms;
  };
  return {
    now: () => new Date(current),
    ms: () => current,
    advance,
    sleep: async (ms) => {
      advance(ms);
      // Yield once so concurrent work interleaves as it would during a real wait.
      await new Promise<void>((resolve) => setImmediate(resolve));
    },
  };
}
