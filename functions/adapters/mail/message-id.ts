/**
 * Deterministic identifiers for outgoing mail: the Message-ID derives from the idempotency
 * key, so a message that is sent twice despite the ledger (a crash between the server's
 * acceptance and the ledger write) carries the same Message-ID and mail clients fold the copies.
 */
import { sha256Hex } from "../../hashing.js";

export { contentHash } from "../../hashing.js";

/** `<first 32 hex of sha256(key)@domain>`, the same for the same key on every run. */
export function messageIdFor(key: string, domain = "tieuchi.local"): string {
  return `<${sha256Hex(key).slice(0, 32)}@${domain}>`;
}

/** First 12 hex chars of sha256(key): a short, file-safe name for a message. */
export function shortKeyHash(key: string): string {
  return sha256Hex(key).slice(0, 12);
}
