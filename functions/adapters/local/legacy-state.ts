/**
 * One-time import of the state a previous release kept in the workspace: `.tieuchi/ledger.json`
 * (one object, idempotency key → {sentAt, messageId, via}) and `.tieuchi/snapshots/<period>.json`.
 * After the import the old files are renamed `….migrated` (kept, never read again). Runs under a
 * lock, re-checking inside it, so two processes opening an old workspace at once import once;
 * every import is create-if-absent, so a run killed half-way simply finishes on the next open.
 */
import { readFile, readdir, rename } from "node:fs/promises";
import { join } from "node:path";
import { StateDamagedError } from "../../state-errors.js";
import { withFileLock } from "./file-lock.js";
import { syncDirectory } from "./files.js";

/** A sent message as the old ledger recorded it. */
export interface LegacySent {
  sentAt: string;
  messageId: string;
  via: string;
}

/** Where imported state goes; both leave an existing entry alone (the new layout is newer). */
export interface LegacyImport {
  sent(key: string, entry: LegacySent): Promise<void>;
  snapshot(period: string, snapshot: unknown): Promise<void>;
}

export interface LegacyImportResult {
  ledgerEntries: number;
  snapshots: number;
}

const LEDGER_FILE = "ledger.json";
const SNAPSHOTS_DIR = "snapshots";
const MIGRATED = ".migrated";
const DAMAGED = ".damaged";

const isSent = (entry: unknown): entry is LegacySent => {
  const e = entry as Partial<LegacySent> | null;
  return typeof e === "object" && e !== null && typeof e.sentAt === "string" && typeof e.messageId === "string" && typeof e.via === "string";
};

const readText = (file: string): Promise<string | null> =>
  readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return null;
    throw error;
  });

const legacySnapshotFiles = async (stateDir: string): Promise<string[]> =>
  (await readdir(join(stateDir, SNAPSHOTS_DIR)).catch(() => [] as string[])).filter((name) => name.endsWith(".json")).sort();

/** Whether anything of the old layout is still to be imported (cheap; no lock). */
async function hasLegacyState(stateDir: string): Promise<boolean> {
  return (await readText(join(stateDir, LEDGER_FILE))) !== null || (await legacySnapshotFiles(stateDir)).length > 0;
}

/**
 * Import the old files, if any, then rename them. A damaged old ledger stops the import (and the
 * command) with its path: dropping it would send every message again. A damaged old snapshot is
 * renamed `….damaged` with one warning, and the rest goes on.
 */
export async function importLegacyState(
  stateDir: string,
  into: LegacyImport,
  warn: (line: string) => void,
  options: { readOnly?: boolean } = {},
): Promise<LegacyImportResult> {
  const result: LegacyImportResult = { ledgerEntries: 0, snapshots: 0 };
  if (!(await hasLegacyState(stateDir))) return result;
  // Read-only (a dry run into a store that writes nothing): the old files stay as they are, no lock needed.
  const keep = options.readOnly === true;
  const importAll = async (): Promise<LegacyImportResult> => {
    // The ledger last: a process that sees no old file left (and so skips the lock) sees it all imported.
    result.snapshots = await importSnapshots(stateDir, into, warn, keep);
    result.ledgerEntries = await importLedger(stateDir, into, keep);
    return result;
  };
  return keep ? importAll() : withFileLock(join(stateDir, "migrate.lock"), LEDGER_FILE, importAll);
}

async function importLedger(stateDir: string, into: LegacyImport, keep: boolean): Promise<number> {
  const file = join(stateDir, LEDGER_FILE);
  const raw = await readText(file);
  if (raw === null) return 0; // none, or another process imported it while we waited for the lock
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (error) {
    throw new StateDamagedError(LEDGER_FILE, file, raw, "không phải JSON hợp lệ", { cause: error });
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) throw new StateDamagedError(LEDGER_FILE, file, raw, "không phải một bảng khóa → thư đã gửi");
  const entries = Object.entries(data);
  const bad = entries.find(([, entry]) => !isSent(entry));
  if (bad) throw new StateDamagedError(LEDGER_FILE, file, raw, `mục “${bad[0]}” thiếu sentAt, messageId hoặc via`);
  for (const [key, entry] of entries) await into.sent(key, entry as LegacySent);
  if (keep) return entries.length;
  await rename(file, file + MIGRATED);
  await syncDirectory(stateDir);
  return entries.length;
}

async function importSnapshots(stateDir: string, into: LegacyImport, warn: (line: string) => void, keep: boolean): Promise<number> {
  const dir = join(stateDir, SNAPSHOTS_DIR);
  let imported = 0;
  for (const name of await legacySnapshotFiles(stateDir)) {
    const file = join(dir, name);
    const raw = await readText(file);
    if (raw === null) continue;
    const period = name.slice(0, -".json".length);
    let snapshot: unknown;
    try {
      snapshot = JSON.parse(raw);
    } catch {
      if (keep) {
        warn(`Cảnh báo: tệp số liệu cũ ${file} bị hỏng (không phải JSON hợp lệ); lần chạy thật sẽ đổi tên nó thành ${name}${DAMAGED}.`);
        continue;
      }
      await rename(file, file + DAMAGED);
      warn(`Cảnh báo: tệp số liệu cũ ${file} bị hỏng (không phải JSON hợp lệ) nên không được chuyển sang; đã đổi tên thành ${name}${DAMAGED} để giữ lại, các lần chạy tiếp tục mà không có kỳ này.`);
      continue;
    }
    // Its shape is checked where snapshots are read (a wrong one is moved aside there, with a warning).
    await into.snapshot(period, snapshot);
    if (!keep) await rename(file, file + MIGRATED);
    imported++;
  }
  if (!keep) await syncDirectory(dir);
  return imported;
}
