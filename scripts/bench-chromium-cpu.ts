/**
 * CPU seconds the report's Chromium spent (browser, renderer, GPU and utility processes: every
 * process below this one), read from /proc while the report runs: on a shared machine a
 * wall-clock figure moves with the neighbours' load, the CPU a document costs hardly does.
 * Linux only; elsewhere it reads null.
 */
import { existsSync } from "node:fs";
import { readFile, readdir } from "node:fs/promises";

const POLL_MS = 100;

interface ProcessCpu {
  ppid: number;
  /** utime + stime, seconds. */
  cpu: number;
}

async function readProcess(pid: string): Promise<ProcessCpu | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(fields[1]), cpu: (Number(fields[11]) + Number(fields[12])) / 100 };
  } catch {
    return null; // gone meanwhile
  }
}

async function descendantsCpu(root: number): Promise<Map<number, number>> {
  const all = new Map<number, ProcessCpu>();
  for (const pid of (await readdir("/proc")).filter((d) => /^\d+$/u.test(d))) {
    const found = await readProcess(pid);
    if (found) all.set(Number(pid), found);
  }
  const below = (pid: number): boolean => {
    for (let p = all.get(pid)?.ppid ?? 0; p > 1; p = all.get(p)?.ppid ?? 0) if (p === root) return true;
    return false;
  };
  return new Map([...all].filter(([pid]) => below(pid)).map(([pid, p]) => [pid, p.cpu]));
}

/** Watch until `stop()`: the last CPU reading of every child process seen, summed. */
export function watchChildCpu(): { stop: () => Promise<number | null> } {
  if (!existsSync("/proc/self/stat")) return { stop: async () => null };
  const seen = new Map<number, number>();
  let polling: Promise<void> | null = null;
  const poll = async (): Promise<void> => {
    for (const [pid, cpu] of await descendantsCpu(process.pid)) seen.set(pid, cpu);
  };
  // One poll at a time: a slow /proc walk skips a beat instead of queueing.
  const timer = setInterval(() => {
    polling ??= poll().finally(() => (polling = null));
  }, POLL_MS);
  return {
    stop: async () => {
      clearInterval(timer);
      await polling?.catch(() => undefined);
      return [...seen.values()].reduce((sum, cpu) => sum + cpu, 0);
    },
  };
}
