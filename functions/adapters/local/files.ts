/** Small file helpers for the local runtime: atomic writes so a reader never sees half a file. */
import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

/** Write via a temporary file and rename, creating parent directories. */
export async function writeFileAtomic(file: string, data: string | Buffer): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, data);
  await rename(temp, file);
}
