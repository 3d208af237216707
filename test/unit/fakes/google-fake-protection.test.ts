/** Protected ranges in the fake Sheets API, as Google enforces them on writes by identity. */
import type { sheets_v4 } from "@googleapis/sheets";
import { OAuth2Client, gaxios } from "google-auth-library";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manualClock } from "../../fakes/clock.js";
import { fakeGoogleClients } from "../../fakes/google/clients.js";
import { type FakeGoogle, fakeServiceAccount, scopes, startFakeGoogle } from "../../fakes/google/server.js";

const WARD = "canbo.nghihuong@cualo.example";
const APPRAISER = "thamdinh@congan.example";
const PROTECTED = "You are trying to edit a protected cell or object. Please contact the spreadsheet owner to remove protection if you need to edit.";

let fake: FakeGoogle;
let admin: sheets_v4.Sheets;
const as: Record<string, sheets_v4.Sheets> = {};

function clientFor(token: string): sheets_v4.Sheets {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: token, expiry_date: Date.now() + 3_600_000 });
  return fakeGoogleClients(fake, auth).sheets;
}

beforeAll(async () => {
  fake = await startFakeGoogle({ now: manualClock("2026-12-01T08:00:00+07:00").ms, drive: { lagMs: 0 } });
  admin = fakeGoogleClients(fake).sheets;
  for (const [token, email] of [["ward-token", WARD], ["appraiser-token", APPRAISER]] as const) {
    fake.identities.add({ token, email, kind: "user", scopes: [scopes.spreadsheets] });
    as[email] = clientFor(token);
  }
});
afterAll(() => fake.close());

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(gaxios.GaxiosError);
  return (error as gaxios.GaxiosError).response?.data;
}

/** A spreadsheet shared with the ward and the appraiser as writers, column E protected for the appraiser. */
async function world(): Promise<{ id: string; protectedRangeId: number }> {
  const id = fake.sheets.create("Phường", { A: [["Mã", "Kết quả", "", "", "Thẩm định"], ["1.1", "Đạt"]] });
  for (const email of [WARD, APPRAISER]) fake.drive.share(id, email, "writer");
  const range = { sheetId: 0, startRowIndex: 1, startColumnIndex: 4, endColumnIndex: 5 };
  const { data } = await admin.spreadsheets.batchUpdate({
    spreadsheetId: id,
    requestBody: { requests: [{ addProtectedRange: { protectedRange: { range, description: "tieuchi: thẩm định", editors: { users: [APPRAISER] } } } }] },
  });
  const reply = data.replies?.[0]?.addProtectedRange?.protectedRange;
  expect(reply).toMatchObject({ requestingUserCanEdit: true, editors: { users: [APPRAISER, fakeServiceAccount] } });
  return { id, protectedRangeId: reply?.protectedRangeId ?? -1 };
}

const write = (client: sheets_v4.Sheets | undefined, spreadsheetId: string, range: string, value: string) =>
  client!.spreadsheets.values.update({ spreadsheetId, range, valueInputOption: "RAW", requestBody: { values: [[value]] } });

