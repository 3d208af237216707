import { sheets } from "@googleapis/sheets";
import { gaxios } from "google-auth-library";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { manualClock } from "../../fakes/clock.js";
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
  fake = await startFakeGoogle({ now: manualClock("2026-12-01T08:00:00+07:00").ms});
  clients = fakeGoogleClients(fake);
  spreadsheetId = fake.sheets.create("Ward", { Sheet1: [["x"]] });
});
afterAll(() => fake.close());
beforeEach(() => fake.resetLog());

type ErrorBody = { error: { code: number; message: string; status?: string; errors?: Array<{ reason: string; domain: string; message: string }>; details?: unknown[] } };

async function failureOf(promise: Promise<unknown>): Promise<GaxiosError<ErrorBody>> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(GaxiosError);
  return error as GaxiosError<ErrorBody>;
}

const read = () => clients.sheets.spreadsheets.values.batchGet({ spreadsheetId, ranges: ["Sheet1"] });
const get = (path: string, token?: string) => fetch(`${fake.url}${path}`, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });
const devconsole = "Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.";

describe("fake Google server: who is calling", () => {
  it("answers a request without a bearer token with each API's 401", async () => {
    const response = await get(`v4/spreadsheets/${spreadsheetId}`);
    expect([response.status, response.headers.get("www-authenticate")]).toEqual([401, 'Bearer realm="https://accounts.google.com/"']);
    expect(await response.json()).toEqual({
      error: {
        code: 401,
        message: `Request is missing required authentication credential. ${devconsole}`,
        status: "UNAUTHENTICATED",
        details: [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "CREDENTIALS_MISSING", domain: "googleapis.com", metadata: { service: "sheets.googleapis.com" } }],
      },
    });
    const drive = (await (await get("drive/v3/files")).json()) as ErrorBody;
    expect(drive.error).toMatchObject({ code: 401, status: "UNAUTHENTICATED", errors: [{ message: "Login Required.", domain: "global", reason: "required", location: "Authorization", locationType: "header" }] });
    const storage = (await (await get("storage/v1/b/state/o")).json()) as ErrorBody;
    expect(storage.error.status).toBeUndefined();
    expect(storage.error.errors?.[0]).toMatchObject({ reason: "required", domain: "global" });
    // Without `auth`, googleapis-common sends through its own gaxios copy: a GaxiosError of another module instance.
    const anonymous = sheets({ version: "v4", rootUrl: fake.url });
    const error = await anonymous.spreadsheets.get({ spreadsheetId }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect((error as { status?: number }).status).toBe(401);
    expect(fake.count({ api: "sheets", pathIncludes: spreadsheetId })).toBe(2);
  });

  it("refuses a token it does not know, in the API's shape", async () => {
    const response = await get(`v4/spreadsheets/${spreadsheetId}`, "made-up");
    expect(await response.json()).toMatchObject({ error: { code: 401, message: `Request had invalid authentication credentials. ${devconsole}`, status: "UNAUTHENTICATED", details: [{ reason: "ACCESS_TOKEN_TYPE_UNSUPPORTED" }] } });
    expect(await (await get("drive/v3/files", "made-up")).json()).toMatchObject({ error: { code: 401, errors: [{ message: "Invalid Credentials", reason: "authError" }] } });
  });

  it("refuses a token without a scope the API accepts (403 ACCESS_TOKEN_SCOPE_INSUFFICIENT), reads allowed with a read-only scope", async () => {
    fake.identities.add({ token: "drive-only", email: "x@gmail.example", kind: "user", scopes: ["https://www.googleapis.com/auth/drive.metadata.readonly"] });
    fake.identities.add({ token: "sheets-ro", email: "y@gmail.example", kind: "user", scopes: ["https://www.googleapis.com/auth/spreadsheets.readonly"] });
    const refused = await get(`v4/spreadsheets/${spreadsheetId}`, "drive-only");
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { message: "Request had insufficient authentication scopes.", status: "PERMISSION_DENIED", details: [{ reason: "ACCESS_TOKEN_SCOPE_INSUFFICIENT" }] } });
    expect((await get("storage/v1/b/state/o", "sheets-ro")).status).toBe(403);
    const write = await fetch(`${fake.url}v4/spreadsheets/${spreadsheetId}:batchUpdate`, { method: "POST", headers: { authorization: "Bearer sheets-ro", "content-type": "application/json" }, body: '{"requests":[]}' });
    expect(write.status).toBe(403);
  });

  it("answers every request to a disabled API with SERVICE_DISABLED (Drive: accessNotConfigured) until enabled", async () => {
    fake.disableApi("sheets");
    fake.disableApi("drive");
    const error = await failureOf(read());
    const message =
      "Google Sheets API has not been used in project 123456789 before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/sheets.googleapis.com/overview?project=123456789 then retry. If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry.";
    expect(error.status).toBe(403);
    expect(error.response?.data.error).toMatchObject({ code: 403, message, status: "PERMISSION_DENIED", details: [{ reason: "SERVICE_DISABLED", domain: "googleapis.com", metadata: { service: "sheets.googleapis.com", consumer: "projects/123456789" } }, {}, {}] });
    expect(error.response?.data.error.errors).toBeUndefined();
    const drive = await failureOf(clients.drive.files.list({}));
    expect(drive.response?.data.error).toMatchObject({ status: "PERMISSION_DENIED", errors: [{ domain: "usageLimits", reason: "accessNotConfigured" }], details: [{ reason: "SERVICE_DISABLED" }, {}, {}] });
    fake.enableApi("sheets");
    fake.enableApi("drive");
    await expect(read()).resolves.toMatchObject({ status: 200 });
  });
});

