/**
 * Use case: process every ward once (read, validate, score, feed back) and aggregate the
 * town. A ward that cannot be read is reported and the others carry on.
 */
import type { Catalogue } from "../../sheets-schema/catalogue.js";
import { type TownSummary, type WardOutcome, aggregateTown, toSnapshot } from "../core/aggregate-town.js";
import { evaluateWorkbook } from "../core/evaluate-ward.js";
import type { Finding } from "../core/findings.js";
import { weekPeriod } from "../core/period.js";
import { emptyScore } from "../core/score-ward.js";
import type { WardConfig } from "../config.js";
import { SheetsReadError } from "../errors.js";
import type { Clock, FeedbackSink, SheetSource, StateStore, SummarySink } from "../ports.js";

export interface TownPorts {
  sheets: SheetSource;
  feedback: FeedbackSink;
  summary: SummarySink;
  state: StateStore;
  clock: Clock;
}

export interface WardRun {
  ward: WardConfig;
  outcome: WardOutcome;
  findings: Finding[];
}

export interface TownRun {
  summary: TownSummary;
  wards: WardRun[];
}

/** Read and evaluate one ward; an unreadable workbook becomes an outcome, not a crash. */
export async function processWard(ward: WardConfig, catalogues: readonly Catalogue[], sheets: SheetSource): Promise<WardRun> {
  const base = { ward: { id: ward.id, name: ward.name } };
  try {
    const workbook = await sheets.read(ward);
    if (!workbook) return { ward, findings: [], outcome: { ...base, status: "missing", reason: null, scores: catalogues.map(emptyScore) } };
    const evaluation = evaluateWorkbook(workbook, catalogues, ward);
    return { ward, findings: evaluation.findings, outcome: { ...base, status: "ok", reason: null, scores: evaluation.scores } };
  } catch (error) {
    if (!(error instanceof SheetsReadError)) throw error;
    return { ward, findings: [], outcome: { ...base, status: "unreadable", reason: error.message, scores: catalogues.map(emptyScore) } };
  }
}

/**
 * Process the given wards and write the town summary and this period's snapshot.
 * The change is computed against the newest snapshot of an earlier period.
 */
export async function runTown(wards: readonly WardConfig[], catalogues: readonly Catalogue[], ports: TownPorts, options: { period?: string } = {}): Promise<TownRun> {
  const now = ports.clock.now();
  const runs = await Promise.all(wards.map((ward) => processWard(ward, catalogues, ports.sheets)));
  await Promise.all(runs.map((run) => ports.feedback.write({ ward: run.ward, outcome: run.outcome, findings: run.findings, checkedAt: now })));
  const period = options.period ?? weekPeriod(now);
  const previous = await ports.state.latestSnapshotBefore(period);
  const summary = aggregateTown(
    runs.map((r) => r.outcome),
    catalogues,
    { period, generatedAt: now.toISOString(), previous },
  );
  await ports.summary.write(summary);
  await ports.state.saveSnapshot(toSnapshot(summary));
  return { summary, wards: runs };
}
