/**
 * The local parse cache: a SheetSource over the workspace files that also remembers each
 * ward's run in `.tieuchi/parse-cache/<ward>.json`, keyed by the SHA-256 of the file's bytes
 * and by the version of what evaluated it (code, catalogues, the ward's config). A second `run`
 * with nothing changed reads each file once to hash it and nothing else; under `start` an
 * unchanged file costs a stat (its hash is kept per size, mtime and inode in the process).
 * A damaged or foreign cache file is a miss, never an error.
 */
import { createHash } from "node:crypto";
import { readFile, stat, unlink } from "node:fs/promises";
import { join, relative } from "node:path";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import type { WardRun } from "../../app/run-town.js";
import type { WardCache } from "../../app/ward-cache.js";
import { type Config, type WardConfig, wardFile } from "../../config.js";
import type { RawWorkbook } from "../../core/cells.js";
import { sha256Hex, stableJson } from "../../hashing.js";
import type { SheetSource } from "../../ports.js";
import { evaluationCodeVersion } from "./code-version.js";
import { encodeKey } from "./file-kv.js";
import { writeFileAtomic } from "./files.js";
import { type ParseBytes, parseInProcess, readWorkbookFile, workspacePaths } from "./workspace.js";

/** Bumped when the shape of an entry changes (3: one appraisal-missing finding per tab). */
const FORMAT = 3;

interface Entry {
  format: number;
  key: string;
  run: Pick<WardRun, "outcome" | "findings" | "sheet">;
}

export interface ParseCache extends SheetSource, WardCache {
  /** Workbooks parsed and runs recalled so far (for tests and the bench). */
  readonly stats: { parsed: number; recalled: number };
  /**
   * The run the cache held for a ward when this run recalled it (the ward's last reading, of any
   * period), null when none: the trail's baseline takes the evidence from it (trailBaseline).
   */
  previousRun(wardId: string): PreviousRun | null;
}

/** What the cache held for a ward before this run. */
type PreviousRun = Pick<WardRun, "outcome" | "sheet">;

const sha256 = (bytes: Buffer): string => createHash("sha256").update(bytes).digest("hex");

function isEntry(value: unknown): value is Entry {
  const entry = value as Partial<Entry> | null;
  return typeof entry?.key === "string" && entry.format === FORMAT && typeof entry.run?.outcome === "object" && Array.isArray(entry.run.findings);
}

/** The cache of a workspace; `catalogues` are those the runs are evaluated against, `parse` turns bytes into a workbook (worker threads in a run). */
export function localParseCache(config: Pick<Config, "baseDir">, catalogues: readonly Catalogue[], parse: ParseBytes = parseInProcess): ParseCache {
  const paths = workspacePaths(config.baseDir);
  const dir = join(paths.state, "parse-cache");
  const catalogueVersion = sha256Hex(stableJson(catalogues));
  const hashes = new Map<string, { stamp: string; hash: string }>(); // by file: unchanged stat → known hash
  const entries = new Map<string, Entry>(); // by ward id: the entry as last read or written
  const pending = new Map<string, { hash: string; bytes: Buffer }>(); // bytes hashed by recall, for the read after it
  const readAs = new Map<string, string>(); // by ward id: hash of the bytes the last read parsed
  const previous = new Map<string, PreviousRun | null>(); // by ward id: the entry's run at the last recall
  const stats = { parsed: 0, recalled: 0 };
  const entryFile = (ward: WardConfig): string => join(dir, encodeKey(ward.id));
  const keyOf = async (ward: WardConfig, hash: string): Promise<string> => `${hash}:${sha256Hex(`${await evaluationCodeVersion()}|${catalogueVersion}|${stableJson(ward)}`)}`;

  /** The file's content hash without reading it when its stat is as last seen; null when it is missing or cannot be read. */
  const contentHash = async (ward: WardConfig): Promise<{ hash: string; bytes?: Buffer } | null> => {
    const file = wardFile(config, ward);
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return null;
    const stamp = `${info.size}:${info.mtimeMs}:${info.ctimeMs}:${info.ino}`;
    const known = hashes.get(file);
    if (known?.stamp === stamp) return { hash: known.hash };
    const bytes = await readFile(file).catch(() => null);
    if (!bytes) return null;
    const hash = sha256(bytes);
    hashes.set(file, { stamp, hash });
    return { hash, bytes };
  };

  const loadEntry = async (ward: WardConfig): Promise<Entry | null> => {
    const known = entries.get(ward.id);
    if (known) return known;
    const parsed = parseJson(await readFile(entryFile(ward), "utf8").catch(() => null));
    if (!isEntry(parsed) || !(await feedbackInPlace(paths.feedback, ward.id))) return null;
    entries.set(ward.id, parsed);
    return parsed;
  };

  const forget = async (ward: WardConfig): Promise<void> => {
    entries.delete(ward.id);
    await unlink(entryFile(ward)).catch(() => undefined);
  };

  return {
    stats,
    previousRun: (wardId) => previous.get(wardId) ?? null,
    recall: async (ward) => {
      const content = await contentHash(ward);
      previous.delete(ward.id);
      if (!content) {
        await forget(ward);
        return null;
      }
      const entry = await loadEntry(ward);
      previous.set(ward.id, entry ? entry.run : null);
      if (entry && entry.key === (await keyOf(ward, content.hash))) {
        stats.recalled += 1;
        return { ward, outcome: entry.run.outcome, findings: entry.run.findings, ...(entry.run.sheet ? { sheet: entry.run.sheet } : {}) };
      }
      if (content.bytes) pending.set(ward.id, { hash: content.hash, bytes: content.bytes });
      return null;
    },
    remember: async (ward, run) => {
      const hash = readAs.get(ward.id);
      readAs.delete(ward.id);
      if (hash === undefined) return forget(ward);
      const entry: Entry = { format: FORMAT, key: await keyOf(ward, hash), run: { outcome: run.outcome, findings: run.findings, ...(run.sheet ? { sheet: run.sheet } : {}) } };
      entries.set(ward.id, entry);
      // Not fsynced: an entry lost in a power cut is only a miss.
      await writeFileAtomic(entryFile(ward), JSON.stringify(entry), { durable: false });
    },
    read: async (ward): Promise<RawWorkbook | null> => {
      const file = wardFile(config, ward);
      const label = relative(config.baseDir, file);
      const stashed = pending.get(ward.id);
      pending.delete(ward.id);
      stats.parsed += 1;
      if (!stashed) {
        const workbook = await readWorkbookFile(file, label, (bytes) => readAs.set(ward.id, sha256(bytes)), parse);
        if (!workbook) readAs.delete(ward.id);
        return workbook;
      }
      readAs.set(ward.id, stashed.hash);
      return parse(stashed.bytes, label);
    },
  };
}

function parseJson(text: string | null): unknown {
  try {
    return text === null ? null : (JSON.parse(text) as unknown);
  } catch {
    return null;
  }
}

/** The ward's feedback files are all there, none empty (an output lost in a power cut is written again). */
async function feedbackInPlace(dir: string, wardId: string): Promise<boolean> {
  const sizes = await Promise.all(["txt", "xlsx", "csv"].map((ext) => stat(join(dir, `${wardId}.${ext}`)).then((s) => s.size, () => 0)));
  return sizes.every((size) => size > 0);
}
