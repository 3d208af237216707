/** `tieuchi init --sample province`: write the synthetic province's config and unit workbooks. */
import { join } from "node:path";
import { planWardWorkbook } from "../../../sheets-schema/workbook-plan.js";
import { readBuiltinCatalogues, readConfig } from "../../config.js";
import { localDate } from "../../core/period.js";
import type { Clock } from "../../ports.js";
import { writeFileAtomic } from "./files.js";
import { WorkspaceExistsError, isWorkspace } from "./init-workspace.js";
import { provinceAnswers, provinceConfigYaml, provinceUnits } from "./sample-province.js";
import { workspacePaths } from "./workspace.js";
import { renderWorkbookXlsx } from "./xlsx-writer.js";

/** What a unit saved under the wrong program looks like: a file named .xlsx that is not a workbook. */
const NOT_A_WORKBOOK = "Bảng tự đánh giá (bản lưu nhầm định dạng văn bản, không phải tệp Excel)\n";

/** "dd/mm/yyyy" of a YYYY-MM-DD date, as staff type the update date. */
const dayFirst = (date: string): string => `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;

/**
 * Create the province sample workspace; refuses (WorkspaceExistsError) rather than overwrite.
 * Returns the files written (the units that have "sent nothing" have no file).
 */
export async function initProvinceWorkspace(dir: string, clock: Clock): Promise<string[]> {
  if (await isWorkspace(dir)) {
    throw new WorkspaceExistsError(`Thư mục ${dir} đã có thư mục làm việc (tieuchi.config.yaml hoặc wards/); không ghi đè.`);
  }
  const paths = workspacePaths(dir);
  const today = localDate(clock.now());
  // The unmet criteria are drawn from the built-in catalogues the config names.
  const units = provinceUnits(await readBuiltinCatalogues());
  await writeFileAtomic(paths.config, provinceConfigYaml(today, units));
  const config = await readConfig(paths.config, {});
  const written = [paths.config];
  const evidenceYear = Number(today.slice(0, 4)) - 1;
  for (const [index, unit] of units.entries()) {
    if (unit.workbook === "missing") continue;
    const file = join(paths.wards, `${unit.id}.xlsx`);
    const answers = provinceAnswers(unit, index, config.catalogues, evidenceYear);
    const content = unit.workbook === "unreadable" ? NOT_A_WORKBOOK : await renderWorkbookXlsx(planWardWorkbook(config.catalogues, unit.typedName, dayFirst(today), answers, { unitNoun: unit.kind }), { creator: "tieuchi", created: clock.now() });
    await writeFileAtomic(file, content);
    written.push(file);
  }
  return written;
}
