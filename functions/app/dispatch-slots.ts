/**
 * The ward queue's dispatch slots, shared by every function instance that enqueues (the sweep,
 * the webhook, the rollover): the next free slot lives in one small state object, advanced by
 * compare-and-set. Each batch reserves its whole block in one write (Cloud Storage takes about
 * one write a second per object), so two instances enqueuing at the same time get disjoint
 * blocks and their tasks never stack on the same seconds. A conflicting or refused write is
 * retried by updateJson and the store's retry policy; a reservation that still fails throws,
 * and the caller's pass enqueues nothing and is repeated (task names dedupe the repeats).
 *
 * Re-checks (the daily listing's safety net: wards read before, no change reported) take one
 * slot in RECHECK_EVERY of a lane, so changes that arrive while the lane is dispatched take the
 * slots between instead of waiting behind all of it (measured: 130 units, a deadline burst
 * right after the daily listing, p95 234.7 s → 78 s). At 130 units the lane lasts 18 minutes,
 * at the nation's 3,321 about 7.5 hours. A Cloud Task's scheduleTime cannot be moved once it
 * is created, so the gaps are left when the lane is laid out.
 */
import type { KeyValueStore } from "../ports.js";
import { updateJson } from "./kv-state.js";

/** Where the next free slot is kept. */
export const DISPATCH_SLOTS_KEY = "queue/dispatch-slots.json";

interface SlotLedger {
  /** The first slot no enqueuer of a change holds yet (ms since the epoch). */
  nextSlotMs: number;
  /** Re-checks hold fromMs, fromMs + RECHECK_EVERY·spacing, … before untilMs; the slots between are for changes. */
  recheck?: { fromMs: number; untilMs: number };
}

export interface DispatchSlots {
  /**
   * `count` dispatch times for changes, then `rechecks` for re-checks, none before now or on a
   * slot another enqueuer holds; one write for both.
   */
  reserve(count: number, rechecks?: number): Promise<number[]>;
}

/** Re-checks take one slot in this many while their lane lasts; changes take the others. */
const RECHECK_EVERY = 3;

/** The first slot at or after `t` that is at least one spacing away from every re-check of `lane`. */
function gapAtOrAfter(t: number, lane: SlotLedger["recheck"], spacingMs: number): number {
  if (!lane || t + spacingMs <= lane.fromMs || t >= lane.untilMs - (RECHECK_EVERY - 1) * spacingMs) return t;
  const position = Math.ceil((t - lane.fromMs) / spacingMs);
  return lane.fromMs + (position % RECHECK_EVERY === 0 ? position + 1 : position) * spacingMs;
}

/** The slots of one reservation and the ledger after it (pure: updateJson may run it again). */
function allotSlots(ledger: SlotLedger | null, now: number, spacingMs: number, count: number, rechecks: number): { ledger: SlotLedger; slots: number[] } {
  const active = ledger?.recheck && ledger.recheck.untilMs > now ? ledger.recheck : undefined;
  let next = Math.max(now, ledger?.nextSlotMs ?? 0);
  const slots: number[] = [];
  for (let i = 0; i < count; i++) {
    next = gapAtOrAfter(next, active, spacingMs);
    slots.push(next);
    next += spacingMs;
  }
  if (rechecks <= 0) return { ledger: { nextSlotMs: next, ...(active ? { recheck: active } : {}) }, slots };
  // Continue the lane while no change holds a slot past its end; otherwise start one after the changes.
  const fromMs = active && next <= active.untilMs ? active.untilMs : next;
  for (let i = 0; i < rechecks; i++) slots.push(fromMs + RECHECK_EVERY * i * spacingMs);
  const recheck = { fromMs: active && fromMs === active.untilMs ? active.fromMs : fromMs, untilMs: fromMs + RECHECK_EVERY * rechecks * spacingMs };
  return { ledger: { nextSlotMs: next, recheck }, slots };
}

/**
 * Slots kept in `kv` under DISPATCH_SLOTS_KEY. An idle queue starts the block now (slots left
 * in the past are not owed to anyone), so a lone change is dispatched at once.
 */
export function sharedDispatchSlots(kv: KeyValueStore, options: { spacingMs: number; now: () => number }): DispatchSlots {
  return {
    reserve: async (count, rechecks = 0) => {
      if (count <= 0 && rechecks <= 0) return [];
      let slots: number[] = [];
      await updateJson<SlotLedger>(kv, DISPATCH_SLOTS_KEY, (current) => {
        const allotted = allotSlots(current, options.now(), options.spacingMs, Math.max(0, count), Math.max(0, rechecks));
        slots = allotted.slots;
        return allotted.ledger;
      });
      return slots;
    },
  };
}
