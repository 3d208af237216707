/**
 * Durable state over any KeyValueStore (Cloud Storage in the cloud, memory in tests): the
 * snapshot history, the sent ledger, once-only claims and JSON registries updated by
 * compare-and-set. Safe across concurrent instances; no Google imports.
 *
 * Keys: "snapshots/<period>.json", "ledger/<sha256(key) hex>.json", and whatever the
 * callers of claimOnce/updateJson choose.
 */
import { randomUUID } from "node:crypto";
import type { KeyValueStore } from "../ports.js";
import { StateStoreError } from "../state-errors.js";

const DEFAULT_MAX_ATTEMPTS = 20;

/** What claimOnce stores: the caller's value and a token unique to the claim. */
export interface ClaimRecord {
  claim: string;
  value: unknown;
}

/** The snapshot history lives in snapshot-store.ts (damaged snapshots moved aside there). */
export { kvStateStore, snapshotKey } from "./snapshot-store.js";

/** The sent ledger (claims, sent, failed, retry) lives in mail-ledger.ts. */
export { kvLedger, ledgerKey, type LedgerRecord } from "./mail-ledger.js";

/**
 * True for exactly one caller per key, across instances: the one whose create-if-absent wins.
 * The stored record carries a random token, so no two claims are ever byte-identical (a store
 * that confirms an uncertain write by reading it back could otherwise take another's for its own).
 */
export async function claimOnce(kv: KeyValueStore, key: string, value?: unknown): Promise<boolean> {
  const record: ClaimRecord = { claim: randomUUID(), value: value ?? null };
  return (await kv.put(key, record, null)) !== null;
}

/**
 * Read-modify-write with compare-and-set: `update` gets the current value (null when absent)
 * and returns the next one; on a conflicting write it runs again on the fresh value. `update`
 * may therefore run several times and must not have side effects. Returns the value written.
 */
export async function updateJson<T>(
  kv: KeyValueStore,
  key: string,
  update: (current: T | null) => T,
  options: { maxAttempts?: number } = {},
): Promise<T> {
  let written: T | undefined;
  await changeJson<T>(kv, key, (current) => (written = update(current)), options);
  return written as T;
}

/**
 * updateJson where `update` may also leave the value as it is (undefined: nothing written) and
 * may wait (asking who changed a workbook, say; no other side effects, it may run again).
 * Returns the value written, or undefined when nothing was.
 */
export async function changeJson<T>(
  kv: KeyValueStore,
  key: string,
  update: (current: T | null) => T | undefined | Promise<T | undefined>,
  options: { maxAttempts?: number } = {},
): Promise<T | undefined> {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const current = await kv.get<T>(key);
    const next = await update(current === null ? null : current.value);
    if (next === undefined) return undefined;
    if ((await kv.put(key, next, current === null ? null : current.version)) !== null) return next;
  }
  throw new StateStoreError("update", key, `bị ghi đồng thời liên tục, đã thử ${maxAttempts} lần mà chưa ghi được`);
}

/** A time-limited exclusive right to do something (one provisioning run at a time, say). */
export interface LeaseRecord {
  id: string;
  /** Expiry, ms since the epoch: a holder that died frees the lease by then. */
  until: number;
  takenAt: string;
}

export type LeaseResult = { taken: true; id: string } | { taken: false; heldSince: string; until: number };

/**
 * Take the lease on `key` when it is free or its holder's time ran out; otherwise report who
 * holds it until when. Compare-and-set, so of two callers racing exactly one takes it.
 */
export async function acquireLease(kv: KeyValueStore, key: string, ttlMs: number, now: Date): Promise<LeaseResult> {
  const id = randomUUID();
  for (let attempt = 1; attempt <= DEFAULT_MAX_ATTEMPTS; attempt++) {
    const current = await kv.get<LeaseRecord>(key);
    if (current && current.value.until > now.getTime()) return { taken: false, heldSince: current.value.takenAt, until: current.value.until };
    const record: LeaseRecord = { id, until: now.getTime() + ttlMs, takenAt: now.toISOString() };
    if ((await kv.put(key, record, current?.version ?? null)) !== null) return { taken: true, id };
  }
  throw new StateStoreError("update", key, `bị ghi đồng thời liên tục, đã thử ${DEFAULT_MAX_ATTEMPTS} lần mà chưa ghi được`);
}

/** Give the lease back, if it is still ours (an expired one may already be another's). */
export async function releaseLease(kv: KeyValueStore, key: string, id: string): Promise<void> {
  const current = await kv.get<LeaseRecord>(key);
  if (current?.value.id === id) await kv.delete(key);
}
