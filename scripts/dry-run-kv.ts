/**
 * A read-only view of a key-value store for `tieuchi report --dry-run`: reads go to the store,
 * writes stay in memory for the run, so the review cycle still steps (and the dry run can say
 * which letters it would send) while nothing is written to the workspace.
 */
import type { KeyValueStore, Versioned } from "../functions/ports.js";

export function dryRunKv(store: KeyValueStore): KeyValueStore {
  const written = new Map<string, Versioned<unknown> | null>();
  let n = 0;
  const get = async <T>(key: string): Promise<Versioned<T> | null> => (written.has(key) ? ((written.get(key) ?? null) as Versioned<T> | null) : store.get<T>(key));
  return {
    get,
    async put(key, value, ifVersion) {
      const current = await get(key);
      if ((current?.version ?? null) !== ifVersion) return null;
      const version = `dry-run-${++n}`;
      written.set(key, { value: structuredClone(value), version });
      return version;
    },
    async list(prefix) {
      const keys = new Set((await store.list(prefix)).filter((k) => written.get(k) !== null));
      for (const [k, v] of written) if (k.startsWith(prefix) && v !== null) keys.add(k);
      return [...keys].sort();
    },
    async delete(key) {
      written.set(key, null);
    },
  };
}
