/**
 * A SheetSource over the workspace files that re-reads a workbook only when its size or
 * modification time changed: an unchanged ward costs a stat, not a parse.
 */
import { stat } from "node:fs/promises";
import { relative } from "node:path";
import type { RawWorkbook } from "../../core/cells.js";
import { type Config, wardFile } from "../../config.js";
import type { SheetSource } from "../../ports.js";
import { SheetsReadError } from "../../errors.js";
import { readWorkbookFile } from "./workspace.js";

export interface CachedSheetSource extends SheetSource {
  /** How many workbooks were actually parsed (for tests and benchmarks). */
  readonly reads: number;
}

export function cachedSheetSource(config: Pick<Config, "baseDir">): CachedSheetSource {
  // An unreadable file is remembered too: a zip bomb left in the folder costs one parse, not one per save.
  const cache = new Map<string, { stamp: string; workbook: RawWorkbook | null; error?: SheetsReadError }>();
  let reads = 0;
  return {
    get reads() {
      return reads;
    },
    read: async (ward) => {
      const file = wardFile(config, ward);
      const info = await stat(file).catch(() => null);
      const stamp = info ? `${info.size}:${info.mtimeMs}` : "missing";
      const hit = cache.get(file);
      if (hit && hit.stamp === stamp) {
        if (hit.error) throw hit.error;
        return hit.workbook;
      }
      reads += 1;
      try {
        const workbook = info ? await readWorkbookFile(file, relative(config.baseDir, file)) : null;
        cache.set(file, { stamp, workbook });
        return workbook;
      } catch (error) {
        if (error instanceof SheetsReadError) cache.set(file, { stamp, workbook: null, error });
        throw error;
      }
    },
  };
}
