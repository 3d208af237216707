/**
 * Closing and reopening a period on Google (issue 12): the same closing record as the CLI
 * (period-close.ts), then every registered ward spreadsheet's programme tabs locked for the
 * supervising office (PeriodLocks), or unlocked on reopening. The locks of each ward are
 * recorded in their own object, "locks/<period>/<ward>.json" (Cloud Storage takes one write a
 * second per object: one shared object would pace a province at a ward a second), so a run that
 * stopped part-way is finished by the next one: closing an already closed period locks what is
 * still open, and a ward that failed is reported and retried, never blocking the others.
 */
import { periodDates } from "../core/period.js";
import { sentenceCase } from "../core/vi-format.js";
import { PeriodError } from "../errors.js";
import { periodLabel } from "../core/vocabulary.js";
import type { Clock, KeyValueStore, PeriodLocks } from "../ports.js";
import { closureOf } from "./closure-record.js";
import { STATE_KEYS, type WardRegistry } from "./cloud-ward.js";
import { decideWardState } from "./ward-state.js";
import { type Actor, closePeriod, reopenPeriod } from "./period-close.js";

/** What was locked of one ward's spreadsheet, when and by whom. */
interface WardLockRecord {
  ward: string;
  spreadsheetId: string;
  tabs: string[];
  at: string;
  by: string;
}

const LOCKS = "locks/";
const lockPrefix = (period: string): string => `${LOCKS}${period}/`;
const lockKey = (period: string, ward: string): string => `${lockPrefix(period)}${encodeURIComponent(ward)}.json`;
const wardOfKey = (period: string, key: string): string => decodeURIComponent(key.slice(lockPrefix(period).length, -".json".length));

export interface CloudClosePorts {
  kv: KeyValueStore;
  locks: PeriodLocks;
  clock: Clock;
  registry(): Promise<WardRegistry>;
}

/** One ward's part of a close or reopen. */
export interface WardLockOutcome {
  wardId: string;
  tabs: string[];
  error: string | null;
  /** Locked by an earlier call (not looked at again). */
  earlier?: boolean;
}

