/**
 * The local parse cache: a SheetSource over the workspace files that also remembers each
 * ward's run, keyed by the SHA-256 of the file's bytes and by the version of what evaluated it
 * (code, catalogues, the ward's config). Entries live in `.tieuchi/parse-cache/`: one pack of
 * every ward's entry (pack.json, one read for a whole run) and loose `<ward>.json` files for what
 * changed since (a save under `start` writes one small file, not the pack; the pack is rewritten
 * once too many are loose). A file whose stat (size, mtime, ctime, inode) is the one recorded when
 * it was hashed is not read again, unless it changed too near that moment for its mtime to tell
 * (see isStatTrusted). A damaged or foreign cache file is a miss, never an error.
 */
import { createHash } from "node:crypto";
import { mkdirSync, type Stats, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import type { WardRun } from "../../app/run-town.js";
import type { WardCache } from "../../app/ward-cache.js";
import { type Config, type WardConfig, wardFile } from "../../config.js";
import type { RawWorkbook } from "../../core/cells.js";
import { sha256Hex, stableJson } from "../../hashing.js";
import type { SheetSource } from "../../ports.js";
import { evaluationCodeVersion } from "./code-version.js";
import { fileClockSkewMs } from "./fs-clock.js";
import { type ParseBytes, parseInProcess, readWorkbookFile, workspacePaths } from "./workspace.js";
import { type CacheEntry, type CacheFiles, cacheFiles, FORMAT } from "./parse-cache-files.js";

export interface ParseCache extends SheetSource, WardCache {
  /** Workbooks parsed, runs recalled, files read only to hash them and settles that wrote entries so far (for tests and the bench). */
  readonly stats: { parsed: number; recalled: number; hashed: number; stored: number };
  /**
   * The run the cache held for a ward when this run recalled it (the ward's last reading, of any
   * period), null when none: the trail's baseline takes the evidence from it (trailBaseline).
   */
  previousRun(wardId: string): PreviousRun | null;
  /** The period whose trail already holds the reading of the ward's entry as this run has it (markTrailed), null when none. */
  trailedIn(wardId: string): string | null;
  /** Note that `period`'s trail now holds these wards' readings (stored at the next settle). */
  markTrailed(wardIds: readonly string[], period: string): void;
  settle(): Promise<void>;
}

/** What the cache held for a ward before this run. */
type PreviousRun = Pick<WardRun, "outcome" | "sheet">;

export interface ParseCacheOptions {
  /** Loose entries kept beside the pack before it is rewritten (default 32). */
  looseLimit?: number;
  /** How much older than the hashing a file's last change must be for its stat to vouch for it (default STAT_MARGIN_MS; tests use 0). */
  statMarginMs?: number;
}

/**
 * A stat taken at `hashedAt` (file-system time) vouches for the bytes hashed then only if the
 * file's last change is older than that by more than any mtime granularity (FAT: 2 s): a write in
 * the same tick as the hashed one, same size, would otherwise keep mtime and size. ctime is in the
 * stamp too, so an mtime set back by a tool (touch -r, an unzip) is still seen.
 */
const STAT_MARGIN_MS = 3_000;
const isStatTrusted = (info: Stats, entry: CacheEntry, stamp: string, margin: number): boolean => entry.stamp === stamp && Math.max(info.mtimeMs, info.ctimeMs) < entry.hashedAt - margin;

const sha256 = (bytes: Buffer): string => createHash("sha256").update(bytes).digest("hex");
const stampOf = (info: Stats): string => `${info.size}:${info.mtimeMs}:${info.ctimeMs}:${info.ino}`;
const contentOf = (entry: CacheEntry): string => entry.key.slice(0, entry.key.indexOf(":"));

/** A file's stat, null when it is not a readable regular file. Synchronous: 700 stats cost a quarter of their promise form. */
function statFile(file: string): Stats | null {
  try {
    const info = statSync(file, { throwIfNoEntry: false });
    return info?.isFile() ? info : null;
  } catch {
    return null;
  }
}

/** The cache of a workspace; `catalogues` are those the runs are evaluated against, `parse` turns bytes into a workbook (worker threads in a run). */
export function localParseCache(config: Pick<Config, "baseDir">, catalogues: readonly Catalogue[], parse: ParseBytes = parseInProcess, options: ParseCacheOptions = {}): ParseCache {
  const paths = workspacePaths(config.baseDir);
  const files: CacheFiles = cacheFiles(join(paths.state, "parse-cache"), options.looseLimit ?? 32);
  const catalogueVersion = sha256Hex(stableJson(catalogues));
  const entries = new Map<string, CacheEntry | null>(); // by ward id: the entry as last read or written (null: none)
  const pending = new Map<string, { stamp: string; hash?: string; bytes?: Buffer }>(); // what recall saw, for the read after it
  const readAs = new Map<string, { hash: string; stamp: string | null }>(); // by ward id: the bytes the last read parsed
  const previous = new Map<string, PreviousRun | null>(); // by ward id: the entry's run at the last recall
  const wardVersions = new WeakMap<WardConfig, string>();
  const stats = { parsed: 0, recalled: 0, hashed: 0, stored: 0 };
  const margin = options.statMarginMs ?? STAT_MARGIN_MS;
  let runStart: Promise<number> | null = null; // file-system time this run started hashing
  const keyOf = async (ward: WardConfig, hash: string): Promise<string> => {
    let version = wardVersions.get(ward);
    if (version === undefined) wardVersions.set(ward, (version = sha256Hex(`${await evaluationCodeVersion()}|${catalogueVersion}|${stableJson(ward)}`)));
    return `${hash}:${version}`;
  };
  const started = (): Promise<number> => {
    runStart ??= (async () => {
      mkdirSync(paths.state, { recursive: true });
      return Date.now() + (await fileClockSkewMs(paths.state));
    })();
    return runStart;
  };

  const loadEntry = async (ward: WardConfig): Promise<CacheEntry | null> => {
    if (entries.has(ward.id)) return entries.get(ward.id) ?? null;
    const entry = await files.load(ward.id);
    const kept = entry && feedbackInPlace(paths.feedback, ward.id) ? entry : null;
    entries.set(ward.id, kept);
    return kept;
  };
  const store = (id: string, entry: CacheEntry | null): void => {
    entries.set(id, entry);
    files.changed(id);
  };

  return {
    stats,
    previousRun: (wardId) => previous.get(wardId) ?? null,
    trailedIn: (wardId) => entries.get(wardId)?.trailed ?? null,
    markTrailed: (wardIds, period) => {
      for (const id of wardIds) {
        const entry = entries.get(id);
        if (entry && entry.trailed !== period) store(id, { ...entry, trailed: period });
      }
    },
    recall: async (ward) => {
      const at = await started();
      const file = wardFile(config, ward);
      const info = statFile(file);
      previous.delete(ward.id);
      if (!info) {
        if ((await loadEntry(ward)) !== null) store(ward.id, null);
        return null;
      }
      const stamp = stampOf(info);
      const entry = await loadEntry(ward);
      previous.set(ward.id, entry ? entry.run : null);
      const trusted = entry !== null && isStatTrusted(info, entry, stamp, margin);
      if (!trusted) stats.hashed += 1;
      const bytes = trusted ? undefined : await readFile(file).catch(() => undefined);
      const hash = trusted ? contentOf(entry) : bytes && sha256(bytes);
      if (hash !== undefined && entry && entry.key === (await keyOf(ward, hash))) {
        stats.recalled += 1;
        // Hashed again and the same: the stat now vouches for it (from the next run on, once its mtime is old enough).
        if (!trusted) store(ward.id, { ...entry, stamp, hashedAt: at });
        return { ward, outcome: entry.run.outcome, findings: entry.run.findings, ...(entry.run.sheet ? { sheet: entry.run.sheet } : {}) };
      }
      pending.set(ward.id, { stamp, ...(hash === undefined ? {} : { hash }), ...(bytes ? { bytes } : {}) });
      return null;
    },
    remember: async (ward, run) => {
      const read = readAs.get(ward.id);
      readAs.delete(ward.id);
      if (read === undefined) {
        if ((await loadEntry(ward)) !== null) store(ward.id, null);
        return;
      }
      const kept = { outcome: run.outcome, findings: run.findings, ...(run.sheet ? { sheet: run.sheet } : {}) };
      store(ward.id, { format: FORMAT, key: await keyOf(ward, read.hash), stamp: read.stamp, hashedAt: await started(), run: kept });
    },
    settle: async () => {
      runStart = null;
      // Not fsynced: an entry lost in a power cut is only a miss.
      if (await files.save(entries)) stats.stored += 1;
    },
    read: async (ward): Promise<RawWorkbook | null> => {
      const file = wardFile(config, ward);
      const label = relative(config.baseDir, file);
      const seen = pending.get(ward.id);
      pending.delete(ward.id);
      stats.parsed += 1;
      if (seen?.bytes && seen.hash !== undefined) {
        readAs.set(ward.id, { hash: seen.hash, stamp: seen.stamp });
        return parse(seen.bytes, label);
      }
      // The stat recall took came before this read, so it may vouch for these bytes; a stat after it could not.
      const workbook = await readWorkbookFile(file, label, (bytes) => readAs.set(ward.id, { hash: sha256(bytes), stamp: seen?.stamp ?? null }), parse);
      if (!workbook) readAs.delete(ward.id);
      return workbook;
    },
  };
}

/** The ward's feedback files are all there, none empty (an output lost in a power cut is written again). */
function feedbackInPlace(dir: string, wardId: string): boolean {
  return ["txt", "xlsx", "csv"].every((ext) => (statFile(join(dir, `${wardId}.${ext}`))?.size ?? 0) > 0);
}
