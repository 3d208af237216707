/**
 * The ward queue's dispatch slots, shared by every function instance that enqueues (the sweep,
 * the webhook, the rollover): the next free slot lives in one small state object, advanced by
 * compare-and-set. Each batch reserves its whole block in one write (Cloud Storage takes about
 * one write a second per object), so two instances enqueuing at the same time get disjoint
 * blocks and their tasks never stack on the same seconds. A conflicting or refused write is
 * retried by updateJson and the store's retry policy; a reservation that still fails throws,
 * and the caller's pass enqueues nothing and is repeated (task names dedupe the repeats).
 */
import type { KeyValueStore } from "../ports.js";
import { updateJson } from "./kv-state.js";

/** Where the next free slot is kept. */
export const DISPATCH_SLOTS_KEY = "queue/dispatch-slots.json";

interface SlotLedger {
  /** The first slot no enqueuer holds yet (ms since the epoch). */
  nextSlotMs: number;
}

export interface DispatchSlots {
  /** `count` dispatch times, `spacingMs` apart, none before now or in a block another enqueuer holds. */
  reserve(count: number): Promise<number[]>;
}

/**
 * Slots kept in `kv` under DISPATCH_SLOTS_KEY. An idle queue starts the block now (slots left
 * in the past are not owed to anyone), so a lone change is dispatched at once.
 */
export function sharedDispatchSlots(kv: KeyValueStore, options: { spacingMs: number; now: () => number }): DispatchSlots {
  return {
    reserve: async (count) => {
      if (count <= 0) return [];
      const written = await updateJson<SlotLedger>(kv, DISPATCH_SLOTS_KEY, (current) => ({ nextSlotMs: Math.max(options.now(), current?.nextSlotMs ?? 0) + count * options.spacingMs }));
      const start = written.nextSlotMs - count * options.spacingMs;
      return Array.from({ length: count }, (_, i) => start + i * options.spacingMs);
    },
  };
}
