/**
 * Use case: process every ward once (read, validate, score, feed back) and aggregate the
 * town. A ward that cannot be read is reported and the others carry on.
 */
import type { Catalogue } from "../../sheets-schema/catalogue.js";
import { type TownSummary, type WardOutcome, aggregateTown, toSnapshot } from "../core/aggregate-town.js";
import { evaluateWorkbook } from "../core/evaluate-ward.js";
import type { RawWorkbook } from "../core/cells.js";
import type { Finding } from "../core/findings.js";
import { type PeriodKind, currentPeriod, periodDates, periodTense, weekPeriod } from "../core/period.js";
import { periodLabel, sentenceCase } from "../core/vi-format.js";
import { emptyScore } from "../core/score-ward.js";
import { type CriterionCells, criterionCellsOf } from "../core/criterion-cells.js";
import type { ReviewReading, ReviewRecord } from "../core/review-cycle.js";
import type { WardConfig } from "../config.js";
import { PeriodError, SheetsReadError } from "../errors.js";
import type { Clock, FeedbackSink, KeyValueStore, SheetSource, StateStore, StoredSnapshot, SummarySink } from "../ports.js";
import { mapLimit } from "./map-limit.js";
import type { WardCache } from "./ward-cache.js";
import { hashedReading, outcomeReview, type ProgrammeEvent, stepWardReview, withCycleFindings } from "./review-store.js";

export interface TownPorts {
  sheets: SheetSource;
  feedback: FeedbackSink;
  summary: SummarySink;
  state: StateStore;
  clock: Clock;
  /** Runs remembered by workbook content (local): an unchanged ward is not read or fed back again. */
  cache?: WardCache;
  /** Where the review cycle is recorded; absent (or a closed period): no step, outcomes carry no review. */
  review?: ReviewPorts;
}

/** The review cycle's store and who changed a workbook (asked only when the cycle moves). */
export interface ReviewPorts {
  kv: KeyValueStore;
  whoChanged?: (ward: string) => Promise<string | null>;
}

/**
 * What a run keeps of the workbook besides its scores (also in the parse cache): each
 * programme's review reading (keys hashed) and each criterion's cells (evidence, addresses).
 */
export interface SheetFacts {
  review: ReviewReading[];
  criteria: CriterionCells[];
}

/**
 * Wards read at once: bounds memory (one workbook each) while one ward's reads overlap another's
 * writes. Measured at 700 wards on 2 cores: 4 at once cost more CPU and ~40 MB more peak memory than 2.
 */
export const WARD_CONCURRENCY = 2;

export interface WardRun {
  ward: WardConfig;
  outcome: WardOutcome;
  findings: Finding[];
  /** Absent for a ward with no readable workbook, and in runs rebuilt from a snapshot. */
  sheet?: SheetFacts;
  /** The review events this run added (submitted, returned, …), for the CLI. */
  events?: ProgrammeEvent[];
  /** The ward's review records after this run's step (what the Trả lại letter and notices are keyed on). */
  reviews?: ReviewRecord[];
}

export interface TownRun {
  summary: TownSummary;
  wards: WardRun[];
}

/** The run of a ward with no (readable) workbook: nothing filled in, no findings. */
export function emptyRun(ward: WardConfig, catalogues: readonly Catalogue[], status: "missing" | "unreadable" = "missing", reason: string | null = null): WardRun {
  return { ward, findings: [], outcome: { ward: { id: ward.id, name: ward.name }, status, reason, scores: catalogues.map(emptyScore) } };
}

/**
 * Read and evaluate one ward, keeping the workbook for callers that hash it; an unreadable
 * workbook becomes an outcome, not a crash.
 */
export async function readWard(ward: WardConfig, catalogues: readonly Catalogue[], sheets: SheetSource): Promise<{ workbook: RawWorkbook | null; run: WardRun }> {
  let workbook: RawWorkbook | null;
  try {
    workbook = await sheets.read(ward);
  } catch (error) {
    if (!(error instanceof SheetsReadError)) throw error;
    return { workbook: null, run: emptyRun(ward, catalogues, "unreadable", error.message) };
  }
  if (!workbook) return { workbook, run: emptyRun(ward, catalogues) };
  const evaluation = evaluateWorkbook(workbook, catalogues, ward);
  const sheet: SheetFacts = { review: evaluation.review.map(hashedReading), criteria: criterionCellsOf(evaluation.input) };
  return { workbook, run: { ward, findings: evaluation.findings, outcome: { ward: { id: ward.id, name: ward.name }, status: "ok", reason: null, scores: evaluation.scores }, sheet } };
}

/** Read and evaluate one ward; an unreadable workbook becomes an outcome, not a crash. */
export async function processWard(ward: WardConfig, catalogues: readonly Catalogue[], sheets: SheetSource): Promise<WardRun> {
  return (await readWard(ward, catalogues, sheets)).run;
}

/** Which period a run is for: `period` (a key), else the running period of `periodKind` (default a week). */
export interface PeriodOptions {
  period?: string;
  periodKind?: PeriodKind;
}

