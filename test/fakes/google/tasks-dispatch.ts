/**
 * How the fake Cloud Tasks delivers: over real HTTP to each task's URL, paced on the injected
 * clock by the queue's token bucket (maxDispatchesPerSecond, maxBurstSize) and capped at
 * maxConcurrentDispatches in flight. At least once: a 2xx completes the task, but a seeded
 * share of completed tasks is delivered once more a little later (Cloud Tasks "prefers to err
 * on the side of guaranteed execution"), and with `reorder` ready tasks go out in a seeded
 * random order. Any other answer (or no answer) is retried with the queue's backoff: minBackoff
 * doubled maxDoublings times, then growing linearly, capped at maxBackoff; after maxAttempts
 * the task is dropped. Each attempt has the task's dispatch deadline (default 10 min): one not
 * answered by then counts as failed, frees its concurrency slot and is retried with backoff,
 * while the first request may still be running (so the worker sees the task twice at once); a
 * late answer is ignored. The test drives it: dispatchDue() expires attempts past their deadline
 * and starts what may start now, settle() waits for the answers, nextDueAt() says when
 * something may start or expire next.
 */
import type { Now } from "./common.js";
import type { FakeTask, FakeTasks } from "./tasks.js";

export interface DeliveryOptions {
  /** Share of completed tasks delivered a second time (0–1). */
  duplicateRate?: number;
  reorder?: boolean;
  seed?: number;
  /** Latest a duplicate arrives after the first delivery, ms (default 60 s). */
  duplicateDelayMs?: number;
}

/** One dispatch and what came of it, for tests and the simulation. */
interface DispatchRecord {
  task: string;
  at: number;
  attempt: number;
  status: number | "no answer" | "deadline exceeded" | "late answer";
  duplicate: boolean;
}

/** An attempt in flight: when its dispatch deadline passes, and whether it already has. */
interface Attempt {
  entry: Pending;
  attempt: number;
  deadlineAt: number;
  expired: boolean;
}

interface Pending {
  task: FakeTask;
  at: number;
  duplicate: boolean;
}

