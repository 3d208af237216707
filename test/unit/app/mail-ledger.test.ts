import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { kvLedger, ledgerKey } from "../../../functions/app/kv-state.js";
import type { LedgerEntry } from "../../../functions/ports.js";
import { memoryKeyValueStore } from "../../fakes/memory-kv.js";

const sent: LedgerEntry = { status: "sent", sentAt: "2026-11-27T08:00:00.000Z", messageId: "<a@tieuchi.local>", via: "smtp" };

describe("kvLedger", () => {
  it("keeps one entry per key under ledger/<sha256>.json, with the key inside", async () => {
    const kv = memoryKeyValueStore();
    const key = "digest|lanhdao@congan.example|2026-W48|3f2a";
    expect(await kvLedger(kv).update(key, (current) => (current === null ? sent : null))).toEqual({ entry: sent, written: true });

    const hash = createHash("sha256").update(key).digest("hex");
    expect(ledgerKey(key)).toBe(`ledger/${hash}.json`);
    expect(JSON.parse(kv.objects.get(`ledger/${hash}.json`)?.text ?? "null")).toEqual({ key, ...sent });
    expect(await kvLedger(kv).update("digest|lanhdao@congan.example|2026-W48|other", () => null)).toEqual({ entry: null, written: false });
  });

  it("leaves the entry when decide returns null, and reports what is in force", async () => {
    const kv = memoryKeyValueStore();
    await kvLedger(kv).update("k", () => sent);
    expect(await kvLedger(kv).update("k", (current) => (current === null ? { ...sent, messageId: "<b@tieuchi.local>" } : null))).toEqual({ entry: sent, written: false });
  });

  it("lets exactly one of many concurrent claimers of a key win, from two instances", async () => {
    const kv = memoryKeyValueStore();
    const [one, other] = [kvLedger(kv), kvLedger(kv)];
    const claim = (holder: string) => (current: LedgerEntry | null): LedgerEntry | null => (current === null ? { status: "sending", holder, until: 1, attempts: 1 } : null);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? one : other).update("k", claim(`h${i}`))));
    expect(results.filter((r) => r.written)).toHaveLength(1);
    const winner = results.find((r) => r.written)!.entry;
    expect(results.every((r) => JSON.stringify(r.entry) === JSON.stringify(winner))).toBe(true);
  });
});
