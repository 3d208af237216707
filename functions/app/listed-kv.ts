/**
 * A run's view of a KeyValueStore that knows which keys exist under some prefixes from one
 * listing taken when it is made: a get of a key the listing did not show is answered "absent"
 * without asking the store (700 wards with no review record or trail: 2,100 reads → 1 listing).
 * Reads are as of the listing; writes go to the store as they are, so a key another process
 * created since is found by the compare-and-set that fails, and asked for from then on.
 */
import type { KeyValueStore } from "../ports.js";

export async function listedKeyValueStore(kv: KeyValueStore, prefixes: readonly string[]): Promise<KeyValueStore> {
  const known = new Set((await Promise.all(prefixes.map((p) => kv.list(p)))).flat());
  const unsure = new Set<string>(); // written by someone else since the listing
  const isAbsent = (key: string): boolean => !known.has(key) && !unsure.has(key) && prefixes.some((p) => key.startsWith(p));
  return {
    get: async (key) => (isAbsent(key) ? null : kv.get(key)),
    put: async (key, value, ifVersion) => {
      const version = await kv.put(key, value, ifVersion);
      if (version === null) unsure.add(key);
      else known.add(key);
      return version;
    },
    list: (prefix) => kv.list(prefix),
    delete: async (key) => {
      await kv.delete(key);
      known.delete(key);
      unsure.delete(key);
    },
  };
}
