/**
 * Child process for `npm run bench`: read one workbook as a ward's file is read, then print
 * the outcome and this process's peak resident memory as one JSON line.
 */
import { readFile } from "node:fs/promises";
import { SheetsReadError } from "../functions/errors.js";
import { readXlsxBuffer } from "../functions/adapters/local/xlsx-reader.js";

const file = process.argv[2];
if (file === undefined) throw new Error("usage: read-rss-probe FILE");
let outcome: string;
try {
  const workbook = await readXlsxBuffer(await readFile(file), file);
  outcome = `read ${workbook.sheets.length} tabs`;
} catch (error) {
  if (!(error instanceof SheetsReadError)) throw error;
  outcome = `refused (${error.kind})`;
}
process.stdout.write(`${JSON.stringify({ outcome, maxRssKb: process.resourceUsage().maxRSS })}\n`);
