/**
 * The ward pool against the BUILT worker entry (dist/, built before the tests): a workbook
 * reads the same on a worker as in-process, a read problem keeps its reason, and a worker that
 * runs out of memory costs its ward only (unreadable, with a reason) while the pool goes on.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openWardPool, WORKER_DIED_REASON } from "../../../functions/adapters/local/ward-pool.js";
import { readXlsxBuffer } from "../../../functions/adapters/local/xlsx-reader.js";
import { renderTableXlsx } from "../../../functions/adapters/local/table-xlsx.js";
import { SheetsReadError } from "../../../functions/errors.js";
import type { OutputTable } from "../../../functions/core/output-table.js";
import { benchWard, writeBenchWorkspace } from "../../../scripts/bench-workspace.js";
import { corpusFile } from "../../fixtures/corpus-manifest.js";

const WORKER = join(process.cwd(), "dist", "functions", "adapters", "local", "ward-pool-worker.js");
const clock = { now: () => new Date("2026-11-27T03:00:00Z") };
let dir: string;
let base: Buffer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tieuchi-ward-pool-"));
  await writeBenchWorkspace(dir, 1, clock);
  base = await readFile(join(dir, "wards", `${benchWard(0).id}.xlsx`));
}, 60_000);

afterAll(() => rm(dir, { recursive: true, force: true }));

/** The ward's workbook with 4,900 rows of 40 text cells pasted below its table: within every limit, heavy to parse. */
async function heavyPaste(): Promise<Buffer> {
  const zip = await JSZip.loadAsync(base);
  const part = "xl/worksheets/sheet2.xml";
  const xml = (await zip.file(part)?.async("string")) ?? "";
  const rows: string[] = [];
  for (let r = 1001; r < 5900; r++) {
    const cells = Array.from({ length: 40 }, (_, c) => `<c r="${String.fromCharCode(65 + (c % 26))}${c >= 26 ? "A" : ""}${r}" t="inlineStr"><is><t>dán thừa ${r}.${c}</t></is></c>`);
    rows.push(`<row r="${r}">${cells.join("")}</row>`);
  }
  zip.file(part, xml.replace(/<\/sheetData>|<sheetData\s*\/>/u, `${rows.join("")}</sheetData>`).replace(/<dimension [^>]*\/>/u, ""));
  return zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
}

describe("ward pool (worker threads)", () => {
  it("reads a workbook on a worker as in-process, and renders tables in-process", async () => {
    const pool = openWardPool({ threads: 1, inProcessFirst: 0, workerFile: WORKER });
    try {
      expect(pool.threads).toBe(1);
      expect(await pool.parse(base, "wards/a.xlsx")).toEqual(await readXlsxBuffer(base, "wards/a.xlsx"));
      const table: OutputTable = { title: "Kiểm tra", header: ["Mã", "Điểm"], rows: [["1.1", 2], ["1.2", null]], widths: [8, 6] };
      const meta = { creator: "tieuchi", created: clock.now() };
      const rendered = await pool.renderXlsx(table, meta);
      expect(rendered.equals(await renderTableXlsx(table, meta))).toBe(true);
      expect(pool.stats.pooled).toBe(1);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it("keeps a read problem's reason and kind", async () => {
    const pool = openWardPool({ threads: 1, inProcessFirst: 0, workerFile: WORKER });
    try {
      const password = await readFile(corpusFile("password.xlsx"));
      const inProcess = await readXlsxBuffer(password, "wards/b.xlsx").catch((e: unknown) => e);
      const pooled = await pool.parse(password, "wards/b.xlsx").catch((e: unknown) => e);
      expect(pooled).toBeInstanceOf(SheetsReadError);
      expect(inProcess).toBeInstanceOf(SheetsReadError);
      expect((pooled as SheetsReadError).message).toBe((inProcess as SheetsReadError).message);
      expect((pooled as SheetsReadError).kind).toBe((inProcess as SheetsReadError).kind);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it("turns a worker that runs out of memory into an unreadable ward and goes on", async () => {
    const pool = openWardPool({ threads: 1, inProcessFirst: 0, workerFile: WORKER, resourceLimits: { maxOldGenerationSizeMb: 32 } });
    try {
      const died = await pool.parse(await heavyPaste(), "wards/c.xlsx").catch((e: unknown) => e);
      expect(died).toBeInstanceOf(SheetsReadError);
      expect((died as SheetsReadError).message).toBe(`Không đọc được tệp wards/c.xlsx: ${WORKER_DIED_REASON}`);
      expect(await pool.parse(base, "wards/d.xlsx")).toEqual(await readXlsxBuffer(base, "wards/d.xlsx"));
    } finally {
      await pool.close();
    }
  }, 120_000);

  it("stays in-process for the first tasks and without a built worker", async () => {
    const early = openWardPool({ threads: 2, inProcessFirst: 1, workerFile: WORKER });
    const missing = openWardPool({ threads: 2, workerFile: join(dir, "no-worker.js") });
    await early.parse(base, "wards/e.xlsx");
    expect(early.stats.pooled).toBe(0);
    await early.close();
    expect(missing.threads).toBe(0);
    expect(await missing.parse(base, "wards/f.xlsx")).toEqual(await readXlsxBuffer(base, "wards/f.xlsx"));
    expect(missing.stats.pooled).toBe(0);
  }, 60_000);
});
