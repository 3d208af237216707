/**
 * The fake Cloud Tasks as strict as Cloud Tasks where the product could be caught out: a task's
 * dispatch deadline (15 s–30 min, default 10 min) after which the task is dispatched again while
 * the first request still runs; OIDC tokens only for an account the caller may act as; a queue's
 * burst picked by Cloud Tasks (generous unless set), so a backlog starts at full concurrency.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import type { ManualClock } from "../../fakes/clock.js";
import { fakeServiceAccount, scopes } from "../../fakes/google/identities.js";
import type { FakeGoogle } from "../../fakes/google/server.js";
import { tasksWorld } from "../../fakes/google/tasks-world.js";

const QUEUE = "projects/p/locations/asia-southeast1/queues/q";
const INVOKER = "tieuchi-tasks@p.iam.gserviceaccount.com";
let fake: FakeGoogle;
let close: () => Promise<void>;
afterEach(() => close());

/** A worker that holds each request until the test releases it. */
async function world(queue: Record<string, number> = {}): Promise<{ clock: ManualClock; url: string; open: Array<() => void>; arrivals: string[] }> {
  const open: Array<() => void> = [];
  const arrivals: string[] = [];
  const holding = () => (req: IncomingMessage, res: ServerResponse) => {
    arrivals.push(String(req.headers["x-cloudtasks-taskname"]));
    req.resume();
    open.push(() => res.writeHead(200).end());
  };
  const built = await tasksWorld(QUEUE, { maxDispatchesPerSecond: 1, maxConcurrentDispatches: 5, minBackoffMs: 1000, ...queue }, holding);
  ({ fake, close } = built);
  fake.identities.add({ token: "invoker-token", email: INVOKER, kind: "serviceAccount", scopes: [scopes.cloudPlatform] });
  return { clock: built.clock, url: built.url, open, arrivals };
}

async function create(url: string, task: Record<string, unknown>, token = "tasks-token"): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${fake.url}v2/${QUEUE}/tasks`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ task: { httpRequest: { url, httpMethod: "POST", body: "" }, ...task } }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
const until = async (test: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !test(); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
};

describe("fake Cloud Tasks, strict", () => {
  it("takes a dispatch deadline between 15 s and 30 min, 10 min when none is given", async () => {
    const { url } = await world();
    expect((await create(url, { name: `${QUEUE}/tasks/a` })).body.dispatchDeadline).toBe("600s");
    expect((await create(url, { name: `${QUEUE}/tasks/b`, dispatchDeadline: "15s" })).body.dispatchDeadline).toBe("15s");
    expect((await create(url, { name: `${QUEUE}/tasks/c`, dispatchDeadline: "10s" })).status).toBe(400);
    expect((await create(url, { name: `${QUEUE}/tasks/d`, dispatchDeadline: "1801s" })).status).toBe(400);
    expect((await create(url, { name: `${QUEUE}/tasks/e`, dispatchDeadline: "ten minutes" })).status).toBe(400);
  });

  it("dispatches a task again when its deadline passes while the worker still runs, and ignores the late answer", async () => {
    const { clock, url, open, arrivals } = await world();
    await create(url, { name: `${QUEUE}/tasks/slow`, dispatchDeadline: "30s" });
    const dispatcher = fake.tasks.dispatcher;
    expect(dispatcher.dispatchDue()).toBe(1);
    await until(() => arrivals.length === 1);
    expect(dispatcher.nextDueAt()).toBe(clock.ms() + 30_000); // the deadline is the next thing to happen
    clock.advance(30_000);
    dispatcher.dispatchDue(); // expires the attempt; the retry waits for the backoff
    clock.advance(1_000);
    expect(dispatcher.dispatchDue()).toBe(1);
    await until(() => arrivals.length === 2);
    expect(arrivals).toEqual(["slow", "slow"]); // both requests open at once in the worker
    for (const release of open.splice(0)) release();
    await dispatcher.settle();
    const log = dispatcher.log.map((r) => `${r.attempt}:${r.status}`);
    expect(log[0]).toBe("1:deadline exceeded");
    expect(log.slice(1).sort()).toEqual(["1:late answer", "2:200"]); // the two answers arrive in either order
    expect(fake.tasks.live.size).toBe(0);
  });

  it("gives an OIDC token only for an account the caller may act as (itself, or granted serviceAccountUser)", async () => {
    const { url } = await world();
    const asInvoker = { httpRequest: { url, httpMethod: "POST", body: "", oidcToken: { serviceAccountEmail: INVOKER, audience: url } } };
    expect((await create(url, { name: `${QUEUE}/tasks/self`, ...asInvoker }, "invoker-token")).status).toBe(200);
    expect((await create(url, { name: `${QUEUE}/tasks/other`, ...asInvoker })).status).toBe(403);
    fake.tasks.grantActAs(INVOKER, fakeServiceAccount); // deploy.sh: add-iam-policy-binding … roles/iam.serviceAccountUser
    expect((await create(url, { name: `${QUEUE}/tasks/granted`, ...asInvoker })).status).toBe(200);
  });

  it("starts a backlog at full concurrency: the burst Cloud Tasks picks is not 1", async () => {
    const { url, open, arrivals } = await world({ maxDispatchesPerSecond: 0.1, maxConcurrentDispatches: 5 });
    for (const id of ["a", "b", "c", "d", "e", "f"]) await create(url, { name: `${QUEUE}/tasks/${id}` });
    expect(fake.tasks.dispatcher.dispatchDue()).toBe(5); // at 0.1 per second, yet 5 at once
    await until(() => arrivals.length === 5);
    for (const release of open.splice(0)) release();
    await fake.tasks.dispatcher.settle();
    const queue = (await (await fetch(`${fake.url}v2/${QUEUE}`, { headers: { Authorization: "Bearer tasks-token" } })).json()) as { rateLimits: { maxBurstSize: number } };
    expect(queue.rateLimits.maxBurstSize).toBe(100);
  });
});
