/**
 * Dispatch slots shared by every enqueuer: two function "instances" (each its own Cloud Tasks
 * client, its own Cloud Storage client, its own memory) enqueue batches at the same moment
 * against the strict fake (Cloud Storage's one write per second per object enforced, Cloud
 * Tasks' burst of 100). Their blocks never overlap, so the combined dispatch stays within the
 * quota's share, and a contended or refused reservation is retried without losing or
 * doubling a task.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { OAuth2Client } from "google-auth-library";
import { afterEach, describe, expect, it } from "vitest";
import { gcsKeyValueStore } from "../../../functions/adapters/google/gcs-store.js";
import { cloudTasksQueue } from "../../../functions/adapters/google/tasks-queue.js";
import { DISPATCH_SLOTS_KEY, sharedDispatchSlots } from "../../../functions/app/dispatch-slots.js";
import { enqueueWards, type WardTaskQueue } from "../../../functions/app/ward-tasks.js";
import { queuePace, taskSpacingMs } from "../../../functions/cloud/quota-pacing.js";
import type { KeyValueStore } from "../../../functions/ports.js";
import type { ManualClock } from "../../fakes/clock.js";
import { fakeServiceAccount } from "../../fakes/google/identities.js";
import type { FakeGoogle } from "../../fakes/google/server.js";
import { tasksWorld } from "../../fakes/google/tasks-world.js";

const QUEUE = "projects/p/locations/asia-southeast1/queues/wards";
const pace = queuePace();
const SEEN = "2026-12-01T01:00:00.000Z";

let fake: FakeGoogle;
let close: () => Promise<void>;
afterEach(() => close());

function tokenAuth(token: string): OAuth2Client {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: token, expiry_date: 8.64e15 });
  return auth;
}

/** The fake with the production queue settings and a worker that records when each task arrives. */
async function world(): Promise<{ clock: ManualClock; received: Array<{ at: number; name: string }>; url: string }> {
  const received: Array<{ at: number; name: string }> = [];
  const recording = (clock: ManualClock) => (req: IncomingMessage, res: ServerResponse) => {
    req.resume().on("end", () => {
      received.push({ at: clock.ms(), name: String(req.headers["x-cloudtasks-taskname"]) });
      res.writeHead(200).end();
    });
  };
  const built = await tasksWorld(QUEUE, { maxDispatchesPerSecond: pace.maxDispatchesPerSecond, maxConcurrentDispatches: pace.maxConcurrentDispatches }, recording);
  ({ fake, close } = built);
  return { clock: built.clock, received, url: built.url };
}

/** One function instance: its own state client (counting its compare-and-set conflicts) and queue client. */
function instance(clock: ManualClock, url: string): { queue: WardTaskQueue; conflicts: () => number } {
  const gcs = gcsKeyValueStore({ auth: tokenAuth("test-token"), bucket: "state", rootUrl: fake.url, retry: { sleep: clock.sleep }, now: clock.ms });
  let conflicts = 0;
  const kv: KeyValueStore = { ...gcs, put: async (key, value, ifVersion) => (await gcs.put(key, value, ifVersion)) ?? (conflicts++, null) };
  const slots = sharedDispatchSlots(kv, { spacingMs: taskSpacingMs(pace), now: clock.ms });
  const queue = cloudTasksQueue({ auth: tokenAuth("tasks-token"), queue: QUEUE, workerUrl: url, invokerEmail: fakeServiceAccount, rootUrl: fake.url, retry: { sleep: clock.sleep }, pace: { slots, now: clock.ms } });
  return { queue, conflicts: () => conflicts };
}

/** Dispatches in virtual time until nothing waits, or until `untilMs` (the queue keeps running while time passes). */
async function drain(clock: ManualClock, untilMs = Infinity): Promise<void> {
  for (;;) {
    fake.tasks.dispatcher.dispatchDue();
    await fake.tasks.dispatcher.settle();
    const next = Math.min(fake.tasks.dispatcher.nextDueAt() ?? Infinity, untilMs);
    if (next === Infinity || clock.ms() >= untilMs) return;
    clock.advance(Math.max(1, next - clock.ms()));
  }
}

const batch = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ wardId: `${prefix}-${i}`, file: { version: "3", modifiedTime: SEEN } }));

/** The most dispatches in any 60 s window. */
function peakPerMinute(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= 60_000) j++;
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
}

