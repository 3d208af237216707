import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { googleSheetSource } from "../../../functions/adapters/google/sheet-source.js";
import { inputHash } from "../../../functions/app/input-hash.js";
import { GoogleApiError } from "../../../functions/adapters/google/google-errors.js";
import { evaluateWorkbook } from "../../../functions/core/evaluate-ward.js";
import { SheetsReadError } from "../../../functions/errors.js";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { type FakeGoogle, startFakeGoogle } from "../../fakes/google/server.js";
import { builtinCatalogues, sampleWorkbook } from "../../fixtures/workbooks.js";
import { clientsFor, createWardSpreadsheet, noWait, wardConfig } from "./google-fixtures.js";

let fake: FakeGoogle;
let catalogues: Catalogue[];
const ward = wardConfig("nghi-huong");

beforeAll(async () => {
  [fake, catalogues] = await Promise.all([startFakeGoogle({ now: Date.now }), builtinCatalogues()]);
});
afterAll(() => fake.close());
beforeEach(() => fake.resetLog());

function source(spreadsheetId: string | null) {
  return googleSheetSource({ clients: clientsFor(fake), catalogues, spreadsheetIdOf: async () => spreadsheetId, retry: noWait });
}

describe("googleSheetSource", () => {
  it("reads a ward spreadsheet into the RawWorkbook the validator expects, with two Sheets reads", async () => {
    const id = createWardSpreadsheet(fake, catalogues);
    const workbook = await source(id).read(ward);
    expect(workbook).not.toBeNull();
    expect(fake.count({ api: "sheets" })).toBe(2);
    expect(fake.count({ api: "sheets", method: "GET", pathIncludes: "values:batchGet" })).toBe(1);
    const evaluation = evaluateWorkbook(workbook!, catalogues, ward);
    expect(evaluation.findings).toEqual([]);
    expect(evaluation.scores.map((s) => `${s.met}/${s.total}`)).toEqual(["18/22", "34/34"]);
    // Same staff input as the workbook the xlsx path reads (the guide tab is not requested).
    expect(workbook!.sheets.map((s) => s.title)).toEqual(catalogues.map((c) => c.tabTitle));
    expect(inputHash(workbook!)).toBe(inputHash(sampleWorkbook(catalogues)));
  });

  it("asks for the tab titles and grids, then unformatted values, serial dates and rows, every programme tab quoted and bounded", async () => {
    const id = createWardSpreadsheet(fake, catalogues);
    await source(id).read(ward);
    const [titles, request] = fake.requests;
    expect(titles?.query).toEqual({ fields: "sheets(properties(title,sheetId,gridProperties(rowCount,columnCount)))" });
    expect(request?.query).toMatchObject({
      // A new Google tab is 1,000 rows by 26 columns: the whole grid, as it is under the limits.
      ranges: catalogues.map((c) => `'${c.tabTitle}'!A1:Z1000`),
      valueRenderOption: "UNFORMATTED_VALUE",
      dateTimeRenderOption: "SERIAL_NUMBER",
      majorDimension: "ROWS",
    });
  });

  it("reads a renamed tab too (still two reads), so the validator says to rename it back, as for a local file", async () => {
    const renamed = catalogues[0]!.tabTitle;
    const id = createWardSpreadsheet(fake, catalogues, { rename: { [renamed]: "CA phường (bản cũ)" } });
    const workbook = await source(id).read(ward);
    expect(fake.count({ api: "sheets", pathIncludes: "values:batchGet" })).toBe(1);
    expect(fake.count({ api: "sheets" })).toBe(2);
    expect(workbook!.sheets.map((s) => s.title)).toEqual([catalogues[1]!.tabTitle, "CA phường (bản cũ)"]);
    const evaluation = evaluateWorkbook(workbook!, catalogues, ward);
    expect(evaluation.findings.map((f) => [f.code, f.tab])).toEqual([["tab-copy-only", renamed]]);
    expect(evaluation.scores[1]).toMatchObject({ met: 34, total: 34, recognised: true });
  });

  it("retries a 429 and then succeeds, each attempt counted", async () => {
    const id = createWardSpreadsheet(fake, catalogues);
    fake.failNext({ api: "sheets", pathIncludes: "values:batchGet" }, 429);
    const workbook = await source(id).read(ward);
    expect(workbook?.sheets).toHaveLength(2);
    expect(fake.count({ api: "sheets", pathIncludes: "values:batchGet" })).toBe(2);
  });

  it("gives up with a GoogleApiError when the quota stays exhausted", async () => {
    const id = createWardSpreadsheet(fake, catalogues);
    fake.failNext({ api: "sheets" }, 429, { times: 3 });
    const read = googleSheetSource({ clients: clientsFor(fake), catalogues, spreadsheetIdOf: async () => id, retry: { ...noWait, maxAttempts: 3 } }).read(ward);
    await expect(read).rejects.toThrow(GoogleApiError);
    await expect(read).rejects.toThrow(/^Gọi Google Sheets thất bại \(spreadsheets\.get, 429\)/u);
    expect(fake.count({ api: "sheets" })).toBe(3);
  });

  it("reads a broken formula as an error value, which the validator reports", async () => {
    const id = createWardSpreadsheet(fake, catalogues);
    const tab = catalogues[0]!.tabTitle;
    const row = (await source(id).read(ward))!.sheets[0]!.rows.findIndex((r) => r[1] === "TC01") + 1;
    fake.sheets.setFormulaError(id, tab, `E${row}`, "#REF!");
    const workbook = await source(id).read(ward);
    expect(workbook!.sheets[0]!.rows[row - 1]?.[4]).toEqual({ error: "#REF!" });
    const findings = evaluateWorkbook(workbook!, catalogues, ward).findings;
    expect(findings.map((f) => [f.code, f.cell])).toContainEqual(["cell-error-value", `E${row}`]);
  });

  it("turns a 403 without a rate-limit reason (not shared) into a SheetsReadError, not retried", async () => {
    const id = createWardSpreadsheet(fake, catalogues);
    fake.failNext({ api: "sheets" }, 403, { reason: "forbidden", message: "The caller does not have permission" });
    await expect(source(id).read(ward)).rejects.toThrow(/^Không đọc được bảng tính của phường Nghi Hương: tài khoản của hệ thống không có quyền đọc/u);
    expect(fake.count({ api: "sheets" })).toBe(1);
  });

  it("turns a missing spreadsheet into a SheetsReadError, and no spreadsheet into null", async () => {
    await expect(source("does-not-exist").read(ward)).rejects.toThrow(SheetsReadError);
    fake.resetLog();
    await expect(source(null).read(ward)).resolves.toBeNull();
    expect(fake.requests).toEqual([]);
  });
});
