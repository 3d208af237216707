/**
 * Bench section "report": `tieuchi report` on a workspace of N wards, every document with its
 * PDF (one Chromium for all, tabs reused), against `report --dry-run` (the same documents built,
 * no files); then the same report again with nothing changed (every page found already printed).
 */
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { systemClock } from "../functions/ports.js";
import { workspacePaths } from "../functions/adapters/local/workspace.js";
import { watchChildCpu } from "./bench-chromium-cpu.js";
import type { BenchRow } from "./bench-table.js";
import { writeBenchWorkspace } from "./bench-workspace.js";
import { main } from "./tieuchi.js";

export async function benchReport(options: { wards: number; target: number }): Promise<BenchRow[]> {
  const dir = await mkdtemp(join(tmpdir(), "tieuchi-bench-report-"));
  const quiet = { write: () => true };
  const timed = async (args: string[]): Promise<number> => {
    const start = performance.now();
    const code = await main(args, { env: {}, cwd: dir, stdout: quiet, stderr: quiet });
    if (code === 2) throw new Error(`tieuchi ${args.join(" ")} stopped with exit code 2`);
    return performance.now() - start;
  };
  try {
    await writeBenchWorkspace(dir, options.wards, systemClock);
    await timed(["run", dir]);
    const dry = await timed(["report", dir, "--dry-run"]);
    const nodeBefore = process.cpuUsage();
    const chromium = watchChildCpu();
    const full = await timed(["report", dir]);
    const chromiumCpu = await chromium.stop();
    const nodeCpu = process.cpuUsage(nodeBefore);
    const again = await timed(["report", dir]);
    const files = await readdir(join(workspacePaths(dir).out, "reports"), { recursive: true });
    const pdfs = files.filter((f) => String(f).endsWith(".pdf")).length;
    const n = options.wards.toLocaleString("en-US");
    const perDocument = pdfs ? full / pdfs : Number.NaN;
    const measured = options.wards >= options.target;
    return [
      { section: "report", figure: `tieuchi report, ${n} wards, with PDFs`, value: full, unit: "ms", baseline: { label: "report --dry-run (no files, no PDF)", value: dry }, runs: 1, note: `${pdfs} PDFs`, ...(measured ? { target: "< 120000 ms" } : {}) },
      { section: "report", figure: `  per document with its PDF`, value: perDocument, unit: "ms", runs: 1 },
      // CPU, not wall time: what a document costs whatever the neighbours on a shared machine do.
      { section: "report", figure: `  CPU per document: Node`, value: pdfs ? (nodeCpu.user + nodeCpu.system) / 1000 / pdfs : Number.NaN, unit: "ms", runs: 1, note: "this process and its worker threads" },
      ...(chromiumCpu === null ? [] : [{ section: "report", figure: `  CPU per document: Chromium`, value: pdfs ? (chromiumCpu * 1000) / pdfs : Number.NaN, unit: "ms", runs: 1, note: "every Chromium process, from /proc" }]),
      { section: "report", figure: `  the same report again, nothing changed`, value: again, unit: "ms", baseline: { label: "the first report", value: full }, runs: 1, note: "pages already printed are not printed again" },
      ...(measured ? [] : [{
        section: "report",
        figure: `  projected at ${options.target.toLocaleString("en-US")} wards (× documents)`,
        value: perDocument * (options.target + 2),
        unit: "ms",
        target: "< 120000 ms",
        note: "linear projection from the line above (npm run bench -- --full measures it)",
      }]),
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
