/**
 * A clock that only moves when the test says so, shared by the code under test (as its Clock), the fake
 * Google server (as its `now`) and the product's retry policy (as its `sleep`). Passing `sleep` lets a
 * retry back off for 95 s of virtual time in no real time, so quota windows refill as they would on Google.
 *
 * Sleeps overlap as real waits do: each wakes at the instant it asked for (when it began plus its length),
 * the earliest first, and the clock moves to that instant unless it is already past it. Eight retries that
 * wait a second at once take one virtual second, not eight.
 */
export interface ManualClock {
  now(): Date;
  /** Milliseconds since the epoch: pass `clock.ms` as `startFakeGoogle({ now })`. */
  ms(): number;
  advance(ms: number): void;
  /** Resolves, on a later tick, once the clock reads `ms` after the call (a retry's wait, taken in virtual time). */
  sleep(ms: number): Promise<void>;
}

export function manualClock(startIso: string): ManualClock {
  let current = Date.parse(startIso);
  if (Number.isNaN(current)) throw new Error(`manualClock: not an ISO date: ${startIso}`);
  const checked = (ms: number): number => {
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`manualClock: cannot advance by ${ms} ms`);
    return ms;
  };
  const sleepers: Array<{ at: number; wake: () => void }> = [];
  let waking = false;
  // One sleeper a tick, the earliest first, so work woken earlier runs before the clock moves on for the next.
  const wakeNext = (): void => {
    sleepers.sort((a, b) => a.at - b.at);
    const first = sleepers.shift();
    if (first) {
      current = Math.max(current, first.at);
      first.wake();
    }
    waking = sleepers.length > 0;
    if (waking) setImmediate(wakeNext);
  };
  return {
    now: () => new Date(current),
    ms: () => current,
    advance: (ms) => void (current += checked(ms)),
    sleep: (ms) =>
      new Promise<void>((wake) => {
        sleepers.push({ at: current + checked(ms), wake });
        if (!waking) {
          waking = true;
          setImmediate(wakeNext);
        }
      }),
  };
}
