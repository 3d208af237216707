/**
 * The sent ledger over any KeyValueStore (Cloud Storage in the cloud, files on a laptop):
 * one object per idempotency key, every change by compare-and-set, so two senders on one
 * ledger never both claim a message.
 *
 * Key: "ledger/<sha256(idempotency key) hex>.json", holding the entry and the key itself.
 */
import type { KeyValueStore, Ledger, LedgerEntry } from "../ports.js";
import { sha256Hex } from "../hashing.js";
import { StateStoreError } from "../state-errors.js";

const LEDGER = "ledger/";
const MAX_ATTEMPTS = 20;

/** How an entry is stored: the entry and its idempotency key (the object name is only a hash of it). */
export type LedgerRecord = LedgerEntry & { key: string };

/** An entry written before claims existed: a sent message, with no status. */
interface LegacyRecord {
  key: string;
  sentAt: string;
  messageId: string;
  via: string;
  status?: undefined;
}

/** The store key of a ledger entry: hashed, since idempotency keys hold "|", "@" and more. */
export const ledgerKey = (key: string): string => `${LEDGER}${sha256Hex(key)}.json`;

function entryOf(stored: LedgerRecord | LegacyRecord): LedgerEntry {
  if (stored.status === undefined) return { status: "sent", sentAt: stored.sentAt, messageId: stored.messageId, via: stored.via };
  const { key: _key, ...entry } = stored;
  return entry;
}

/** Ledger with one object per key; `update` re-reads and re-decides when another sender wrote first. */
export function kvLedger(kv: KeyValueStore): Ledger {
  return {
    update: async (key, decide) => {
      const name = ledgerKey(key);
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        const current = await kv.get<LedgerRecord | LegacyRecord>(name);
        const entry = current ? entryOf(current.value) : null;
        const next = decide(entry);
        if (next === null) return { entry, written: false };
        const record: LedgerRecord = { key, ...next };
        if ((await kv.put(name, record, current?.version ?? null)) !== null) return { entry: next, written: true };
      }
      throw new StateStoreError("update", name, `bị ghi đồng thời liên tục, đã thử ${MAX_ATTEMPTS} lần mà chưa ghi được`);
    },
  };
}
