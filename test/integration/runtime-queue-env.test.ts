/**
 * The cloud runtime's start-up check of the ward queue's variables (parseWardQueueEnv): a
 * queue without TIEUCHI_TASKS_INVOKER would create tasks with no OIDC token that the private
 * worker refuses forever, so the instance refuses to start and names it, together with every
 * other environment problem, before any Google client is built.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError } from "../../functions/errors.js";
import { onSweepHttp, onWardTask } from "../../functions/cloud/runtime.js";

const NAMES = ["TIEUCHI_STATE_BUCKET", "TIEUCHI_CHANNEL_TOKEN", "TIEUCHI_TASKS_QUEUE", "TIEUCHI_WORKER_URL", "TIEUCHI_TASKS_INVOKER", "TIEUCHI_CONFIG"] as const;
const saved = Object.fromEntries(NAMES.map((n) => [n, process.env[n]]));

beforeEach(() => {
  Object.assign(process.env, {
    TIEUCHI_CONFIG: "/khong-co/tieuchi.config.yaml",
    TIEUCHI_STATE_BUCKET: "state",
    TIEUCHI_CHANNEL_TOKEN: "kenh-bi-mat-0123456789",
    TIEUCHI_TASKS_QUEUE: "projects/cua-lo/locations/asia-southeast1/queues/tieuchi-wards",
    TIEUCHI_WORKER_URL: "https://wardworker-abc.asia-southeast1.run.app",
  });
  delete process.env.TIEUCHI_TASKS_INVOKER;
});
afterEach(() => {
  for (const name of NAMES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

async function startProblem(start: () => Promise<unknown>): Promise<ConfigError> {
  const error: unknown = await start().then(() => null, (e: unknown) => e);
  if (!(error instanceof ConfigError)) throw new Error(`expected a ConfigError, got ${String(error)}`);
  return error;
}

describe("cloud runtime start-up: the ward queue's environment", () => {
  it("names a missing TIEUCHI_TASKS_INVOKER when a queue is set, before reading the config", async () => {
    const error = await startProblem(() => onWardTask({ wardId: "nghi-thu" }));
    expect(error.file).toBe("môi trường");
    expect(error.problems.map((p) => p.path)).toEqual(["env.TIEUCHI_TASKS_INVOKER"]);
    expect(error.message).toContain("TIEUCHI_TASKS_INVOKER");
  });

  it("lists the queue's problems together with the other missing variables", async () => {
    delete process.env.TIEUCHI_STATE_BUCKET;
    process.env.TIEUCHI_TASKS_INVOKER = "tieuchi-tasks";
    const error = await startProblem(onSweepHttp);
    expect(error.problems.map((p) => p.path)).toEqual(["env.TIEUCHI_STATE_BUCKET", "env.TIEUCHI_TASKS_INVOKER"]);
  });

  it("with the queue complete, passes the environment check and reads the config next", async () => {
    process.env.TIEUCHI_TASKS_INVOKER = "tieuchi-tasks@cua-lo.iam.gserviceaccount.com";
    const error: unknown = await onSweepHttp().then(() => null, (e: unknown) => e);
    expect(error instanceof ConfigError && error.file === "môi trường").toBe(false);
    expect(String(error)).toContain("/khong-co/tieuchi.config.yaml");
  });
});
