/**
 * Watch a folder and call back, debounced, with the accepted file names that changed.
 * Excel saves through temporary files and renames; lock files (~$…) are not workbooks.
 */
import { watch } from "node:fs";

export interface WatchOptions {
  /** Which file names in the folder matter. */
  accept(name: string): boolean;
  onChange(names: string[]): Promise<void>;
  onError(error: unknown): void;
  stop: Promise<void>;
  /** Quiet time after the last event before processing (ms). */
  debounceMs?: number;
}

export function isWorkbookName(name: string): boolean {
  return name.toLowerCase().endsWith(".xlsx") && !name.startsWith("~$") && !name.startsWith(".");
}

/** Resolves when `stop` resolves; never runs two refreshes at once. */
export async function watchWorkspace(dir: string, options: WatchOptions): Promise<void> {
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const flush = (): void => {
    const names = [...pending].sort();
    pending.clear();
    running = running.then(() => options.onChange(names)).catch(options.onError);
  };
  const watcher = watch(dir, (_event, name) => {
    if (!name || !options.accept(name)) return;
    pending.add(name);
    clearTimeout(timer);
    timer = setTimeout(flush, options.debounceMs ?? 400);
  });
  watcher.on("error", options.onError);
  await options.stop;
  clearTimeout(timer);
  watcher.close();
  await running;
}
