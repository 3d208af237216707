/** The bench table as text (one line per figure, ratio beside its baseline) and as a JSON file. */
import { join } from "node:path";
import { writeFileAtomic } from "../functions/adapters/local/files.js";
import type { BenchRow } from "./bench-table.js";

function show(value: number, unit: string): string {
  if (!Number.isFinite(value)) return "—";
  if (unit === "ms") return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${value.toFixed(value < 10 ? 2 : 0)} ms`;
  const digits = Math.abs(value) >= 100 || Number.isInteger(value) ? 0 : 2;
  return `${value.toFixed(digits)} ${unit}`;
}

/** value / baseline, shown as "0.31×"; empty without a baseline. */
function ratioOf(row: BenchRow): number | null {
  return row.baseline && row.baseline.value !== 0 ? row.value / row.baseline.value : null;
}

/** The whole table, one line per row, grouped by section in the order given. */
export function formatBenchTable(rows: readonly BenchRow[]): string {
  const lines = rows.map((r) => {
    const ratio = ratioOf(r);
    return [
      r.section,
      r.figure,
      show(r.value, r.unit),
      r.baseline ? `${show(r.baseline.value, r.unit)} (${r.baseline.label})` : "",
      ratio === null ? "" : `${ratio.toFixed(ratio < 0.1 ? 3 : 2)}×`,
      r.target ?? "",
      r.runs === undefined ? "" : `n=${r.runs}`,
      r.note ?? "",
    ];
  });
  const header = ["section", "figure", "value", "baseline (same run)", "ratio", "target", "runs", "note"];
  const widths = header.map((h, c) => Math.max(h.length, ...lines.map((l) => Array.from(l[c] ?? "").length)));
  const line = (cells: string[]): string => cells.map((cell, c) => cell + " ".repeat(Math.max(0, (widths[c] ?? 0) - Array.from(cell).length))).join("  ").trimEnd();
  return [line(header), widths.map((w) => "─".repeat(w)).join("  "), ...lines.map(line)].join("\n");
}

/** Write the rows as out/bench/bench-<time>.json under `root`; returns the path. */
export async function writeBenchJson(root: string, rows: readonly BenchRow[], meta: Record<string, unknown>, at: Date): Promise<string> {
  const file = join(root, "out", "bench", `bench-${at.toISOString().replace(/[:.]/gu, "-")}.json`);
  const data = { ...meta, at: at.toISOString(), rows: rows.map((r) => ({ ...r, ratio: ratioOf(r) })) };
  await writeFileAtomic(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}
