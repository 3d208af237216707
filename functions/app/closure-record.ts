/**
 * The record of a period's closing (chốt kỳ), one per period under "closures/<period>.json":
 * read by the snapshot store (a closed period's snapshot is never saved again) and written by
 * period-close.ts.
 */
import { sha256Hex, stableJson } from "../hashing.js";
import type { KeyValueStore, StoredSnapshot } from "../ports.js";

/** One close or reopen, as recorded. */
export type ClosureEvent = { kind: "close"; at: string; by: string; hash: string } | { kind: "reopen"; at: string; by: string; reason: string };

/** A period's closing record: whether it is closed now, the frozen snapshot's hash, and every event. */
export interface Closure {
  period: string;
  closed: boolean;
  /** sha256 of the canonical JSON of the snapshot frozen by the last close. */
  hash: string | null;
  /** Every close and reopen, oldest first; only ever appended to. */
  events: ClosureEvent[];
}

/** The store key of a period's closing record. */
export const closureKey = (period: string): string => `closures/${period}.json`;

/** The closing record of `period`, or null when it was never closed. */
export async function closureOf(kv: KeyValueStore, period: string): Promise<Closure | null> {
  return (await kv.get<Closure>(closureKey(period)))?.value ?? null;
}

/** Whether `period` is closed now. */
export async function isPeriodClosed(kv: KeyValueStore, period: string): Promise<boolean> {
  return (await closureOf(kv, period))?.closed === true;
}

/** sha256 over the canonical (key-sorted) JSON of a snapshot: equal snapshots, equal hashes. */
export const snapshotHash = (snapshot: StoredSnapshot): string => sha256Hex(stableJson(snapshot));
