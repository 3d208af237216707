/**
 * The record of a period's closing (chốt kỳ), one per period under "closures/<period>.json":
 * read by the snapshot store (a closed period's figures are the frozen copy kept here) and
 * written by period-close.ts.
 */
import type { TownSummary, WardOutcome } from "../core/aggregate-town.js";
import type { ReviewState } from "../core/review-cycle.js";
import { REVIEW_STATE_LABEL } from "../core/vocabulary.js";
import { sha256Hex, stableJson } from "../hashing.js";
import type { KeyValueStore, StoredSnapshot } from "../ports.js";

/** One close or reopen, as recorded. */
export type ClosureEvent = { kind: "close"; at: string; by: string; hash: string } | { kind: "reopen"; at: string; by: string; reason: string };

/** A period's closing record: whether it is closed now, the frozen snapshot and its hash, and every event. */
export interface Closure {
  period: string;
  closed: boolean;
  /** sha256 of the canonical JSON of the snapshot frozen by the last close. */
  hash: string | null;
  /**
   * The snapshot as frozen by the last close, kept here rather than only hashed: a run that saved
   * the period's snapshot just after the close cannot change what was closed. Absent in records
   * written before it was kept (their figures are the period's stored snapshot).
   */
  frozen?: StoredSnapshot;
  /** Every close and reopen, oldest first; only ever appended to. */
  events: ClosureEvent[];
}

/** The store key of a period's closing record. */
export const closureKey = (period: string): string => `closures/${period}.json`;

/** The closing record of `period`, or null when it was never closed. */
export async function closureOf(kv: KeyValueStore, period: string): Promise<Closure | null> {
  return (await kv.get<Closure>(closureKey(period)))?.value ?? null;
}

/** Whether `period` is closed now. */
export async function isPeriodClosed(kv: KeyValueStore, period: string): Promise<boolean> {
  return (await closureOf(kv, period))?.closed === true;
}

/** sha256 over the canonical (key-sorted) JSON of a snapshot: equal snapshots, equal hashes. */
export const snapshotHash = (snapshot: StoredSnapshot): string => sha256Hex(stableJson(snapshot));

const STATES = Object.keys(REVIEW_STATE_LABEL) as ReviewState[];

/** An outcome as closed: every programme's review state "closed" (when it was submitted and appraised is kept). */
export function closedOutcome(outcome: WardOutcome): WardOutcome {
  const review = outcome.review ?? outcome.scores.map((s) => ({ programmeId: s.programmeId, state: "closed" as const, submittedAt: null, appraisedAt: null }));
  return { ...outcome, review: review.map((r) => ({ ...r, state: "closed" })) };
}

/** A town summary as closed: every row "closed", the counts all closed; figures and proposal as they were. */
function closedSummary(summary: TownSummary): TownSummary {
  return {
    ...summary,
    programmes: summary.programmes.map((p) => ({
      ...p,
      wards: p.wards.map((w) => ({ ...w, review: "closed" })),
      reviewCounts: { ...(Object.fromEntries(STATES.map((s) => [s, 0])) as Record<ReviewState, number>), closed: p.wards.length },
    })),
  };
}

/** The snapshot to freeze: the stored one with every ward's review state "closed". */
export function frozenSnapshot(snapshot: StoredSnapshot): StoredSnapshot {
  if (!snapshot.detail) return snapshot;
  return { ...snapshot, detail: { summary: closedSummary(snapshot.detail.summary), wards: snapshot.detail.wards.map((w) => ({ ...w, outcome: closedOutcome(w.outcome) })) } };
}
