import { sheets as sheetsApi } from "@googleapis/sheets";
import { OAuth2Client, gaxios } from "google-auth-library";
import { afterEach, describe, expect, it } from "vitest";
import { isQuotaError, reasonsOf } from "../../../functions/adapters/google/google-errors.js";
import { withRetry } from "../../../functions/adapters/google/retry.js";
import { manualClock } from "../../fakes/clock.js";
import { type FakeGoogle, type FakeGoogleOptions, startFakeGoogle } from "../../fakes/google/server.js";

let fake: FakeGoogle | undefined;
afterEach(() => fake?.close());

async function start(options: Omit<FakeGoogleOptions, "now"> = {}) {
  const clock = manualClock("2026-12-01T08:00:00+07:00");
  fake = await startFakeGoogle({ now: clock.ms, ...options });
  return { clock, fake };
}

/** The real Sheets client with the client's own retry off, as the product builds it. */
function sheetsAs(server: FakeGoogle, token: string) {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: token, expiry_date: Date.now() + 3_600_000 });
  return sheetsApi({ version: "v4", auth, rootUrl: server.url, retry: false });
}

async function failureOf(promise: Promise<unknown>): Promise<gaxios.GaxiosError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(gaxios.GaxiosError);
  return error as gaxios.GaxiosError;
}

const readQuotaBody = (limit: string, limitId: string, value: string) => ({
  error: {
    code: 429,
    message: `Quota exceeded for quota metric 'Read requests' and limit '${limit}' of service 'sheets.googleapis.com' for consumer 'project_number:123456789'.`,
    status: "RESOURCE_EXHAUSTED",
    details: [
      {
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        reason: "RATE_LIMIT_EXCEEDED",
        domain: "googleapis.com",
        metadata: expect.objectContaining({ quota_metric: "sheets.googleapis.com/read_requests", quota_limit: limitId, quota_limit_value: value, service: "sheets.googleapis.com", consumer: "projects/123456789" }),
      },
      expect.objectContaining({ "@type": "type.googleapis.com/google.rpc.Help" }),
    ],
  },
});

