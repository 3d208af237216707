/**
 * A ward's recorded state and how it is updated: by compare-and-set, in the order of reads.
 * Each result carries the instant its read started (and the Drive version it saw), and a
 * result from an older read never replaces one from a newer read, however late it finishes.
 */
import type { WardOutcome } from "../core/aggregate-town.js";
import type { Finding } from "../core/findings.js";
import type { ReviewReading, ReviewRecord } from "../core/review-cycle.js";
import type { KeyValueStore } from "../ports.js";
import { StateStoreError } from "../state-errors.js";

/** A failure on one ward, kept in its state until the ward is next handled without one. */
export interface WardFailure {
  stage: "read" | "feedback" | "file";
  message: string;
  at: string;
}

/** The Drive metadata of the file a result was read from, when the caller knew it. */
export interface InputVersion {
  version: string;
  modifiedTime: string;
}

/** What the service remembers about a ward between invocations. */
export interface WardState {
  inputHash: string | null;
  /** When the read behind this result started: edits Drive dates earlier were in that read, and a read that started earlier never replaces it. */
  processedAt: string;
  /** Drive's version and modifiedTime of the file as last seen before that read (Drive lags, so they order nothing: processedAt does). */
  inputVersion?: InputVersion | null;
  /** When the service's own Kiểm tra write last finished. */
  wroteAt?: string | null;
  outcome: WardOutcome;
  findings: Finding[];
  findingsHash: string;
  /** When the findings last changed: ward feedback emails wait until staff have stopped editing. */
  findingsChangedAt: string;
  lastError?: WardFailure | null;
  /** The review cycle of `period` as this result left it (issue 12): the readings (keys hashed) and the records; absent before it. */
  review?: { period: string; readings: ReviewReading[]; records: ReviewRecord[] };
}

/** What to do with the stored state: write a new one (and answer `result`), or leave it (and answer `result`). */
export type StateDecision<T> = { write: WardState; result: T } | { keep: true; result: T };

const MAX_ATTEMPTS = 20;

/**
 * Read-decide-write on one ward's state with compare-and-set; `decide` runs again on the fresh
 * state after a conflicting write, so it must have no side effects.
 */
export async function decideWardState<T>(kv: KeyValueStore, key: string, decide: (current: WardState | null) => StateDecision<T>): Promise<T> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const current = await kv.get<WardState>(key);
    const decision = decide(current?.value ?? null);
    if ("keep" in decision) return decision.result;
    if ((await kv.put(key, decision.write, current?.version ?? null)) !== null) return decision.result;
  }
  throw new StateStoreError("update", key, `bị ghi đồng thời liên tục, đã thử ${MAX_ATTEMPTS} lần mà chưa ghi được`);
}

/** Whether `state` holds the result of a read that started after `readAt`. */
export const isNewerThan = (state: WardState, readAt: string): boolean => Date.parse(state.processedAt) > Date.parse(readAt);

/** The later of two ISO instants (null counts as earliest). */
export const laterOf = (a: string | null | undefined, b: string): string => (a && Date.parse(a) > Date.parse(b) ? a : b);
