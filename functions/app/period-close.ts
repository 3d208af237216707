/**
 * Closing a period (chốt kỳ): the period's snapshot is frozen under a content hash, with who
 * closed it and when, in one record per period ("closures/<period>.json") over any
 * KeyValueStore. Closing and reopening are compare-and-set writes: of two `close` at once one
 * wins and the other is told the period is already closed. Every close and reopen is kept in
 * the record's event list, which only grows.
 */
import { formatLocalDateTime } from "../core/period.js";
import { periodLabel } from "../core/vocabulary.js";
import { sentenceCase } from "../core/vi-format.js";
import { PeriodError } from "../errors.js";
import type { Clock, KeyValueStore, StoredSnapshot } from "../ports.js";
import type { ReviewState } from "../core/review-cycle.js";
import { type Closure, closureKey, frozenSnapshot, snapshotHash } from "./closure-record.js";
import { snapshotKey } from "./snapshot-store.js";
import { updateJson } from "./kv-state.js";
import { StateDamagedError, StateStoreError } from "../state-errors.js";

/** A closed-period conflict (closing twice, reopening an open period): a PeriodError, so the CLI exits 2. */
export class PeriodClosedError extends PeriodError {}

const MAX_ATTEMPTS = 20;

/** Who acts and when: the composition root passes the OS user (local) or the caller's identity. */
export interface Actor {
  by: string;
  clock: Clock;
}

/**
 * Write the next record of `period` by compare-and-set: `next` gets the current record and
 * returns the one to write, or throws when the change is refused. On a lost race it runs again
 * on the winner's record (so a second `close` then sees the period closed).
 */
async function updateClosure(kv: KeyValueStore, period: string, next: (current: Closure | null) => Closure): Promise<Closure> {
  try {
    return await updateJson<Closure>(kv, closureKey(period), next, { maxAttempts: MAX_ATTEMPTS });
  } catch (error) {
    // Only the lost races (updateJson's own "update" failure) are told as such; a failed read or write stays what it is.
    if (!(error instanceof StateStoreError) || error.operation !== "update" || error instanceof StateDamagedError) throw error;
    throw new PeriodError(`Không ghi được việc chốt ${periodLabel(period)}: có nhiều lệnh ghi cùng lúc, đã thử ${MAX_ATTEMPTS} lần. Hãy chạy lại lệnh.`, { cause: error });
  }
}

/**
 * Close `period`: freeze its stored snapshot, every review state "closed", in the closing record
 * itself with its hash (a run saving the snapshot just after cannot change what was closed).
 * Refused (PeriodError) when there is no snapshot of the period yet, or when it is already closed.
 *
 * @example await closePeriod(kv, "2026-11", { by: "canbo", clock }) // → { closed: true, hash: "ab12…", events: [{ kind: "close", … }] }
 */
export async function closePeriod(kv: KeyValueStore, period: string, actor: Actor): Promise<Closure> {
  const label = periodLabel(period);
  const snapshot = (await kv.get<StoredSnapshot>(snapshotKey(period)))?.value;
  if (!snapshot?.detail) {
    throw new PeriodError(`Chưa có số liệu đã lưu đầy đủ của ${label} nên chưa chốt được: hãy chạy “tieuchi run” hoặc “tieuchi report” trong kỳ này trước.`);
  }
  const frozen = frozenSnapshot(snapshot);
  const hash = snapshotHash(frozen);
  const at = actor.clock.now().toISOString();
  return updateClosure(kv, period, (current) => {
    if (current?.closed) throw new PeriodClosedError(`${sentenceCase(label)} đã được chốt trước đó (${closedBy(current)}); số liệu đã chốt giữ nguyên.`);
    return { period, closed: true, hash, frozen, events: [...(current?.events ?? []), { kind: "close", at, by: actor.by, hash }] };
  });
}

/** A ward's programme that was not appraised when its period's snapshot was taken. */
export interface PendingAppraisal {
  ward: string;
  programmeId: string;
  state: ReviewState;
}

/**
 * The wards' programmes not yet appraised in a snapshot (closing is the office's decision, so
 * they are a warning, not a refusal), in the snapshot's order.
 */
export function pendingAppraisals(snapshot: StoredSnapshot): PendingAppraisal[] {
  return (snapshot.detail?.wards ?? []).flatMap((w) =>
    w.outcome.scores.flatMap((s): PendingAppraisal[] => {
      const entry = w.outcome.review?.find((r) => r.programmeId === s.programmeId);
      const state: ReviewState = w.outcome.status === "missing" ? "not-sent" : (entry?.state ?? "updating");
      return state === "appraised" || state === "closed" ? [] : [{ ward: w.outcome.ward.name, programmeId: s.programmeId, state }];
    }),
  );
}

/**
 * Reopen a closed `period` with a reason (required); the reopening is recorded beside the closes.
 *
 * @example await reopenPeriod(kv, "2026-11", "Phường Nghi Hòa nộp bổ sung minh chứng", { by: "canbo", clock })
 */
export async function reopenPeriod(kv: KeyValueStore, period: string, reason: string, actor: Actor): Promise<Closure> {
  const label = periodLabel(period);
  const why = reason.trim();
  if (!why) throw new PeriodError(`Mở lại ${label} cần ghi lý do: tieuchi reopen --period ${period} --reason "lý do mở lại".`);
  const at = actor.clock.now().toISOString();
  return updateClosure(kv, period, (current) => {
    if (!current?.closed) throw new PeriodClosedError(`${sentenceCase(label)} chưa được chốt nên không cần mở lại.`);
    return { ...current, closed: false, events: [...current.events, { kind: "reopen", at, by: actor.by, reason: why }] };
  });
}

/** "chốt lúc 08:30 ngày 01/12/2026, người chốt: canbo": the last close of a record. */
function closedBy(closure: Closure): string {
  const last = [...closure.events].reverse().find((e) => e.kind === "close");
  return last ? `chốt lúc ${formatLocalDateTime(new Date(last.at))}, người chốt: ${last.by}` : "đã chốt";
}
