/**
 * The Cloud Tasks REST adapter against the strict fake, and the fake's delivery itself: named
 * tasks dedupe (a live task, then a tombstone for an hour), the front end's auth checks, the
 * queue's rate and concurrency on the virtual clock, retries with backoff, at-least-once
 * delivery over real HTTP with Cloud Tasks' headers and the invoker's OIDC token.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { OAuth2Client } from "google-auth-library";
import { afterEach, describe, expect, it } from "vitest";
import { cloudTasksQueue } from "../../../functions/adapters/google/tasks-queue.js";
import { sharedDispatchSlots } from "../../../functions/app/dispatch-slots.js";
import { enqueueWards, type WardTask, wardTaskId } from "../../../functions/app/ward-tasks.js";
import { manualClock, type ManualClock } from "../../fakes/clock.js";
import { memoryKeyValueStore } from "../../fakes/memory-kv.js";
import { fakeServiceAccount, scopes } from "../../fakes/google/identities.js";
import { type FakeGoogle, startFakeGoogle } from "../../fakes/google/server.js";
import type { FakeQueueConfig } from "../../fakes/google/tasks.js";
import { backoffMs } from "../../fakes/google/tasks-dispatch.js";

const QUEUE = "projects/p/locations/asia-southeast1/queues/q";
const task = (wardId: string, version = "7"): WardTask => ({ wardId, version, modifiedTime: "2026-12-01T01:00:00.000Z", seenAt: "2026-12-01T01:01:00.000Z" });

interface Received {
  at: number;
  headers: IncomingHttpHeaders;
  body: string;
}

let fake: FakeGoogle;
let server: Server;
let closed = false;
async function closeAll(): Promise<void> {
  if (closed) return;
  closed = true;
  server.close();
  server.closeAllConnections();
  await fake.close();
}
afterEach(closeAll);

/** The fake with one queue and a worker answering from `answer` (status per call). */
async function world(config: Partial<FakeQueueConfig> = {}, answer: (n: number) => number = () => 200, delivery = {}): Promise<{ clock: ManualClock; received: Received[]; url: string; inFlightMax: () => number }> {
  const clock = manualClock("2026-12-01T01:00:00Z");
  fake = await startFakeGoogle({ now: clock.ms, tasks: delivery });
  closed = false;
  fake.identities.add({ token: "tasks-token", email: fakeServiceAccount, kind: "serviceAccount", scopes: [scopes.cloudPlatform] });
  fake.tasks.addQueue(QUEUE, { maxDispatchesPerSecond: 2, maxConcurrentDispatches: 2, minBackoffMs: 1000, maxBackoffMs: 10_000, maxDoublings: 2, ...config });
  const received: Received[] = [];
  let inFlight = 0;
  let inFlightMax = 0;
  server = createServer((req, res) => {
    inFlightMax = Math.max(inFlightMax, ++inFlight);
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ at: clock.ms(), headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      setTimeout(() => {
        inFlight--;
        res.writeHead(answer(received.length)).end();
      }, 5);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { clock, received, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/wardWorker`, inFlightMax: () => inFlightMax };
}

function authWith(token: string): OAuth2Client {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: token, expiry_date: 8.64e15 }); // never refreshed
  return auth;
}

const queueOf = (url: string, token = "tasks-token", invoker: string | null = fakeServiceAccount) => cloudTasksQueue({ auth: authWith(token), queue: QUEUE, workerUrl: url, invokerEmail: invoker, rootUrl: fake.url, retry: { sleep: async () => undefined } });

/** Dispatches in virtual time until nothing waits (or `limitMs` passes). */
async function drain(clock: ManualClock, limitMs = 3_600_000): Promise<void> {
  const end = clock.ms() + limitMs;
  for (;;) {
    fake.tasks.dispatcher.dispatchDue();
    await fake.tasks.dispatcher.settle();
    const next = fake.tasks.dispatcher.nextDueAt();
    if (next === null || next > end) return;
    clock.advance(Math.max(1, next - clock.ms()));
  }
}

describe("Cloud Tasks adapter and fake", () => {
  it("dedupes by task name: a queued task, then a tombstone for an hour", async () => {
    const { clock, received, url } = await world();
    const queue = queueOf(url);
    expect(await queue.enqueue(task("xa-1"))).toBe("queued");
    expect(await queue.enqueue(task("xa-1"))).toBe("duplicate");
    expect(await queue.enqueue(task("xa-1", "8"))).toBe("queued");
    await drain(clock);
    expect(received).toHaveLength(2);
    expect(await queue.enqueue(task("xa-1"))).toBe("duplicate");
    expect(fake.tasks.refused).toEqual({ live: 1, tombstone: 1 });
    clock.advance(61 * 60_000);
    expect(await queue.enqueue(task("xa-1"))).toBe("queued");
    expect(wardTaskId(task("xa-1"))).toMatch(/^[0-9a-f]{8}-xa-1-v7$/);
  });

  it("delivers over HTTP with Cloud Tasks' headers, the JSON body and the invoker's OIDC token", async () => {
    const { clock, received, url } = await world();
    await queueOf(url).enqueue(task("xa-2"));
    await drain(clock);
    const [first] = received;
    expect(JSON.parse(first!.body)).toEqual(task("xa-2"));
    expect(first!.headers["content-type"]).toBe("application/json");
    expect(first!.headers["x-cloudtasks-taskname"]).toBe(wardTaskId(task("xa-2")));
    expect(first!.headers["x-cloudtasks-queuename"]).toBe("q");
    expect(first!.headers.authorization).toBe(`Bearer oidc.${fakeServiceAccount}.${url}`);
  });

  it("refuses a caller without a token, without the cloud-platform scope, or asking for an unknown account's OIDC token", async () => {
    const { url } = await world();
    await expect(queueOf(url, "nobody").enqueue(task("a"))).rejects.toMatchObject({ status: 401 });
    await expect(queueOf(url, "test-token").enqueue(task("a"))).rejects.toMatchObject({ status: 403 }); // no cloud-platform scope
    await expect(queueOf(url, "tasks-token", "stranger@example.iam.gserviceaccount.com").enqueue(task("a"))).rejects.toMatchObject({ status: 403 });
    const missing = cloudTasksQueue({ auth: authWith("tasks-token"), queue: `${QUEUE}-x`, workerUrl: url, invokerEmail: null, rootUrl: fake.url });
    await expect(missing.enqueue(task("a"))).rejects.toMatchObject({ status: 404 });
  });

  it("dispatches at the queue's rate and never more at once than its concurrency", async () => {
    const { clock, received, url, inFlightMax } = await world({ maxDispatchesPerSecond: 0.5, maxConcurrentDispatches: 1, maxBurstSize: 1 });
    const queue = queueOf(url);
    for (let i = 0; i < 6; i++) await queue.enqueue(task(`xa-${i}`));
    const start = clock.ms();
    await drain(clock);
    const gaps = received.slice(1).map((r, i) => r.at - received[i]!.at);
    expect(received).toHaveLength(6);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(2000);
    expect(received.at(-1)!.at - start).toBe(10_000);
    expect(inFlightMax()).toBe(1);
  });

  it("with Google's burst (100), a batch enqueued at once is dispatched at once: the rate alone does not pace it", async () => {
    const { clock, received, url } = await world({ maxDispatchesPerSecond: 0.366, maxConcurrentDispatches: 4 });
    const queue = queueOf(url);
    for (let i = 0; i < 10; i++) await queue.enqueue(task(`xa-${i}`));
    await drain(clock);
    expect(received.at(-1)!.at - received[0]!.at).toBeLessThan(1000);
  });

  it("spreads a batch by scheduleTime (pace.spacingMs), so the burst cannot release it faster than the quota's pace", async () => {
    const { clock, received, url } = await world({ maxDispatchesPerSecond: 0.366, maxConcurrentDispatches: 4 });
    const queue = cloudTasksQueue({ auth: authWith("tasks-token"), queue: QUEUE, workerUrl: url, invokerEmail: fakeServiceAccount, rootUrl: fake.url, pace: { slots: sharedDispatchSlots(memoryKeyValueStore(), { spacingMs: 2728, now: clock.ms }), now: clock.ms } });
    await enqueueWards(queue, Array.from({ length: 10 }, (_, i) => ({ wardId: `xa-${i}`, file: { version: "7", modifiedTime: "2026-12-01T01:00:00.000Z" } })), "2026-12-01T01:01:00.000Z");
    await drain(clock);
    const gaps = received.slice(1).map((r, i) => r.at - received[i]!.at);
    expect(received).toHaveLength(10);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(2728);
    clock.advance(10 * 60_000); // idle: the next batch starts now, not after a backlog of slots
    const before = clock.ms();
    await enqueueWards(queue, [{ wardId: "xa-later", file: null }], "2026-12-01T01:11:00.000Z");
    await drain(clock);
    expect(received.at(-1)!.at).toBe(before);
  });

  it("retries a 5xx or 429 with the queue's backoff until a 2xx", async () => {
    const { clock, received, url } = await world({}, (n) => (n === 1 ? 503 : n === 2 ? 429 : n === 3 ? 500 : 200));
    await queueOf(url).enqueue(task("xa-3"));
    const start = clock.ms();
    await drain(clock);
    expect(received.map((r) => [r.at - start, r.headers["x-cloudtasks-taskretrycount"]])).toEqual([[0, "0"], [1000, "1"], [3000, "2"], [7000, "3"]]);
    expect(fake.tasks.live.size).toBe(0);
    expect([1, 2, 3, 4, 5].map((n) => backoffMs({ minBackoffMs: 1000, maxBackoffMs: 10_000, maxDoublings: 2 }, n))).toEqual([1000, 2000, 4000, 8000, 10_000]);
  });

  it("drops a task after its last attempt", async () => {
    const { clock, received, url } = await world({ maxAttempts: 3 }, () => 503);
    await queueOf(url).enqueue(task("xa-4"));
    await drain(clock);
    expect(received).toHaveLength(3);
    expect(fake.tasks.dispatcher.dropped).toEqual([`${QUEUE}/tasks/${wardTaskId(task("xa-4"))}`]);
  });

  it("delivers some tasks twice and out of order, the same way for the same seed", async () => {
    const names = async (seed: number): Promise<string[]> => {
      const { clock, received, url } = await world({ maxDispatchesPerSecond: 100, maxBurstSize: 100, maxConcurrentDispatches: 100 }, () => 200, { duplicateRate: 0.5, reorder: true, seed });
      for (let i = 0; i < 10; i++) await queueOf(url).enqueue(task(`xa-${i}`));
      await drain(clock);
      const got = received.map((r) => String(r.headers["x-cloudtasks-taskname"]));
      await closeAll();
      return got;
    };
    const [a, b] = [await names(5), await names(5)];
    expect(a).toEqual(b);
    expect(a.length).toBeGreaterThan(10);
    expect(new Set(a).size).toBe(10);
    expect(a.slice(0, 10)).not.toEqual([...a.slice(0, 10)].sort((x, y) => Number(/xa-(\d+)/.exec(x)![1]) - Number(/xa-(\d+)/.exec(y)![1])));
  });
});
