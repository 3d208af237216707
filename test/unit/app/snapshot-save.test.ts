import { describe, expect, it } from "vitest";
import { kvStateStore, snapshotKey } from "../../../functions/app/kv-state.js";
import type { KeyValueStore, StoredSnapshot } from "../../../functions/ports.js";
import { memoryKeyValueStore } from "../../fakes/memory-kv.js";

const snapshot = (generatedAt: string): StoredSnapshot => ({ period: "2026-W49", generatedAt, programmes: [{ id: "p", wards: [{ id: "w", met: 1, total: 2, recognised: false }] }] }) as StoredSnapshot;

describe("saving the running period's snapshot again", () => {
  it("replaces the version this store wrote without reading it, and reads it again once someone else wrote", async () => {
    const memory = memoryKeyValueStore();
    const asked: string[] = [];
    const kv: KeyValueStore = { ...memory, get: (key) => (asked.push(key), memory.get(key)) };
    const state = kvStateStore(kv, { warn: () => undefined });
    await state.saveSnapshot(snapshot("2026-12-02T01:00:00.000Z"));
    asked.length = 0;
    await state.saveSnapshot(snapshot("2026-12-02T02:00:00.000Z"));
    expect(asked).not.toContain(snapshotKey("2026-W49"));
    const current = await memory.get<StoredSnapshot>(snapshotKey("2026-W49"));
    await memory.put(snapshotKey("2026-W49"), snapshot("2026-12-02T03:00:00.000Z"), current!.version); // another run
    await state.saveSnapshot(snapshot("2026-12-02T04:00:00.000Z"));
    expect(asked).toContain(snapshotKey("2026-W49"));
    expect((await memory.get<StoredSnapshot>(snapshotKey("2026-W49")))?.value.generatedAt).toBe("2026-12-02T04:00:00.000Z");
  });
});
