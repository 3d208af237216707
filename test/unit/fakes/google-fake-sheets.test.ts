import type { sheets_v4 } from "@googleapis/sheets";
import { gaxios } from "google-auth-library";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { OAuth2Client } from "google-auth-library";
import { manualClock } from "../../fakes/clock.js";
import { type FakeGoogleClients, fakeGoogleClients } from "../../fakes/google/clients.js";
import { type FakeGoogle, fakeServiceAccount, fakeUser, startFakeGoogle } from "../../fakes/google/server.js";

const { GaxiosError } = gaxios;
type GaxiosError<T = unknown> = gaxios.GaxiosError<T>;

let fake: FakeGoogle;
let client: sheets_v4.Sheets;
let clients: FakeGoogleClients;

beforeAll(async () => {
  // No Drive lag here: these tests count the Drive version bump of each Sheets write (the lag has its own tests).
  fake = await startFakeGoogle({ now: manualClock("2026-12-01T08:00:00+07:00").ms, drive: { lagMs: 0 } });
  clients = fakeGoogleClients(fake);
  client = clients.sheets;
});
afterAll(() => fake.close());
beforeEach(() => fake.resetLog());

async function statusOf(promise: Promise<unknown>): Promise<{ status: number | undefined; message: string }> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(GaxiosError);
  return { status: (error as GaxiosError).status, message: (error as GaxiosError).message };
}

