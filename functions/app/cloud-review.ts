/**
 * The appraisal cycle in the cloud runtime (issue 12): after a ward's spreadsheet is read and
 * evaluated, its review records are stepped (app/review-store.ts) for the running period, with
 * Drive's last modifying user as who submitted or appraised. In a closed period nothing steps:
 * the ward's edits are flagged "sửa sau khi đã chốt kỳ" at the changed cell and its review
 * states read "closed"; the closed figures stay as frozen.
 */
import type { Catalogue } from "../../sheets-schema/catalogue.js";
import { type PeriodKind, currentPeriod } from "../core/period.js";
import type { WardConfig } from "../config.js";
import type { Clock, FileModifier, KeyValueStore, StoredSnapshot, WardFile } from "../ports.js";
import type { WardOutcome } from "../core/aggregate-town.js";
import { readingOf } from "../core/change-trail.js";
import { editedAfterClose } from "./closed-run.js";
import { recordTrail } from "./trail-store.js";
import { closedOutcome, closureOf } from "./closure-record.js";
import { outcomeReview, stepWardReview, withCycleFindings } from "./review-store.js";
import type { WardRun } from "./run-town.js";
import type { WardState } from "./ward-state.js";
import { snapshotKey } from "./snapshot-store.js";

/** How the cloud steps the review cycle. */
export interface CloudReview {
  periodKind: PeriodKind;
  /** Who last changed the ward's spreadsheet (Drive's lastModifyingUser), asked only when the cycle moves and no file metadata came with the change. */
  modifiedBy?: (ward: WardConfig) => Promise<string | null>;
}

/** "Nguyễn Văn A <a@x.vn>", the address alone, or null; never the service itself. */
export function modifierName(user: FileModifier | null | undefined): string | null {
  if (!user || user.me || !user.email) return null;
  return user.name ? `${user.name} <${user.email}>` : user.email;
}

/** A run after the cycle's step, and what the ward's state keeps of it (so the sweep composes the Trả lại letters without reading the sheet). */
export interface ReviewedRun {
  run: WardRun;
  recorded?: NonNullable<WardState["review"]>;
}

/** The closed outcome of the ward, when `period` is closed (the frozen copy, else the stored snapshot), and when it was closed. */
async function closedWardOutcome(kv: KeyValueStore, period: string, wardId: string): Promise<{ outcome: WardRun["outcome"] | undefined; closedAt: string | null } | null> {
  const closure = await closureOf(kv, period);
  if (!closure?.closed) return null;
  const detail = (closure.frozen ?? (await kv.get<StoredSnapshot>(snapshotKey(period)))?.value)?.detail;
  const closedAt = [...closure.events].reverse().find((e) => e.kind === "close")?.at ?? null;
  return { outcome: detail?.wards.find((w) => w.id === wardId)?.outcome, closedAt };
}

/** Each programme's closed state with the closing time (what the Kiểm tra tab prints as “Đã chốt (lúc …)”). */
function stampClosed(outcome: WardOutcome, closedAt: string | null): WardOutcome {
  return closedAt && outcome.review ? { ...outcome, review: outcome.review.map((r) => ({ ...r, closedAt })) } : outcome;
}

/**
 * The run with its review stepped (or, in a closed period, flagged and closed). A ward with no
 * readable workbook, or a cloud without review settings, is returned as it is.
 */
export async function reviewWardRun(run: WardRun, catalogues: readonly Catalogue[], ports: { kv: KeyValueStore; clock: Clock; review?: CloudReview }, seen: { file: WardFile | null; previous: WardOutcome | null }): Promise<ReviewedRun> {
  const review = ports.review;
  if (!review || run.outcome.status !== "ok" || !run.sheet) return { run };
  const now = ports.clock.now();
  const at = now.toISOString();
  const period = currentPeriod(review.periodKind, now);
  let who: Promise<string | null> | undefined;
  const whoChanged = (): Promise<string | null> => (who ??= (async () => modifierName(seen.file?.lastModifyingUser) ?? (await review.modifiedBy?.(run.ward)) ?? null)());
  // The trail of what changed since the ward's last recorded reading (its state), by whom Drive says; kept after a close too.
  const baseline = seen.previous?.status === "ok" ? readingOf(seen.previous, at, null) : null;
  await recordTrail(ports.kv, period, [readingOf(run.outcome, at, null, run.sheet.criteria)], { baseline: () => baseline, whoChanged });
  const closed = await closedWardOutcome(ports.kv, period, run.ward.id);
  if (closed) {
    const flags = editedAfterClose(period, closed.outcome, run.outcome, catalogues, run.sheet.criteria);
    // The states as closed keep when the ward submitted and was appraised.
    const closedReview = closed.outcome?.review;
    const outcome = closedOutcome(closedReview ? { ...run.outcome, review: closedReview } : run.outcome);
    // Recorded for the closed period with no records (no letter goes): once the next period begins, the ward is stale and stepped.
    return { run: { ...run, findings: [...run.findings, ...flags], outcome: stampClosed(outcome, closed.closedAt) }, recorded: { period, readings: run.sheet.review, records: [] } };
  }
  const step = await stepWardReview({ kv: ports.kv, period, at, whoChanged }, run.ward.id, run.sheet.review);
  return {
    run: { ...run, findings: withCycleFindings(run.findings, step.records, run.sheet.review, catalogues), outcome: { ...run.outcome, review: outcomeReview(run.outcome, step.records) }, events: step.events, reviews: step.records },
    recorded: { period, readings: run.sheet.review, records: step.records },
  };
}

/** Whether a ward's recorded cycle belongs to an earlier period than the running one (so it must be stepped again). */
export function isReviewStale(state: WardState, ports: { clock: Clock; review?: CloudReview }): boolean {
  return ports.review !== undefined && state.review !== undefined && state.review.period !== currentPeriod(ports.review.periodKind, ports.clock.now());
}

/**
 * A run rebuilt from a ward's state, with the cycle it recorded for `period` (a cycle of an
 * earlier period is left out: its letters were that period's, and must not go again).
 */
export function runOfState(ward: WardConfig, state: WardState, period: string | null): WardRun {
  const run: WardRun = { ward, outcome: state.outcome, findings: state.findings };
  const review = state.review;
  return review && review.period === period ? { ...run, sheet: { review: review.readings, criteria: [] }, reviews: review.records } : run;
}
