/**
 * The world the fan-out simulation runs in: the strict fake Google (Sheets and Storage quotas,
 * Drive's lag, Cloud Tasks with duplicates and reordering) on one virtual clock, N ward
 * spreadsheets in a shared drive, and the product composed as functions/cloud/runtime.ts
 * composes it: the sweep enqueues on Cloud Tasks through the REST adapter, and a worker
 * behind a real HTTP server handles each task with the real Sheets and Storage adapters.
 * Only test code here (the fakes); the product code is the one deployed.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { CloudPorts, CloudSettings } from "../functions/app/cloud-handlers.js";
import { registryCache, STATE_KEYS, type WardRegistry } from "../functions/app/cloud-ward.js";
import { sharedDispatchSlots } from "../functions/app/dispatch-slots.js";
import { kvStateStore, updateJson } from "../functions/app/kv-state.js";
import { handleWardTask } from "../functions/app/ward-worker.js";
import { googleWardFolder } from "../functions/adapters/google/changed-files.js";
import { googleChangeFeed } from "../functions/adapters/google/changes.js";
import { googleCheckTab } from "../functions/adapters/google/check-tab.js";
import { createGoogleClients } from "../functions/adapters/google/clients.js";
import { gcsKeyValueStore } from "../functions/adapters/google/gcs-store.js";
import { googleSheetSource } from "../functions/adapters/google/sheet-source.js";
import { cloudTasksQueue } from "../functions/adapters/google/tasks-queue.js";
import { googleTownSummary } from "../functions/adapters/google/town-summary.js";
import { SAMPLE_WARDS, sampleAnswers, sampleConfigYaml } from "../functions/adapters/local/sample-town.js";
import { type Config, parseConfigText, readBuiltinCatalogues, type WardConfig } from "../functions/config.js";
import { queuePace, taskSpacingMs } from "../functions/cloud/quota-pacing.js";
import type { FeedbackSink } from "../functions/ports.js";
import { planWardWorkbook } from "../sheets-schema/workbook-plan.js";
import { type ManualClock, manualClock } from "../test/fakes/clock.js";
import { fakeServiceAccount, scopes } from "../test/fakes/google/identities.js";
import { type FakeGoogle, startFakeGoogle } from "../test/fakes/google/server.js";
import { OAuth2Client } from "google-auth-library";

const MINUTE = 60_000;
const QUEUE = "projects/sim/locations/asia-southeast1/queues/tieuchi-wards";
export const INPUT_TAB = "CA phường kiểu mẫu";

/** A Kiểm tra write as the simulation observes it: which ward, when its read started, when the write finished. */
export interface TabWrite {
  wardId: string;
  readAt: number;
  doneAt: number;
}

export interface SimWorld {
  fake: FakeGoogle;
  clock: ManualClock;
  config: Config;
  ports: CloudPorts;
  /** The webhook's ports: another function instance, so its own task spacing. */
  webhookPorts: CloudPorts;
  settings: CloudSettings;
  /** Spreadsheet id per ward id. */
  ids: Map<string, string>;
  writes: TabWrite[];
  /** Worker answers by status. */
  answers: Map<number, number>;
  close(): Promise<void>;
}

interface WorldOptions {
  units: number;
  startIso: string;
  seed: number;
  duplicateRate: number;
  driveLagMs: number;
}

/** A bearer token that never expires (a national run outlasts the hour of the tests' tokens). */
function staticToken(token: string): OAuth2Client {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: token, expiry_date: 8.64e15 });
  return auth;
}

function unitsOf(template: WardConfig, units: number): WardConfig[] {
  return Array.from({ length: units }, (_, i) => ({ ...template, id: `xa-${String(i + 1).padStart(4, "0")}`, name: `Xã Số ${i + 1}`, aliases: [], contacts: [] }));
}