describe("fake Google server: scripted failures", () => {
  it("fails the next matching request; the client's own retry covers a GET", async () => {
    fake.failNext({ api: "sheets", method: "GET", pathIncludes: "values:batchGet" }, 429);
    const { data } = await read();
    expect(data.valueRanges?.[0]?.values).toEqual([["x"]]);
    expect(fake.count({ pathIncludes: "values:batchGet" })).toBe(2);
  });

  it("surfaces a failed POST (the client does not retry POST) with the Sheets body: status + details, no errors[]", async () => {
    fake.failNext({ method: "POST", pathIncludes: ":batchUpdate" }, 429);
    const error = await failureOf(clients.sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: [{ addSheet: {} }] } }));
    expect(error.status).toBe(429);
    expect(error.response?.data.error).toMatchObject({ code: 429, status: "RESOURCE_EXHAUSTED", details: [{ reason: "RATE_LIMIT_EXCEEDED", metadata: { quota_metric: "sheets.googleapis.com/write_requests" } }, {}] });
    expect(error.response?.data.error.errors).toBeUndefined();
    const after = await clients.sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests: [{ addSheet: {} }] } });
    expect(after.data.replies?.[0]?.addSheet?.properties?.title).toBe("Sheet2");
    expect(fake.requests.map((request) => [request.api, request.method])).toEqual([["sheets", "POST"], ["sheets", "POST"]]);
    expect(fake.requests[1]?.body).toEqual({ requests: [{ addSheet: {} }] });
  });

  it("fails as many times as asked, then succeeds; Drive bodies keep errors[].reason", async () => {
    fake.failNext({ api: "sheets" }, 503, { times: 2 });
    const first = await failureOf(clients.sheets.spreadsheets.values.append({ spreadsheetId, range: "Sheet1!A1", valueInputOption: "RAW", requestBody: { values: [["y"]] } }));
    expect(first.response?.data.error).toEqual({ code: 503, message: "The service is currently unavailable.", status: "UNAVAILABLE" });
    const second = await failureOf(clients.sheets.spreadsheets.values.append({ spreadsheetId, range: "Sheet1!A1", valueInputOption: "RAW", requestBody: { values: [["y"]] } }));
    expect(second.status).toBe(503);
    await read();
    expect(fake.count({})).toBe(3);
    expect(fake.count({ method: "post" })).toBe(2);
    fake.failNext({ api: "drive" }, 403, { reason: "userRateLimitExceeded", message: "User rate limit exceeded." });
    const drive = await failureOf(clients.drive.files.create({ requestBody: { name: "x" } }));
    expect(drive.response?.data).toEqual({ error: { code: 403, message: "User rate limit exceeded.", errors: [{ message: "User rate limit exceeded.", domain: "usageLimits", reason: "userRateLimitExceeded" }] } });
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
