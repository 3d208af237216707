/**
 * The set-up the Cloud Tasks tests share: the strict fake on a manual clock, with the identity
 * that creates tasks ("tasks-token") and one queue, and a worker behind a real HTTP server
 * answering with the test's handler (given the clock, to note when a task arrives).
 */
import { createServer, type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import { type ManualClock, manualClock } from "../clock.js";
import { fakeServiceAccount, scopes } from "./identities.js";
import { type FakeGoogle, startFakeGoogle } from "./server.js";
import type { FakeQueueConfig } from "./tasks.js";
import type { DeliveryOptions } from "./tasks-dispatch.js";

interface TasksWorld {
  clock: ManualClock;
  fake: FakeGoogle;
  /** The worker's URL (the task's target and OIDC audience). */
  url: string;
  close(): Promise<void>;
}

export async function tasksWorld(queue: string, config: FakeQueueConfig, worker: (clock: ManualClock) => RequestListener, delivery: DeliveryOptions = {}): Promise<TasksWorld> {
  const clock = manualClock("2026-12-01T01:00:00Z");
  const fake = await startFakeGoogle({ now: clock.ms, tasks: delivery });
  fake.identities.add({ token: "tasks-token", email: fakeServiceAccount, kind: "serviceAccount", scopes: [scopes.cloudPlatform] });
  fake.tasks.addQueue(queue, config);
  const server = createServer(worker(clock));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const close = async (): Promise<void> => {
    server.closeAllConnections();
    server.close();
    await fake.close();
  };
  return { clock, fake, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/wardWorker`, close };
}