/** The worker behind a real HTTP server, as Cloud Run would run wardWorker. */
async function startWorker(world: Pick<SimWorld, "config" | "ports" | "answers">): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
      } catch {
        body = null; // the framework's body parser leaves a bad body out too
      }
      handleWardTask(body, world.config, world.ports)
        .catch(() => ({ status: 503, body: "state store unavailable" }))
        .then((answer) => {
          world.answers.set(answer.status, (world.answers.get(answer.status) ?? 0) + 1);
          res.writeHead(answer.status, { "content-type": "text/plain" }).end(answer.body);
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/wardWorker` };
}

/** Builds the world: fake, spreadsheets, registry, queue and worker. */
export async function simulationWorld(options: WorldOptions): Promise<SimWorld> {
  const clock = manualClock(options.startIso);
  const fake = await startFakeGoogle({ now: clock.ms, drive: { lagMs: options.driveLagMs }, tasks: { duplicateRate: options.duplicateRate, reorder: true, seed: options.seed } });
  fake.identities.add({ token: "tasks-token", email: fakeServiceAccount, kind: "serviceAccount", scopes: [scopes.cloudPlatform] });
  const pace = queuePace();
  fake.tasks.addQueue(QUEUE, { maxDispatchesPerSecond: pace.maxDispatchesPerSecond, maxConcurrentDispatches: pace.maxConcurrentDispatches, minBackoffMs: 10_000, maxBackoffMs: 300_000, maxDoublings: 4, maxAttempts: -1 });
  const catalogues = await readBuiltinCatalogues();
  const parsed = parseConfigText(sampleConfigYaml(options.startIso.slice(0, 10)), {});
  if (!parsed.success) throw new Error(JSON.stringify(parsed.problems));
  const wards = unitsOf(parsed.data.wards[0]!, options.units);
  const config: Config = { ...parsed.data, wards, baseDir: "/tmp", catalogues, smtpUrl: null };
  const driveId = fake.drive.addSharedDrive({ name: "Công an tỉnh", members: [{ email: fakeServiceAccount, role: "fileOrganizer" }] });
  const folderId = fake.drive.addFolder({ name: "Đơn vị", parents: [driveId] });
  const sample = SAMPLE_WARDS[0]!;
  const ids = new Map<string, string>();
  for (const ward of wards) {
    const plan = planWardWorkbook(catalogues, ward.name, "02/11/2023", sampleAnswers(sample, catalogues));
    ids.set(ward.id, fake.sheets.create(`Tự đánh giá - ${ward.name}`, Object.fromEntries(plan.tabs.map((t) => [t.title, t.rows.map((r) => r.map((c) => c.value))])), { parents: [folderId] }));
  }
  const town = fake.sheets.create("Tổng hợp tiêu chí", { "Tổng hợp": [] }, { parents: [driveId] });
  const retry = { sleep: clock.sleep };
  const kv = gcsKeyValueStore({ auth: staticToken("test-token"), bucket: "state", rootUrl: fake.url, retry, now: clock.ms });
  await kv.put(STATE_KEYS.registry, Object.fromEntries(wards.map((w) => [w.id, { spreadsheetId: ids.get(w.id), checkSheetId: null }])), null);
  const clients = createGoogleClients({ auth: staticToken("test-token"), rootUrl: fake.url });
  const registry = registryCache(kv, clock);
  const spreadsheetIdOf = async (ward: { id: string }) => (await registry.get())[ward.id]?.spreadsheetId ?? null;
  const writes: TabWrite[] = [];
  const readStarts = new Map<string, number>();
  const sheets = googleSheetSource({ clients, catalogues, spreadsheetIdOf, retry });
  const observedSheets = { ...sheets, read: (ward: WardConfig) => (readStarts.set(ward.id, clock.ms()), sheets.read(ward)) } as typeof sheets;
  const checkTab = googleCheckTab({
    clients,
    catalogues,
    spreadsheetIdOf,
    checkSheetIdOf: async (ward) => (await registry.get())[ward.id]?.checkSheetId ?? null,
    onCheckSheetCreated: async (ward, sheetId) => {
      await updateJson<WardRegistry>(kv, STATE_KEYS.registry, (r) => (r?.[ward.id] ? { ...r, [ward.id]: { ...r[ward.id]!, checkSheetId: sheetId } } : (r ?? {})));
      registry.invalidate();
    },
    retry,
  });
  const feedback: FeedbackSink = { write: async (input) => (await checkTab.write(input), void writes.push({ wardId: input.ward.id, readAt: readStarts.get(input.ward.id) ?? 0, doneAt: clock.ms() })) };
  const world = { answers: new Map<number, number>(), config } as SimWorld;
  // The sweep's and the webhook's instances each have their own queue client and state client; their dispatch
  // slots are shared through the state bucket (runtime.ts), so their batches never stack on the same seconds.
  const enqueuer = () => {
    const own = gcsKeyValueStore({ auth: staticToken("test-token"), bucket: "state", rootUrl: fake.url, retry, now: clock.ms });
    const slots = sharedDispatchSlots(own, { spacingMs: taskSpacingMs(pace), now: clock.ms });
    return cloudTasksQueue({ auth: staticToken("tasks-token"), queue: QUEUE, workerUrl: worker.url, invokerEmail: fakeServiceAccount, rootUrl: fake.url, retry, pace: { slots, now: clock.ms } });
  };
  const worker = await startWorker(world);
  const ports: CloudPorts = {
    kv,
    clock,
    registry: registry.get,
    sheets: observedSheets,
    feedback,
    changes: googleChangeFeed(clients, retry),
    folder: googleWardFolder(clients, folderId, retry),
    summary: googleTownSummary({ clients, spreadsheetId: town, retry }),
    state: kvStateStore(kv),
    tasks: enqueuer(),
    publish: async () => ({ documents: { publish: async () => ({ location: "", pdf: null }) }, templates: null as never, mail: null }),
  };
  const feed = { leaseMs: 10 * MINUTE, fullListingEveryMs: 24 * 60 * MINUTE, maxWards: 10, maxPasses: 2 };
  // The changes channel pushes to the webhook (the simulation delivers them through handleNotification).
  const settings: CloudSettings = { channelToken: "sim-kenh", webhookUrl: "https://sim.example/sheetsWebhook", wardsFolderId: folderId, renewBeforeMs: 24 * 60 * MINUTE, channelTtlMs: 7 * 24 * 60 * MINUTE, feedbackDebounceMs: 0, sweepFeed: feed, webhookFeed: { ...feed, leaseMs: 2 * MINUTE, maxPasses: 1 } };
  Object.assign(world, { fake, clock, ports, webhookPorts: { ...ports, tasks: enqueuer() }, settings, ids, writes });
  world.close = async () => {
    await new Promise<void>((resolve) => worker.server.close(() => resolve()));
    worker.server.closeAllConnections();
    await fake.close();
  };
  return world;
}
