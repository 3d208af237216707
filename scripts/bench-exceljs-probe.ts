/**
 * Child process for `npm run bench`, the baselines of `tieuchi run`: read every .xlsx in a folder
 * one at a time, nothing kept, with plain exceljs (default) or as tieuchi reads a ward's file
 * (`--tieuchi`: the package repaired in memory, exceljs, the cells as a RawWorkbook); then one
 * JSON line with the wall and CPU time taken and this process's peak resident memory.
 */
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import ExcelJS from "exceljs";
import { readXlsxBuffer } from "../functions/adapters/local/xlsx-reader.js";

const dir = process.argv[2];
if (dir === undefined) throw new Error("usage: bench-exceljs-probe DIR [--tieuchi]");
const asTieuchi = process.argv.includes("--tieuchi");
const start = performance.now();
let cells = 0;
for (const name of (await readdir(dir)).filter((n) => n.endsWith(".xlsx")).sort()) {
  const bytes = await readFile(join(dir, name));
  if (asTieuchi) {
    for (const sheet of (await readXlsxBuffer(bytes, name)).sheets) for (const row of sheet.rows) cells += row.length;
    continue;
  }
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  workbook.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell(() => void cells++)));
}
const usage = process.resourceUsage();
process.stdout.write(`${JSON.stringify({ ms: performance.now() - start, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, cells, maxRssKb: usage.maxRSS })}\n`);
