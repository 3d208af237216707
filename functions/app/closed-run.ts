/**
 * A run of a period that was closed while it still runs: the workbooks are read and checked as
 * usual, but the closed figures stay as frozen. A ward whose workbook now reads differently from
 * the closed snapshot gets a warning finding "edited-after-close" (sửa sau khi đã chốt kỳ) per
 * programme tab, at the first changed cell, in its feedback and in the run; the town picture is
 * the closed one, every review state "closed".
 */
import type { Catalogue } from "../../sheets-schema/catalogue.js";
import type { WardOutcome } from "../core/aggregate-town.js";
import { diffReadings, readingOf } from "../core/change-trail.js";
import type { CriterionCells } from "../core/criterion-cells.js";
import type { Finding } from "../core/findings.js";
import type { FeedbackSink, KeyValueStore, SnapshotDetail, StoredSnapshot, SummarySink } from "../ports.js";
import { closedOutcome, closureOf } from "./closure-record.js";
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
 * read differently (result, points or appraisal) from the closed outcome, at the cell of the
 * first change (`cells`: the run's read of the workbook; without it the tab's A1).
 */
export function editedAfterClose(period: string, closed: WardOutcome | undefined, current: WardOutcome, catalogues: readonly Catalogue[], cells: readonly CriterionCells[] = []): Finding[] {
  if (closed === undefined || current.status !== "ok") return [];
  const changes = diffReadings(readingOf(closed, "", null), readingOf(current, "", null));
  return catalogues.flatMap((catalogue): Finding[] => {
    const own = changes.filter((c) => c.programme === catalogue.id);
    const first = own[0];
    if (!first) return [];
    const criteria = [...new Set(own.map((c) => c.criterion))];
    const at = cells.find((c) => c.programme === catalogue.id && c.code === first.criterion);
    const cell = at?.a1[first.field] ?? at?.a1.result ?? "A1";
    return [{ severity: "warning", tab: at?.tab ?? catalogue.tabTitle, cell, criterion: first.criterion, code: "edited-after-close", params: { period, criteria } }];
  });
}

/** The guard of a run of `period`, or null when the period is not closed (an ordinary run). */
export async function closedPeriodGuard(kv: KeyValueStore, period: string, catalogues: readonly Catalogue[]): Promise<ClosedPeriodGuard | null> {
  const closure = await closureOf(kv, period);
  if (!closure?.closed) return null;
  // The frozen copy in the closing record; records from before it was kept: the stored snapshot.
  const detail = (closure.frozen ?? (await kv.get<StoredSnapshot>(snapshotKey(period)))?.value)?.detail;
  if (!detail) return null;
  return guardOf(period, detail, catalogues);
}

function guardOf(period: string, detail: SnapshotDetail, catalogues: readonly Catalogue[]): ClosedPeriodGuard {
  const closed = new Map(detail.wards.map((w) => [w.id, w.outcome]));
  const flagged = <R extends { ward: { id: string }; outcome: WardOutcome; findings: readonly Finding[]; cells?: readonly CriterionCells[]; sheet?: { criteria: CriterionCells[] } }>(run: R): R => {
    const extra = editedAfterClose(period, closed.get(run.ward.id), run.outcome, catalogues, run.cells ?? run.sheet?.criteria);
    return extra.length ? { ...run, findings: [...run.findings, ...extra] } : run;
  };
  return {
    feedback: (sink) => ({ write: (feedback) => sink.write(flagged(feedback)) }),
    summary: (sink) => ({ write: () => sink.write(detail.summary) }),
    finish: (run) => ({ summary: detail.summary, wards: run.wards.map((w) => ({ ...flagged(w), outcome: closedOutcome(w.outcome) })) }),
  };
}
