/**
 * The review cycle in the town picture: where each ward stands (chưa gửi → đang cập nhật →
 * đề nghị thẩm định → đã thẩm định / trả lại → đã chốt), how many stand at each step, and the
 * wards the recognition proposal lists. Also the readers views use, so a summary stored before
 * the cycle existed (no review fields) reads as "nothing appraised yet". Pure, linear in wards.
 */
import type { AppraisedFigures, ProgrammeSummary, WardOutcome, WardRow } from "./aggregate-town.js";
import type { ReviewState } from "./review-cycle.js";
import type { ProgrammeScore } from "./score-ward.js";
import { APPRAISAL_INCOMPLETE, REVIEW_STATE_LABEL } from "./vocabulary.js";
import { numberVi } from "./vi-format.js";

/** Every state of the cycle, in the order it runs. */
const REVIEW_STATES = Object.keys(REVIEW_STATE_LABEL) as ReviewState[];

type Scored = { outcome: WardOutcome; score: ProgrammeScore | undefined };

/** The state recorded for a ward's programme: "not-sent" without a workbook, "updating" when nothing was recorded. */
function recordedState(outcome: WardOutcome, programmeId: string): { state: ReviewState; appraisedAt: string | null } {
  if (outcome.status === "missing") return { state: "not-sent", appraisedAt: null };
  const entry = outcome.review?.find((r) => r.programmeId === programmeId);
  return { state: entry?.state ?? "updating", appraisedAt: entry?.appraisedAt ?? null };
}

/**
 * Sets each row's review state (every ward "closed" once the period is closed) and returns the
 * programme's counts per state and its proposal: wards whose appraisal is complete, concluded
 * ("appraised", also when the period was then closed) and meets the rule on appraised results.
 * `scored` and `rows` are in the same order.
 */
export function reviewCycle(scored: readonly Scored[], rows: WardRow[], closed: boolean): Required<Pick<ProgrammeSummary, "proposal" | "reviewCounts">> {
  const reviewCounts = Object.fromEntries(REVIEW_STATES.map((s) => [s, 0])) as Record<ReviewState, number>;
  const proposal: string[] = [];
  scored.forEach(({ outcome, score }, i) => {
    const row = rows[i];
    if (!row) return;
    const recorded = recordedState(outcome, score?.programmeId ?? "");
    // A closed entry keeps its appraisedAt: that is how "closed after it was appraised" is told apart.
    const concluded = recorded.state === "appraised" || (recorded.state === "closed" && recorded.appraisedAt !== null);
    row.review = closed ? "closed" : recorded.state;
    row.appraisedAt = concluded ? recorded.appraisedAt : null;
    reviewCounts[row.review] += 1;
    if (concluded && score?.appraisal?.complete && score.appraisal.recognised) proposal.push(row.id);
  });
  return { proposal, reviewCounts };
}

/** A row's state; rows stored before the cycle: "not-sent" for a missing workbook, else "updating". */
export function reviewOf(row: Pick<WardRow, "review" | "status">): ReviewState {
  return row.review ?? (row.status === "missing" ? "not-sent" : "updating");
}

/** A row's appraised figures, or null (none yet, or stored before the cycle). */
export function appraisedOf(row: Pick<WardRow, "appraised">): AppraisedFigures | null {
  return row.appraised ?? null;
}

/**
 * A row's appraised figures in words: "21/22", "5/22 (chưa thẩm định hết)" while criteria remain
 * to appraise, or null before any appraisal.
 *
 * @example appraisedFiguresText({ appraised: { met: 5, total: 22, recognised: false, complete: false } }) === "5/22 (chưa thẩm định hết)"
 */
export function appraisedFiguresText(row: Pick<WardRow, "appraised">): string | null {
  const a = appraisedOf(row);
  return a ? `${a.met}/${a.total}${a.complete ? "" : ` (${APPRAISAL_INCOMPLETE})`}` : null;
}

/**
 * Whether the ward meets every criterion for the period: the appraised result once the appraisal
 * is concluded (appraised, or closed after it), the self-assessed one before.
 */
export function recognisedOf(row: Pick<WardRow, "recognised" | "appraised" | "appraisedAt">): boolean {
  const a = appraisedOf(row);
  return a && row.appraisedAt ? a.recognised : row.recognised;
}

/** Whether any row of the programmes has an appraisal: only then do views show the appraised figures. */
export function hasAppraisal(programmes: ReadonlyArray<Pick<ProgrammeSummary, "wards">>): boolean {
  return programmes.some((p) => p.wards.some((w) => appraisedOf(w) !== null));
}

/** Whether the cycle has moved past the ward's own editing anywhere: only then do views show Trạng thái. */
export function hasReview(programmes: ReadonlyArray<Pick<ProgrammeSummary, "wards">>): boolean {
  return programmes.some((p) => p.wards.some((w) => !["not-sent", "updating"].includes(reviewOf(w))));
}

/** A programme's counts per state, also for a summary stored before the counts existed. */
export function reviewCountsOf(p: Pick<ProgrammeSummary, "wards" | "reviewCounts">): Record<ReviewState, number> {
  if (p.reviewCounts) return p.reviewCounts;
  const counts = Object.fromEntries(REVIEW_STATES.map((s) => [s, 0])) as Record<ReviewState, number>;
  for (const w of p.wards) counts[reviewOf(w)] += 1;
  return counts;
}

/** The steps a count line names, in the order the office follows them. */
const COUNTED: readonly ReviewState[] = ["submitted", "appraised", "returned", "closed"];

/**
 * "Đề nghị thẩm định: 3 phường; đã thẩm định: 2; trả lại: 1": the steps past the ward's own
 * editing that have wards. Null when none has.
 *
 * @example cycleCountsText({ submitted: 3, appraised: 2, returned: 1 }, "phường") === "Đề nghị thẩm định: 3 phường; đã thẩm định: 2; trả lại: 1"
 */
export function cycleCountsText(counts: Partial<Record<ReviewState, number>>, noun: string): string | null {
  const shown = COUNTED.filter((s) => (counts[s] ?? 0) > 0);
  if (!shown.length) return null;
  return shown.map((s, i) => (i ? `${REVIEW_STATE_LABEL[s].toLowerCase()}: ${numberVi(counts[s] ?? 0)}` : `${REVIEW_STATE_LABEL[s]}: ${numberVi(counts[s] ?? 0)} ${noun}`)).join("; ");
}
