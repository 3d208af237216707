/**
 * Where the parse cache keeps its entries (.tieuchi/parse-cache/): `.pack.json` holds every
 * ward's entry as of the run that wrote it; a loose `<ward>.json` (file-kv's file name of the id)
 * holds what changed since, or that the ward has no entry any more. A loose file names the pack
 * it amends: one left over from before a newer pack (a run cut between writing the pack and
 * removing the loose files) is ignored. Nothing is fsynced: an entry lost is only a miss.
 */
import { randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import { readFile, unlink } from "node:fs/promises";
import { join } from "node:path";
import type { WardRun } from "../../app/run-town.js";
import { encodeKey } from "./file-kv.js";
import { writeFileAtomic } from "./files.js";

/** Bumped when the shape of an entry changes (4: the stat that vouches for the hash, the pack). */
export const FORMAT = 4;

/** One ward's remembered run, keyed by content hash and evaluating version (`<sha256>:<version>`). */
export interface CacheEntry {
  format: number;
  key: string;
  /** The file's stat taken before the bytes were read (size:mtime:ctime:inode); null when none was. */
  stamp: string | null;
  /** File-system time (ms) before that stat. */
  hashedAt: number;
  /** The period whose trail holds this entry's reading (recorded after the run that made or recalled it). */
  trailed?: string;
  run: Pick<WardRun, "outcome" | "findings" | "sheet">;
}

interface Pack {
  format: number;
  id: string;
  wards: Record<string, CacheEntry>;
}

/** A loose file: an entry or the ward's removal, amending pack `pack` (null: no pack then). */
type Loose = (CacheEntry & { pack: string | null }) | { format: number; pack: string | null; gone: true };

export interface CacheFiles {
  /** The stored entry of a ward, null when none (or unreadable). */
  load(wardId: string): Promise<CacheEntry | null>;
  /** Note that a ward's entry changed; `save` writes it. */
  changed(wardId: string): void;
  /** Write the changed entries (loose, or every entry as a new pack once too many would be loose); false: nothing had changed. */
  save(entries: ReadonlyMap<string, CacheEntry | null>): Promise<boolean>;
}

const PACK = ".pack.json";

function parseJson(text: string | null): unknown {
  try {
    return text === null ? null : (JSON.parse(text) as unknown);
  } catch {
    return null;
  }
}

function isEntry(value: unknown): value is CacheEntry {
  const entry = value as Partial<CacheEntry> | null;
  return typeof entry?.key === "string" && entry.format === FORMAT && typeof entry.hashedAt === "number" && typeof entry.run?.outcome === "object" && Array.isArray(entry.run.findings);
}

function isPack(value: unknown): value is Pack {
  const pack = value as Partial<Pack> | null;
  return pack?.format === FORMAT && typeof pack.id === "string" && typeof pack.wards === "object" && pack.wards !== null;
}

/** JSON.stringify(pack), a ward at a time: the pack of 700 wards is ~12 MB, never held as one string. */
function* packText(pack: Pack): Generator<string> {
  yield `{"format":${JSON.stringify(pack.format)},"id":${JSON.stringify(pack.id)},"wards":{`;
  let separator = "";
  for (const [id, entry] of Object.entries(pack.wards)) {
    yield `${separator}${JSON.stringify(id)}:${JSON.stringify(entry)}`;
    separator = ",";
  }
  yield "}}";
}

const listing = (dir: string): string[] => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};

export function cacheFiles(dir: string, looseLimit: number): CacheFiles {
  let opened: Promise<{ pack: Pack | null; loose: Set<string> }> | null = null;
  const open = () =>
    (opened ??= (async () => {
      const pack = parseJson(await readFile(join(dir, PACK), "utf8").catch(() => null));
      return { pack: isPack(pack) ? pack : null, loose: new Set(listing(dir).filter((n) => n !== PACK && n.endsWith(".json"))) };
    })());
  const dirty = new Set<string>();

  const writePack = async (state: { pack: Pack | null; loose: Set<string> }, entries: ReadonlyMap<string, CacheEntry | null>): Promise<void> => {
    const wards = Object.fromEntries([...entries].filter((e): e is [string, CacheEntry] => e[1] !== null));
    const pack: Pack = { format: FORMAT, id: randomBytes(8).toString("hex"), wards };
    await writeFileAtomic(join(dir, PACK), { chunks: packText(pack) }, { durable: false });
    await Promise.all([...state.loose].map((name) => unlink(join(dir, name)).catch(() => undefined)));
    state.pack = pack;
    state.loose.clear();
  };

  const writeLoose = async (state: { pack: Pack | null; loose: Set<string> }, id: string, entry: CacheEntry | null): Promise<void> => {
    const name = encodeKey(id);
    const packId = state.pack?.id ?? null;
    if (entry === null && !state.pack?.wards[id]) {
      state.loose.delete(name);
      return unlink(join(dir, name)).catch(() => undefined);
    }
    const loose: Loose = entry ? { ...entry, pack: packId } : { format: FORMAT, pack: packId, gone: true };
    state.loose.add(name);
    await writeFileAtomic(join(dir, name), JSON.stringify(loose), { durable: false });
  };

  return {
    load: async (wardId) => {
      const { pack, loose } = await open();
      const name = encodeKey(wardId);
      if (loose.has(name)) {
        const value = parseJson(await readFile(join(dir, name), "utf8").catch(() => null)) as Partial<Loose> | null;
        // Damaged, foreign or of this pack: it decides (a miss unless an entry); of an older pack: superseded by it.
        if (value?.pack === undefined || value.pack === (pack?.id ?? null) || value.format !== FORMAT) return isEntry(value) ? value : null;
      }
      const packed = pack?.wards[wardId];
      return isEntry(packed) ? packed : null;
    },
    changed: (wardId) => dirty.add(wardId),
    save: async (entries) => {
      if (!dirty.size) return false;
      const state = await open();
      const ids = [...dirty];
      dirty.clear();
      const looseAfter = new Set([...state.loose, ...ids.map(encodeKey)]);
      if (looseAfter.size > looseLimit) await writePack(state, entries);
      else for (const id of ids) await writeLoose(state, id, entries.get(id) ?? null);
      return true;
    },
  };
}
