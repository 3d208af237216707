/** The ward queue's three environment variables go together; a missing invoker is named, never a silent queue without OIDC. */
import { describe, expect, it } from "vitest";
import { parseWardQueueEnv } from "../../../../functions/adapters/google/tasks-queue-env.js";

const QUEUE = "projects/p/locations/asia-southeast1/queues/tieuchi-wards";
const INVOKER = "tieuchi-tasks@p.iam.gserviceaccount.com";
const URL = "https://asia-southeast1-p.cloudfunctions.net/wardWorker";

describe("parseWardQueueEnv", () => {
  it("is no queue when none of the three is set", () => {
    expect(parseWardQueueEnv({})).toEqual({ success: true, data: null });
  });

  it("reads the three together", () => {
    expect(parseWardQueueEnv({ TIEUCHI_TASKS_QUEUE: ` ${QUEUE} `, TIEUCHI_WORKER_URL: URL, TIEUCHI_TASKS_INVOKER: INVOKER })).toEqual({ success: true, data: { queue: QUEUE, workerUrl: URL, invokerEmail: INVOKER } });
  });

  it("names a missing TIEUCHI_TASKS_INVOKER (tasks without OIDC would all be refused by the private worker)", () => {
    const result = parseWardQueueEnv({ TIEUCHI_TASKS_QUEUE: QUEUE, TIEUCHI_WORKER_URL: URL, TIEUCHI_TASKS_INVOKER: "  " });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.problems.map((p) => p.path)).toEqual(["env.TIEUCHI_TASKS_INVOKER"]);
    expect(result.problems[0]!.message).toContain("bắt buộc khi dùng hàng đợi");
  });

  it("lists every problem at once: malformed queue, URL and account", () => {
    const result = parseWardQueueEnv({ TIEUCHI_TASKS_QUEUE: "tieuchi-wards", TIEUCHI_WORKER_URL: "wardWorker", TIEUCHI_TASKS_INVOKER: "tieuchi-tasks" });
    expect(result.success ? [] : result.problems.map((p) => p.path)).toEqual(["env.TIEUCHI_TASKS_QUEUE", "env.TIEUCHI_WORKER_URL", "env.TIEUCHI_TASKS_INVOKER"]);
  });

  it("names the two others when only the invoker is set", () => {
    const result = parseWardQueueEnv({ TIEUCHI_TASKS_INVOKER: INVOKER });
    expect(result.success ? [] : result.problems.map((p) => p.path)).toEqual(["env.TIEUCHI_TASKS_QUEUE", "env.TIEUCHI_WORKER_URL"]);
  });
});
