/**
 * A new period in the cloud: every ward whose recorded review cycle is of an earlier period is
 * read once more and stepped into the running period's cycle, edited or not, so Tổng hợp and
 * the digest of the new period show the new period's states (not last period's, nor "closed").
 * The changes feed alone would never name an unchanged ward. With a ward queue the wards are
 * enqueued under one task name per ward and period (a repeated sweep adds none twice);
 * without one the sweep reads them itself.
 */
import type { Catalogue } from "../../sheets-schema/catalogue.js";
import { currentPeriod, periodDates, VIETNAM_OFFSET_MS } from "../core/period.js";
import type { WardConfig } from "../config.js";
import type { FeedPorts } from "./changes-feed.js";
import { isReviewStale } from "./cloud-review.js";
import { processWardIfChanged, type WardState } from "./cloud-ward.js";
import { enqueueWards } from "./ward-tasks.js";

export interface RolloverReport {
  /** Wards read and stepped by this sweep. */
  stepped: string[];
  /** Wards handed to the ward queue. */
  queued: string[];
}

/** The instant the running period began (Vietnam midnight): the same for every sweep of the period. */
function periodStart(kind: NonNullable<FeedPorts["review"]>["periodKind"], now: Date): string {
  const start = periodDates(currentPeriod(kind, now))?.start ?? now.toISOString().slice(0, 10);
  return new Date(Date.parse(`${start}T00:00:00Z`) - VIETNAM_OFFSET_MS).toISOString();
}

/**
 * Step the wards whose cycle is of an earlier period; `states` (as the sweep read them) is
 * updated in place with each ward's state after its step.
 *
 * @example await stepStaleWards(wards, catalogues, ports, states) // → { stepped: ["nghi-huong"], queued: [] }
 */
export async function stepStaleWards(wards: readonly WardConfig[], catalogues: readonly Catalogue[], ports: FeedPorts, states: Map<string, WardState | null>): Promise<RolloverReport> {
  const review = ports.review;
  const report: RolloverReport = { stepped: [], queued: [] };
  if (!review) return report;
  const stale = wards.filter((w) => {
    const state = states.get(w.id);
    return !!state && !state.lastError && isReviewStale(state, ports);
  });
  if (ports.tasks) {
    const seenAt = periodStart(review.periodKind, ports.clock.now());
    const enqueued = await enqueueWards(ports.tasks, stale.map((w) => ({ wardId: w.id, file: null })), seenAt);
    report.queued.push(...enqueued.queued);
    return report;
  }
  for (const ward of stale) {
    const result = await processWardIfChanged(ward, catalogues, ports);
    states.set(ward.id, result.state);
    report.stepped.push(ward.id);
  }
  return report;
}
