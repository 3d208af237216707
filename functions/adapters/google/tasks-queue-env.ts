/**
 * The ward queue's settings from the environment, checked as a whole: TIEUCHI_TASKS_QUEUE,
 * TIEUCHI_WORKER_URL and TIEUCHI_TASKS_INVOKER go together. A queue without the invoker would
 * create tasks with no OIDC token, and the private worker would refuse every one of them (403,
 * retried until dropped) while the sweep believes the wards were queued: so a missing or
 * malformed one is a configuration problem named at start, never a silent fallback.
 */
import type { ParseResult, SchemaProblem } from "../../../sheets-schema/catalogue.js";
import type { Env } from "../../config.js";

interface WardQueueEnv {
  /** "projects/<project>/locations/<region>/queues/<queue>". */
  queue: string;
  workerUrl: string;
  /** The service account the queue calls the worker as (OIDC). */
  invokerEmail: string;
}

const NAMES = ["TIEUCHI_TASKS_QUEUE", "TIEUCHI_WORKER_URL", "TIEUCHI_TASKS_INVOKER"] as const;
const QUEUE_PATH = /^projects\/[^/]+\/locations\/[^/]+\/queues\/[A-Za-z0-9-]{1,100}$/u;
const SERVICE_ACCOUNT = /^[^@\s]+@[^@\s]+\.gserviceaccount\.com$/u;

/** The ward queue when one is configured (null when none of the three variables is set); every problem listed. */
export function parseWardQueueEnv(env: Env): ParseResult<WardQueueEnv | null> {
  const value = (name: (typeof NAMES)[number]): string => env[name]?.trim() ?? "";
  const data: WardQueueEnv = { queue: value("TIEUCHI_TASKS_QUEUE"), workerUrl: value("TIEUCHI_WORKER_URL"), invokerEmail: value("TIEUCHI_TASKS_INVOKER") };
  if (!data.queue && !data.workerUrl && !data.invokerEmail) return { success: true, data: null };
  const why = "bắt buộc khi dùng hàng đợi xử lý từng đơn vị (đặt cùng TIEUCHI_TASKS_QUEUE, TIEUCHI_WORKER_URL và TIEUCHI_TASKS_INVOKER)";
  const problems: SchemaProblem[] = NAMES.filter((n) => !value(n)).map((n) => ({ path: `env.${n}`, message: why }));
  if (data.queue && !QUEUE_PATH.test(data.queue)) problems.push({ path: "env.TIEUCHI_TASKS_QUEUE", message: `phải có dạng “projects/<dự án>/locations/<vùng>/queues/<tên hàng đợi>”, đang là “${data.queue}”` });
  if (data.workerUrl && !/^https?:\/\//u.test(data.workerUrl)) problems.push({ path: "env.TIEUCHI_WORKER_URL", message: `phải là địa chỉ https:// của hàm wardWorker, đang là “${data.workerUrl}”` });
  if (data.invokerEmail && !SERVICE_ACCOUNT.test(data.invokerEmail)) {
    problems.push({ path: "env.TIEUCHI_TASKS_INVOKER", message: `phải là địa chỉ tài khoản dịch vụ (…@….gserviceaccount.com) mà hàng đợi dùng để gọi hàm wardWorker, đang là “${data.invokerEmail}”` });
  }
  return problems.length ? { success: false, problems } : { success: true, data };
}
