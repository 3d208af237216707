/**
 * File ages in the file system's own clock. The kernel stamps mtimes with its clock, which is
 * not Date.now under faketime (or on a network share), so a test that makes a file "old" must
 * count back from the file's own mtime, as the product compares in that clock too.
 */
import { stat, utimes } from "node:fs/promises";

/** Make `path` (a file or directory that was just written) look `ms` old. */
export async function ageFile(path: string, ms: number): Promise<void> {
  const { mtimeMs } = await stat(path);
  const at = new Date(mtimeMs - ms);
  await utimes(path, at, at);
}
