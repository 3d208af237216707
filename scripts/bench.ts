/**
 * `npm run bench [-- --quick]`: ONE table of figures, each beside a baseline measured in the same
 * run and their ratio (medians of several runs), also written as out/bench/bench-<time>.json to
 * compare commits. Prints; asserts nothing. `--quick` uses smaller N; `--nation` adds the 3,321-unit
 * fan-out simulation (long). Each section's rows also go to stderr as it finishes.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type Config, readConfig } from "../functions/config.js";
import { packageRoot } from "../functions/package-root.js";
import { initWorkspace } from "../functions/adapters/local/init-workspace.js";
import { workspacePaths } from "../functions/adapters/local/workspace.js";
import { readXlsxBuffer } from "../functions/adapters/local/xlsx-reader.js";
import { systemClock } from "../functions/ports.js";
import { benchCore, type CoreSample } from "./bench-core.js";
import { formatBenchTable, writeBenchJson } from "./bench-print.js";
import { sampleDocumentViews } from "./bench-documents.js";
import { benchReport } from "./bench-report.js";
import { benchRun } from "./bench-run.js";
import { median } from "./bench-stats.js";
import type { BenchRow } from "./bench-table.js";
import { hugePaste, zipBomb } from "./hostile-workbooks.js";

const run = promisify(execFile);
const here = fileURLToPath(new URL(".", import.meta.url));

/** Peak RSS (median over fresh child processes) of reading each file as a ward's workbook. */
async function benchReadMemory(dir: string, normal: Buffer, runs: number): Promise<BenchRow[]> {
  const files: Array<[string, Buffer]> = [
    ["normal", normal],
    ["zip bomb (200 MB of blanks in one sheet)", await zipBomb(normal, 200 * 1024 * 1024)],
    ["200,000 pasted rows on one tab", await hugePaste(normal, 200_000)],
  ];
  const rss: number[] = [];
  const rows: BenchRow[] = [];
  for (const [i, [label, bytes]] of files.entries()) {
    const file = join(dir, `rss-${i}.xlsx`);
    await writeFile(file, bytes);
    const samples: Array<{ outcome: string; maxRssKb: number }> = [];
    for (let r = 0; r < runs; r++) samples.push(JSON.parse((await run(process.execPath, [join(here, "read-rss-probe.js"), file])).stdout) as (typeof samples)[number]);
    rss.push(median(samples.map((s) => s.maxRssKb)) / 1024);
    if (i > 0) rows.push({ section: "memory", figure: `peak RSS reading ${label}, ${(bytes.length / 1024).toFixed(0)} KB on disk`, value: rss[i]!, unit: "MiB", baseline: { label: "a normal ward file", value: rss[0]! }, runs, note: samples[0]!.outcome });
  }
  return rows;
}

/** Cold start of the function entry in fresh processes, against a bare Node start. */
async function benchColdStart(runs: number): Promise<BenchRow[]> {
  const dir = await mkdtemp(join(tmpdir(), "tieuchi-cold-"));
  const config = join(dir, "tieuchi.config.yaml");
  await writeFile(config, 'agency: { parent: A, issuer: B, documentCode: C, place: D, signer: { authority: E, name: F } }\nprogrammes:\n  - { id: ca-phuong-dien-hinh, catalogue: "builtin:ca-phuong-dien-hinh" }\n  - { id: phuong-bao-ve-antq, catalogue: "builtin:phuong-bao-ve-antq" }\nwards:\n  - { id: nghi-huong, name: Nghi Hương }\ngoogle: { wardsFolderId: w, reportsFolderId: r }\n');
  const env = { ...process.env, TIEUCHI_CONFIG: config, TIEUCHI_STATE_BUCKET: "b", TIEUCHI_CHANNEL_TOKEN: "secret", TIEUCHI_GOOGLE_ROOT_URL: "http://127.0.0.1:9/", TIEUCHI_GOOGLE_ACCESS_TOKEN: "t" };
  const samples: Array<{ importMs: number; firstResponseMs: number; rssMiB: number; monolithic: boolean; status: number }> = [];
  const wall: number[] = [];
  const bare: number[] = [];
  const monolithic: number[] = [];
  for (let i = 0; i < runs; i++) {
    let start = performance.now();
    samples.push(JSON.parse((await run(process.execPath, [join(here, "cold-start-probe.js")], { env })).stdout) as (typeof samples)[number]);
    wall.push(performance.now() - start);
    start = performance.now();
    await run(process.execPath, ["-e", ""]);
    bare.push(performance.now() - start);
    const googleapis = await run(process.execPath, ["--input-type=module", "-e", "const t = performance.now(); await import('googleapis'); console.log(performance.now() - t)"], { cwd: packageRoot() }).catch(() => null);
    if (googleapis) monolithic.push(Number(googleapis.stdout));
  }
  await rm(dir, { recursive: true, force: true });
  const rows: BenchRow[] = [
    { section: "cold start", figure: "import of functions/index.js (fresh process)", value: median(samples.map((s) => s.importMs)), unit: "ms", ...(monolithic.length ? { baseline: { label: "import of the monolithic googleapis", value: median(monolithic) } } : {}), runs, note: monolithic.length ? `monolithic loaded: ${samples.some((s) => s.monolithic) ? "YES" : "no"}` : "googleapis not installed: no baseline" },
    { section: "cold start", figure: "sheetsWebhook: process start → first response", value: median(wall), unit: "ms", baseline: { label: "bare node start", value: median(bare) }, runs, note: `status ${samples[0]?.status}` },
    { section: "cold start", figure: "  RSS after the first response", value: median(samples.map((s) => s.rssMiB)), unit: "MiB", runs },
  ];
  return rows;
}

