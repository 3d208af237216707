/**
 * Bench rows for a province (issue 11, organisation and bounded outputs): `init --sample province`
 * and `run` on its 130 units through the CLI, the PNG bytes of the bounded charts at 3,000 units
 * against the same charts at 7, and the Lịch sử cells a day of edits writes at 3,300 units
 * against the former rule (every programme × unit on every write).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { HISTORY_HEADERS, type SummaryCell, historyRows, summaryRows } from "../functions/adapters/google/summary-rows.js";
import type { ProgrammeSummary, TownSummary, WardRow } from "../functions/core/aggregate-town.js";
import { selectTownCharts, unitIndexOf } from "../functions/core/chart-selection.js";
import { renderChartPng } from "../functions/render/charts.js";
import type { BenchRow } from "./bench-table.js";
import { main } from "./tieuchi.js";

const SECTION = "province";
const quiet = { write: () => true };

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** init + run of the province sample through the CLI, in process. */
async function cliRows(): Promise<BenchRow[]> {
  const dir = await mkdtemp(join(tmpdir(), "tieuchi-bench-province-"));
  try {
    const ctx = { env: {}, cwd: dir, stdout: quiet, stderr: quiet };
    const init = await timed(() => main(["init", "tinh", "--sample", "province"], ctx));
    const town = await timed(() => main(["init", "thi-xa"], ctx));
    const run = await timed(() => main(["run", "tinh"], ctx));
    const runTown = await timed(() => main(["run", "thi-xa"], ctx));
    return [
      { section: SECTION, figure: "init --sample province (130 units)", value: init, unit: "ms", baseline: { label: "init town (7 wards) × 130/7", value: (town * 130) / 7 }, runs: 1 },
      { section: SECTION, figure: "run on the province (130 units)", value: run, unit: "ms", baseline: { label: "run town (7 wards) × 130/7", value: (runTown * 130) / 7 }, runs: 1 },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function row(i: number, met: number | null, total: number): WardRow {
  const sent = met !== null;
  return {
    id: `u${i}`, name: `Đơn vị ${i}`, status: sent ? "ok" : "missing", filled: sent, met: met ?? 0, total, points: null, maxPoints: null, band: null,
    recognised: met === total, errors: 0, warnings: 0, leftOut: [], change: null,
  };
}

function programme(id: string, total: number, mets: ReadonlyArray<number | null>): ProgrammeSummary {
  const wards = mets.map((m, i) => row(i, m, total));
  return {
    id, name: id, shortName: id, tabTitle: id, version: "1", criteria: total, wards, wardCount: wards.length,
    recognisedCount: wards.filter((w) => w.recognised).length, ranking: [], completeness: { notFilled: [], withErrors: [], unreadable: [] }, change: null,
  };
}

async function chartBytes(units: number): Promise<number> {
  const mets = Array.from({ length: units }, (_, i) => (i % 9 === 8 ? null : (i * 7) % 23));
  const index = unitIndexOf(Array.from({ length: units }, (_, i) => ({ id: `u${i}`, kind: i % 10 === 0 ? ("phường" as const) : ("xã" as const), group: `Cụm ${1 + (i % 12)}` })));
  const pngs = await Promise.all(selectTownCharts(programme("CAP điển hình", 22, mets), index).map((c) => renderChartPng(c)));
  return pngs.reduce((sum, png) => sum + png.length, 0);
}

/** Lịch sử cells written over a day (160 sweeps, 40 unit edits each, then every unit at the deadline). */
function historyCells(units: number): { cells: number; formerRule: number } {
  const mets = [Array.from({ length: units }, (_, u) => u % 23), Array.from({ length: units }, (_, u) => u % 35)];
  const summary = (): TownSummary => ({
    period: "2026-W49", generatedAt: "2026-12-01T01:00:00.000Z", previousPeriod: null,
    programmes: [programme("p1", 22, [...mets[0]!]), programme("p2", 34, [...mets[1]!])],
  });
  let tab: SummaryCell[][] = [];
  let rows = 0;
  for (let write = 0; write <= 161; write++) {
    const edits = write === 161 ? units * 2 : write === 0 ? 0 : 40;
    for (let e = 0; e < edits; e++) {
      const [p, u] = write === 161 ? [e % 2, Math.floor(e / 2)] : [e % 2, (write * 977 + e * 131) % units];
      mets[p]![u] = (mets[p]![u]! + 1) % (p === 0 ? 23 : 35);
    }
    const now = summary();
    const current = summaryRows(now);
    rows += historyRows(tab, now, new Map(), current).length;
    tab = current;
  }
  return { cells: rows * HISTORY_HEADERS.length, formerRule: 161 * 2 * units * HISTORY_HEADERS.length };
}

/** The province rows of `npm run bench`. */
export async function provinceRows(): Promise<BenchRow[]> {
  const [small, large] = [await chartBytes(7), await chartBytes(3000)];
  const history = historyCells(3300);
  return [
    ...(await cliRows()),
    { section: SECTION, figure: "chart PNGs of one programme, 3,000 units (bounded charts)", value: large / 1024, unit: "KB", baseline: { label: "the same at 7 units", value: small / 1024 }, target: "< 600 KB" },
    { section: SECTION, figure: "Lịch sử cells written in a day of edits, 3,300 units", value: history.cells, unit: "cells", baseline: { label: "former rule (2 rows per unit per write)", value: history.formerRule }, target: "< 10,000,000 per spreadsheet" },
  ];
}