describe("fake Sheets v4 through the real client", () => {
  it("creates a spreadsheet in the caller's My Drive: a user can, a service account (no storage) gets 403", async () => {
    const requestBody = { properties: { title: "Phường 1" }, sheets: [{ properties: { title: "Tiêu chí", gridProperties: { rowCount: 50, columnCount: 8 } } }] };
    const refused = await client.spreadsheets.create({ requestBody }).catch((caught: unknown) => caught);
    expect((refused as GaxiosError).response?.data).toEqual({ error: { code: 403, message: "The caller does not have permission", status: "PERMISSION_DENIED" } });
    const userAuth = new OAuth2Client();
    userAuth.setCredentials({ access_token: "user-token", expiry_date: Date.now() + 3_600_000 });
    const { data } = await fakeGoogleClients(fake, userAuth).sheets.spreadsheets.create({ requestBody });
    expect(data.spreadsheetId).toMatch(/^[\w-]{20,}$/);
    expect(data.spreadsheetUrl).toBe(`https://docs.google.com/spreadsheets/d/${data.spreadsheetId}/edit`);
    expect(data.sheets?.[0]?.properties).toEqual({ sheetId: 0, title: "Tiêu chí", index: 0, sheetType: "GRID", gridProperties: { rowCount: 50, columnCount: 8 } });
    const file = fake.drive.file(data.spreadsheetId ?? "");
    expect(file).toMatchObject({ mimeType: "application/vnd.google-apps.spreadsheet", owners: [fakeUser], version: "1", name: "Phường 1" });
  });

  it("batchGets unformatted values with the real API's trimming", async () => {
    const id = fake.sheets.create("Ward", {
      "Tiêu chí": [["Mã", "Đạt", "Điểm"], ["1.1", true, 5], ["1.2", null, 2.5, null, null], [null, null], ["", null, null]],
      Other: [],
    });
    fake.sheets.setFormulaError(id, "Tiêu chí", "D2", "#REF!");
    const { data } = await client.spreadsheets.values.batchGet({
      spreadsheetId: id,
      ranges: ["'Tiêu chí'!A1:H40", "Other", "'Tiêu chí'!A:B"],
      valueRenderOption: "UNFORMATTED_VALUE",
      dateTimeRenderOption: "SERIAL_NUMBER",
      majorDimension: "ROWS",
    });
    expect(data.valueRanges).toEqual([
      { range: "'Tiêu chí'!A1:H40", majorDimension: "ROWS", values: [["Mã", "Đạt", "Điểm"], ["1.1", true, 5, "#REF!"], ["1.2", "", 2.5]] },
      { range: "Other!A1:Z1000", majorDimension: "ROWS" },
      { range: "'Tiêu chí'!A1:B1000", majorDimension: "ROWS", values: [["Mã", "Đạt"], ["1.1", true], ["1.2"]] },
    ]);
    expect(fake.count({ api: "sheets", method: "GET", pathIncludes: "values:batchGet" })).toBe(1);
    expect(fake.requests[0]?.query.ranges).toEqual(["'Tiêu chí'!A1:H40", "Other", "'Tiêu chí'!A:B"]);
  });

  it("renders formatted values by default and columns on request", async () => {
    const id = fake.sheets.create("Ward", { Sheet1: [[1, true], [2.5]] });
    const formatted = await client.spreadsheets.values.get({ spreadsheetId: id, range: "Sheet1!A1:B2" });
    expect(formatted.data.values).toEqual([["1", "TRUE"], ["2.5"]]);
    const columns = await client.spreadsheets.values.get({ spreadsheetId: id, range: "A1:B2", majorDimension: "COLUMNS", valueRenderOption: "UNFORMATTED_VALUE" });
    expect(columns.data).toEqual({ range: "Sheet1!A1:B2", majorDimension: "COLUMNS", values: [[1, 2.5], [true]] });
  });

  it("answers an unknown tab or a range past the grid with 400", async () => {
    const id = fake.sheets.create("Ward", { Sheet1: [["x"]] });
    const unknown = await statusOf(client.spreadsheets.values.batchGet({ spreadsheetId: id, ranges: ["'Không có'!A1:B2"] }));
    expect(unknown).toEqual({ status: 400, message: "Unable to parse range: 'Không có'!A1:B2" });
    const past = await statusOf(client.spreadsheets.values.get({ spreadsheetId: id, range: "Sheet1!A1:AB2" }));
    expect(past).toEqual({ status: 400, message: "Range (Sheet1!A1:AB2) exceeds grid limits. Max rows: 1000, max columns: 26" });
  });

  it("writes with update, append and clear, and bumps the Drive version on each", async () => {
    const id = fake.sheets.create("Ward", { Data: [["Tên", "Số"], ["a", 1]] });
    const version = () => Number(fake.drive.file(id)?.version);
    const before = version();
    const update = await client.spreadsheets.values.update({
      spreadsheetId: id,
      range: "Data!A3",
      valueInputOption: "USER_ENTERED",
      requestBody: { values: [["b", "2"], ["'007", "TRUE"], ["2024-01-05", "=SUM(B1:B2)"]] },
    });
    expect(update.data).toEqual({ spreadsheetId: id, updatedRange: "Data!A3:B5", updatedRows: 3, updatedColumns: 2, updatedCells: 6 });
    expect(fake.sheets.values(id, "Data")).toEqual([["Tên", "Số"], ["a", 1], ["b", 2], ["007", true], [45296]]);
    expect(fake.sheets.get(id).sheets[0]?.grid[4]?.[1]?.formula).toBe("=SUM(B1:B2)");

    const append = await client.spreadsheets.values.append({ spreadsheetId: id, range: "Data!A1:B1", valueInputOption: "RAW", requestBody: { values: [["c", "3"]] } });
    expect(append.data).toEqual({
      spreadsheetId: id,
      tableRange: "Data!A1:B5",
      updates: { spreadsheetId: id, updatedRange: "Data!A6:B6", updatedRows: 1, updatedColumns: 2, updatedCells: 2 },
    });
    expect(fake.sheets.values(id, "Data")[5]).toEqual(["c", "3"]);

    const tooWide = await statusOf(client.spreadsheets.values.update({ spreadsheetId: id, range: "Data!A1:B1", valueInputOption: "RAW", requestBody: { values: [["1", "2", "3"]] } }));
    expect(tooWide).toEqual({ status: 400, message: "Requested writing within range [Data!A1:B1], but tried writing to column [C]" });

    await client.spreadsheets.values.clear({ spreadsheetId: id, range: "Data!A3:B6" });
    await client.spreadsheets.values.batchUpdate({
      spreadsheetId: id,
      requestBody: { valueInputOption: "RAW", data: [{ range: "Data!C1", values: [["Ghi chú"]] }, { range: "Data!A2:B2", values: [[null, 9]] }] },
    });
    expect(fake.sheets.values(id, "Data")).toEqual([["Tên", "Số", "Ghi chú"], ["a", 9]]);
    expect(version()).toBe(before + 4);
  });

  it("applies batchUpdate requests and reads them back with spreadsheets.get", async () => {
    const id = fake.sheets.create("Ward", { "Tiêu chí": [["Mã", "Đạt"], ["1.1", "Có"]] });
    const { data } = await client.spreadsheets.batchUpdate({
      spreadsheetId: id,
      requestBody: {
        requests: [
          { addSheet: { properties: { title: "Kiểm tra", gridProperties: { rowCount: 20, columnCount: 5 } } } },
          { setDataValidation: { range: { sheetId: 0, startRowIndex: 1, endRowIndex: 3, startColumnIndex: 1, endColumnIndex: 2 }, rule: { condition: { type: "ONE_OF_LIST", values: [{ userEnteredValue: "Có" }, { userEnteredValue: "Không" }] }, strict: true } } },
          { addProtectedRange: { protectedRange: { range: { sheetId: 0, startRowIndex: 0, endRowIndex: 1 }, description: "Tiêu đề", warningOnly: true } } },
          { updateBorders: { range: { sheetId: 0, startRowIndex: 0, endRowIndex: 1 }, top: { style: "SOLID" } } },
        ],
      },
    });
    const newSheetId = data.replies?.[0]?.addSheet?.properties?.sheetId ?? -1;
    expect(data.replies?.[0]?.addSheet?.properties).toMatchObject({ title: "Kiểm tra", index: 1, gridProperties: { rowCount: 20, columnCount: 5 } });
    expect(data.replies?.[2]?.addProtectedRange?.protectedRange?.protectedRangeId).toEqual(expect.any(Number));
    expect(data.replies?.[1]).toEqual({});

    await client.spreadsheets.batchUpdate({
      spreadsheetId: id,
      requestBody: {
        requests: [
          { updateCells: { start: { sheetId: newSheetId, rowIndex: 0, columnIndex: 0 }, rows: [{ values: [{ userEnteredValue: { stringValue: "Ô" } }, { userEnteredValue: { numberValue: 3 } }] }], fields: "userEnteredValue" } },
          { updateCells: { range: { sheetId: newSheetId, startRowIndex: 1, endRowIndex: 3, startColumnIndex: 0, endColumnIndex: 2 }, rows: [{ values: [{ userEnteredValue: { stringValue: "B2" } }] }], fields: "userEnteredValue" } },
        ],
      },
    });
    expect(fake.sheets.values(id, "Kiểm tra")).toEqual([["Ô", 3], ["B2"]]);
    expect(fake.sheets.dataValidation(id, "Tiêu chí", "B2")?.condition?.type).toBe("ONE_OF_LIST");

    const got = await client.spreadsheets.get({ spreadsheetId: id, includeGridData: true, ranges: ["'Tiêu chí'!A1:B3"] });
    const sheet = got.data.sheets?.[0];
    expect(got.data.sheets).toHaveLength(1);
    expect(sheet?.protectedRanges).toEqual([expect.objectContaining({ description: "Tiêu đề", warningOnly: true, range: { sheetId: 0, startRowIndex: 0, endRowIndex: 1 } })]);
    const rows = sheet?.data?.[0]?.rowData ?? [];
    expect(rows[1]?.values?.[1]).toEqual({
      userEnteredValue: { stringValue: "Có" },
      effectiveValue: { stringValue: "Có" },
      formattedValue: "Có",
      dataValidation: { condition: { type: "ONE_OF_LIST", values: [{ userEnteredValue: "Có" }, { userEnteredValue: "Không" }] }, strict: true },
    });
    expect(rows[2]).toEqual({ values: [{}, { dataValidation: expect.any(Object) }] });

    const masked = await client.spreadsheets.get({ spreadsheetId: id, fields: "sheets(properties(sheetId,title))" });
    expect(masked.data).toEqual({ sheets: [{ properties: { sheetId: 0, title: "Tiêu chí" } }, { properties: { sheetId: newSheetId, title: "Kiểm tra" } }] });
  });

  it("refuses unsupported or invalid requests and applies nothing", async () => {
    const id = fake.sheets.create("Ward", { Sheet1: [["x"]] });
    const version = fake.drive.file(id)?.version;
    const unsupported = await statusOf(
      client.spreadsheets.batchUpdate({ spreadsheetId: id, requestBody: { requests: [{ addSheet: { properties: { title: "New" } } }, { addChart: { chart: {} } }] } }),
    );
    expect(unsupported).toEqual({ status: 400, message: "Invalid requests[1]: the fake Sheets API does not support 'addChart'." });
    const duplicate = await statusOf(client.spreadsheets.batchUpdate({ spreadsheetId: id, requestBody: { requests: [{ addSheet: { properties: { title: "sheet1" } } }] } }));
    expect(duplicate.message).toBe('Invalid requests[0].addSheet: A sheet with the name "sheet1" already exists. Please enter another name.');
    const outside = await statusOf(
      client.spreadsheets.batchUpdate({ spreadsheetId: id, requestBody: { requests: [{ repeatCell: { range: { sheetId: 0, endRowIndex: 1001 }, cell: {}, fields: "userEnteredFormat" } }] } }),
    );
    expect(outside.message).toBe("Invalid requests[0].repeatCell: GridCoordinate.rowIndex[1000] is after last row in grid[999]");
    expect(fake.sheets.sheetTitles(id)).toEqual(["Sheet1"]);
    expect(fake.drive.file(id)?.version).toBe(version);
  });

  it("updates and deletes protected ranges, sheet properties and sheets", async () => {
    const id = fake.sheets.create("Ward", { A: [["x"]], B: [] });
    const added = await client.spreadsheets.batchUpdate({ spreadsheetId: id, requestBody: { requests: [{ addProtectedRange: { protectedRange: { range: { sheetId: 0 } } } }] } });
    const protectedRangeId = added.data.replies?.[0]?.addProtectedRange?.protectedRange?.protectedRangeId ?? 0;
    const sheetB = fake.sheets.get(id).sheets[1]?.sheetId ?? 0;
    await client.spreadsheets.batchUpdate({
      spreadsheetId: id,
      requestBody: {
        requests: [
          { updateProtectedRange: { protectedRange: { protectedRangeId, description: "Khoá" }, fields: "description" } },
          { updateSheetProperties: { properties: { sheetId: sheetB, title: "B2", gridProperties: { frozenRowCount: 1 } }, fields: "title,gridProperties.frozenRowCount" } },
        ],
      },
    });
    expect(fake.sheets.protectedRanges(id, "A")).toEqual([{ protectedRangeId, range: { sheetId: 0 }, editors: { users: [fakeServiceAccount] }, description: "Khoá" }]);
    expect(fake.sheets.get(id).sheets[1]?.properties.gridProperties).toEqual({ rowCount: 1000, columnCount: 26, frozenRowCount: 1 });
    await client.spreadsheets.batchUpdate({ spreadsheetId: id, requestBody: { requests: [{ deleteProtectedRange: { protectedRangeId } }, { deleteSheet: { sheetId: sheetB } }] } });
    expect(fake.sheets.sheetTitles(id)).toEqual(["A"]);
    expect(fake.sheets.protectedRanges(id, "A")).toEqual([]);
  });

  it("answers an unknown spreadsheet with 404", async () => {
    expect(await statusOf(client.spreadsheets.get({ spreadsheetId: "missing" }))).toEqual({ status: 404, message: "Requested entity was not found." });
  });
});
