/**
 * The Google sheet source sees what the local reader sees: copied and renamed programme tabs,
 * and huge pastes answered with one reason at a bounded cost. Measured against the strict fake
 * (real client over HTTP, Google's 60 reads per minute per identity on an injected clock).
 */
import { readFile } from "node:fs/promises";
import type { sheets_v4 } from "@googleapis/sheets";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { googleSheetSource } from "../../../functions/adapters/google/sheet-source.js";
import { readXlsxBuffer } from "../../../functions/adapters/local/xlsx-reader.js";
import { isCellError, type RawWorkbook } from "../../../functions/core/cells.js";
import { evaluateWorkbook } from "../../../functions/core/evaluate-ward.js";
import { SheetsReadError } from "../../../functions/errors.js";
import { CHECK_TAB, GUIDE_TAB } from "../../../sheets-schema/layout.js";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { type CellValue, type FakeGoogle, fakeServiceAccount, startFakeGoogle } from "../../fakes/google/server.js";
import { ensureGridSize, updateCell, writeValue } from "../../fakes/google/sheets-model.js";
import { corpusFile } from "../../fixtures/corpus-manifest.js";
import { builtinCatalogues } from "../../fixtures/workbooks.js";
import { clientsFor, createWardSpreadsheet, noWait, wardConfig, wardTabs } from "./google-fixtures.js";

let fake: FakeGoogle;
let catalogues: Catalogue[];
let nowMs = Date.UTC(2026, 10, 2, 8, 0, 0);
const ward = wardConfig("nghi-huong");
const copyTitle = (c: Catalogue) => `Bản sao của ${c.tabTitle}`;

beforeAll(async () => {
  [fake, catalogues] = await Promise.all([startFakeGoogle({ now: () => nowMs }), builtinCatalogues()]);
});
afterAll(() => fake.close());
beforeEach(() => {
  nowMs += 10 * 60_000; // a fresh quota window for each test
  fake.resetLog();
});

function source(spreadsheetId: string) {
  return googleSheetSource({ clients: clientsFor(fake), catalogues, spreadsheetIdOf: async () => spreadsheetId, retry: { ...noWait, maxAttempts: 1 } });
}

/** A spreadsheet holding these tabs, as staff would have it after uploading the workbook. */
function spreadsheetOf(workbook: RawWorkbook): string {
  const tabs = workbook.sheets.map((s) => [s.title, s.rows.map((row) => row.map((v): CellValue => (isCellError(v) ? v.error : v)))] as const);
  return fake.sheets.create("Tự đánh giá - Nghi Hương", Object.fromEntries(tabs));
}

const brief = (workbook: RawWorkbook) => evaluateWorkbook(workbook, catalogues, ward).findings.map((f) => ({ code: f.code, severity: f.severity, tab: f.tab, cell: f.cell, params: f.params }));

