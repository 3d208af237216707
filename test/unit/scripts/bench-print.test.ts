import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatBenchTable, writeBenchJson } from "../../../scripts/bench-print.js";
import type { BenchRow } from "../../../scripts/bench-table.js";

const rows: BenchRow[] = [
  { section: "run", figure: "tieuchi run, 700 wards", value: 14_200, unit: "ms", baseline: { label: "plain exceljs", value: 5_000 }, target: "ratio ≤ 1.3", runs: 3 },
  { section: "run", figure: "second run", value: 1_300, unit: "ms", baseline: { label: "the first run", value: 14_200 }, runs: 3 },
  { section: "memory", figure: "peak RSS", value: 168.4, unit: "MiB", runs: 1, note: "refused (too-large)" },
  { section: "simulation", figure: "not available", value: Number.NaN, unit: "ms", note: "boom" },
];

describe("the bench table", () => {
  it("prints each figure with its same-run baseline and their ratio, one line per row", () => {
    const lines = formatBenchTable(rows).split("\n");
    expect(lines).toHaveLength(2 + rows.length);
    expect(lines[2]).toMatch(/^run\s+tieuchi run, 700 wards\s+14\.2 s\s+5000 ms \(plain exceljs\)\s+2\.84×\s+ratio ≤ 1\.3\s+n=3$/u);
    expect(lines[3]).toMatch(/1300 ms\s+14\.2 s \(the first run\)\s+0\.092×/u);
    expect(lines[4]).toMatch(/168 MiB\s+n=1\s+refused \(too-large\)$/u);
    expect(lines[5]).toMatch(/not available\s+—\s+boom$/u);
  });

  it("writes the rows with their ratios as JSON under out/bench/, named by the time", async () => {
    const root = await mkdtemp(join(tmpdir(), "tieuchi-bench-json-"));
    try {
      const file = await writeBenchJson(root, rows, { node: "v20" }, new Date("2026-12-02T01:30:00.000Z"));
      expect(file).toBe(join(root, "out", "bench", "bench-2026-12-02T01-30-00-000Z.json"));
      const data = JSON.parse(await readFile(file, "utf8")) as { at: string; node: string; rows: Array<BenchRow & { ratio: number | null }> };
      expect(data.at).toBe("2026-12-02T01:30:00.000Z");
      expect(data.rows.map((r) => r.ratio)).toEqual([2.84, 1_300 / 14_200, null, null]);
      expect(data.rows[3]!.value).toBeNull(); // NaN is no JSON number
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
