/**
 * Deterministic identifiers for outgoing mail: the Message-ID derives from the idempotency
 * key, so a message that is sent twice despite the ledger (a crash between the server's
 * acceptance and the ledger write) carries the same Message-ID and mail clients fold the copies.
 */
import { createHash } from "node:crypto";

function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** `<first 32 hex of sha256(key)@domain>`, the same for the same key on every run. */
export function messageIdFor(key: string, domain = "tieuchi.local"): string {
  return `<${sha256Hex(key).slice(0, 32)}@${domain}>`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** JSON with object keys sorted at every depth, so equal data gives equal text. */
function stableJson(value: unknown): string {
  const text = JSON.stringify(value, (_key, current: unknown) =>
    isPlainObject(current) ? Object.fromEntries(Object.keys(current).sort().map((k) => [k, current[k]])) : current,
  ) as string | undefined;
  // JSON.stringify gives undefined for undefined and functions; they hash as one value.
  return text ?? "undefined";
}

/**
 * First 16 hex chars of sha256 over a key-order-independent JSON form of `value`, for the
 * content part of an idempotency key. Only JSON data counts (a Map or Set hashes as `{}`).
 */
export function contentHash(value: unknown): string {
  return sha256Hex(stableJson(value)).slice(0, 16);
}

/** First 12 hex chars of sha256(key): a short, file-safe name for a message. */
export function shortKeyHash(key: string): string {
  return sha256Hex(key).slice(0, 12);
}
