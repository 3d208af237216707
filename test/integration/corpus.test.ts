/**
 * The regression corpus through the real reader and the whole ward pipeline: every workbook
 * openpyxl or LibreOffice wrote gets its right answer (findings, met counts), and every file
 * that is not a readable workbook gets its own reason. Cases are rows of manifest.json.
 */
import { readFile, stat } from "node:fs/promises";
import { beforeAll, describe, expect, it } from "vitest";
import { processWard } from "../../functions/app/run-town.js";
import type { Catalogue } from "../../sheets-schema/catalogue.js";
import type { WardConfig } from "../../functions/config.js";
import { renderFinding } from "../../functions/core/messages.js";
import { SheetsReadError } from "../../functions/errors.js";
import { SAMPLE_WARDS } from "../../functions/adapters/local/sample-town.js";
import { readWorkbookFile } from "../../functions/adapters/local/workspace.js";
import { readXlsxBuffer } from "../../functions/adapters/local/xlsx-reader.js";
import { builtinCatalogues } from "../fixtures/workbooks.js";
import { type ReadableCase, corpusFile, isUnreadableCase, readCorpusManifest } from "../fixtures/corpus-manifest.js";

const manifest = readCorpusManifest();
const sample = SAMPLE_WARDS.find((w) => w.id === manifest.ward)!;
const ward: WardConfig = { id: sample.id, name: sample.name, aliases: [...sample.aliases], contacts: [] };
const readable = manifest.cases.filter((c): c is ReadableCase => !isUnreadableCase(c));
const unreadable = manifest.cases.filter(isUnreadableCase);
let catalogues: Catalogue[];

beforeAll(async () => {
  catalogues = await builtinCatalogues();
});

function runOf(file: string) {
  return processWard(ward, catalogues, { read: () => readWorkbookFile(corpusFile(file), `wards/${file}`) });
}

describe("corpus: workbooks written by openpyxl and LibreOffice", () => {
  it("keeps every file small and lists every file once", async () => {
    expect(new Set(manifest.cases.map((c) => c.file)).size).toBe(manifest.cases.length);
    for (const c of manifest.cases) expect((await stat(corpusFile(c.file))).size, c.file).toBeLessThan(64 * 1024);
  });

  for (const c of readable) {
    const title = `${c.file} (${c.writer}): ${c.what}`;
    const test = c.needs === undefined ? it : it.skip;
    test(c.needs === undefined ? title : `${title} — waits for ${c.needs}`, async () => {
      const run = await runOf(c.file);
      expect(run.outcome.status, run.outcome.reason ?? "").toBe("ok");
      const scores = Object.fromEntries(run.outcome.scores.map((s) => [s.programmeId, { met: s.met, total: s.total }]));
      expect(scores).toEqual(c.programmes);
      const got = run.findings.map((f) => ({
        code: f.code,
        tab: f.tab,
        ...(c.findings.some((e) => e.cell !== undefined) ? { cell: f.cell } : {}),
        ...(c.findings.some((e) => e.criterion !== undefined) ? { criterion: f.criterion } : {}),
      }));
      expect(got).toEqual(c.findings.map(({ shows: _shows, ...rest }) => rest));
      c.findings.forEach((e, i) => {
        if (e.shows !== undefined) expect(renderFinding(run.findings[i]!).message).toContain(e.shows);
      });
    });
  }
});

describe("corpus: files that are not readable workbooks", () => {
  for (const c of unreadable) {
    it(`${c.file}: ${c.what} → ${c.unreadable}`, async () => {
      const error = await readXlsxBuffer(await readFile(corpusFile(c.file)), c.file).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SheetsReadError);
      expect((error as SheetsReadError).kind).toBe(c.unreadable);
      expect((error as SheetsReadError).message).toMatch(new RegExp(`^Không đọc được tệp ${c.file.replace(".", "\\.")}: `, "u"));
      const run = await runOf(c.file);
      expect(run.outcome.status).toBe("unreadable");
      expect(run.outcome.reason).toBe(`Không đọc được tệp wards/${c.file}: ${(error as SheetsReadError).message.split(": ").slice(1).join(": ")}`);
    });
  }

  it("gives each kind of unreadable file its own reason", async () => {
    const reasons = await Promise.all(unreadable.map(async (c) => ((await runOf(c.file)).outcome.reason ?? "").replace(/^[^:]*: /u, "")));
    // Every file its own reason, but the two password-protected ones (synthesized, and saved by LibreOffice) share theirs.
    const reasonOf = (file: string) => reasons[unreadable.findIndex((c) => c.file === file)];
    expect(reasonOf("password-libreoffice.xlsx")).toBe(reasonOf("password.xlsx"));
    expect(new Set(reasons).size).toBe(reasons.length - 1);
    expect(reasons.find((r) => r.includes("Excel cũ"))).toContain("Lưu lại dưới dạng .xlsx (Excel Workbook)");
    expect(reasons.find((r) => r.includes("mật khẩu"))).toContain("gỡ mật khẩu");
  });
});
