/** `tieuchi init`: write the sample town's config and ward workbooks into a new workspace. */
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { planWardWorkbook } from "../../../sheets-schema/workbook-plan.js";
import { readConfig } from "../../config.js";
import { localDate } from "../../core/period.js";
import { TieuchiError } from "../../errors.js";
import type { Clock } from "../../ports.js";
import { writeFileAtomic } from "./files.js";
import { SAMPLE_WARDS, sampleAnswers, sampleConfigYaml, sampleReview } from "./sample-town.js";
import { workspacePaths } from "./workspace.js";
import { renderWorkbookXlsx } from "./xlsx-writer.js";

export class WorkspaceExistsError extends TieuchiError {}

/** True when DIR already holds a workspace (config file, or a non-empty wards folder). */
export async function isWorkspace(dir: string): Promise<boolean> {
  const paths = workspacePaths(dir);
  if (existsSync(paths.config)) return true;
  const wards = await readdir(paths.wards).catch(() => []);
  return wards.length > 0;
}

/**
 * Create the sample workspace. Refuses (WorkspaceExistsError) rather than overwrite
 * anything a user may have edited. Returns the files written.
 */
export async function initWorkspace(dir: string, clock: Clock): Promise<string[]> {
  if (await isWorkspace(dir)) {
    throw new WorkspaceExistsError(`Thư mục ${dir} đã có thư mục làm việc (tieuchi.config.yaml hoặc wards/); không ghi đè.`);
  }
  const paths = workspacePaths(dir);
  await writeFileAtomic(paths.config, sampleConfigYaml(localDate(clock.now())));
  const config = await readConfig(paths.config, {});
  const written = [paths.config];
  for (const ward of SAMPLE_WARDS) {
    const plan = planWardWorkbook(config.catalogues, ward.typedName, "02/11/2023", sampleAnswers(ward, config.catalogues, { review: true }), { review: sampleReview(ward) });
    const file = join(paths.wards, `${ward.id}.xlsx`);
    await writeFileAtomic(file, await renderWorkbookXlsx(plan, { creator: "tieuchi", created: clock.now() }));
    written.push(file);
  }
  return written;
}
