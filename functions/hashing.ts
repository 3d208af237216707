/** Hashes the service compares and keys things by: one sha256 helper, one stable JSON form. */
import { createHash } from "node:crypto";

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** JSON with object keys sorted at every depth, so equal data gives equal text. */
export function stableJson(value: unknown): string {
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
