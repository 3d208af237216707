import ExcelJS from "exceljs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { localFeedbackSink, localSummarySink } from "../../../functions/adapters/local/workspace.js";
import { aggregateTown } from "../../../functions/core/aggregate-town.js";
import type { Finding } from "../../../functions/core/findings.js";
import { emptyScore } from "../../../functions/core/score-ward.js";
import type { WardConfig } from "../../../functions/config.js";
import { HOSTILE_TEXT } from "../../fixtures/hostile-text.js";
import { sampleOutcomes } from "../../fixtures/outcomes.js";
import { builtinCatalogues } from "../../fixtures/workbooks.js";
import { packageProblems } from "../../fixtures/xlsx-package.js";

const dir = await mkdtemp(join(tmpdir(), "tieuchi-sinks-"));
afterAll(() => rm(dir, { recursive: true, force: true }));
const catalogues = await builtinCatalogues();

async function sheetOf(file: string): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await readFile(file)) as unknown as ArrayBuffer);
  return workbook.worksheets[0]!;
}

describe("local sinks", () => {
  it("write each ward's findings as .xlsx (full list, staff text as text) beside the .txt and the neutralised .csv", async () => {
    const ward = { id: "nghi-hoa", name: "Nghi Hòa", aliases: [], contacts: [] } as unknown as WardConfig;
    const findings: Finding[] = HOSTILE_TEXT.map((v, i) => ({ severity: "error", tab: "CA phường kiểu mẫu", cell: `B${40 + i}`, criterion: v, code: "criterion-unknown", params: { value: v, programme: "CA phường kiểu mẫu" } }));
    const many = Array.from({ length: 450 }, () => findings[0]!);
    const outcome = { ward: { id: ward.id, name: ward.name }, status: "ok" as const, reason: null, scores: catalogues.map(emptyScore) };
    await localFeedbackSink({ baseDir: dir }, catalogues).write({ ward, outcome, findings: [...findings, ...many], checkedAt: new Date("2026-11-27T03:00:00Z") });
    const xlsx = join(dir, "out", "kiem-tra", "nghi-hoa.xlsx");
    expect(await packageProblems(await readFile(xlsx))).toEqual([]);
    const sheet = await sheetOf(xlsx);
    expect(sheet.rowCount).toBe(1 + findings.length + many.length);
    expect(sheet.getCell("D2").value).toBe(HOSTILE_TEXT[0]);
    expect(sheet.getCell("D2").type).toBe(ExcelJS.ValueType.String);
    const csv = await readFile(join(dir, "out", "kiem-tra", "nghi-hoa.csv"), "utf8");
    expect(csv).toContain(`,'-2+3+CMD|' /C CALC'!A0,`);
    const letter = await readFile(join(dir, "out", "kiem-tra", "nghi-hoa.txt"), "utf8");
    expect(letter).toContain("… và 256 lỗi khác; xem đầy đủ trong tệp “nghi-hoa.xlsx”");
  });

  it("write the town summary as .xlsx with numbers as numbers", async () => {
    const summary = aggregateTown(sampleOutcomes(catalogues), catalogues, { period: "2026-W48", generatedAt: "2026-11-27T03:00:00.000Z", previous: null });
    await localSummarySink(dir).write(summary);
    const file = join(dir, "out", "summary.xlsx");
    expect(await packageProblems(await readFile(file))).toEqual([]);
    const sheet = await sheetOf(file);
    expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(typeof sheet.getCell("F2").value).toBe("number");
  });
});