export interface SummaryPorts {
  state: StateStore;
  clock: Clock;
  /** Where the town picture goes; the digest passes none (the sweep keeps Tổng hợp current). */
  summary?: SummarySink;
}

/**
 * The town picture of a set of ward runs, however they were obtained (read now, or recorded
 * in state): aggregated against the newest snapshot of an earlier period, written to the
 * summary sink and saved as this period's snapshot. Every runtime ends its run here.
 */
export async function summariseTown(runs: WardRun[], catalogues: readonly Catalogue[], ports: SummaryPorts, options: PeriodOptions = {}): Promise<TownRun> {
  const now = ports.clock.now();
  const period = options.period ?? currentPeriod(options.periodKind ?? "week", now);
  assertRunningPeriod(period, now);
  const previous = await ports.state.latestSnapshotBefore(period);
  const summary = aggregateTown(
    runs.map((r) => r.outcome),
    catalogues,
    { period, generatedAt: now.toISOString(), previous },
  );
  await ports.summary?.write(summary);
  await ports.state.saveSnapshot(storedSnapshotOf(summary, runs));
  return { summary, wards: runs };
}

/** The snapshot of a town run, with what a later re-rendering of its period needs. */
function storedSnapshotOf(summary: TownSummary, runs: readonly WardRun[]): StoredSnapshot {
  return { ...toSnapshot(summary), detail: { summary, wards: runs.map((r) => ({ id: r.ward.id, outcome: r.outcome, findings: r.findings })) } };
}

/**
 * Figures are computed from workbooks only for a period that has not ended: a closed period's
 * snapshot is history, never replaced (a report of it is rendered from that snapshot instead).
 */
function assertRunningPeriod(period: string, now: Date): void {
  if (periodDates(period) === null) throw new PeriodError(`“${period}” không phải một kỳ báo cáo (ví dụ: ${periodLabel(currentPeriod("month", now))} hoặc ${periodLabel(weekPeriod(now))}).`);
  if (periodTense(period, now) === "closed") {
    throw new PeriodError(`${sentenceCase(periodLabel(period))} đã kết thúc: số liệu của kỳ này đã lưu và không được tính lại từ các bảng tự đánh giá hiện nay.`);
  }
}

export interface TownRunOptions extends PeriodOptions {
  /** Wards in flight (default WARD_CONCURRENCY); more when worker threads parse and render. */
  concurrency?: number;
  /** False: the caller settles the cache itself once it has noted more in it (the local run's trail), so it is stored once. */
  settleCache?: boolean;
}

/**
 * Process the given wards, write each ward's feedback, and summarise the town (the local
 * runtime): a few wards at a time, and with a cache only the wards whose workbook changed.
 */
export async function runTown(wards: readonly WardConfig[], catalogues: readonly Catalogue[], ports: TownPorts, options: TownRunOptions = {}): Promise<TownRun> {
  const now = ports.clock.now();
  if (options.period !== undefined) assertRunningPeriod(options.period, now);
  const period = options.period ?? currentPeriod(options.periodKind ?? "week", now);
  const runs = await mapLimit(wards, options.concurrency ?? WARD_CONCURRENCY, (ward) => checkWard(ward, catalogues, ports, { now, period }));
  if (options.settleCache !== false) await ports.cache?.settle?.();
  return summariseTown(runs, catalogues, ports, options);
}

/**
 * One ward of a town run: remembered when unchanged, else read, evaluated and fed back (its
 * workbook then dropped). Either way its review is stepped with the reading (an unchanged
 * reading writes nothing) and the outcome carries the states.
 */
async function checkWard(ward: WardConfig, catalogues: readonly Catalogue[], ports: TownPorts, when: { now: Date; period: string }): Promise<WardRun> {
  const remembered = await ports.cache?.recall(ward);
  if (remembered) return withReview(remembered, ports.review, when, catalogues);
  const run = await withReview(await processWard(ward, catalogues, ports.sheets), ports.review, when, catalogues);
  await ports.feedback.write({ ward: run.ward, outcome: run.outcome, findings: run.findings, checkedAt: when.now, ...(run.sheet ? { cells: run.sheet.criteria } : {}) });
  await ports.cache?.remember(ward, run);
  return run;
}

/** The run with its review stepped and its outcome's review states (none without a review store). */
async function withReview(run: WardRun, review: ReviewPorts | undefined, when: { now: Date; period: string }, catalogues: readonly Catalogue[]): Promise<WardRun> {
  if (!review) return run;
  const ctx = { kv: review.kv, period: when.period, at: when.now.toISOString(), ...(review.whoChanged ? { whoChanged: review.whoChanged } : {}) };
  const readings = run.outcome.status === "ok" ? (run.sheet?.review ?? []) : [];
  const step = await stepWardReview(ctx, run.ward.id, readings);
  // The cycle's warnings from the records: returned but still “Đề nghị thẩm định”; a leftover “Trả lại” (F1).
  const findings = withCycleFindings(run.findings, step.records, readings, catalogues);
  return { ...run, findings, outcome: { ...run.outcome, review: outcomeReview(run.outcome, step.records) }, events: step.events, reviews: step.records };
}
