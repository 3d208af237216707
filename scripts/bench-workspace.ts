/**
 * A workspace of N wards for the bench: the sample town's config with N wards, each with its
 * own workbook (its own name typed, answers varied as the sample's), so no two files are equal.
 */
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { planWardWorkbook } from "../sheets-schema/workbook-plan.js";
import { readConfig } from "../functions/config.js";
import { localDate } from "../functions/core/period.js";
import type { Clock } from "../functions/ports.js";
import { writeFileAtomic } from "../functions/adapters/local/files.js";
import { SAMPLE_WARDS, sampleAnswers, sampleConfigYaml } from "../functions/adapters/local/sample-town.js";
import { workspacePaths } from "../functions/adapters/local/workspace.js";
import { renderWorkbookXlsx } from "../functions/adapters/local/xlsx-writer.js";

/** The id and name of the bench's i-th ward (0-based). */
export function benchWard(i: number): { id: string; name: string } {
  const n = String(i + 1).padStart(4, "0");
  return { id: `phuong-${n}`, name: `Phường Thử ${n}` };
}

/** Write a workspace of `count` wards into `dir` (which must not hold one). Returns the ward files. */
export async function writeBenchWorkspace(dir: string, count: number, clock: Clock): Promise<string[]> {
  const paths = workspacePaths(dir);
  const sample = parse(sampleConfigYaml(localDate(clock.now()))) as Record<string, unknown>;
  const wards = Array.from({ length: count }, (_, i) => ({ ...benchWard(i), aliases: [], effectiveFrom: "2023-01-01" }));
  await writeFileAtomic(paths.config, stringify({ ...sample, wards }));
  const config = await readConfig(paths.config, {});
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const sampleWard = SAMPLE_WARDS[i % SAMPLE_WARDS.length]!;
    const plan = planWardWorkbook(config.catalogues, benchWard(i).name, "02/11/2023", sampleAnswers(sampleWard, config.catalogues));
    const file = join(paths.wards, `${benchWard(i).id}.xlsx`);
    await writeFileAtomic(file, await renderWorkbookXlsx(plan, { creator: "tieuchi", created: clock.now() }));
    files.push(file);
  }
  return files;
}