describe("googleSheetSource: copied and renamed tabs", () => {
  it("reads an edited “Bản sao của …” tab and answers tab-copy, which tab counts and what to do", async () => {
    const first = catalogues[0]!;
    const tabs = Object.entries(wardTabs(catalogues)).map(([title, rows]) => ({ title, rows }));
    const rows = tabs.find((t) => t.title === first.tabTitle)!.rows;
    // Staff duplicate the tab (Google names it “Bản sao của …”) and change TC05's Kết quả in the copy only.
    const edited = rows.map((r) => (r[1] === "TC05" ? r.map((v, c) => (c === 3 ? (v === "Đạt" ? "Chưa đạt" : "Đạt") : v)) : r));
    const id = spreadsheetOf({ sheets: [...tabs, { title: copyTitle(first), rows: edited }] });
    const workbook = (await source(id).read(ward))!;
    expect(fake.count({ api: "sheets" })).toBe(2);
    expect(workbook.sheets.map((s) => s.title)).toEqual([...catalogues.map((c) => c.tabTitle), copyTitle(first)]);
    const findings = evaluateWorkbook(workbook, catalogues, ward).findings;
    expect(findings.map((f) => [f.code, f.severity, f.tab, f.cell])).toEqual([["tab-copy", "error", first.tabTitle, "A1"]]);
  });

  it("gives the same findings as the local reader for the corpus's edited copy, uploaded to Google", async () => {
    const local = await readXlsxBuffer(await readFile(corpusFile("op-copied-tab.xlsx")), "wards/op-copied-tab.xlsx");
    const google = (await source(spreadsheetOf(local)).read(ward))!;
    expect(brief(google)).toEqual(brief(local));
    expect(brief(google).map((f) => f.code)).toEqual(["tab-copy"]);
  });

  it("warns only when the copy was left as it was, and never reads the guide or the Kiểm tra tab", async () => {
    const tabs = Object.entries(wardTabs(catalogues)).map(([title, rows]) => ({ title, rows }));
    const first = catalogues[0]!;
    const copy = { title: copyTitle(first), rows: tabs.find((t) => t.title === first.tabTitle)!.rows };
    const id = spreadsheetOf({ sheets: [...tabs, copy, { title: CHECK_TAB, rows: [["Mã", "Lỗi"]] }] });
    const workbook = (await source(id).read(ward))!;
    const ranges = fake.requests.find((r) => r.path.endsWith("values:batchGet"))?.query.ranges as string[];
    expect(ranges.some((r) => r.startsWith(`'${GUIDE_TAB}'`) || r.startsWith(`'${CHECK_TAB}'`))).toBe(false);
    expect(workbook.sheets.map((s) => s.title)).not.toContain(GUIDE_TAB);
    expect(brief(workbook).map((f) => [f.code, f.severity])).toEqual([["tab-copy", "warning"]]);
  });

  it("reads the tabs again once when one is renamed between the two requests", async () => {
    const id = createWardSpreadsheet(fake, catalogues);
    fake.failNext({ api: "sheets", pathIncludes: "values:batchGet" }, 400, { message: "Unable to parse range: 'CA phường kiểu mẫu'!A1:Z1000" });
    const workbook = await source(id).read(ward);
    expect(workbook?.sheets).toHaveLength(2);
    expect(fake.count({ api: "sheets" })).toBe(4);
  });

  it("reads the tabs again once when rows were deleted between the two requests (the range is past the grid)", async () => {
    const id = createWardSpreadsheet(fake, catalogues);
    const tab = catalogues[0]!.tabTitle;
    // The first listing sees 1,000 rows; staff then delete rows, so the range asked for is past the grid.
    const shrink = () =>
      fake.sheets.mutate(id, (s) => {
        const sheet = s.sheets.find((t) => t.title === tab)!;
        sheet.properties.gridProperties = { ...sheet.properties.gridProperties, rowCount: 900 };
      });
    const clients = clientsFor(fake);
    const spreadsheets = clients.sheets.spreadsheets;
    type Get = (params: sheets_v4.Params$Resource$Spreadsheets$Get) => Promise<unknown>;
    const get = spreadsheets.get.bind(spreadsheets) as unknown as Get;
    let listings = 0;
    // The real client, with staff's edit landing right after its first listing.
    const listThenShrink: Get = async (params) => {
      const answer = await get(params);
      if (++listings === 1) shrink();
      return answer;
    };
    spreadsheets.get = listThenShrink as unknown as typeof spreadsheets.get;
    const workbook = await googleSheetSource({ clients, catalogues, spreadsheetIdOf: async () => id, retry: { ...noWait, maxAttempts: 1 } }).read(ward);
    expect(workbook?.sheets).toHaveLength(2);
    expect(fake.count({ api: "sheets" })).toBe(4);
  });
});

describe("googleSheetSource: bounded cost", () => {
  it("refuses 200,000 pasted rows with the local reader's reason, reading at most 5,001 rows", async () => {
    const id = createWardSpreadsheet(fake, catalogues);
    const tab = catalogues[1]!.tabTitle;
    fake.sheets.mutate(id, (spreadsheet) => {
      const sheet = spreadsheet.sheets.find((s) => s.title === tab)!;
      const start = sheet.grid.length;
      ensureGridSize(sheet, 200_000, 3);
      for (let r = start; r < 200_000; r++) ["dán nhầm", r + 1, `TC${r}`].forEach((v, c) => updateCell(sheet, r, c, (cell) => writeValue(cell, v)));
    });
    fake.resetLog();
    const read = source(id).read(ward);
    await expect(read).rejects.toThrow(SheetsReadError);
    await expect(read).rejects.toThrow(
      `Không đọc được bảng tính của phường Nghi Hương: trang tính “${tab}” có 200.000 dòng (tối đa 5.000). Hãy xóa hẳn các dòng thừa bên dưới bảng`,
    );
    const ranges = fake.requests.find((r) => r.path.endsWith("values:batchGet"))?.query.ranges as string[];
    expect(ranges).toContain(`'${tab}'!A1:Z5001`);
    expect(fake.count({ api: "sheets" })).toBe(2);
  });

  it("reads a tab whose grid was grown (“thêm 10.000 hàng”) but holds a normal table", async () => {
    const id = createWardSpreadsheet(fake, catalogues);
    const tab = catalogues[0]!.tabTitle;
    fake.sheets.mutate(id, (s) => {
      const sheet = s.sheets.find((t) => t.title === tab)!;
      sheet.properties.gridProperties = { ...sheet.properties.gridProperties, rowCount: 11_000 };
    });
    const workbook = await source(id).read(ward);
    expect(evaluateWorkbook(workbook!, catalogues, ward).findings).toEqual([]);
  });

  it("costs two Sheets reads per ward: thirty wards fill Google's 60 reads a minute, the thirty-first is refused", async () => {
    const id = createWardSpreadsheet(fake, catalogues);
    const before = fake.quotas.sheetsUsage(fakeServiceAccount).read;
    for (let i = 0; i < 30; i++) await source(id).read(ward);
    expect(fake.quotas.sheetsUsage(fakeServiceAccount).read - before).toBe(60);
    await expect(source(id).read(ward)).rejects.toThrow(/429/u);
    nowMs += 61_000;
    await expect(source(id).read(ward)).resolves.not.toBeNull();
  });
});
