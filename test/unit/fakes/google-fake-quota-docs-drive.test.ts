/**
 * The Docs and Drive quotas of the strict fake, through the real clients: Docs refuses the 61st write of
 * a minute per user (300 reads) with 429 RESOURCE_EXHAUSTED as Sheets does; Drive counts every request
 * against 12,000 queries a minute and refuses with its 403 userRateLimitExceeded / rateLimitExceeded.
 * Both refill in a rolling minute on the injected clock and are quota errors to the product's retry.
 */
import { docs as docsApi } from "@googleapis/docs";
import { drive as driveApi } from "@googleapis/drive";
import { OAuth2Client, gaxios } from "google-auth-library";
import { afterEach, describe, expect, it } from "vitest";
import { isQuotaError, reasonsOf } from "../../../functions/adapters/google/google-errors.js";
import { manualClock } from "../../fakes/clock.js";
import { type FakeGoogle, type FakeGoogleOptions, startFakeGoogle } from "../../fakes/google/server.js";

let fake: FakeGoogle | undefined;
afterEach(() => fake?.close());

async function start(options: Omit<FakeGoogleOptions, "now"> = {}) {
  const clock = manualClock("2026-12-01T08:00:00+07:00");
  fake = await startFakeGoogle({ now: clock.ms, ...options });
  return { clock, fake };
}

function authOf(token: string): OAuth2Client {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: token, expiry_date: 8.64e15 });
  return auth;
}

async function failureOf(promise: Promise<unknown>): Promise<gaxios.GaxiosError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(gaxios.GaxiosError);
  return error as gaxios.GaxiosError;
}

const style = { requests: [{ updateDocumentStyle: { documentStyle: { marginTop: { magnitude: 50, unit: "PT" } }, fields: "marginTop" } }] };

describe("Docs quotas (60 writes and 300 reads per minute per user; 600 and 3,000 per project)", () => {
  it("refuses the 61st write of a minute with Google's 429 body, counts reads apart, refills after a minute", async () => {
    const { clock, fake } = await start();
    const docs = docsApi({ version: "v1", auth: authOf("user-token"), rootUrl: fake.url, retry: false });
    const { data } = await docs.documents.create({ requestBody: { title: "Báo cáo" } });
    const documentId = data.documentId ?? "";
    for (let i = 0; i < 59; i++) await docs.documents.batchUpdate({ documentId, requestBody: style });
    const error = await failureOf(docs.documents.batchUpdate({ documentId, requestBody: style }));
    expect(error.status).toBe(429);
    expect(error.response?.data).toEqual({
      error: {
        code: 429,
        message: "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per minute per user' of service 'docs.googleapis.com' for consumer 'project_number:123456789'.",
        status: "RESOURCE_EXHAUSTED",
        details: [
          expect.objectContaining({ reason: "RATE_LIMIT_EXCEEDED", metadata: expect.objectContaining({ quota_metric: "docs.googleapis.com/write_requests", quota_limit: "WriteRequestsPerMinutePerUser", quota_limit_value: "60", service: "docs.googleapis.com" }) }),
          expect.objectContaining({ "@type": "type.googleapis.com/google.rpc.Help" }),
        ],
      },
    });
    expect([isQuotaError(error), reasonsOf(error)]).toEqual([true, ["RATE_LIMIT_EXCEEDED"]]);
    await expect(docs.documents.get({ documentId })).resolves.toMatchObject({ status: 200 });
    expect(fake.quotas.docsUsage(fake.identities.byToken("user-token")?.email)).toEqual({ read: 1, write: 60 });
    clock.advance(59_999);
    expect((await failureOf(docs.documents.batchUpdate({ documentId, requestBody: style }))).status).toBe(429);
    clock.advance(1);
    await expect(docs.documents.batchUpdate({ documentId, requestBody: style })).resolves.toMatchObject({ status: 200 });
    expect(fake.quotas.refusals.map((r) => [r.api, r.limit])).toEqual([["docs", "WriteRequestsPerMinutePerUser"], ["docs", "WriteRequestsPerMinutePerUser"]]);
  });

  it("enforces the project-wide write limit across identities", async () => {
    const { fake } = await start({ quotas: { docs: { writePerMinutePerProject: 3 } } });
    const [user, service] = ["user-token", "test-token"].map((token) => docsApi({ version: "v1", auth: authOf(token), rootUrl: fake.url, retry: false }));
    for (const title of ["1", "2", "3"]) await user!.documents.create({ requestBody: { title } });
    // The quota is checked before the method runs: the service account's own refusal (no storage) never comes.
    const error = await failureOf(service!.documents.create({ requestBody: { title: "4" } }));
    expect(error.status).toBe(429);
    expect((error.response?.data as { error: { message: string } }).error.message).toMatch(/limit 'Write requests per minute' of service 'docs.googleapis.com'/);
  });
});

describe("Drive quotas (12,000 queries per minute per user and per project)", () => {
  it("counts every request alike and refuses with Drive's 403 userRateLimitExceeded, then the project's rateLimitExceeded", async () => {
    const { clock, fake } = await start({ quotas: { drive: { queriesPerMinutePerUser: 3, queriesPerMinutePerProject: 4 } } });
    const [a, b] = ["user-token", "test-token"].map((token) => driveApi({ version: "v3", auth: authOf(token), rootUrl: fake.url, retry: false }));
    await a!.files.list({ pageSize: 1 });
    await a!.files.create({ requestBody: { name: "x", mimeType: "application/vnd.google-apps.folder" } });
    await a!.about.get({ fields: "user" });
    const user = await failureOf(a!.files.list({ pageSize: 1 }));
    expect(user.status).toBe(403);
    const help = "https://console.developers.google.com/apis/api/drive.googleapis.com/quotas?project=123456789";
    const message = `User Rate Limit Exceeded. Rate of requests for user exceed configured project quota. You may consider re-evaluating expected per-user traffic to the API and adjust project quota limits accordingly. You may monitor aggregate quota usage and adjust limits in the API Console: ${help}`;
    expect(user.response?.data).toEqual({ error: { code: 403, message, errors: [{ message, domain: "usageLimits", reason: "userRateLimitExceeded", extendedHelp: help }] } });
    expect(isQuotaError(user)).toBe(true);
    await b!.files.list({ pageSize: 1 });
    const project = await failureOf(b!.files.list({ pageSize: 1 }));
    expect(project.response?.data).toEqual({ error: { code: 403, message: "Rate Limit Exceeded", errors: [{ message: "Rate Limit Exceeded", domain: "usageLimits", reason: "rateLimitExceeded" }] } });
    expect(isQuotaError(project)).toBe(true);
    clock.advance(60_000);
    await expect(a!.files.list({ pageSize: 1 })).resolves.toMatchObject({ status: 200 });
  });

  it("defaults to Google's numbers and can be turned off", async () => {
    const { fake } = await start({ quotas: { docs: false, drive: false } });
    expect([fake.quotas.docsLimits, fake.quotas.driveLimits]).toEqual([null, null]);
    await fake.close();
    const strict = await start();
    expect(strict.fake.quotas.driveLimits).toEqual({ queriesPerMinutePerUser: 12_000, queriesPerMinutePerProject: 12_000 });
    expect(strict.fake.quotas.docsLimits).toEqual({ readPerMinutePerUser: 300, writePerMinutePerUser: 60, readPerMinutePerProject: 3000, writePerMinutePerProject: 600 });
  });
});
