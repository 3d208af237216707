/**
 * Bench section "core": N in-memory wards through parse → validate → score, then aggregated
 * and printed as the terminal table, on one core; baseline a plain loop over the same cells.
 */
import { performance } from "node:perf_hooks";
import type { Catalogue } from "../sheets-schema/catalogue.js";
import { aggregateTown, type WardOutcome } from "../functions/core/aggregate-town.js";
import type { RawWorkbook } from "../functions/core/cells.js";
import { evaluateWorkbook } from "../functions/core/evaluate-ward.js";
import { formatTownTable, toSummaryCsv } from "../functions/core/town-output.js";
import type { WardIdentity } from "../functions/core/ward-identity.js";
import type { DocumentSettings } from "../functions/core/document-frame.js";
import type { ProgrammeScore } from "../functions/core/score-ward.js";
import { buildTownDocument } from "../functions/core/town-document.js";
import type { BenchRow } from "./bench-table.js";
import { median } from "./bench-stats.js";

export interface CoreSample {
  workbook: RawWorkbook;
  ward: WardIdentity;
}

/** The plain loop: touch every cell of every tab once (what any parser must at least do). */
function plainLoop(workbooks: readonly RawWorkbook[]): number {
  let chars = 0;
  for (const workbook of workbooks) {
    for (const sheet of workbook.sheets) {
      for (const row of sheet.rows) for (const value of row) if (typeof value === "string") chars += value.length;
    }
  }
  return chars;
}

/** Evaluate and aggregate `count` wards made from the samples (each a distinct ward id). */
function coreOnce(samples: readonly CoreSample[], catalogues: readonly Catalogue[], count: number, settings: DocumentSettings): { evaluate: number; aggregate: number; table: number; cpu: number; document: number } {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const outcomes: WardOutcome[] = [];
  for (let i = 0; i < count; i++) {
    const sample = samples[i % samples.length]!;
    const evaluation = evaluateWorkbook(sample.workbook, catalogues, sample.ward);
    outcomes.push({ ward: { id: `${sample.ward.id}-${i}`, name: `${sample.ward.name} ${i}` }, status: "ok", reason: null, scores: evaluation.scores });
  }
  const t1 = performance.now();
  const previous = { period: "2026-W47", generatedAt: "2026-11-20T00:00:00.000Z", programmes: catalogues.map((c) => ({ id: c.id, wards: outcomes.map((o) => ({ id: o.ward.id, met: 10, total: c.criteria.length, recognised: false })) })) };
  const summary = aggregateTown(outcomes, catalogues, { period: "2026-W48", generatedAt: "2026-11-27T00:00:00.000Z", previous });
  const t2 = performance.now();
  formatTownTable(summary);
  toSummaryCsv(summary);
  const t3 = performance.now();
  const used = process.cpuUsage(cpu0);
  const catalogue = catalogues[0]!;
  const scores = new Map<string, ProgrammeScore>(outcomes.flatMap((o) => o.scores.filter((x) => x.programmeId === catalogue.id).map((x) => [o.ward.id, x] as const)));
  buildTownDocument({ summary, programme: summary.programmes[0]!, catalogue, scores, history: [previous], settings, issuedAt: new Date("2026-11-27T01:00:00.000Z"), number: null });
  return { evaluate: t1 - t0, aggregate: t2 - t1, table: t3 - t2, cpu: (used.user + used.system) / 1000, document: performance.now() - t3 };
}

export function benchCore(samples: readonly CoreSample[], catalogues: readonly Catalogue[], settings: DocumentSettings, options: { count: number; runs: number }): BenchRow[] {
  const { count, runs } = options;
  const workbooks = Array.from({ length: count }, (_, i) => samples[i % samples.length]!.workbook);
  coreOnce(samples, catalogues, Math.min(count, 200), settings); // warm the JIT
  const parts = Array.from({ length: runs }, () => coreOnce(samples, catalogues, count, settings));
  const loop = median(Array.from({ length: runs }, () => {
    const start = performance.now();
    plainLoop(workbooks);
    return performance.now() - start;
  }));
  const total = median(parts.map((p) => p.evaluate + p.aggregate + p.table));
  const n = count.toLocaleString("en-US");
  return [
    { section: "core", figure: `${n} in-memory wards validated+scored+aggregated+table`, value: total, unit: "ms", baseline: { label: "plain loop over the same cells", value: loop }, target: "< 1000 ms", runs },
    { section: "core", figure: `  CPU time of the same (process; steadier on a shared machine)`, value: median(parts.map((p) => p.cpu)), unit: "ms", runs },
    { section: "core", figure: `  of which parse+validate+score`, value: median(parts.map((p) => p.evaluate)), unit: "ms", runs },
    { section: "core", figure: `  of which aggregate (with a previous snapshot)`, value: median(parts.map((p) => p.aggregate)), unit: "ms", runs },
    { section: "core", figure: `  of which terminal table + summary.csv`, value: median(parts.map((p) => p.table)), unit: "ms", runs },
    { section: "core", figure: `town document view of one programme, ${n} wards`, value: median(parts.map((p) => p.document)), unit: "ms", runs, note: "not in the total above" },
  ];
}