/** A section that fails (another part of the tree half-built) is one row saying so, not the end of the bench. */
async function section(name: string, rows: BenchRow[], fn: () => Promise<BenchRow[]>): Promise<void> {
  const start = performance.now();
  let own: BenchRow[];
  try {
    own = await fn();
  } catch (error) {
    own = [{ section: name, figure: "not available", value: Number.NaN, unit: "ms", note: error instanceof Error ? error.message.split("\n")[0]! : String(error) }];
  }
  rows.push(...own);
  console.error(`  … ${name} done in ${((performance.now() - start) / 1000).toFixed(0)} s\n${formatBenchTable(own).replace(/^/gmu, "    ")}`);
}

async function coreSamples(dir: string): Promise<{ samples: CoreSample[]; config: Config; bytes: Buffer }> {
  await initWorkspace(dir, systemClock);
  const config = await readConfig(workspacePaths(dir).config, {});
  const samples: CoreSample[] = [];
  for (const ward of config.wards) samples.push({ ward, workbook: await readXlsxBuffer(await readFile(join(dir, "wards", `${ward.id}.xlsx`)), ward.id) });
  return { samples, config, bytes: await readFile(join(dir, "wards", "nghi-thu.xlsx")) };
}

async function benchmark(quick: boolean, nation: boolean, full: boolean): Promise<void> {
  const rows: BenchRow[] = [];
  const dir = await mkdtemp(join(tmpdir(), "tieuchi-bench-"));
  console.error(`tieuchi bench${quick ? " --quick" : ""}: measuring (sections report as they finish)…`);
  try {
    const { samples, config, bytes } = await coreSamples(dir);
    await section("core", rows, async () => benchCore(samples, config.catalogues, { agency: config.agency, reports: config.reports }, { count: quick ? 2_000 : 10_000, runs: quick ? 1 : 3 }));
    await section("run", rows, () => benchRun({ wards: quick ? 140 : 700, runs: quick ? 1 : 3, saves: quick ? 3 : 5 }));
    // The report at 700 wards takes minutes: measured with --full, projected from 140 otherwise.
    await section("report", rows, () => benchReport({ wards: quick ? 28 : full ? 700 : 140, target: 700 }));
    const settings = { agency: config.agency, reports: config.reports };
    await section("pdf", rows, async () => (await import("./bench-pdf.js")).pdfRows(sampleDocumentViews(samples, config.catalogues, settings), quick ? 10 : 30));
    await section("cold start", rows, () => benchColdStart(quick ? 3 : 5));
    await section("memory", rows, () => benchReadMemory(dir, bytes, quick ? 1 : 3));
    await section("province", rows, async () => (await import("./bench-province.js")).provinceRows());
    // The nation (3,321 units) takes more than 25 minutes: only with --nation; the province (130) always.
    await section("simulation", rows, async () => (await import("./bench-simulation.js")).benchSimulation({ quick: !nation }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  console.log(`tieuchi bench (Node ${process.version}, ${quick ? "--quick, " : ""}medians; ratio = value ÷ baseline)`);
  console.log(formatBenchTable(rows));
  const file = await writeBenchJson(packageRoot(), rows, { node: process.version, quick, nation, full }, new Date());
  console.log(`\nWritten ${file}`);
}

await benchmark(process.argv.includes("--quick"), process.argv.includes("--nation"), process.argv.includes("--full"));