describe("protected ranges", () => {
  it("refuses a write by an identity that is not an editor with Sheets' 400; editors and the requester write", async () => {
    const { id } = await world();
    const version = fake.drive.file(id)?.version;
    expect(await refusal(write(as[WARD], id, "A!E2", "Đạt"))).toEqual({ error: { code: 400, message: PROTECTED, status: "INVALID_ARGUMENT" } });
    // A wider write touching the protected cell fails whole: nothing of it lands.
    const wide = as[WARD]!.spreadsheets.values.batchUpdate({ spreadsheetId: id, requestBody: { valueInputOption: "RAW", data: [{ range: "A!B2:E2", values: [["Chưa đạt", "", "", "Đạt"]] }] } });
    expect(await refusal(wide)).toMatchObject({ error: { code: 400 } });
    expect(fake.sheets.values(id, "A")[1]).toEqual(["1.1", "Đạt"]);
    expect(fake.drive.file(id)?.version).toBe(version);
    await write(as[WARD], id, "A!B2", "Chưa đạt");
    await write(as[APPRAISER], id, "A!E2", "Đạt");
    await write(admin, id, "A!E3", "Chưa đạt");
    expect(fake.sheets.values(id, "A").slice(1)).toEqual([["1.1", "Chưa đạt", "", "", "Đạt"], ["", "", "", "", "Chưa đạt"]]);
    expect(fake.drive.file(id)?.lastModifyingUser).toBe(fakeServiceAccount);
    // Writing the value a protected cell already holds is still an edit of it.
    expect(await refusal(write(as[WARD], id, "A!E2", "Đạt"))).toMatchObject({ error: { code: 400, message: PROTECTED } });
  });

  it("refuses append and batchUpdate cell edits by a non-editor, and changes to the protection itself", async () => {
    const { id, protectedRangeId } = await world();
    const append = as[WARD]!.spreadsheets.values.append({ spreadsheetId: id, range: "A!E:E", valueInputOption: "RAW", requestBody: { values: [["x"]] } });
    expect(await refusal(append)).toMatchObject({ error: { code: 400, message: PROTECTED } });
    const cells = { updateCells: { start: { sheetId: 0, rowIndex: 5, columnIndex: 4 }, rows: [{ values: [{ userEnteredValue: { stringValue: "x" } }] }], fields: "userEnteredValue" } };
    for (const request of [cells, { deleteProtectedRange: { protectedRangeId } }, { updateProtectedRange: { protectedRange: { protectedRangeId, warningOnly: true, editors: {} }, fields: "warningOnly,editors" } }]) {
      expect(await refusal(as[WARD]!.spreadsheets.batchUpdate({ spreadsheetId: id, requestBody: { requests: [request] } }))).toMatchObject({ error: { code: 400, message: PROTECTED } });
    }
    await as[APPRAISER]!.spreadsheets.batchUpdate({ spreadsheetId: id, requestBody: { requests: [cells] } });
    await admin.spreadsheets.batchUpdate({ spreadsheetId: id, requestBody: { requests: [{ deleteProtectedRange: { protectedRangeId } }] } });
    await write(as[WARD], id, "A!E2", "Đạt");
    expect(fake.sheets.values(id, "A")[1]?.[4]).toBe("Đạt");
  });

  it("shows editors only to those who can edit the range, and requestingUserCanEdit for the caller", async () => {
    const { id } = await world();
    const read = async (client: sheets_v4.Sheets | undefined) =>
      (await client!.spreadsheets.get({ spreadsheetId: id, fields: "sheets(protectedRanges(description,editors,requestingUserCanEdit))" })).data.sheets?.[0]?.protectedRanges;
    expect(await read(as[WARD])).toEqual([{ description: "tieuchi: thẩm định", requestingUserCanEdit: false }]);
    expect(await read(as[APPRAISER])).toEqual([{ description: "tieuchi: thẩm định", requestingUserCanEdit: true, editors: { users: [APPRAISER, fakeServiceAccount] } }]);
  });

  it("lets anyone write through a warning-only protection, and refuses editors on one", async () => {
    const id = fake.sheets.create("Phường", { A: [["Mã"]] });
    fake.drive.share(id, WARD, "writer");
    const warning = { addProtectedRange: { protectedRange: { range: { sheetId: 0 }, warningOnly: true } } };
    await admin.spreadsheets.batchUpdate({ spreadsheetId: id, requestBody: { requests: [warning] } });
    await write(as[WARD], id, "A!A1", "Mã tiêu chí");
    expect(fake.sheets.values(id, "A")).toEqual([["Mã tiêu chí"]]);
    const both = { addProtectedRange: { protectedRange: { range: { sheetId: 0 }, warningOnly: true, editors: { users: [WARD] } } } };
    expect(await refusal(admin.spreadsheets.batchUpdate({ spreadsheetId: id, requestBody: { requests: [both] } }))).toMatchObject({ error: { code: 400 } });
  });

  it("refuses what staff type in the browser into a cell they may not edit, as the UI does", async () => {
    const { id } = await world();
    expect(() => fake.sheets.typeAs(WARD, id, "A", "E2", [["Đạt"]])).toThrow(PROTECTED);
    fake.sheets.typeAs(APPRAISER, id, "A", "E2", [["Đạt"]]);
    expect(fake.drive.file(id)?.lastModifyingUser).toBe(APPRAISER);
  });
});
