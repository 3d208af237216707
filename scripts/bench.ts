/**
 * `npm run bench`: figures for the local pipeline, medians over repeated runs, each next
 * to a baseline measured in the same run. Prints; asserts nothing.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { evaluateWorkbook } from "../functions/core/evaluate-ward.js";
import { readConfig } from "../functions/config.js";
import { runTown } from "../functions/app/run-town.js";
import { initWorkspace } from "../functions/adapters/local/init-workspace.js";
import { cachedSheetSource } from "../functions/adapters/local/cached-sheet-source.js";
import { localFeedbackSink, localSheetSource, localSummarySink, workspacePaths } from "../functions/adapters/local/workspace.js";
import { readXlsxBuffer } from "../functions/adapters/local/xlsx-reader.js";
import { systemClock } from "../functions/ports.js";
import { main } from "./tieuchi.js";
import { openLocalState } from "./local-state.js";
import { produceReport, type ReportPorts } from "../functions/app/produce-report.js";
import { loadTemplates } from "../functions/render/templates.js";
import { renderBarChartPng } from "../functions/render/charts.js";
import { hugePaste, zipBomb } from "./hostile-workbooks.js";

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

/** Peak RSS (median over fresh child processes) of reading each file as a ward's workbook. */
async function benchReadMemory(dir: string, normal: Buffer, runs: number): Promise<void> {
  const files: [string, Buffer][] = [
    ["normal workbook (baseline)", normal],
    ["zip bomb (200 MB of blanks in one sheet)", await zipBomb(normal, 200 * 1024 * 1024)],
    ["200,000 pasted rows on one tab", await hugePaste(normal, 200_000)],
  ];
  const probe = join(fileURLToPath(new URL(".", import.meta.url)), "read-rss-probe.js");
  console.log(`  peak RSS reading one ward's file (fresh process each, median of ${runs}):`);
  for (const [label, bytes] of files) {
    const file = join(dir, `rss-${files.findIndex(([l]) => l === label)}.xlsx`);
    await writeFile(file, bytes);
    const samples: { outcome: string; maxRssKb: number }[] = [];
    for (let i = 0; i < runs; i++) samples.push(JSON.parse((await promisify(execFile)(process.execPath, [probe, file])).stdout) as { outcome: string; maxRssKb: number });
    const rss = samples.map((s) => s.maxRssKb).sort((a, b) => a - b)[Math.floor(runs / 2)]!;
    console.log(`    ${label.padEnd(42)} ${(bytes.length / 1024).toFixed(0).padStart(6)} KB on disk → ${(rss / 1024).toFixed(0)} MB peak RSS, ${samples[0]!.outcome}`);
  }
}

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

const run = promisify(execFile);

/** Cold start of the function entry in fresh processes, against a bare Node start as baseline. */
async function benchColdStart(runs: number): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "tieuchi-cold-"));
  const config = join(dir, "tieuchi.config.yaml");
  await writeFile(config, 'agency: { parent: A, issuer: B, documentCode: C, place: D, signer: { authority: E, name: F } }\nprogrammes:\n  - { id: ca-phuong-dien-hinh, catalogue: "builtin:ca-phuong-dien-hinh" }\n  - { id: phuong-bao-ve-antq, catalogue: "builtin:phuong-bao-ve-antq" }\nwards:\n  - { id: nghi-huong, name: Nghi Hương }\ngoogle: { wardsFolderId: w, reportsFolderId: r }\n');
  const env = { ...process.env, TIEUCHI_CONFIG: config, TIEUCHI_STATE_BUCKET: "b", TIEUCHI_CHANNEL_TOKEN: "secret", TIEUCHI_GOOGLE_ROOT_URL: "http://127.0.0.1:9/", TIEUCHI_GOOGLE_ACCESS_TOKEN: "t" };
  const probe = fileURLToPath(new URL("./cold-start-probe.js", import.meta.url));
  const samples: Array<{ importMs: number; firstResponseMs: number; rssMiB: number; monolithic: boolean; status: number }> = [];
  const wall: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < runs; i++) {
    let start = performance.now();
    const { stdout } = await run(process.execPath, [probe], { env });
    wall.push(performance.now() - start);
    samples.push(JSON.parse(stdout) as (typeof samples)[number]);
    start = performance.now();
    await run(process.execPath, ["-e", ""]);
    bare.push(performance.now() - start);
  }
  const mid = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`  function cold start (fresh process, sheetsWebhook "sync", ${runs} runs): import of functions/index.js ${ms(mid(samples.map((s) => s.importMs)))}; import → first response ${ms(mid(samples.map((s) => s.firstResponseMs)))}; whole process ${ms(mid(wall))} [baseline: bare node start ${ms(mid(bare))}]; RSS ${mid(samples.map((s) => s.rssMiB)).toFixed(0)} MiB; monolithic googleapis loaded: ${samples.some((s) => s.monolithic) ? "YES" : "no"}; status ${samples[0]?.status}`);
  await rm(dir, { recursive: true, force: true });
}

async function benchmark(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "tieuchi-bench-"));
  try {
    await initWorkspace(dir, systemClock);
    const config = await readConfig(workspacePaths(dir).config, {});
    const ward = config.wards.find((w) => w.id === "nghi-thu")!;
    const bytes = await readFile(join(dir, "wards", "nghi-thu.xlsx"));
    const raw = await readXlsxBuffer(bytes, "nghi-thu.xlsx");
    const { state } = await openLocalState(dir, systemClock, (line) => console.warn(line));
    const ports = (sheets = localSheetSource(config)) => ({
      sheets,
      feedback: localFeedbackSink(config, config.catalogues),
      summary: localSummarySink(dir),
      state,
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
    await benchColdStart(5);
    console.log(`  npm start: save → table reprinted (400 ms debounce included): ${ms(latency)}   [target: < 2000 ms]`);
    await benchReadMemory(dir, bytes, 5);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await benchmark();
