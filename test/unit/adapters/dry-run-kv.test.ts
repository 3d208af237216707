import { describe, expect, it } from "vitest";
import { dryRunKeyValueStore } from "../../../functions/adapters/local/dry-run-kv.js";
import { memoryKeyValueStore } from "../../fakes/memory-kv.js";

describe("dryRunKeyValueStore", () => {
  it("reads the real store, keeps writes and deletes in memory, and leaves the real store as it was", async () => {
    const base = memoryKeyValueStore({ "snapshots/2026-W47.json": { n: 1 }, "ledger/a.json": { key: "a" } });
    const before = new Map(base.objects);
    const kv = dryRunKeyValueStore(base);

    const read = await kv.get<{ n: number }>("snapshots/2026-W47.json");
    expect(read?.value).toEqual({ n: 1 });
    const version = await kv.put("snapshots/2026-W47.json", { n: 2 }, read!.version);
    expect(version).not.toBeNull();
    expect(await kv.put("snapshots/2026-W47.json", { n: 3 }, read!.version)).toBeNull(); // compare-and-set as usual
    expect(await kv.put("snapshots/2026-W48.json", { n: 4 }, null)).not.toBeNull();
    expect(await kv.put("snapshots/2026-W48.json", { n: 5 }, null)).toBeNull();
    await kv.delete("ledger/a.json");

    expect((await kv.get<{ n: number }>("snapshots/2026-W47.json"))?.value).toEqual({ n: 2 });
    expect(await kv.get("ledger/a.json")).toBeNull();
    expect(await kv.list("")).toEqual(["snapshots/2026-W47.json", "snapshots/2026-W48.json"]);
    expect(await kv.list("ledger/")).toEqual([]);
    expect(new Map(base.objects)).toEqual(before);
  });
});
