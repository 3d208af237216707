/**
 * A short exclusive section across processes on one machine (proper-lockfile: an atomic mkdir
 * of `<path>`, kept fresh while held, taken over when its holder died and stopped refreshing
 * it), and across callers in this process (a queue per path, so they wait without polling).
 */
import * as fs from "node:fs";
import { dirname, resolve } from "node:path";
import { lock } from "proper-lockfile";
import { fileClockSkewMs } from "./fs-clock.js";
import { StateStoreError } from "../../state-errors.js";

/** A lock not refreshed for this long belongs to a killed process and is taken over. */
export const STALE_LOCK_MS = 5_000;

// About 20 s of retries in all: well past STALE_LOCK_MS, so a dead holder never fails a caller.
const RETRIES = { retries: 120, factor: 1.2, minTimeout: 5, maxTimeout: 200, randomize: true };

const queues = new Map<string, Promise<unknown>>();

type StatCallback = (error: NodeJS.ErrnoException | null, stats?: fs.Stats) => void;

/**
 * The fs proper-lockfile works through, in this process's clock. It decides staleness by
 * comparing a lock's mtime with Date.now, but mkdir stamps the lock with the file system's
 * clock while refreshes stamp it with ours; when the two clocks differ (a network share, a
 * process under faketime) a live lock would look stale and be taken. Shifting every mtime
 * written and read by `skewMs` keeps the disk in the file system's clock and the library in ours.
 */
function lockFs(skewMs: number): typeof fs | undefined {
  if (skewMs === 0) return undefined; // the library's own (graceful-fs)
  let shifted = shiftedFs.get(skewMs);
  if (!shifted) {
    shifted = skewedFs(skewMs);
    shiftedFs.set(skewMs, shifted); // one object per skew: the library caches the mtime precision on it
  }
  return shifted;
}

const shiftedFs = new Map<number, typeof fs>();

function lockFsOption(skewMs: number): { fs?: typeof fs } {
  const chosen = lockFs(skewMs);
  return chosen ? { fs: chosen } : {};
}

function skewedFs(skewMs: number): typeof fs {
  return {
    ...fs,
    stat: (path: fs.PathLike, callback: StatCallback) =>
      fs.stat(path, (error, stats) => callback(error, stats && Object.assign(Object.create(Object.getPrototypeOf(stats) as object) as fs.Stats, stats, { mtime: new Date(stats.mtimeMs - skewMs) }))),
    utimes: (path: fs.PathLike, atime: Date, mtime: Date, callback: fs.NoParamCallback) => fs.utimes(path, new Date(atime.getTime() + skewMs), new Date(mtime.getTime() + skewMs), callback),
  } as typeof fs;
}

/**
 * Run `section` holding the lock `lockPath` (a directory created and removed by the lock).
 * `section` gets `isCompromised()`: true when the lock could not be kept (the event loop was
 * blocked past STALE_LOCK_MS and another process may have taken it); check it before committing.
 */
export async function withFileLock<T>(lockPath: string, target: string, section: (isCompromised: () => boolean) => Promise<T>): Promise<T> {
  const path = resolve(lockPath);
  const previous = queues.get(path) ?? Promise.resolve();
  const run = previous.then(() => lockedSection(path, target, section));
  const settled = run.catch(() => undefined);
  queues.set(path, settled);
  // Forget the path once idle, so the map does not grow with every key ever locked.
  void settled.then(() => {
    if (queues.get(path) === settled) queues.delete(path);
  });
  return run;
}

async function lockedSection<T>(path: string, target: string, section: (isCompromised: () => boolean) => Promise<T>): Promise<T> {
  let compromised = false;
  let release: () => Promise<void>;
  try {
    release = await lock(path, {
      ...lockFsOption(await fileClockSkewMs(dirname(path))),
      realpath: false,
      lockfilePath: path,
      stale: STALE_LOCK_MS,
      retries: RETRIES,
      onCompromised: () => {
        compromised = true;
      },
    });
  } catch (error) {
    throw new StateStoreError("update", target, `đang bị một tiến trình khác giữ khóa (${path}); hãy thử lại sau`, { cause: error });
  }
  try {
    return await section(() => compromised);
  } finally {
    // A compromised lock may already be another's: releasing it then fails, harmlessly.
    await release().catch(() => undefined);
  }
}
