/**
 * The file system's clock as seen from this process. The kernel (or a network share's server)
 * stamps mtimes with its own clock, which can differ from this process's Date.now: a share
 * whose server runs fast, or a process run under faketime. Anything that compares an mtime
 * with "now" (stale locks, stale temporary files) must compare in one clock.
 */
import { randomBytes } from "node:crypto";
import { stat, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** Differences below this are noise (and mtime precision): treated as none. */
const NOISE_MS = 2_000;

const skews = new Map<string, Promise<number>>();

async function measure(dir: string): Promise<number> {
  const probe = join(dir, `.tieuchi-clock.${process.pid}.${randomBytes(6).toString("hex")}`);
  const before = Date.now();
  await writeFile(probe, "");
  const after = Date.now();
  try {
    const { mtimeMs } = await stat(probe);
    const skew = mtimeMs - (before + after) / 2;
    // Whole seconds keep second-precision file systems' arithmetic exact.
    return Math.abs(skew) < NOISE_MS ? 0 : Math.round(skew / 1000) * 1000;
  } finally {
    await unlink(probe).catch(() => undefined);
  }
}

/**
 * File-system time minus process time for files in `dir`, in ms (0 when they agree), measured
 * once per directory with a probe file. `dir` must exist.
 */
export function fileClockSkewMs(dir: string): Promise<number> {
  let skew = skews.get(dir);
  if (!skew) {
    skew = measure(dir).catch(() => 0);
    skews.set(dir, skew);
  }
  return skew;
}
