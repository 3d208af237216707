/**
 * Closing and reopening a period on Google (issue 12): the same closing record as the CLI
 * (period-close.ts), then every registered ward spreadsheet's programme tabs locked for the
 * supervising office (PeriodLocks), or unlocked on reopening. The locks of each ward are
 * recorded in their own object, "locks/<period>/<ward>.json" (Cloud Storage takes one write a
 * second per object: one shared object would pace a province at a ward a second), so a run that
 * stopped part-way is finished by the next one: closing an already closed period locks what is
 * still open, and a ward that failed is reported and retried, never blocking the others.
 * A lock is for the period while it is still running (the sweep lifts it once the next period
 * begins, cloud-lock-expiry.ts): closing a period that has already ended locks nothing, its
 * figures being frozen in the closing record. Who closes is the caller's verified identity,
 * never a field of the request.
 */
import { periodDates, periodTense } from "../core/period.js";
import { sentenceCase } from "../core/vi-format.js";
import { type UnitRef, unitLabel } from "../core/organisation.js";
import { PeriodError, PeriodLockError } from "../errors.js";
import { StateStoreError } from "../state-errors.js";
import { periodLabel } from "../core/vocabulary.js";
import type { Clock, KeyValueStore, PeriodLocks } from "../ports.js";
import { closureOf } from "./closure-record.js";
import { STATE_KEYS, type WardRegistry } from "./cloud-ward.js";
import { decideWardState } from "./ward-state.js";
import { type Actor, closePeriod, reopenPeriod } from "./period-close.js";
import { type WardLockRecord, lockKey, lockPrefix } from "./period-lock-records.js";

const wardOfKey = (period: string, key: string): string => decodeURIComponent(key.slice(lockPrefix(period).length, -".json".length));

export interface CloudClosePorts {
  kv: KeyValueStore;
  locks: PeriodLocks;
  clock: Clock;
  registry(): Promise<WardRegistry>;
  /** Where the raw text of an unexpected failure goes (the answer names it only in Vietnamese). */
  warn?(line: string): void;
}

/** Who may be locked in, who is calling, and how the office names each ward. */
export interface CloseContext {
  /** The supervising office: the editors of the locks. */
  office: readonly string[];
  /** The caller's verified identity (the identity token's email, or the OS user from the CLI); null: unknown, refused. */
  caller: string | null;
  /** "Phường Nghi Hương" for "nghi-huong" (the id itself when unknown). */
  wardName(wardId: string): string;
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
  /** Closing a period that has already ended locks nothing (its figures are frozen in the closing record). */
  ended?: boolean;
  wards: WardLockOutcome[];
}

/** A failure in the office's words: the lock adapter's Vietnamese sentence, else a plain one (the raw text to the log). */
function failureOf(error: unknown, ports: CloudClosePorts, wardId: string): string {
  if (error instanceof PeriodLockError) return error.message;
  ports.warn?.(`closePeriod ${wardId}: ${error instanceof Error ? error.message : String(error)}`);
  return "lỗi ngoài dự kiến (chi tiết ghi trong nhật ký)";
}

/** Runs `step` for each ward in turn (the Sheets write quota paces them through the adapters' retry). */
async function eachWard(ports: CloudClosePorts, wardIds: readonly string[], step: (wardId: string) => Promise<string[]>): Promise<WardLockOutcome[]> {
  const outcomes: WardLockOutcome[] = [];
  for (const wardId of wardIds) {
    try {
      outcomes.push({ wardId, tabs: await step(wardId), error: null });
    } catch (error) {
      outcomes.push({ wardId, tabs: [], error: failureOf(error, ports, wardId) });
    }
  }
  return outcomes;
}

/**
 * The lock is the service's own write, and Drive names only the last editor of a burst: a ward's
 * edit saved just before it would pass for ours and go unread. Forgetting when we last wrote
 * makes the next pass read the ward, so such an edit is flagged "sửa sau khi đã chốt kỳ"; and
 * forgetting what it last read makes that read rewrite the Kiểm tra tab even when nothing changed
 * (its states now “Đã chốt”, or open again after a reopen).
 */
async function forceNextRead(kv: KeyValueStore, wardId: string): Promise<void> {
  await decideWardState(kv, STATE_KEYS.ward(wardId), (current) =>
    current && (current.wroteAt || current.inputHash) ? { write: { ...current, wroteAt: null, inputHash: null }, result: undefined } : { keep: true, result: undefined },
  );
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
  const closure = already ? "already" : "closed";
  // A lock is for a period still running: once it has ended the wards type for the next one.
  if (periodTense(period, actor.clock.now()) === "closed") return { period, closure, ended: true, wards: [] };
  const registry = await ports.registry();
  const at = actor.clock.now().toISOString();
  // A call again after a timeout (a province takes longer than one call) goes on where the last stopped.
  const done = new Set((await ports.kv.list(lockPrefix(period))).map((key) => wardOfKey(period, key)));
  const todo = Object.keys(registry).filter((wardId) => !done.has(wardId));
  const wards = await eachWard(ports, todo.sort(), async (wardId) => {
    const spreadsheetId = registry[wardId]!.spreadsheetId;
    const tabs = await ports.locks.lock(spreadsheetId, period, office);
    await forceNextRead(ports.kv, wardId);
    const record: WardLockRecord = { ward: wardId, spreadsheetId, tabs, at, by: actor.by };
    await ports.kv.put(lockKey(period, wardId), record, null); // a racing close wrote the same: either is right
    return tabs;
  });
  const kept = Object.keys(registry).filter((wardId) => done.has(wardId)).map((wardId) => ({ wardId, tabs: [], error: null, earlier: true }));
  return { period, closure, wards: [...kept, ...wards] };
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
  const wards = await eachWard(ports, keys.map((key) => wardOfKey(period, key)).sort(), async (wardId) => {
    const record = (await ports.kv.get<WardLockRecord>(lockKey(period, wardId)))?.value;
    const tabs = record ? await ports.locks.unlock(record.spreadsheetId, period) : [];
    await forceNextRead(ports.kv, wardId);
    await ports.kv.delete(lockKey(period, wardId));
    return tabs;
  });
  return { period, closure: already ? "already" : "reopened", wards };
}