describe("dispatch slots shared across instances", () => {
  it("two instances enqueuing at once get disjoint blocks: combined dispatch within the quota share, every task once", async () => {
    const { clock, received, url } = await world();
    const sweep = instance(clock, url);
    const webhook = instance(clock, url);
    const [a, b] = await Promise.all([enqueueWards(sweep.queue, batch("sweep", 40), SEEN), enqueueWards(webhook.queue, batch("push", 30), SEEN)]);
    expect(a.queued).toHaveLength(40);
    expect(b.queued).toHaveLength(30);
    // The two reservations raced for one object: one lost the compare-and-set, and its retry met the 1 write/s limit.
    expect(sweep.conflicts() + webhook.conflicts()).toBeGreaterThanOrEqual(1);
    expect(fake.quotas.refusals.filter((r) => r.api === "storage" && r.subject === `state/${DISPATCH_SLOTS_KEY}`).length).toBeGreaterThanOrEqual(1);
    await drain(clock);
    expect(received).toHaveLength(70);
    expect(new Set(received.map((r) => r.name)).size).toBe(70);
    // Every dispatch at least one slot after the one before, across both instances' tasks. The first may
    // come later than its slot (its create arrived after the slot was due: here, while the other instance
    // waited out the 1 write/s refusal), which only shortens the gap after it; from the second on, no
    // 60 s window holds more than the quota's share of wards.
    const times = received.map((r) => r.at).sort((x, y) => x - y);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(Math.min(...gaps.slice(1))).toBeGreaterThanOrEqual(taskSpacingMs(pace));
    expect(peakPerMinute(times.slice(1))).toBeLessThanOrEqual(pace.wardsPerMinute);
  });

  it("a batch while another's block is still being dispatched goes after it, not beside it", async () => {
    const { clock, received, url } = await world();
    const sweep = instance(clock, url);
    const webhook = instance(clock, url);
    await enqueueWards(sweep.queue, batch("sweep", 22), SEEN);
    await drain(clock, clock.ms() + 20_000);
    await enqueueWards(webhook.queue, batch("push", 5), SEEN);
    await drain(clock);
    expect(received).toHaveLength(27);
    expect(peakPerMinute(received.map((r) => r.at))).toBeLessThanOrEqual(pace.wardsPerMinute);
    const firstPush = Math.min(...received.filter((r) => r.name.includes("-push-")).map((r) => r.at));
    const lastSweep = Math.max(...received.filter((r) => r.name.includes("-sweep-")).map((r) => r.at));
    expect(firstPush).toBeGreaterThan(lastSweep);
  });

  it("a change enqueued while the daily re-checks are dispatched goes out in the next gap, not after them", async () => {
    const { clock, received, url } = await world();
    const sweep = instance(clock, url);
    const webhook = instance(clock, url);
    await enqueueWards(sweep.queue, batch("listed", 60).map((w) => ({ ...w, recheck: true })), SEEN); // the daily listing
    await drain(clock, clock.ms() + 30_000);
    const pushedAt = clock.ms();
    await enqueueWards(webhook.queue, batch("push", 3), SEEN);
    await drain(clock);
    expect(received).toHaveLength(63);
    const pushes = received.filter((r) => r.name.includes("-push-")).map((r) => r.at - pushedAt);
    expect(Math.max(...pushes)).toBeLessThan(5 * taskSpacingMs(pace)); // the 60 re-checks last ~8 minutes
    expect(peakPerMinute(received.map((r) => r.at))).toBeLessThanOrEqual(pace.wardsPerMinute);
  });

  it("a reservation that cannot be written enqueues nothing; the repeated pass enqueues each task once", async () => {
    const { clock, received, url } = await world();
    const good = instance(clock, url);
    const refusing: WardTaskQueue = { ...good.queue, reserveSlots: () => Promise.reject(new Error("state store unavailable")) };
    await expect(enqueueWards(refusing, batch("xa", 6), SEEN)).rejects.toThrow("state store unavailable");
    expect(fake.tasks.live.size).toBe(0);
    const again = await enqueueWards(good.queue, batch("xa", 6), SEEN);
    const repeat = await enqueueWards(good.queue, batch("xa", 6), SEEN); // a second pass seeing the same change
    expect([again.queued.length, repeat.duplicate.length]).toEqual([6, 6]);
    await drain(clock);
    expect(received).toHaveLength(6);
  });
});
