/**
 * The fake Cloud Tasks API (v2, REST): queues (seeded by the test, as deploy.sh creates them
 * with gcloud) and tasks.create / tasks.list / queues.get. Strict where Cloud Tasks is: task
 * ids are [A-Za-z0-9_-]{1,500}; a name held by a queued task answers 409 ALREADY_EXISTS, and
 * so does one whose task ran or was deleted less than an hour ago (the tombstone of a queue
 * made through Cloud Tasks: "can't be created for ~1 hour after the original task was deleted
 * or executed"); an OIDC token may only be asked for a service account the caller can act as
 * (itself, or one it holds roles/iam.serviceAccountUser on: grantActAs, as deploy.sh grants);
 * a task's dispatchDeadline is 15 s–30 min (default 10 min for HTTP targets). A queue's
 * maxBurstSize is picked by Cloud Tasks from the rate (at most 500; the formula is not
 * published): unless a test sets it, the fake assumes a generous 100, so nothing may rely on
 * a small burst to stay under a quota. The front end (server.ts) checks the bearer token and
 * the cloud-platform scope first. Dispatch to the workers lives in tasks-dispatch.ts.
 */
import { type FakeRequest, type FakeResponse, type Now, decodeSegment, ok, readJson } from "./common.js";
import { GoogleApiError, invalidArgument, notFound } from "./errors.js";
import type { IdentityRegistry } from "./identities.js";
import { type DeliveryOptions, TaskDispatcher } from "./tasks-dispatch.js";

export interface FakeQueueConfig {
  maxDispatchesPerSecond: number;
  maxConcurrentDispatches: number;
  /** Tokens the bucket holds at most (output only in Cloud Tasks, picked from the rate; here default 100). */
  maxBurstSize?: number;
  /** -1: unlimited attempts (Cloud Tasks' default is 100). */
  maxAttempts?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  maxDoublings?: number;
}

export interface FakeTask {
  name: string;
  queue: string;
  url: string;
  body: Buffer;
  headers: Record<string, string>;
  oidc: { serviceAccountEmail: string; audience: string } | null;
  createdAt: number;
  scheduleAt: number;
  /** How long an attempt may take before Cloud Tasks counts it failed and retries. */
  dispatchDeadlineMs: number;
  /** Dispatch attempts so far (X-CloudTasks-TaskExecutionCount counts those answered). */
  dispatchCount: number;
  responseCount: number;
}

const TOMBSTONE_MS = 60 * 60_000;
const DEADLINE = { defaultMs: 600_000, minMs: 15_000, maxMs: 1_800_000 };
const TASK_ID = /^[A-Za-z0-9_-]{1,500}$/;

interface CreateBody {
  task?: { name?: string; scheduleTime?: string; dispatchDeadline?: string; httpRequest?: { url?: string; httpMethod?: string; headers?: Record<string, string>; body?: string; oidcToken?: { serviceAccountEmail?: string; audience?: string } } };
}

export class FakeTasks {
  readonly queues = new Map<string, Required<FakeQueueConfig>>();
  /** Tasks not yet done, by full name. */
  readonly live = new Map<string, FakeTask>();
  /** Names of done or deleted tasks and when their tombstone lapses. */
  private readonly tombstones = new Map<string, number>();
  /** Who may act as a service account besides itself (roles/iam.serviceAccountUser on it). */
  private readonly actAs = new Map<string, Set<string>>();
  readonly dispatcher: TaskDispatcher;
  /** 409s answered, for tests: [live task, tombstone]. */
  readonly refused = { live: 0, tombstone: 0 };

  constructor(
    private readonly now: Now,
    private readonly identities: IdentityRegistry,
    delivery: DeliveryOptions = {},
  ) {
    this.dispatcher = new TaskDispatcher(now, this, delivery);
  }

  /** Creates (or updates) a queue; `path` is "projects/<p>/locations/<l>/queues/<q>". */
  addQueue(path: string, config: FakeQueueConfig): void {
    this.queues.set(path, { maxBurstSize: 100, maxAttempts: 100, minBackoffMs: 100, maxBackoffMs: 3_600_000, maxDoublings: 16, ...config });
  }

  /** Grants `member` (an email) roles/iam.serviceAccountUser on `serviceAccount`: it may ask for that account's OIDC tokens. */
  grantActAs(serviceAccount: string, member: string): void {
    this.actAs.set(serviceAccount, new Set([...(this.actAs.get(serviceAccount) ?? []), member]));
  }

  /** Called by the dispatcher when a task is done (or given up): its name is tombstoned. */
  finish(task: FakeTask): void {
    this.live.delete(task.name);
    this.tombstones.set(task.name, this.now() + TOMBSTONE_MS);
  }

