/**
 * A run of a period that was closed while it still runs: the workbooks are read and checked as
 * usual, but the closed figures stay as frozen. A ward whose workbook now reads differently from
 * the closed snapshot gets a warning finding "edited-after-close" (sửa sau khi đã chốt kỳ) per
 * programme tab, in its feedback and in the run; the town picture is the closed one.
 */
import type { Catalogue } from "../../sheets-schema/catalogue.js";
import type { WardOutcome } from "../core/aggregate-town.js";
import { diffReadings, readingOf } from "../core/change-trail.js";
import type { Finding } from "../core/findings.js";
import type { FeedbackSink, KeyValueStore, SnapshotDetail, StoredSnapshot, SummarySink } from "../ports.js";
import { isPeriodClosed } from "./closure-record.js";
import type { TownRun } from "./run-town.js";
import { snapshotKey } from "./snapshot-store.js";

/** How a run of a closed period is kept from changing its figures. */
export interface ClosedPeriodGuard {
  /** Feedback with the edited-after-close warnings added. */
  feedback(sink: FeedbackSink): FeedbackSink;
  /** The summary sink is given the closed town picture, not today's. */
  summary(sink: SummarySink): SummarySink;
  /** The run as shown: the closed town summary, each ward's current findings with the warnings. */
  finish(run: TownRun): TownRun;
}

/**
 * The edited-after-close findings of a ward: one warning per programme tab whose criteria now
 * read differently (result or points) from the closed outcome.
 */
export function editedAfterClose(period: string, closed: WardOutcome | undefined, current: WardOutcome, catalogues: readonly Catalogue[]): Finding[] {
  if (closed === undefined || current.status !== "ok") return [];
  const changes = diffReadings(readingOf(closed, "", null), readingOf(current, "", null));
  return catalogues.flatMap((catalogue): Finding[] => {
    const criteria = [...new Set(changes.filter((c) => c.programme === catalogue.id).map((c) => c.criterion))];
    if (!criteria.length) return [];
    return [{ severity: "warning", tab: catalogue.tabTitle, cell: "A1", criterion: null, code: "edited-after-close", params: { period, criteria } }];
  });
}

/** The guard of a run of `period`, or null when the period is not closed (an ordinary run). */
export async function closedPeriodGuard(kv: KeyValueStore, period: string, catalogues: readonly Catalogue[]): Promise<ClosedPeriodGuard | null> {
  if (!(await isPeriodClosed(kv, period))) return null;
  const detail = (await kv.get<StoredSnapshot>(snapshotKey(period)))?.value.detail;
  if (!detail) return null;
  return guardOf(period, detail, catalogues);
}

function guardOf(period: string, detail: SnapshotDetail, catalogues: readonly Catalogue[]): ClosedPeriodGuard {
  const closed = new Map(detail.wards.map((w) => [w.id, w.outcome]));
  const flagged = <R extends { ward: { id: string }; outcome: WardOutcome; findings: readonly Finding[] }>(run: R): R => {
    const extra = editedAfterClose(period, closed.get(run.ward.id), run.outcome, catalogues);
    return extra.length ? { ...run, findings: [...run.findings, ...extra] } : run;
  };
  return {
    feedback: (sink) => ({ write: (feedback) => sink.write(flagged(feedback)) }),
    summary: (sink) => ({ write: () => sink.write(detail.summary) }),
    finish: (run) => ({ summary: detail.summary, wards: run.wards.map(flagged) }),
  };
}
