/**
 * Bench section "run": `tieuchi run` on a workspace of N wards in fresh processes, against plain
 * exceljs reading the same files; the second run with nothing changed against the first; and
 * under `tieuchi start`, a saved workbook until the table is printed again.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { systemClock } from "../functions/ports.js";
import { workspacePaths } from "../functions/adapters/local/workspace.js";
import { DEFAULT_THREADS } from "../functions/adapters/local/ward-pool.js";
import type { BenchRow } from "./bench-table.js";
import { median } from "./bench-stats.js";
import { benchWard, writeBenchWorkspace } from "./bench-workspace.js";
import { main } from "./tieuchi.js";

const run = promisify(execFile);
const here = fileURLToPath(new URL(".", import.meta.url));
const SECTION = "run";

interface ProbeResult {
  ms: number;
  /** User + system CPU of the whole process (on a shared machine steadier than wall time). */
  cpuMs: number;
  maxRssKb: number;
}

async function probe(script: string, ...args: string[]): Promise<ProbeResult> {
  const { stdout } = await run(process.execPath, [join(here, script), ...args], { maxBuffer: 1 << 20, env: { ...process.env, ...probeEnv } });
  return JSON.parse(stdout) as ProbeResult;
}

async function probes(runs: number, before: () => Promise<void>, script: string, ...args: string[]): Promise<ProbeResult[]> {
  const results: ProbeResult[] = [];
  for (let i = 0; i < runs; i++) {
    await before();
    results.push(await probe(script, ...args));
  }
  return results;
}

const mib = (kb: number): number => kb / 1024;

/** TIEUCHI_THREADS for the next probes (the run-probe passes it to `tieuchi run`). */
let probeEnv: Record<string, string> = {};

/** Save → table reprinted under `start`: alternate the bytes of one ward's file, wait for the reprint. */
async function saveToReprint(dir: string, saves: number): Promise<number> {
  let out = "";
  let stop!: () => void;
  const stopSignal = new Promise<void>((resolve) => (stop = resolve));
  const running = main(["start", dir], { env: {}, cwd: dir, stdout: { write: (t: string) => (out += t) }, stderr: { write: () => true }, stopSignal });
  while (!out.includes("Đang theo dõi")) await new Promise((r) => setTimeout(r, 20));
  const file = join(workspacePaths(dir).wards, `${benchWard(0).id}.xlsx`);
  const versions = [await readFile(join(workspacePaths(dir).wards, `${benchWard(1).id}.xlsx`)), await readFile(file)];
  const latencies: number[] = [];
  for (let i = 0; i < saves; i++) {
    const seen = out.split("Đã kiểm tra lại").length;
    const start = performance.now();
    await writeFile(file, versions[i % 2]!);
    while (out.split("Đã kiểm tra lại").length === seen) await new Promise((r) => setTimeout(r, 5));
    latencies.push(performance.now() - start);
  }
  stop();
  await running;
  return median(latencies);
}

/** The rows of the section for a workspace of `wards` wards, each figure the median of `runs`. */
export async function benchRun(options: { wards: number; runs: number; saves: number }): Promise<BenchRow[]> {
  const { wards, runs } = options;
  const dir = await mkdtemp(join(tmpdir(), "tieuchi-bench-run-"));
  try {
    await writeBenchWorkspace(dir, wards, systemClock);
    const paths = workspacePaths(dir);
    const fresh = async (): Promise<void> => {
      await rm(paths.state, { recursive: true, force: true });
      await rm(paths.out, { recursive: true, force: true });
    };
    const exceljs = await probes(runs, async () => undefined, "bench-exceljs-probe.js", paths.wards);
    const reading = await probes(runs, async () => undefined, "bench-exceljs-probe.js", paths.wards, "--tieuchi");
    // Paired: the same fresh run with every ward on the main thread (TIEUCHI_THREADS=0), then with the default workers.
    probeEnv = { TIEUCHI_THREADS: "0" };
    const mainOnly = await probes(runs, fresh, "bench-run-probe.js", dir);
    probeEnv = {};
    const first = await probes(runs, fresh, "bench-run-probe.js", dir);
    const second = await probes(runs, async () => undefined, "bench-run-probe.js", dir);
    const reprint = await saveToReprint(dir, options.saves);
    const excelMs = median(exceljs.map((r) => r.ms));
    const firstMs = median(first.map((r) => r.ms));
    const n = wards.toLocaleString("en-US");
    const threads = `${DEFAULT_THREADS} worker thread${DEFAULT_THREADS === 1 ? "" : "s"} + the main thread`;
    return [
      { section: SECTION, figure: `tieuchi run, ${n} wards (fresh process, empty cache)`, value: firstMs, unit: "ms", baseline: { label: "plain exceljs reading the same files", value: excelMs }, target: "ratio ≤ 1.3", runs, note: `the run uses ${threads}; the baseline reads on one thread` },
      { section: SECTION, figure: `  the same run on the main thread only (TIEUCHI_THREADS=0)`, value: median(mainOnly.map((r) => r.ms)), unit: "ms", baseline: { label: "with worker threads", value: firstMs }, runs },
      { section: SECTION, figure: `  CPU / peak RSS on the main thread only`, value: median(mainOnly.map((r) => r.cpuMs)), unit: "ms", baseline: { label: "CPU with worker threads", value: median(first.map((r) => r.cpuMs)) }, runs, note: `peak RSS ${mib(median(mainOnly.map((r) => r.maxRssKb))).toFixed(0)} MiB` },
      { section: SECTION, figure: `  of which reading alone (package repair + exceljs + cells)`, value: median(reading.map((r) => r.ms)), unit: "ms", baseline: { label: "plain exceljs", value: excelMs }, target: "ratio ≤ 1.3", runs },
      { section: SECTION, figure: `  CPU time of that run (whole process, every thread)`, value: median(first.map((r) => r.cpuMs)), unit: "ms", baseline: { label: "plain exceljs, whole process", value: median(exceljs.map((r) => r.cpuMs)) }, runs },
      { section: SECTION, figure: `  peak RSS of that run`, value: mib(median(first.map((r) => r.maxRssKb))), unit: "MiB", baseline: { label: "plain exceljs", value: mib(median(exceljs.map((r) => r.maxRssKb))) }, target: "< 250 MiB", runs },
      { section: SECTION, figure: `second run, nothing changed (parse cache)`, value: median(second.map((r) => r.ms)), unit: "ms", baseline: { label: "the first run", value: firstMs }, target: "ratio < 0.10", runs },
      { section: SECTION, figure: `start: save one of ${n} → table reprinted`, value: reprint, unit: "ms", baseline: { label: "the watcher's debounce", value: 400 }, target: "< 1000 ms", runs: options.saves },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
