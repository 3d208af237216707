/**
 * The local workspace: ward workbooks in DIR/wards, outputs in DIR/out, state in
 * DIR/.tieuchi. Adapters for the ports, read-only towards ward workbooks.
 */
import { readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import type { TownSummary } from "../../core/aggregate-town.js";
import { formatTownTable, summaryTable, toSummaryCsv, toSummaryJson } from "../../core/town-output.js";
import { findingsCsv, findingsTable, formatWardFeedback } from "../../core/ward-feedback.js";
import { type Config, wardFile } from "../../config.js";
import { SheetsReadError } from "../../errors.js";
import type { FeedbackSink, SheetSource, SummarySink, WardFeedback } from "../../ports.js";
import type { RawWorkbook } from "../../core/cells.js";
import { writeFileAtomic } from "./files.js";
import { renderTableXlsx } from "./table-xlsx.js";
import { readXlsxBuffer } from "./xlsx-reader.js";

export const CONFIG_FILE = "tieuchi.config.yaml";

/** Paths of a workspace directory. */
export function workspacePaths(dir: string) {
  return {
    config: join(dir, CONFIG_FILE),
    wards: join(dir, "wards"),
    out: join(dir, "out"),
    feedback: join(dir, "out", "kiem-tra"),
    state: join(dir, ".tieuchi"),
    /** The state store (file-kv.ts): one JSON file per key. */
    kv: join(dir, ".tieuchi", "kv"),
  };
}

/** Read one .xlsx file; missing → null, unreadable → SheetsReadError with a one-line reason. */
export async function readWorkbookFile(file: string, label = file): Promise<RawWorkbook | null> {
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return null;
    const access = code === "EACCES" || code === "EPERM";
    const reason = access ? "không có quyền đọc tệp. Hãy đóng tệp trong Excel (nếu đang mở ở máy khác) hoặc cấp quyền đọc cho thư mục." : `lỗi hệ thống (${code ?? "không rõ"}). Hãy thử lại; nếu vẫn lỗi, chép lại tệp vào thư mục.`;
    throw new SheetsReadError(`tệp ${label}`, reason, { cause: error, kind: access ? "access" : "io" });
  }
  return readXlsxBuffer(data, label);
}

/** SheetSource over DIR/wards/<id>.xlsx (or each ward's configured file). */
export function localSheetSource(config: Pick<Config, "baseDir">): SheetSource {
  return {
    read: (ward) => {
      const file = wardFile(config, ward);
      return readWorkbookFile(file, relative(config.baseDir, file));
    },
  };
}

/** FeedbackSink writing out/kiem-tra/<id>.txt (letter to staff), <id>.xlsx (every finding, for Excel) and <id>.csv (for scripts). */
export function localFeedbackSink(config: Pick<Config, "baseDir">, catalogues: readonly Catalogue[]): FeedbackSink {
  const dir = workspacePaths(config.baseDir).feedback;
  return {
    write: async ({ ward, outcome, findings, checkedAt }: WardFeedback) => {
      const file = relative(config.baseDir, wardFile(config, ward));
      await writeFileAtomic(join(dir, `${ward.id}.txt`), formatWardFeedback(outcome, findings, catalogues, checkedAt, file));
      await writeFileAtomic(join(dir, `${ward.id}.xlsx`), await renderTableXlsx(findingsTable(findings), { creator: "tieuchi", created: checkedAt }));
      await writeFileAtomic(join(dir, `${ward.id}.csv`), findingsCsv(findings));
    },
  };
}

/** SummarySink writing out/summary.json, out/summary.xlsx (for people), out/summary.csv (for scripts) and out/summary.txt. */
export function localSummarySink(baseDir: string): SummarySink {
  const out = workspacePaths(baseDir).out;
  return {
    write: async (summary: TownSummary) => {
      await writeFileAtomic(join(out, "summary.json"), `${JSON.stringify(toSummaryJson(summary), null, 2)}\n`);
      await writeFileAtomic(join(out, "summary.xlsx"), await renderTableXlsx(summaryTable(summary), { creator: "tieuchi", created: new Date(summary.generatedAt) }));
      await writeFileAtomic(join(out, "summary.csv"), toSummaryCsv(summary));
      await writeFileAtomic(join(out, "summary.txt"), `${formatTownTable(summary)}\n`);
    },
  };
}

