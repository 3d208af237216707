/**
 * Every ward's state for a sweep or a digest in two requests, not one per ward: a listing of
 * the ward objects (each with its version) and one index object holding the states as of the
 * last sweep, each with the version it was copied from. Only wards whose object moved since
 * are read one by one. The index is written by the sweep alone (one instance, every few
 * minutes), so it never meets Cloud Storage's one-write-per-second limit on one object; the
 * workers write only their own ward's object. A stale or missing index costs reads, never a
 * wrong answer: an entry is used only when its version is the one listed.
 */
import type { WardConfig } from "../config.js";
import type { KeyValueStore } from "../ports.js";
import { readWardStates, STATE_KEYS, type WardState } from "./cloud-ward.js";
import { mapLimit } from "./map-limit.js";

/** Cloud Storage reads in flight while the index is rebuilt. */
const STATE_READS_AT_ONCE = 16;

/** A store that lists keys with their versions in one listing (Cloud Storage's objects.list). */
interface VersionListing {
  listVersions(prefix: string): Promise<Array<{ key: string; version: string }>>;
}

export const WARD_INDEX_KEY = "index/wards.json";

interface WardIndex {
  entries: Record<string, { version: string; state: WardState }>;
}

const hasListing = (kv: KeyValueStore): kv is KeyValueStore & VersionListing => typeof (kv as Partial<VersionListing>).listVersions === "function";

/**
 * The states of `wards`, from the listing and the index; the wards whose object changed
 * since the index was written are read. With `refresh`, the index is rewritten when it was
 * out of date (compare-and-set: a concurrent writer wins and the next sweep catches up).
 */
export async function readWardStatesIndexed(wards: readonly WardConfig[], kv: KeyValueStore, options: { refresh: boolean }): Promise<Map<string, WardState | null>> {
  if (!hasListing(kv)) return readWardStates(wards, kv);
  const [listed, stored] = await Promise.all([kv.listVersions("wards/"), kv.get<WardIndex>(WARD_INDEX_KEY)]);
  const versionOf = new Map(listed.map((entry) => [entry.key, entry.version]));
  const entries = stored?.value.entries ?? {};
  const next: WardIndex["entries"] = {};
  let stale = false;
  // A first sweep (no index yet) reads every ward's object: a few at a time, not thousands at once.
  const states = await mapLimit(
    wards,
    STATE_READS_AT_ONCE,
    async (ward): Promise<[string, WardState | null]> => {
      const listedVersion = versionOf.get(STATE_KEYS.ward(ward.id));
      if (listedVersion === undefined) return [ward.id, null];
      const known = entries[ward.id];
      if (known && known.version === listedVersion) {
        next[ward.id] = known;
        return [ward.id, known.state];
      }
      stale = true;
      const fresh = await kv.get<WardState>(STATE_KEYS.ward(ward.id));
      if (fresh) next[ward.id] = { version: fresh.version, state: fresh.value };
      return [ward.id, fresh?.value ?? null];
    },
  );
  stale ||= Object.keys(entries).some((id) => !(id in next));
  if (options.refresh && stale) await kv.put(WARD_INDEX_KEY, { entries: next } satisfies WardIndex, stored?.version ?? null);
  return new Map(states);
}
