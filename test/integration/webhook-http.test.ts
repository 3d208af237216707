/**
 * The webhook's HTTP edge through the Functions Framework's own test server: what it refuses
 * before any body is read, that every answer is short plain text, and that an unreachable
 * state store gets a 503 (which Drive retries) well inside the function's timeout.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getTestServer } from "@google-cloud/functions-framework/testing";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleConfigYaml } from "../../functions/adapters/local/sample-town.js";
import { startFakeGoogle, type FakeGoogle } from "../fakes/google/server.js";

const TOKEN = "kenh-bi-mat-0123456789";
let fake: FakeGoogle;
let dir: string;

const webhook = () => request(getTestServer("sheetsWebhook"));
const driveHeaders = (overrides: Record<string, string> = {}) => ({
  "X-Goog-Channel-Id": "tieuchi-changes-1",
  "X-Goog-Channel-Token": TOKEN,
  "X-Goog-Resource-Id": "resource-1",
  "X-Goog-Resource-State": "change",
  "X-Goog-Message-Number": "7",
  ...overrides,
});

/** What no answer may contain: markup, a stack frame, a path on this machine. */
function expectPlainShort(response: { text: string; headers: Record<string, string> }): void {
  expect(response.headers["content-type"]).toMatch(/^text\/plain/);
  expect(response.text.length).toBeLessThan(100);
  expect(response.text).not.toMatch(/<html|<pre|\bat .*\(|node_modules|\/work\/|SyntaxError/i);
}

beforeAll(async () => {
  fake = await startFakeGoogle({ now: Date.now });
  dir = await mkdtemp(join(tmpdir(), "tieuchi-webhook-"));
  const google = "google:\n  wardsFolderId: wards-folder\n  reportsFolderId: reports-folder\n  webhookUrl: https://tieuchi.example/sheetsWebhook\n";
  await writeFile(join(dir, "tieuchi.config.yaml"), `${sampleConfigYaml("2026-11-27")}\n${google}`);
  Object.assign(process.env, {
    TIEUCHI_CONFIG: join(dir, "tieuchi.config.yaml"),
    TIEUCHI_STATE_BUCKET: "state",
    TIEUCHI_CHANNEL_TOKEN: TOKEN,
    TIEUCHI_GOOGLE_ROOT_URL: fake.url,
    TIEUCHI_GOOGLE_ACCESS_TOKEN: "test-token",
  });
  await import("../../functions/index.js");
});
afterAll(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

describe("sheetsWebhook refuses before reading the body", () => {
  it("answers a wrong token with a malformed JSON body 403 in plain text, calling no Google API", async () => {
    fake.resetLog();
    const response = await webhook().post("/").set(driveHeaders({ "X-Goog-Channel-Token": "sai" })).set("Content-Type", "application/json").send('{"bad');
    expect(response.status).toBe(403);
    expectPlainShort(response);
    expect(fake.requests).toHaveLength(0);
  });

  it("answers a missing token 403 whatever the body", async () => {
    const { "X-Goog-Channel-Token": _omitted, ...withoutToken } = driveHeaders();
    const response = await webhook().post("/").set(withoutToken).set("Content-Type", "application/x-www-form-urlencoded").send("a=%E0%A4%A");
    expect(response.status).toBe(403);
    expectPlainShort(response);
  });

  it.each(["GET", "PUT", "DELETE", "PATCH"] as const)("answers %s 405 with Allow: POST", async (method) => {
    const response = await webhook()[method.toLowerCase() as "get" | "put" | "delete" | "patch"]("/").set(driveHeaders());
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe("POST");
    expectPlainShort(response);
  });

  it.each(["0", "-1", "1.5", "abc", "1e3", "9".repeat(20), ""])("answers X-Goog-Message-Number %j 400", async (messageNumber) => {
    fake.resetLog();
    const response = await webhook().post("/").set(driveHeaders({ "X-Goog-Message-Number": messageNumber }));
    expect(response.status).toBe(400);
    expectPlainShort(response);
    expect(fake.requests).toHaveLength(0);
  });

  it("answers a missing X-Goog-Message-Number 400", async () => {
    const { "X-Goog-Message-Number": _omitted, ...headers } = driveHeaders();
    expect((await webhook().post("/").set(headers)).status).toBe(400);
  });
});

describe("sheetsWebhook and the other functions answer errors in plain text", () => {
  it("answers a malformed JSON body with the right token 400, without the framework's HTML page", async () => {
    const response = await webhook().post("/").set(driveHeaders()).set("Content-Type", "application/json").send('{"bad');
    expect(response.status).toBe(400);
    expectPlainShort(response);
  });

  it("answers a malformed CloudEvent to digest 400 in plain text", async () => {
    const response = await request(getTestServer("digest")).post("/").set("Content-Type", "application/cloudevents+json").send("{not json");
    expect(response.status).toBe(400);
    expectPlainShort(response);
  });
});

describe("sheetsWebhook with the state store out of reach", () => {
  it("answers 503 (Drive retries it) within the webhook's budget", async () => {
    fake.failNext({ api: "storage" }, 503, { times: 50 });
    const start = Date.now();
    const response = await webhook().post("/").set(driveHeaders());
    expect(response.status).toBe(503);
    expect(response.headers["retry-after"]).toBe("30");
    expectPlainShort(response);
    expect(Date.now() - start).toBeLessThan(20_000);
  }, 30_000);
});