export interface CloudCloseResult {
  period: string;
  /** "closed" / "reopened" now, or "already" when the record was already so (the locks are still made sure of). */
  closure: "closed" | "reopened" | "already";
  wards: WardLockOutcome[];
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Runs `step` for each ward in turn (the Sheets write quota paces them through the adapters' retry). */
async function eachWard(wardIds: readonly string[], step: (wardId: string) => Promise<string[]>): Promise<WardLockOutcome[]> {
  const outcomes: WardLockOutcome[] = [];
  for (const wardId of wardIds) {
    try {
      outcomes.push({ wardId, tabs: await step(wardId), error: null });
    } catch (error) {
      outcomes.push({ wardId, tabs: [], error: messageOf(error) });
    }
  }
  return outcomes;
}

/**
 * The lock is the service's own write, and Drive names only the last editor of a burst: a ward's
 * edit saved just before it would pass for ours and go unread. Forgetting when we last wrote
 * makes the next pass read the ward, so such an edit is flagged "sửa sau khi đã chốt kỳ".
 */
async function forgetOwnWrite(kv: KeyValueStore, wardId: string): Promise<void> {
  await decideWardState(kv, STATE_KEYS.ward(wardId), (current) => (current?.wroteAt ? { write: { ...current, wroteAt: null }, result: undefined } : { keep: true, result: undefined }));
}

/**
 * Close `period` and lock every registered ward spreadsheet for `office` (the service account is
 * always an editor too). Refused (PeriodError) when the period has no stored snapshot yet.
 *
 * @example await closeOnGoogle(ports, "2026-11", { by: "truongphong@congan.example", clock }, ["truongphong@congan.example"])
 */
async function closeOnGoogle(ports: CloudClosePorts, period: string, actor: Actor, office: readonly string[]): Promise<CloudCloseResult> {
  const already = (await closureOf(ports.kv, period))?.closed === true;
  if (!already) await closePeriod(ports.kv, period, actor);
  const registry = await ports.registry();
  const at = actor.clock.now().toISOString();
  // A call again after a timeout (a province takes longer than one call) goes on where the last stopped.
  const done = new Set((await ports.kv.list(lockPrefix(period))).map((key) => wardOfKey(period, key)));
  const todo = Object.keys(registry).filter((wardId) => !done.has(wardId));
  const wards = await eachWard(todo.sort(), async (wardId) => {
    const spreadsheetId = registry[wardId]!.spreadsheetId;
    const tabs = await ports.locks.lock(spreadsheetId, period, office);
    await forgetOwnWrite(ports.kv, wardId);
    const record: WardLockRecord = { ward: wardId, spreadsheetId, tabs, at, by: actor.by };
    await ports.kv.put(lockKey(period, wardId), record, null); // a racing close wrote the same: either is right
    return tabs;
  });
  const kept = Object.keys(registry).filter((wardId) => done.has(wardId)).map((wardId) => ({ wardId, tabs: [], error: null, earlier: true }));
  return { period, closure: already ? "already" : "closed", wards: [...kept, ...wards] };
}

/**
 * Reopen `period` with a reason (recorded in the closing record) and remove exactly the locks
 * named for it from every spreadsheet they were put on; the lock records of the wards whose
 * unlocking failed stay, for the next reopen.
 */
async function reopenOnGoogle(ports: CloudClosePorts, period: string, reason: string, actor: Actor): Promise<CloudCloseResult> {
  const already = (await closureOf(ports.kv, period))?.closed !== true;
  if (!already) await reopenPeriod(ports.kv, period, reason, actor);
  const keys = await ports.kv.list(lockPrefix(period));
  const wards = await eachWard(keys.map((key) => wardOfKey(period, key)).sort(), async (wardId) => {
    const record = (await ports.kv.get<WardLockRecord>(lockKey(period, wardId)))?.value;
    const tabs = record ? await ports.locks.unlock(record.spreadsheetId, period) : [];
    await ports.kv.delete(lockKey(period, wardId));
    return tabs;
  });
  return { period, closure: already ? "already" : "reopened", wards };
}

/** The answer of the HTTP function, in Vietnamese: what happened, how many spreadsheets, and each ward not done. */
function closeAnswer(action: "close" | "reopen", result: CloudCloseResult): string {
  const label = periodLabel(result.period);
  const closing = action === "close";
  const head =
    result.closure === "already"
      ? closing
        ? `${sentenceCase(label)} đã được chốt từ trước; đã rà lại khóa các bảng tính.`
        : `${sentenceCase(label)} chưa được chốt; đã rà lại để bỏ các khóa còn sót.`
      : closing
        ? `Đã chốt ${label}.`
        : `Đã mở lại ${label}.`;
  const changed = result.wards.filter((w) => w.tabs.length > 0 || w.earlier).length;
  const failed = result.wards.filter((w) => w.error !== null);
  return [head, `Đã ${closing ? "khóa" : "bỏ khóa"} ${changed}/${result.wards.length} bảng tính của các đơn vị.`, ...failed.map((w) => `Chưa xong đơn vị ${w.wardId}: ${w.error}`)].join("\n");
}

/** A close or reopen request as the HTTP function receives it (JSON body). */
type CloseRequest = { action: "close"; period: string; by: string } | { action: "reopen"; period: string; by: string; reason: string };

/** The request decoded, or the Vietnamese reason it is refused (answered 400). */
function decodeCloseRequest(body: unknown): { ok: true; request: CloseRequest } | { ok: false; reason: string } {
  const b = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  const text = (key: string): string => (typeof b[key] === "string" ? (b[key] as string).trim() : "");
  const [action, period, by, reason] = [text("action"), text("period"), text("by"), text("reason")];
  if (action !== "close" && action !== "reopen") return { ok: false, reason: "cần “action”: “close” (chốt kỳ) hoặc “reopen” (mở lại)" };
  if (!periodDates(period)) return { ok: false, reason: "cần “period”: một kỳ báo cáo, ví dụ “2026-11” hoặc “2026-Q4”" };
  if (!by) return { ok: false, reason: "cần “by”: người chốt hoặc mở lại (địa chỉ thư)" };
  if (action === "close") return { ok: true, request: { action, period, by } };
  if (!reason) return { ok: false, reason: "mở lại kỳ cần “reason”: lý do mở lại" };
  return { ok: true, request: { action, period, by, reason } };
}

/**
 * The close function's use case: decode, close or reopen, answer. A refused change (no stored
 * figures yet) is 409 with the reason; a ward not done makes the answer 500, so the caller
 * runs it again (what is done is not done twice).
 */
export async function handleCloseRequest(body: unknown, ports: CloudClosePorts, office: readonly string[]): Promise<{ status: number; body: string }> {
  const decoded = decodeCloseRequest(body);
  if (!decoded.ok) return { status: 400, body: decoded.reason };
  const { request } = decoded;
  const actor = { by: request.by, clock: ports.clock };
  try {
    const result = request.action === "close" ? await closeOnGoogle(ports, request.period, actor, office) : await reopenOnGoogle(ports, request.period, request.reason, actor);
    return { status: result.wards.some((w) => w.error !== null) ? 500 : 200, body: closeAnswer(request.action, result) };
  } catch (error) {
    if (error instanceof PeriodError) return { status: 409, body: error.message };
    throw error;
  }
}
