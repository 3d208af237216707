/**
 * WardTaskQueue over the Cloud Tasks REST API (v2), through google-auth-library's `request`
 * (no gRPC client on the cold-start path; @googleapis/* has no Cloud Tasks module). Each task
 * is an HTTP POST of the ward task as JSON to the worker, with an OIDC token of the invoker
 * service account, so the worker stays private (Cloud Run checks the token).
 *
 * Named tasks dedupe: a name held by a queued task, or by one run or deleted within about an
 * hour, is refused with 409 ALREADY_EXISTS; that is "duplicate", not an error. Creating a
 * named task is therefore safe to repeat, and is retried on quota refusals, 5xx and dropped
 * connections (a repeat of an applied create answers 409).
 */
import type { DispatchSlots } from "../../app/dispatch-slots.js";
import type { EnqueueResult, WardTask, WardTaskQueue } from "../../app/ward-tasks.js";
import { wardTaskId } from "../../app/ward-tasks.js";
import type { GcsAuthClient } from "./gcs-store.js";
import { statusOf } from "./google-errors.js";
import { type RetryOptions, withRetry } from "./retry.js";

export interface CloudTasksOptions {
  auth: GcsAuthClient;
  /** "projects/<project>/locations/<region>/queues/<queue>". */
  queue: string;
  /** The worker function's URL (also the OIDC audience). */
  workerUrl: string;
  /** The service account whose OIDC token the queue presents to the worker; null: none (tests). */
  invokerEmail: string | null;
  /** Default "https://cloudtasks.googleapis.com/". */
  rootUrl?: string;
  retry?: RetryOptions;
  timeoutMs?: number;
  /**
   * Spread the tasks: each batch reserves its slots from `slots` (shared by every instance,
   * dispatch-slots.ts) and each task is created with its slot as scheduleTime, so batches
   * become ready at the quota's pace together and the burst Cloud Tasks allows (picked by it,
   * up to 500) cannot release them at once. `now`: the clock (a slot not after it is sent as none).
   */
  pace?: { slots: DispatchSlots; now: () => number };
}

/** The createTask body for one ward task. */
function taskBody(options: CloudTasksOptions, task: WardTask, scheduleTime: string | null): unknown {
  const httpRequest: Record<string, unknown> = {
    url: options.workerUrl,
    httpMethod: "POST",
    headers: { "Content-Type": "application/json" },
    body: Buffer.from(JSON.stringify(task)).toString("base64"),
  };
  if (options.invokerEmail) httpRequest.oidcToken = { serviceAccountEmail: options.invokerEmail, audience: options.workerUrl };
  return { task: { name: `${options.queue}/tasks/${wardTaskId(task)}`, httpRequest, ...(scheduleTime ? { scheduleTime } : {}) }, responseView: "BASIC" };
}

/** The ward queue on Cloud Tasks. */
export function cloudTasksQueue(options: CloudTasksOptions): WardTaskQueue {
  const root = (options.rootUrl ?? "https://cloudtasks.googleapis.com/").replace(/\/?$/, "/");
  const url = `${root}v2/${options.queue}/tasks`;
  const { pace } = options;
  const scheduleTime = (notBefore: number | undefined): string | null => (pace && notBefore !== undefined && notBefore > pace.now() ? new Date(notBefore).toISOString() : null);
  return {
    ...(pace ? { reserveSlots: (count: number, rechecks?: number) => pace.slots.reserve(count, rechecks) } : {}),
    enqueue: async (task, notBefore): Promise<EnqueueResult> => {
      const body = JSON.stringify(taskBody(options, task, scheduleTime(notBefore)));
      try {
        await withRetry("cloudtasks.tasks.create", () => options.auth.request<unknown>({ url, method: "POST", data: body, headers: { "Content-Type": "application/json" }, responseType: "json", timeout: options.timeoutMs ?? 30_000 }), {
          ...options.retry,
          idempotent: true,
        });
        return "queued";
      } catch (error) {
        if (statusOf(error) === 409) return "duplicate";
        throw error;
      }
    },
  };
}
