/**
 * The files the leadership digest attaches, for both runtimes: its inline charts (PNG), the full
 * ward table (.xlsx) and, locally, the town reports read from out/reports. The chart and
 * spreadsheet libraries are imported on first use, off the cloud cold-start path.
 */
import { readFile } from "node:fs/promises";
import type { DigestFiles } from "../../app/compose-messages.js";

/**
 * DigestFiles; `readLocalFiles` is false in the cloud, where the reports are Google Docs
 * (linked, never attached). A file that cannot be read is left out and the digest names it.
 */
export function digestFiles(options: { readLocalFiles: boolean }): DigestFiles {
  return {
    readFile: async (location) => (options.readLocalFiles ? readFile(location).catch(() => null) : null),
    tableXlsx: async (table, created) => (await import("../local/table-xlsx.js")).renderTableXlsx(table, { creator: "tieuchi", created }),
    chartPng: async (spec) => (await import("../../render/charts.js")).renderChartPng(spec),
  };
}