/** A small seeded PRNG (mulberry32): the same seed, the same duplicates and order. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class TaskDispatcher {
  readonly log: DispatchRecord[] = [];
  /** Tasks dropped after maxAttempts. */
  readonly dropped: string[] = [];
  private readonly pending: Pending[] = [];
  private readonly inFlight = new Map<string, number>();
  private readonly attempts = new Set<Attempt>();
  private readonly running = new Set<Promise<void>>();
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly random: () => number;

  constructor(
    private readonly now: Now,
    private readonly tasks: FakeTasks,
    private readonly options: DeliveryOptions,
  ) {
    this.random = seeded(options.seed ?? 1);
  }

  enqueue(task: FakeTask): void {
    this.pending.push({ task, at: task.scheduleAt, duplicate: false });
  }

  /** Tasks waiting or in flight. */
  get backlog(): number {
    return this.pending.length + this.running.size;
  }

  /** Expires attempts past their deadline, then starts every dispatch the queues allow now; returns how many started. */
  dispatchDue(): number {
    const now = this.now();
    for (const a of this.attempts) if (!a.expired && a.deadlineAt <= now) this.expire(a, "deadline exceeded");
    let ready = this.pending.filter((p) => p.at <= now);
    if (!this.options.reorder) ready.sort((a, b) => a.at - b.at);
    else ready = ready.map((p) => ({ p, k: this.random() })).sort((a, b) => a.k - b.k).map((x) => x.p);
    let started = 0;
    for (const entry of ready) {
      const config = this.tasks.queues.get(entry.task.queue);
      if (!config || (this.inFlight.get(entry.task.queue) ?? 0) >= config.maxConcurrentDispatches || !this.takeToken(entry.task.queue, now)) continue;
      this.pending.splice(this.pending.indexOf(entry), 1);
      this.start(entry);
      started++;
    }
    return started;
  }

  /** Waits until every dispatch in flight has its answer (and any it led to was recorded). */
  async settle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  /** The earliest instant a waiting task could start (ignoring concurrency) or an attempt expires, or null when none. */
  nextDueAt(): number | null {
    let next: number | null = null;
    for (const a of this.attempts) if (!a.expired && (next === null || a.deadlineAt < next)) next = a.deadlineAt;
    for (const entry of this.pending) {
      const config = this.tasks.queues.get(entry.task.queue);
      if (!config) continue;
      const bucket = this.refill(entry.task.queue, this.now());
      const tokenAt = bucket.tokens >= 1 ? this.now() : this.now() + Math.ceil(((1 - bucket.tokens) / config.maxDispatchesPerSecond) * 1000);
      const at = Math.max(entry.at, tokenAt);
      if (next === null || at < next) next = at;
    }
    return next;
  }

  private refill(queue: string, now: number): { tokens: number; at: number } {
    const config = this.tasks.queues.get(queue);
    const burst = config?.maxBurstSize ?? 1;
    const bucket = this.buckets.get(queue) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * (config?.maxDispatchesPerSecond ?? 0));
    bucket.at = now;
    this.buckets.set(queue, bucket);
    return bucket;
  }

  private takeToken(queue: string, now: number): boolean {
    const bucket = this.refill(queue, now);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  private start(entry: Pending): void {
    const { task } = entry;
    this.inFlight.set(task.queue, (this.inFlight.get(task.queue) ?? 0) + 1);
    const attempt: Attempt = { entry, attempt: entry.duplicate ? task.dispatchCount : ++task.dispatchCount, deadlineAt: this.now() + task.dispatchDeadlineMs, expired: false };
    this.attempts.add(attempt);
    const run = this.deliver(task, attempt.attempt).then((status) => this.answered(attempt, status));
    const tracked = run.finally(() => this.running.delete(tracked));
    this.running.add(tracked);
  }

  /** The attempt is over for the queue: its slot is free (the request itself may still run). */
  private release(attempt: Attempt): void {
    this.attempts.delete(attempt);
    const queue = attempt.entry.task.queue;
    this.inFlight.set(queue, (this.inFlight.get(queue) ?? 1) - 1);
  }

  /** Past its dispatch deadline: a failed attempt, retried (or dropped) like any other failure. */
  private expire(attempt: Attempt, status: "deadline exceeded"): void {
    attempt.expired = true;
    this.release(attempt);
    const { entry } = attempt;
    this.log.push({ task: entry.task.name, at: this.now(), attempt: attempt.attempt, status, duplicate: entry.duplicate });
    if (!entry.duplicate) this.failed(entry.task);
  }

  private async deliver(task: FakeTask, attempt: number): Promise<number | "no answer"> {
    const headers: Record<string, string> = {
      ...task.headers,
      "X-CloudTasks-QueueName": task.queue.split("/").pop() ?? "",
      "X-CloudTasks-TaskName": task.name.split("/").pop() ?? "",
      "X-CloudTasks-TaskRetryCount": String(attempt - 1),
      "X-CloudTasks-TaskExecutionCount": String(task.responseCount),
      "X-CloudTasks-TaskETA": String(task.scheduleAt / 1000),
    };
    if (task.oidc) headers.Authorization = `Bearer oidc.${task.oidc.serviceAccountEmail}.${task.oidc.audience}`;
    try {
      const response = await fetch(task.url, { method: "POST", headers, body: task.body });
      await response.arrayBuffer();
      return response.status;
    } catch {
      return "no answer";
    }
  }

  private answered(attempt: Attempt, status: number | "no answer"): void {
    const { entry } = attempt;
    const { task } = entry;
    const now = this.now();
    if (attempt.expired) {
      // Answered after Cloud Tasks gave up on this attempt: nobody listens any more.
      this.log.push({ task: task.name, at: now, attempt: attempt.attempt, status: "late answer", duplicate: entry.duplicate });
      return;
    }
    if (now > attempt.deadlineAt) return this.expire(attempt, "deadline exceeded");
    this.release(attempt);
    this.log.push({ task: task.name, at: now, attempt: attempt.attempt, status, duplicate: entry.duplicate });
    if (status !== "no answer") task.responseCount++;
    if (entry.duplicate) return;
    if (typeof status === "number" && status >= 200 && status < 300) {
      this.tasks.finish(task);
      if (this.random() < (this.options.duplicateRate ?? 0)) this.pending.push({ task, at: now + Math.floor(this.random() * (this.options.duplicateDelayMs ?? 60_000)), duplicate: true });
      return;
    }
    this.failed(task);
  }

  /** A failed attempt: retried after the queue's backoff, or dropped after its last attempt. */
  private failed(task: FakeTask): void {
    const config = this.tasks.queues.get(task.queue);
    if (!config || (config.maxAttempts !== -1 && task.dispatchCount >= config.maxAttempts)) {
      this.dropped.push(task.name);
      this.tasks.finish(task);
      return;
    }
    this.pending.push({ task, at: this.now() + backoffMs(config, task.dispatchCount), duplicate: false });
  }
}

/** Cloud Tasks' backoff after the n-th failed attempt: doubling, then linear, capped. */
export function backoffMs(config: { minBackoffMs: number; maxBackoffMs: number; maxDoublings: number }, failures: number): number {
  const doublings = Math.min(failures - 1, config.maxDoublings);
  const linear = Math.max(0, failures - 1 - config.maxDoublings);
  const step = config.minBackoffMs * 2 ** doublings;
  return Math.min(config.maxBackoffMs, step + linear * config.minBackoffMs * 2 ** config.maxDoublings);
}
