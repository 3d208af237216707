/**
 * A KeyValueStore for `--dry-run`: reads the real store, keeps every write in memory. The run
 * behaves as it would (compare-and-set included) and the workspace is left exactly as it was.
 */
import type { KeyValueStore, Versioned } from "../../ports.js";

type Change = { text: string; version: string } | { deleted: true };

export function dryRunKeyValueStore(base: KeyValueStore): KeyValueStore {
  const changes = new Map<string, Change>();
  let generation = 0;

  const get = async <T>(key: string): Promise<Versioned<T> | null> => {
    const change = changes.get(key);
    if (change === undefined) return base.get<T>(key);
    return "deleted" in change ? null : { value: JSON.parse(change.text) as T, version: change.version };
  };

  return {
    get,
    put: async (key, value, ifVersion) => {
      const text = JSON.stringify(value);
      if (text === undefined) throw new TypeError(`not JSON-serialisable: ${key}`);
      if (((await get(key))?.version ?? null) !== ifVersion) return null;
      const version = `dry-run-${++generation}`;
      changes.set(key, { text, version });
      return version;
    },
    list: async (prefix) => {
      const keys = new Set(await base.list(prefix));
      for (const [key, change] of changes) {
        if (!key.startsWith(prefix)) continue;
        if ("deleted" in change) keys.delete(key);
        else keys.add(key);
      }
      return [...keys].sort();
    },
    delete: async (key) => {
      changes.set(key, { deleted: true });
    },
  };
}
