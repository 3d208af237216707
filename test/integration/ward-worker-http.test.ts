/**
 * The fan-out through the deployed entry points (Functions Framework test server, runtime.ts
 * composition, real clients, the strict fake): with a queue configured, sweepHttp reads no
 * sheet and enqueues one named task per ward on Cloud Tasks; wardWorker handles each task's
 * body, writes the ward's Kiểm tra tab and answers 200; a repeated delivery costs no Sheets read.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getTestServer } from "@google-cloud/functions-framework/testing";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planWardWorkbook } from "../../sheets-schema/workbook-plan.js";
import { SAMPLE_WARDS, sampleAnswers, sampleConfigYaml } from "../../functions/adapters/local/sample-town.js";
import { gcsKeyValueStore } from "../../functions/adapters/google/gcs-store.js";
import { STATE_KEYS } from "../../functions/app/cloud-ward.js";
import { startFakeGoogle, type FakeGoogle } from "../fakes/google/server.js";
import { fakeGoogleAuth } from "../fakes/google/clients.js";
import { fakeServiceAccount, scopes } from "../fakes/google/identities.js";
import { builtinCatalogues } from "../fixtures/workbooks.js";

const WARDS = ["nghi-huong", "nghi-thu"];
const QUEUE = "projects/cua-lo/locations/asia-southeast1/queues/tieuchi-wards";
let fake: FakeGoogle;
let dir: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  fake = await startFakeGoogle({ now: Date.now, drive: { lagMs: 0 } });
  fake.identities.byToken("test-token")!.scopes.push(scopes.cloudPlatform); // the runtime's account may enqueue
  fake.tasks.addQueue(QUEUE, { maxDispatchesPerSecond: 0.366, maxConcurrentDispatches: 4 });
  const driveId = fake.drive.addSharedDrive({ name: "Công an phường Cửa Lò", members: [{ email: fakeServiceAccount, role: "fileOrganizer" }] });
  fake.drive.addFolder({ id: "wards-folder", name: "Phường", parents: [driveId] });
  const catalogues = await builtinCatalogues();
  for (const id of WARDS) {
    const ward = SAMPLE_WARDS.find((w) => w.id === id)!;
    const plan = planWardWorkbook(catalogues, ward.typedName, "02/11/2023", sampleAnswers(ward, catalogues));
    ids[id] = fake.sheets.create(ward.name, Object.fromEntries(plan.tabs.map((t) => [t.title, t.rows.map((r) => r.map((c) => c.value))])), { parents: ["wards-folder"] });
  }
  const kv = gcsKeyValueStore({ auth: fakeGoogleAuth(), bucket: "state", rootUrl: fake.url });
  await kv.put(STATE_KEYS.registry, Object.fromEntries(WARDS.map((w) => [w, { spreadsheetId: ids[w], checkSheetId: null }])), null);
  dir = await mkdtemp(join(tmpdir(), "tieuchi-worker-"));
  const base = sampleConfigYaml("2026-11-27");
  const wards = base.slice(base.indexOf("wards:\n"), base.indexOf("# Báo cáo"));
  const kept = wards.split("  - id: ").filter((chunk) => WARDS.some((w) => chunk.startsWith(`${w}\n`))).map((c) => `  - id: ${c}`);
  await writeFile(join(dir, "tieuchi.config.yaml"), `${base.replace(wards, `wards:\n${kept.join("")}\n`)}\ngoogle:\n  wardsFolderId: wards-folder\n  reportsFolderId: wards-folder\n`);
  Object.assign(process.env, {
    TIEUCHI_CONFIG: join(dir, "tieuchi.config.yaml"),
    TIEUCHI_STATE_BUCKET: "state",
    TIEUCHI_CHANNEL_TOKEN: "kenh-bi-mat-0123456789",
    TIEUCHI_GOOGLE_ROOT_URL: fake.url,
    TIEUCHI_GOOGLE_ACCESS_TOKEN: "test-token",
    TIEUCHI_TASKS_QUEUE: QUEUE,
    TIEUCHI_WORKER_URL: "https://wardworker-abc.asia-southeast1.run.app",
    TIEUCHI_TASKS_INVOKER: fakeServiceAccount,
  });
  await import("../../functions/index.js");
});
afterAll(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

describe("sweep → Cloud Tasks → wardWorker", () => {
  it("enqueues one named task per ward and reads no sheet", async () => {
    fake.resetLog();
    const response = await request(getTestServer("sweepHttp")).post("/").send({});
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toMatchObject({ listed: 2, processed: [], queued: expect.arrayContaining(WARDS) as unknown, failed: [] });
    expect(fake.count({ api: "sheets", pathIncludes: "values:batchGet" })).toBe(0);
    expect([...fake.tasks.live.values()].map((t) => [t.url, t.oidc?.serviceAccountEmail])).toEqual(WARDS.map(() => ["https://wardworker-abc.asia-southeast1.run.app", fakeServiceAccount]));
  });

  it("handles each task's body: one read, the Kiểm tra tab written; a repeated delivery is covered without a read", async () => {
    const tasks = [...fake.tasks.live.values()];
    fake.resetLog();
    for (const task of tasks) {
      const response = await request(getTestServer("wardWorker")).post("/").set("Content-Type", "application/json").send(task.body.toString("utf8"));
      expect([response.status, response.text]).toEqual([200, "processed"]);
    }
    expect(fake.count({ api: "sheets", pathIncludes: "values:batchGet" })).toBe(2);
    expect(fake.sheets.sheetTitles(ids["nghi-thu"]!)).toContain("Kiểm tra");
    fake.resetLog();
    const again = await request(getTestServer("wardWorker")).post("/").set("Content-Type", "application/json").send(tasks[0]!.body.toString("utf8"));
    expect([again.status, again.text]).toEqual([200, "covered"]);
    expect(fake.count({ api: "sheets" })).toBe(0);
  });

  it("answers a body that is not a ward task, or names no active ward, with 200 so the queue drops it", async () => {
    const junk = await request(getTestServer("wardWorker")).post("/").set("Content-Type", "application/json").send({ hello: 1 });
    expect([junk.status, junk.text]).toEqual([200, "ignored: not a ward task"]);
    const unknown = await request(getTestServer("wardWorker")).post("/").send({ wardId: "khong-co", version: null, modifiedTime: null, seenAt: "2026-12-01T00:00:00Z" });
    expect([unknown.status, unknown.text]).toEqual([200, "ignored: no such active ward"]);
  });
});
