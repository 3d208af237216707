/**
 * A short exclusive section across processes on one machine (proper-lockfile: an atomic mkdir
 * of `<path>`, kept fresh while held, taken over when its holder died and stopped refreshing
 * it), and across callers in this process (a queue per path, so they wait without polling).
 */
import { resolve } from "node:path";
import { lock } from "proper-lockfile";
import { StateStoreError } from "../../state-errors.js";

/** A lock not refreshed for this long belongs to a killed process and is taken over. */
export const STALE_LOCK_MS = 5_000;

// About 20 s of retries in all: well past STALE_LOCK_MS, so a dead holder never fails a caller.
const RETRIES = { retries: 120, factor: 1.2, minTimeout: 5, maxTimeout: 200, randomize: true };

const queues = new Map<string, Promise<unknown>>();

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
