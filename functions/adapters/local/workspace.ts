/**
 * The local workspace: ward workbooks in DIR/wards, outputs in DIR/out, state in
 * DIR/.tieuchi. Adapters for the ports, read-only towards ward workbooks.
 */
import { readFile, stat } from "node:fs/promises";
import { join, relative } from "node:path";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import type { TownSummary } from "../../core/aggregate-town.js";
import { formatTownTable, summaryTable, toSummaryCsv, toSummaryJson } from "../../core/town-output.js";
import type { UnitKind } from "../../core/organisation.js";
import { findingsCsv, findingsTable, formatWardFeedback } from "../../core/ward-feedback.js";
import { type Config, wardFile } from "../../config.js";
import { SheetsReadError } from "../../errors.js";
import type { FeedbackSink, SheetSource, SummarySink, WardFeedback } from "../../ports.js";
import type { RawWorkbook } from "../../core/cells.js";
import type { OutputTable } from "../../core/output-table.js";
import { writeFileAtomic } from "./files.js";
import { contentHash } from "../../hashing.js";

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

/**
 * Read one .xlsx file; missing → null, unreadable → SheetsReadError with a one-line reason.
 * `onBytes` sees the bytes read before they are parsed (the parse cache hashes them).
 */
/** Workbook bytes to a RawWorkbook (readXlsxBuffer, here or on a worker thread); throws SheetsReadError. */
export type ParseBytes = (bytes: Buffer, label: string) => Promise<RawWorkbook>;

/** readXlsxBuffer in this thread; exceljs loads only when a workbook is read. */
export const parseInProcess: ParseBytes = async (bytes, label) => (await import("./xlsx-reader.js")).readXlsxBuffer(bytes, label);

export async function readWorkbookFile(file: string, label = file, onBytes?: (bytes: Buffer) => void, parse: ParseBytes = parseInProcess): Promise<RawWorkbook | null> {
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
  onBytes?.(data);
  return parse(data, label);
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

// Outputs are written again from the workbooks by every run that needs them: atomic (never half a
// file), not fsynced one by one (that was a third of a 700-ward run). The parse cache re-checks sizes.
const OUTPUT = { durable: false } as const;

/** A table's .xlsx bytes (renderTableXlsx, here or on a worker thread). */
export type RenderXlsx = (table: OutputTable, meta: { creator: string; created: Date }) => Promise<Buffer>;

const renderInProcess: RenderXlsx = async (table, meta) => (await import("./table-xlsx.js")).renderTableXlsx(table, meta);

/** FeedbackSink writing out/kiem-tra/<id>.txt (letter to staff), <id>.xlsx (every finding, for Excel) and <id>.csv (for scripts). */
export function localFeedbackSink(config: Pick<Config, "baseDir">, catalogues: readonly Catalogue[], renderXlsx: RenderXlsx = renderInProcess): FeedbackSink {
  const dir = workspacePaths(config.baseDir).feedback;
  return {
    write: async ({ ward, outcome, findings, checkedAt }: WardFeedback) => {
      const file = relative(config.baseDir, wardFile(config, ward));
      const xlsx = await renderXlsx(findingsTable(findings), { creator: "tieuchi", created: checkedAt });
      await Promise.all([
        writeFileAtomic(join(dir, `${ward.id}.txt`), formatWardFeedback(outcome, findings, catalogues, checkedAt, file), OUTPUT),
        writeFileAtomic(join(dir, `${ward.id}.xlsx`), xlsx, OUTPUT),
        writeFileAtomic(join(dir, `${ward.id}.csv`), findingsCsv(findings), OUTPUT),
      ]);
    },
  };
}

/**
 * out/summary.xlsx, written only when its table changed since it was last written (its hash kept in
 * .tieuchi/outputs/): a run with nothing changed then never loads exceljs.
 */
async function writeSummaryXlsx(baseDir: string, summary: TownSummary): Promise<void> {
  const paths = workspacePaths(baseDir);
  const file = join(paths.out, "summary.xlsx");
  const stamp = join(paths.state, "outputs", "summary.xlsx.hash");
  const table = summaryTable(summary);
  const hash = contentHash(table);
  const [known, size] = await Promise.all([readFile(stamp, "utf8").catch(() => null), stat(file).then((s) => s.size, () => 0)]);
  if (known === hash && size > 0) return;
  const { renderTableXlsx } = await import("./table-xlsx.js");
  await writeFileAtomic(file, await renderTableXlsx(table, { creator: "tieuchi", created: new Date(summary.generatedAt) }), OUTPUT);
  await writeFileAtomic(stamp, hash, OUTPUT);
}

/**
 * SummarySink writing out/summary.json, out/summary.xlsx (for people), out/summary.csv (for scripts) and out/summary.txt
 * (its first column and totals worded by the units' `kinds`: "Xã, phường").
 */
export function localSummarySink(baseDir: string, kinds: readonly UnitKind[] = []): SummarySink {
  const out = workspacePaths(baseDir).out;
  return {
    write: async (summary: TownSummary) => {
      await writeFileAtomic(join(out, "summary.json"), `${JSON.stringify(toSummaryJson(summary), null, 2)}\n`, OUTPUT);
      await writeSummaryXlsx(baseDir, summary);
      await writeFileAtomic(join(out, "summary.csv"), toSummaryCsv(summary), OUTPUT);
      await writeFileAtomic(join(out, "summary.txt"), `${formatTownTable(summary, kinds)}\n`, OUTPUT);
    },
  };
}

