import { sheets } from "@googleapis/sheets";
import { gaxios } from "google-auth-library";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FakeGoogleClients, fakeGoogleClients } from "../../fakes/google/clients.js";
import { parseFieldSelector, selectFields } from "../../fakes/google/field-mask.js";
import { parseCells, quoteTitle, splitRange } from "../../fakes/google/sheets-a1.js";
import { type FakeGoogle, startFakeGoogle } from "../../fakes/google/server.js";

const { GaxiosError } = gaxios;
type GaxiosError<T = unknown> = gaxios.GaxiosError<T>;

let fake: FakeGoogle;
let clients: FakeGoogleClients;
let spreadsheetId: string;

beforeAll(async () => {
  fake = await startFakeGoogle({ now: Date.now });
  clients = fakeGoogleClients(fake);
  spreadsheetId = fake.sheets.create("Ward", { Sheet1: [["x"]] });
});
afterAll(() => fake.close());
beforeEach(() => fake.resetLog());

type ErrorBody = { error: { code: number; message: string; status: string; errors: Array<{ reason: string; domain: string; message: string }> } };

async function failureOf(promise: Promise<unknown>): Promise<GaxiosError<ErrorBody>> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(GaxiosError);
  return error as GaxiosError<ErrorBody>;
}

const read = () => clients.sheets.spreadsheets.values.batchGet({ spreadsheetId, ranges: ["Sheet1"] });

describe("fake Google server", () => {
  it("answers a request without a bearer token with a Google 401", async () => {
    const response = await fetch(`${fake.url}v4/spreadsheets/${spreadsheetId}`);
    expect(response.status).toBe(401);
    expect(((await response.json()) as ErrorBody).error).toMatchObject({ code: 401, status: "UNAUTHENTICATED", errors: [{ reason: "required", domain: "global" }] });
    // Without `auth`, googleapis-common sends through its own gaxios copy: a GaxiosError of another module instance.
    const anonymous = sheets({ version: "v4", rootUrl: fake.url });
    const error = await anonymous.spreadsheets.get({ spreadsheetId }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect((error as { status?: number }).status).toBe(401);
    expect(fake.count({ api: "sheets", pathIncludes: spreadsheetId })).toBe(2);
  });

  it("fails the next matching request; the client's own retry covers a GET", async () => {
    fake.failNext({ api: "sheets", method: "GET", pathIncludes: "values:batchGet" }, 429);
    const { data } = await read();
    expect(data.valueRanges?.[0]?.values).toEqual([["x"]]);
    expect(fake.count({ pathIncludes: "values:batchGet" })).toBe(2);
  });

  it("surfaces a failed POST (the client does not retry POST) with a Google error body", async () => {
    fake.failNext({ method: "POST", pathIncludes: ":batchUpdate" }, 403, { reason: "userRateLimitExceeded" });
    const error = await failureOf(clients.sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: [{ addSheet: {} }] } }));
    expect(error.status).toBe(403);
    expect(error.response?.data).toEqual({
      error: { code: 403, message: "User rate limit exceeded.", status: "PERMISSION_DENIED", errors: [{ reason: "userRateLimitExceeded", domain: "global", message: "User rate limit exceeded." }] },
    });
    const after = await clients.sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: [{ addSheet: {} }] } });
    expect(after.data.replies?.[0]?.addSheet?.properties?.title).toBe("Sheet2");
    expect(fake.requests.map((request) => [request.api, request.method])).toEqual([["sheets", "POST"], ["sheets", "POST"]]);
    expect(fake.requests[1]?.body).toEqual({ requests: [{ addSheet: {} }] });
  });

  it("fails as many times as asked, then succeeds", async () => {
    fake.failNext({ api: "sheets" }, 503, { times: 2 });
    const first = await failureOf(clients.sheets.spreadsheets.values.append({ spreadsheetId, range: "Sheet1!A1", valueInputOption: "RAW", requestBody: { values: [["y"]] } }));
    expect(first.response?.data.error.errors[0]?.reason).toBe("backendError");
    const second = await failureOf(clients.sheets.spreadsheets.values.append({ spreadsheetId, range: "Sheet1!A1", valueInputOption: "RAW", requestBody: { values: [["y"]] } }));
    expect(second.status).toBe(503);
    await read();
    expect(fake.count({})).toBe(3);
    expect(fake.count({ method: "post" })).toBe(2);
  });

  it("answers a path no fake API serves with 404", async () => {
    const error = await failureOf(clients.auth.request({ url: `${fake.url}v4/spreadsheets/${spreadsheetId}/developerMetadata/1`, retry: false }));
    expect(error.status).toBe(404);
  });
});

describe("field masks and A1 notation", () => {
  it("selects nested fields", () => {
    const selector = parseFieldSelector("nextPageToken, files(id, owners/emailAddress)");
    const value = { kind: "x", nextPageToken: "t", files: [{ id: "1", name: "n", owners: [{ emailAddress: "a", displayName: "A" }] }] };
    expect(selectFields(value, selector)).toEqual({ nextPageToken: "t", files: [{ id: "1", owners: [{ emailAddress: "a" }] }] });
  });

  it.each([
    ["'Tab name'!A1:H10", { title: "Tab name", cells: "A1:H10" }],
    ["'It''s'", { title: "It's", cells: undefined }],
    ["Tab!A:H", { title: "Tab", cells: "A:H" }],
    ["A1:B2", { title: undefined, cells: "A1:B2" }],
  ])("splits %s", (range, expected) => {
    expect(splitRange(range)).toEqual(expected);
  });

  it.each([
    ["A1", { startRow: 0, startColumn: 0, endRow: 1, endColumn: 1 }],
    ["B2:AA10", { startRow: 1, startColumn: 1, endRow: 10, endColumn: 27 }],
    ["A:H", { startRow: 0, startColumn: 0, endRow: undefined, endColumn: 8 }],
    ["A2:H", { startRow: 1, startColumn: 0, endRow: undefined, endColumn: 8 }],
    ["2:5", { startRow: 1, startColumn: 0, endRow: 5, endColumn: undefined }],
    ["B2:A1", undefined],
    ["A0", undefined],
  ])("parses cells %s", (cells, expected) => {
    expect(parseCells(cells)).toEqual(expected);
  });

  it("quotes titles as the API echoes them", () => {
    expect([quoteTitle("Sheet1"), quoteTitle("Kiểm tra"), quoteTitle("A1"), quoteTitle("It's")]).toEqual(["Sheet1", "'Kiểm tra'", "'A1'", "'It''s'"]);
  });
});
