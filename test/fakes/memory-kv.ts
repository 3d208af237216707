/**
 * In-memory KeyValueStore that behaves like the Cloud Storage one: values stored as JSON text
 * (so callers never share objects with the store), a fresh version on every write, and
 * compare-and-set on put. Each call yields to the event loop first, so concurrent callers
 * interleave as they would across instances.
 */
import type { KeyValueStore, Versioned } from "../../functions/ports.js";
import { StateDamagedError } from "../../functions/state-errors.js";

export interface MemoryKeyValueStore extends KeyValueStore {
  /** The stored JSON text per key, for assertions. */
  readonly objects: ReadonlyMap<string, { text: string; version: string }>;
  /** How many puts were refused for a failed precondition. */
  readonly conflicts: number;
  /** Replace a key's stored text as-is (damaged state for tests), with a fresh version. */
  corrupt(key: string, text: string): void;
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export function memoryKeyValueStore(initial: Record<string, unknown> = {}): MemoryKeyValueStore {
  const objects = new Map<string, { text: string; version: string }>();
  let generation = 0;
  let conflicts = 0;
  const write = (key: string, value: unknown): string => {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`not JSON-serialisable: ${key}`);
    const version = String(++generation);
    objects.set(key, { text, version });
    return version;
  };
  for (const [key, value] of Object.entries(initial)) write(key, value);

  return {
    objects,
    corrupt: (key, text) => void objects.set(key, { text, version: String(++generation) }),
    get conflicts() {
      return conflicts;
    },
    get: async <T>(key: string): Promise<Versioned<T> | null> => {
      await tick();
      const stored = objects.get(key);
      if (!stored) return null;
      try {
        return { value: JSON.parse(stored.text) as T, version: stored.version };
      } catch (error) {
        // Like the file and Cloud Storage stores: damage is a typed error carrying the text (H8).
        throw new StateDamagedError(key, `memory:${key}`, stored.text, "nội dung đã lưu không phải JSON hợp lệ", { cause: error });
      }
    },
    put: async (key, value, ifVersion) => {
      await tick();
      if ((objects.get(key)?.version ?? null) !== ifVersion) {
        conflicts++;
        return null;
      }
      return write(key, value);
    },
    list: async (prefix) => {
      await tick();
      return [...objects.keys()].filter((key) => key.startsWith(prefix)).sort();
    },
    delete: async (key) => {
      await tick();
      objects.delete(key);
    },
  };
}
