/**
 * Fan-out of ward handling onto a task queue (Cloud Tasks in the cloud): the sweep and the
 * webhook enqueue one task per changed ward, named from the ward and the Drive version seen,
 * so a change enqueued twice (two passes, a repeated push) is one task: the queue answers
 * "duplicate" for a name it holds or held within its dedupe window. A worker handles one
 * task: one ward read, its Kiểm tra tab and its state. No queue of our own.
 */
import { sha256Hex } from "../hashing.js";

/** What a worker needs to handle one changed ward. */
export interface WardTask {
  wardId: string;
  /** Drive's version and modifiedTime of the file as the change reported it (null: unknown). */
  version: string | null;
  modifiedTime: string | null;
  /** When the pass saw the change (ISO): the queue's delay is measured from it. */
  seenAt: string;
}

/** "duplicate": a task of that name is queued, running, or ran within the queue's dedupe window. */
export type EnqueueResult = "queued" | "duplicate";

export interface WardTaskQueue {
  /** `notBefore`: the task's dispatch slot (ms since the epoch) from `reserveSlots`; absent: at once. */
  enqueue(task: WardTask, notBefore?: number): Promise<EnqueueResult>;
  /**
   * Reserves `count` dispatch slots for changes, then `rechecks` for re-checks (dispatch-slots.ts),
   * in one step shared by every enqueuer (function instance), so batches enqueued at the same
   * time are spread at the quota's pace together. Absent: no pacing.
   */
  reserveSlots?(count: number, rechecks?: number): Promise<number[]>;
}

/** Cloud Tasks ids take [A-Za-z0-9_-], at most 500 characters. */
const unsafe = /[^A-Za-z0-9_-]/gu;

/**
 * The task id of a change: a short hash first (Cloud Tasks asks for hashed prefixes, so
 * names do not cluster), then the ward and the version it was seen at. The same change
 * always gives the same id; another edit gives another Drive version, so another id.
 */
export function wardTaskId(task: Pick<WardTask, "wardId" | "version" | "modifiedTime" | "seenAt">): string {
  const version = task.version !== null ? `v${task.version}` : task.modifiedTime !== null ? `m${Date.parse(task.modifiedTime)}` : `s${Date.parse(task.seenAt)}`;
  const ward = task.wardId.replace(unsafe, "_").slice(0, 200);
  return `${sha256Hex(`${task.wardId}\n${version}`).slice(0, 8)}-${ward}-${version.replace(unsafe, "_")}`;
}

/** A task's body as the worker receives it; null when it is not one. */
export function parseWardTask(body: unknown): WardTask | null {
  if (typeof body !== "object" || body === null) return null;
  const { wardId, version, modifiedTime, seenAt } = body as Record<string, unknown>;
  const nullableString = (v: unknown): v is string | null => v === null || typeof v === "string";
  if (typeof wardId !== "string" || wardId === "" || typeof seenAt !== "string" || !nullableString(version) || !nullableString(modifiedTime)) return null;
  return { wardId, version, modifiedTime, seenAt };
}

/** Enqueue calls of one pass in flight at once. */
const ENQUEUE_CONCURRENCY = 8;

/** A ward to enqueue; `recheck`: read only because the daily listing is strict (nothing changed but the service's own write). */
interface WardToQueue {
  wardId: string;
  file: { version: string; modifiedTime: string } | null;
  recheck?: boolean;
}

/**
 * One task per ward to read, a few enqueue calls at a time, each in a slot of one block
 * reserved for the whole batch (one state write, not one per task): changes first, re-checks
 * in the slower lane after them. A failed reservation or enqueue throws (after the others
 * settle), so the caller's pass fails and keeps its page token: the next pass enqueues the
 * same changes again, and their task names dedupe them.
 */
export async function enqueueWards(queue: WardTaskQueue, wards: readonly WardToQueue[], seenAt: string): Promise<{ queued: string[]; duplicate: string[] }> {
  const done = { queued: [] as string[], duplicate: [] as string[] };
  const [changes, rechecks] = [wards.filter((w) => !w.recheck), wards.filter((w) => w.recheck)];
  const ordered = [...changes, ...rechecks];
  const slots = ordered.length > 0 && queue.reserveSlots ? await queue.reserveSlots(changes.length, rechecks.length) : [];
  await inPool(ordered.map((ward, i) => ({ ...ward, slot: slots[i] })), ENQUEUE_CONCURRENCY, async ({ wardId, file, slot }) => {
    const result = await queue.enqueue({ wardId, version: file?.version ?? null, modifiedTime: file?.modifiedTime ?? null, seenAt }, slot);
    done[result === "queued" ? "queued" : "duplicate"].push(wardId);
  });
  return done;
}

/** Runs `work` over `items`, at most `limit` at a time; the first failure is thrown once all have settled. */
async function inPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const failures: unknown[] = [];
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item).catch((error: unknown) => void failures.push(error));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failures.length > 0) throw failures[0];
}