  /** Routes a request whose path starts after "v2/". */
  handle(request: FakeRequest): FakeResponse | undefined {
    const segments = request.segments.map(decodeSegment);
    const [p, project, l, location, q, queueId, t, ...rest] = segments;
    if (p !== "projects" || l !== "locations" || q !== "queues" || !project || !location || !queueId || rest.length > 0) return undefined;
    const queue = `projects/${project}/locations/${location}/queues/${queueId}`;
    const config = this.queues.get(queue);
    if (t === undefined && request.method === "GET") {
      if (!config) throw queueMissing();
      return ok({ name: queue, rateLimits: { maxDispatchesPerSecond: config.maxDispatchesPerSecond, maxConcurrentDispatches: config.maxConcurrentDispatches, maxBurstSize: config.maxBurstSize }, state: "RUNNING" });
    }
    if (t !== "tasks") return undefined;
    if (!config) throw queueMissing();
    if (request.method === "POST") return this.create(queue, readJson<CreateBody>(request), request.identity.email);
    if (request.method === "GET") return ok({ tasks: [...this.live.values()].filter((x) => x.queue === queue).map(resource) });
    return undefined;
  }

  private create(queue: string, body: CreateBody, caller: string): FakeResponse {
    const http = body.task?.httpRequest;
    if (!http?.url || !/^https?:\/\//.test(http.url)) throw invalidArgument("Invalid url for HttpRequest.url.");
    const name = body.task?.name ?? `${queue}/tasks/${Math.floor(this.now())}${this.live.size}`;
    const id = name.startsWith(`${queue}/tasks/`) ? name.slice(queue.length + 7) : "";
    if (!TASK_ID.test(id)) throw invalidArgument(`Task name must be formatted: "projects/<PROJECT_ID>/locations/<LOCATION_ID>/queues/<QUEUE_ID>/tasks/<TASK_ID>"; TASK_ID can contain only letters ([A-Za-z]), numbers ([0-9]), hyphens (-), or underscores (_), at most 500 characters.`);
    this.refuseTaken(name);
    const dispatchDeadlineMs = deadlineOf(body.task?.dispatchDeadline);
    const oidc = http.oidcToken ? this.oidcOf(http.oidcToken, http.url, caller) : null;
    const createdAt = this.now();
    const scheduleAt = body.task?.scheduleTime ? Math.max(createdAt, Date.parse(body.task.scheduleTime)) : createdAt;
    const task: FakeTask = { name, queue, url: http.url, body: Buffer.from(http.body ?? "", "base64"), headers: http.headers ?? {}, oidc, createdAt, scheduleAt, dispatchDeadlineMs, dispatchCount: 0, responseCount: 0 };
    this.live.set(name, task);
    this.dispatcher.enqueue(task);
    return ok(resource(task));
  }

  private refuseTaken(name: string): void {
    if (this.live.has(name)) {
      this.refused.live++;
      throw new GoogleApiError(409, "Requested entity already exists");
    }
    const until = this.tombstones.get(name);
    if (until !== undefined && until > this.now()) {
      this.refused.tombstone++;
      throw new GoogleApiError(409, "The task cannot be created because a task with this name existed too recently. For more information about task de-duplication see https://cloud.google.com/tasks/docs/reference/rest/v2/projects.locations.queues.tasks/create#body.request_body.FIELDS.task.");
    }
  }

  private oidcOf(token: { serviceAccountEmail?: string; audience?: string }, url: string, caller: string): FakeTask["oidc"] {
    const email = token.serviceAccountEmail ?? "";
    const mayActAs = caller === email || this.actAs.get(email)?.has(caller) === true;
    if (this.identities.byEmail(email)?.kind !== "serviceAccount" || !mayActAs) {
      throw new GoogleApiError(403, `The principal (user or service account) lacks IAM permission "iam.serviceAccounts.actAs" for the resource "${email}" (or the resource may not exist).`);
    }
    return { serviceAccountEmail: email, audience: token.audience ?? url };
  }
}

/** A duration as the API writes it ("600s", "15.5s"), within Cloud Tasks' bounds for HTTP targets. */
function deadlineOf(text: string | undefined): number {
  if (text === undefined) return DEADLINE.defaultMs;
  const match = /^(\d+(?:\.\d+)?)s$/u.exec(text);
  const ms = match ? Math.round(Number(match[1]) * 1000) : Number.NaN;
  if (!(ms >= DEADLINE.minMs && ms <= DEADLINE.maxMs)) throw invalidArgument(`The dispatch deadline must be between 15 seconds and 30 minutes (got "${text}").`);
  return ms;
}

function queueMissing(): GoogleApiError {
  return notFound("Queue does not exist. If you just created the queue, wait at least a minute for the queue to initialize.");
}

function resource(task: FakeTask): Record<string, unknown> {
  const iso = (ms: number): string => new Date(ms).toISOString();
  return { name: task.name, httpRequest: { url: task.url, httpMethod: "POST", headers: task.headers }, scheduleTime: iso(task.scheduleAt), createTime: iso(task.createdAt), dispatchDeadline: `${task.dispatchDeadlineMs / 1000}s`, dispatchCount: task.dispatchCount, responseCount: task.responseCount, view: "BASIC" };
}
