import { describe, expect, it } from "vitest";
import { registryCache, STATE_KEYS } from "../../../functions/app/cloud-ward.js";
import { memoryKeyValueStore } from "../../fakes/memory-kv.js";

describe("registryCache", () => {
  it("reads the registry once within its time to live, again after it or after invalidate", async () => {
    const kv = memoryKeyValueStore();
    let reads = 0;
    const counting = { ...kv, get: <T,>(key: string) => ((reads += 1), kv.get<T>(key)) };
    let now = 0;
    const cache = registryCache(counting, { now: () => new Date(now) }, 1000);
    await kv.put(STATE_KEYS.registry, { "nghi-huong": { spreadsheetId: "a", checkSheetId: null } }, null);
    expect(await cache.get()).toEqual({ "nghi-huong": { spreadsheetId: "a", checkSheetId: null } });
    await cache.get();
    expect(reads).toBe(1);
    now = 1001;
    await cache.get();
    expect(reads).toBe(2);
    cache.invalidate();
    await cache.get();
    expect(reads).toBe(3);
  });
});