/** The answer of the HTTP function, in Vietnamese: what happened, how many spreadsheets, and each ward not done, by name. */
function closeAnswer(action: "close" | "reopen", result: CloudCloseResult, wardName: (wardId: string) => string): string {
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
  if (result.ended) return [result.closure === "already" ? `${sentenceCase(label)} đã được chốt từ trước.` : head, `${sentenceCase(label)} đã kết thúc nên không khóa bảng tính của các đơn vị: số liệu đã chốt được giữ nguyên trong bản chốt, các đơn vị tiếp tục nhập cho kỳ mới.`].join("\n");
  const changed = result.wards.filter((w) => w.tabs.length > 0 || w.earlier).length;
  const failed = result.wards.filter((w) => w.error !== null);
  const lines = failed.map((w) => `Chưa xong ${wardName(w.wardId)}: ${w.error}.`);
  return [head, `Đã ${closing ? "khóa" : "bỏ khóa"} ${changed}/${result.wards.length} bảng tính của các đơn vị.`, ...lines].join("\n");
}

/** A close or reopen request as the HTTP function receives it (JSON body; a "by" in it is ignored: who acts is the caller). */
type CloseRequest = { action: "close"; period: string } | { action: "reopen"; period: string; reason: string };

/** The request decoded, or the Vietnamese reason it is refused (answered 400). */
function decodeCloseRequest(body: unknown): { ok: true; request: CloseRequest } | { ok: false; reason: string } {
  const b = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  const text = (key: string): string => (typeof b[key] === "string" ? (b[key] as string).trim() : "");
  const [action, period, reason] = [text("action"), text("period"), text("reason")];
  if (action !== "close" && action !== "reopen") return { ok: false, reason: "cần “action”: “close” (chốt kỳ) hoặc “reopen” (mở lại)" };
  if (!periodDates(period)) return { ok: false, reason: "cần “period”: một kỳ báo cáo, ví dụ “2026-11” hoặc “2026-Q4”" };
  if (action === "close") return { ok: true, request: { action, period } };
  if (!reason) return { ok: false, reason: "mở lại kỳ cần “reason”: lý do mở lại" };
  return { ok: true, request: { action, period, reason } };
}

/** How the answer names a ward: "Phường Nghi Hương" (the id when it is no configured ward). */
export function wardNamer(wards: ReadonlyArray<UnitRef & { id: string }>): (wardId: string) => string {
  const names = new Map(wards.map((w) => [w.id, sentenceCase(unitLabel(w))]));
  return (wardId) => names.get(wardId) ?? wardId;
}

/** The answer when the caller's identity is unknown (no identity token reached the function). */
export const UNKNOWN_CALLER = "Không xác định được người gọi: hãy gọi hàm kèm mã định danh (identity token) của tài khoản Google, ví dụ “Authorization: Bearer $(gcloud auth print-identity-token)”.";

/**
 * The close function's use case: decode, close or reopen as the caller, answer. An unknown
 * caller is 401; a refused change (no stored figures yet) is 409 with the reason; a ward not done,
 * or an unexpected failure (logged), makes the answer 500 in Vietnamese, so the caller runs it
 * again (what is done is not done twice); a state store down is thrown (503).
 */
export async function handleCloseRequest(body: unknown, ports: CloudClosePorts, context: CloseContext): Promise<{ status: number; body: string }> {
  if (!context.caller) return { status: 401, body: UNKNOWN_CALLER };
  const decoded = decodeCloseRequest(body);
  if (!decoded.ok) return { status: 400, body: decoded.reason };
  const { request } = decoded;
  const actor = { by: context.caller, clock: ports.clock };
  try {
    const result = request.action === "close" ? await closeOnGoogle(ports, request.period, actor, context.office) : await reopenOnGoogle(ports, request.period, request.reason, actor);
    return { status: result.wards.some((w) => w.error !== null) ? 500 : 200, body: closeAnswer(request.action, result, context.wardName) };
  } catch (error) {
    if (error instanceof PeriodError) return { status: 409, body: error.message };
    if (error instanceof StateStoreError) throw error; // 503 with Retry-After (cloud/http-front.ts)
    ports.warn?.(`closePeriod ${request.period}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return { status: 500, body: `Chưa ${request.action === "close" ? "chốt" : "mở lại"} xong ${periodLabel(request.period)}: lỗi ngoài dự kiến (chi tiết ghi trong nhật ký); hãy gọi lại.` };
  }
}
