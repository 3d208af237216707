/**
 * `npm run bench`: figures for the local pipeline, medians over repeated runs, each next
 * to a baseline measured in the same run. Prints; asserts nothing.
 */
import { mkdtemp, readFile, rm, utimes } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { evaluateWorkbook } from "../functions/core/evaluate-ward.js";
import { readConfig } from "../functions/config.js";
import { runTown } from "../functions/app/run-town.js";
import { initWorkspace } from "../functions/adapters/local/init-workspace.js";
import { cachedSheetSource } from "../functions/adapters/local/cached-sheet-source.js";
import { localFeedbackSink, localSheetSource, localStateStore, localSummarySink, workspacePaths } from "../functions/adapters/local/workspace.js";
import { readXlsxBuffer } from "../functions/adapters/local/xlsx-reader.js";
import { systemClock } from "../functions/ports.js";
import { main } from "./tieuchi.js";
import { produceReport, type ReportPorts } from "../functions/app/produce-report.js";
import { loadTemplates } from "../functions/render/templates.js";
import { renderBarChartPng } from "../functions/render/charts.js";

async function median(runs: number, fn: () => Promise<unknown> | unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const ms = (v: number): string => `${v.toFixed(v < 10 ? 2 : 0)} ms`;

async function benchWatchLatency(dir: string, saves: number): Promise<number> {
  let out = "";
  let stop!: () => void;
  const stopSignal = new Promise<void>((r) => (stop = r));
  const running = main(["start", dir], { env: {}, cwd: dir, stdout: { write: (t: string) => (out += t) }, stderr: { write: () => true }, stopSignal });
  while (!out.includes("Đang theo dõi")) await new Promise((r) => setTimeout(r, 20));
  const file = join(dir, "wards", "nghi-thu.xlsx");
  const latencies: number[] = [];
  for (let i = 0; i < saves; i++) {
    const seen = out.split("Đã kiểm tra lại").length;
    const start = performance.now();
    const t = new Date(Date.now() + (i + 1) * 1000);
    await utimes(file, t, t); // a save as far as the watcher and the cache are concerned
    while (out.split("Đã kiểm tra lại").length === seen) await new Promise((r) => setTimeout(r, 5));
    latencies.push(performance.now() - start);
  }
  stop();
  await running;
  latencies.sort((a, b) => a - b);
  return latencies[Math.floor(latencies.length / 2)]!;
}

async function benchmark(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "tieuchi-bench-"));
  try {
    await initWorkspace(dir, systemClock);
    const config = await readConfig(workspacePaths(dir).config, {});
    const ward = config.wards.find((w) => w.id === "nghi-thu")!;
    const bytes = await readFile(join(dir, "wards", "nghi-thu.xlsx"));
    const raw = await readXlsxBuffer(bytes, "nghi-thu.xlsx");
    const ports = (sheets = localSheetSource(config)) => ({
      sheets,
      feedback: localFeedbackSink(config, config.catalogues),
      summary: localSummarySink(dir),
      state: localStateStore(dir),
      clock: systemClock,
    });

    const core = await median(200, () => evaluateWorkbook(raw, config.catalogues, ward));
    const xlsx = await median(30, () => readXlsxBuffer(bytes, "nghi-thu.xlsx"));
    const cold = await median(10, () => runTown(config.wards, config.catalogues, ports()));
    const cached = cachedSheetSource(config);
    await runTown(config.wards, config.catalogues, ports(cached));
    const warm = await median(10, () => runTown(config.wards, config.catalogues, ports(cached)));
    const templates = await loadTemplates();
    const reportPorts = (): ReportPorts => ({
      ...ports(cached),
      templates,
      documents: { publish: async (_p, d) => ({ location: d.name, pdf: null }) },
      mail: null,
    });
    await produceReport(config, config.wards, reportPorts()); // warm the lazily loaded chart modules
    const report = await median(10, () => produceReport(config, config.wards, reportPorts()));
    const chartPng = await median(10, () => renderBarChartPng({ title: "CA", categories: config.wards.map((w) => w.name), met: [20, 16, 18, 22, 19, 21, 22], total: 22, recognised: [false, false, false, true, false, false, true] }));
    const latency = await benchWatchLatency(dir, 5);

    console.log(`tieuchi bench (Node ${process.version}, medians)`);
    console.log(`  one ward, parse+validate+score (56 criteria):   ${ms(core)}   [baseline: reading its .xlsx ${ms(xlsx)}]`);
    console.log(`  town run, 7 wards, every workbook re-read:       ${ms(cold)}   [baseline]`);
    console.log(`  town run, 7 wards unchanged (cached, stat only): ${ms(warm)}   (${(cold / warm).toFixed(1)}× faster; parsed ${cached.reads} workbooks in all)`);
    console.log(`  report, 2 town + 7 ward documents + digest (HTML, SVG/PNG charts, no PDF): ${ms(report)}   [baseline: the cached town run above ${ms(warm)}; of which one PNG chart ${ms(chartPng)}]`);
    console.log(`  npm start: save → table reprinted (400 ms debounce included): ${ms(latency)}   [target: < 2000 ms]`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await benchmark();