describe("Sheets quotas (60 reads and 60 writes per minute per identity, 300 per project)", () => {
  it("refuses the 61st read of a minute with Google's 429, per identity, and refills after a minute", async () => {
    const { clock, fake } = await start();
    const id = fake.sheets.create("Ward", { Sheet1: [["x"]] });
    const service = sheetsAs(fake, "test-token");
    for (let i = 0; i < 60; i++) await service.spreadsheets.values.get({ spreadsheetId: id, range: "Sheet1" });
    const error = await failureOf(service.spreadsheets.values.get({ spreadsheetId: id, range: "Sheet1" }));
    expect(error.status).toBe(429);
    expect(error.response?.data).toEqual(readQuotaBody("Read requests per minute per user", "ReadRequestsPerMinutePerUser", "60"));
    expect(isQuotaError(error)).toBe(true);
    expect(reasonsOf(error)).toEqual(["RATE_LIMIT_EXCEEDED"]);
    // Another identity has its own per-user quota; writes have their own quota too.
    await sheetsAs(fake, "user-token").spreadsheets.get({ spreadsheetId: id });
    await service.spreadsheets.values.update({ spreadsheetId: id, range: "Sheet1!A1", valueInputOption: "RAW", requestBody: { values: [["y"]] } });
    expect(fake.quotas.sheetsUsage(fake.identities.byToken("test-token")?.email)).toEqual({ read: 60, write: 1 });
    expect(fake.quotas.sheetsUsage()).toEqual({ read: 61, write: 1 });
    expect(fake.quotas.refusals).toEqual([{ api: "sheets", limit: "ReadRequestsPerMinutePerUser", subject: fake.identities.byToken("test-token")?.email, atMs: clock.ms() }]);
    clock.advance(59_999);
    expect((await failureOf(service.spreadsheets.get({ spreadsheetId: id }))).status).toBe(429);
    clock.advance(1);
    await expect(service.spreadsheets.get({ spreadsheetId: id })).resolves.toMatchObject({ status: 200 });
  });

  it("counts getByDataFilter as a read and every other POST as a write; enforces the project-wide limit", async () => {
    const { fake } = await start({ quotas: { sheets: { readPerMinutePerUser: 3, readPerMinutePerProject: 4, writePerMinutePerUser: 1 } } });
    const id = fake.sheets.create("Ward", { Sheet1: [["x"]] });
    const a = sheetsAs(fake, "test-token");
    const b = sheetsAs(fake, "user-token");
    await a.spreadsheets.getByDataFilter({ spreadsheetId: id, requestBody: { dataFilters: [] } }).catch(() => undefined);
    await a.spreadsheets.values.batchGet({ spreadsheetId: id, ranges: ["Sheet1"] });
    await b.spreadsheets.values.batchGet({ spreadsheetId: id, ranges: ["Sheet1"] });
    await b.spreadsheets.get({ spreadsheetId: id });
    const error = await failureOf(b.spreadsheets.get({ spreadsheetId: id }));
    expect(error.response?.data).toEqual(readQuotaBody("Read requests per minute", "ReadRequestsPerMinutePerProject", "4"));
    await a.spreadsheets.batchUpdate({ spreadsheetId: id, requestBody: { requests: [{ addSheet: {} }] } });
    const write = await failureOf(a.spreadsheets.values.append({ spreadsheetId: id, range: "Sheet1", valueInputOption: "RAW", requestBody: { values: [["z"]] } }));
    expect((write.response?.data as { error: { message: string } }).error.message).toMatch(/^Quota exceeded for quota metric 'Write requests' and limit 'Write requests per minute per user'/);
  });

  it("lets the product's retry outlast the window in virtual time when it sleeps on the test's clock", async () => {
    const { clock, fake } = await start();
    const id = fake.sheets.create("Ward", { Sheet1: [["x"]] });
    const service = sheetsAs(fake, "test-token");
    const started = clock.ms();
    for (let i = 0; i < 70; i++) {
      await withRetry("sheets.values.batchGet", () => service.spreadsheets.values.batchGet({ spreadsheetId: id, ranges: ["Sheet1"] }), { idempotent: true, sleep: clock.sleep, random: () => 0 });
    }
    expect(fake.quotas.refusals.length).toBeGreaterThan(0);
    expect(clock.ms() - started).toBeGreaterThanOrEqual(60_000);
  });

  it("can be turned off for a test that is not about quotas", async () => {
    const { fake } = await start({ quotas: { sheets: false } });
    const id = fake.sheets.create("Ward", { Sheet1: [["x"]] });
    const service = sheetsAs(fake, "test-token");
    for (let i = 0; i < 61; i++) await service.spreadsheets.get({ spreadsheetId: id });
    expect(fake.quotas.refusals).toEqual([]);
  });
});

describe("Cloud Storage: one mutation per second per object name", () => {
  const upload = (server: FakeGoogle, name: string, query = "") =>
    fetch(`${server.url}upload/storage/v1/b/state/o?uploadType=media&name=${encodeURIComponent(name)}${query}`, { method: "POST", headers: { authorization: "Bearer test-token", "content-type": "application/json" }, body: "{}" });

  it("refuses a second write of the same name within a second with Storage's 429, other names are free", async () => {
    const { clock, fake } = await start();
    expect((await upload(fake, "wards/a.json")).status).toBe(200);
    const refused = await upload(fake, "wards/a.json");
    expect(refused.status).toBe(429);
    const message = "The object state/wards/a.json exceeded the rate limit for object mutation operations (create, update, and delete). Please reduce your request rate. See https://cloud.google.com/storage/docs/gcs429.";
    expect(await refused.json()).toEqual({ error: { code: 429, message, errors: [{ message, domain: "usageLimits", reason: "rateLimitExceeded" }] } });
    expect((await upload(fake, "wards/b.json")).status).toBe(200);
    clock.advance(999);
    const del = () => fetch(`${fake.url}storage/v1/b/state/o/${encodeURIComponent("wards/a.json")}`, { method: "DELETE", headers: { authorization: "Bearer test-token" } });
    expect((await del()).status).toBe(429);
    clock.advance(1);
    expect((await del()).status).toBe(204);
    expect(fake.quotas.refusals.map((refusal) => refusal.subject)).toEqual(["state/wards/a.json", "state/wards/a.json"]);
  });

  it("does not count a write refused by its precondition", async () => {
    const { clock, fake } = await start();
    expect((await upload(fake, "c.json", "&ifGenerationMatch=0")).status).toBe(200);
    clock.advance(1000);
    expect((await upload(fake, "c.json", "&ifGenerationMatch=0")).status).toBe(412);
    expect((await upload(fake, "c.json")).status).toBe(200);
  });
});
