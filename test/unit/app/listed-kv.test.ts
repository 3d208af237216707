import { describe, expect, it } from "vitest";
import { listedKeyValueStore } from "../../../functions/app/listed-kv.js";
import { updateJson } from "../../../functions/app/kv-state.js";
import type { KeyValueStore } from "../../../functions/ports.js";
import { memoryKeyValueStore } from "../../fakes/memory-kv.js";

/** The store with the keys each get asked it for. */
function counted(kv: KeyValueStore): KeyValueStore & { asked: string[] } {
  const asked: string[] = [];
  return { ...kv, asked, get: (key) => (asked.push(key), kv.get(key)) };
}

describe("a run's listed view of a key-value store", () => {
  it("answers absent keys under the listed prefixes without asking the store, and asks for the rest", async () => {
    const store = counted(memoryKeyValueStore({ "review/2026-W49/a.json": { n: 1 }, "other/x.json": 2 }));
    const kv = await listedKeyValueStore(store, ["review"]);
    expect(await kv.get("review/2026-W49/b.json")).toBeNull();
    expect(await kv.get("review-latest/b.json")).toBeNull();
    expect((await kv.get("review/2026-W49/a.json"))?.value).toEqual({ n: 1 });
    expect((await kv.get("other/x.json"))?.value).toBe(2);
    expect(store.asked).toEqual(["review/2026-W49/a.json", "other/x.json"]);
  });

  it("finds a key written by someone else after the listing once its compare-and-set fails, and never loses that write", async () => {
    const store = memoryKeyValueStore();
    const kv = await listedKeyValueStore(store, ["trail/"]);
    await store.put("trail/w.json", { changes: ["theirs"] }, null); // another process, after the listing
    expect(await kv.get("trail/w.json")).toBeNull(); // as of the listing
    await updateJson<{ changes: string[] }>(kv, "trail/w.json", (current) => ({ changes: [...(current?.changes ?? []), "ours"] }));
    expect((await store.get("trail/w.json"))?.value).toEqual({ changes: ["theirs", "ours"] });
    await kv.delete("trail/w.json");
    expect(await kv.get("trail/w.json")).toBeNull();
  });
});
