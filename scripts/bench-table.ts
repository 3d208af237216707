/**
 * The one table `npm run bench` prints and writes as JSON: each figure beside the baseline
 * measured in the same run, and their ratio. Sections (core, run, start, report, memory,
 * simulation…) each return rows of this shape.
 */

/** One measured figure. `value` and `baseline.value` share `unit`. */
export interface BenchRow {
  /** Section heading, e.g. "core", "run", "simulation". */
  section: string;
  /** What was measured, e.g. "10,000 wards validated+scored+aggregated". */
  figure: string;
  value: number;
  /** "ms", "MiB", "KB", "count", "%", "calls/min"… */
  unit: string;
  /** The same-run baseline it is compared with, when there is one. */
  baseline?: { label: string; value: number };
  /** The goal as text, e.g. "< 1 s" or "ratio ≤ 1.3". */
  target?: string;
  /** Samples behind a median (1 when measured once). */
  runs?: number;
  note?: string;
}
