import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { contentHash, messageIdFor } from "../../../functions/adapters/mail/message-id.js";

describe("messageIdFor", () => {
  it("is <32 hex of sha256(key)@domain>, the same on every call", () => {
    const key = "digest|lanhdao@congan.example|2026-W48|3f2a";
    const hex = createHash("sha256").update(key).digest("hex").slice(0, 32);
    expect(messageIdFor(key)).toBe(`<${hex}@tieuchi.local>`);
    expect(messageIdFor(key)).toBe(messageIdFor(key));
    expect(messageIdFor(key, "congan.example")).toBe(`<${hex}@congan.example>`);
    expect(messageIdFor(`${key}x`)).not.toBe(messageIdFor(key));
  });
});

describe("contentHash", () => {
  it("ignores object key order at every depth, but not array order or values", () => {
    const a = { ward: "nghi-huong", scores: [{ met: 18, total: 22 }], period: "2026-W48" };
    const b = { period: "2026-W48", scores: [{ total: 22, met: 18 }], ward: "nghi-huong" };
    expect(contentHash(a)).toMatch(/^[0-9a-f]{16}$/u);
    expect(contentHash(a)).toBe(contentHash(b));
    expect(contentHash({ ...a, scores: [{ met: 19, total: 22 }] })).not.toBe(contentHash(a));
    expect(contentHash([1, 2])).not.toBe(contentHash([2, 1]));
  });

  it("hashes strings by their JSON form, so Vietnamese text is stable", () => {
    expect(contentHash("Phường Nghi Hương")).toBe(contentHash("Phường Nghi Hương"));
    expect(contentHash("Phường Nghi Hương")).not.toBe(contentHash("Phuong Nghi Huong"));
  });
});
