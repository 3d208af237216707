/**
 * Aggregate ward scores into the town picture per programme: the ward table, recognised
 * wards, criteria ranked by how many wards have not met them, completeness, and the change
 * against the previous snapshot. Pure, order-independent (wards are sorted by name) and linear
 * in the number of wards (previous figures are looked up by ward id).
 *
 * A ward without a usable self-assessment (no workbook, an unreadable one, or nothing typed)
 * is not an assessment of 0: it is left out of the change and of every count of criteria;
 * views say "Chưa gửi bảng tự đánh giá" where its figures would be.
 */
import type { Catalogue } from "../../sheets-schema/catalogue.js";
import type { ReviewState } from "./review-cycle.js";
import { reviewCycle } from "./review-summary.js";
import type { ProgrammeScore } from "./score-ward.js";

/** Whether a ward's workbook could be used at all. */
export type WardStatus = "ok" | "missing" | "unreadable";

export interface WardOutcome {
  ward: { id: string; name: string };
  status: WardStatus;
  /** One line saying why the workbook could not be used, when status is not ok. */
  reason: string | null;
  scores: ProgrammeScore[];
  /** Where each programme stands in the review cycle; absent in outcomes stored before the cycle existed. */
  review?: Array<{ programmeId: string; state: ReviewState; submittedAt: string | null; appraisedAt: string | null; closedAt?: string }>;
}

/** The appraised figures of a ward (criteria appraised Đạt, of the total). */
export interface AppraisedFigures {
  met: number;
  total: number;
  recognised: boolean;
  /** Every criterion has an appraisal. */
  complete: boolean;
}

/** One ward's line of a programme: its score's figures, plus status and change. */
export interface WardRow extends Pick<ProgrammeScore, "filled" | "met" | "total" | "points" | "maxPoints" | "band" | "recognised" | "errors" | "warnings" | "leftOut"> {
  id: string;
  name: string;
  status: WardStatus;
  /** Difference against the previous snapshot; null when either period has no assessment of the ward. */
  change: { met: number; recognisedBefore: boolean } | null;
  /**
   * The review cycle: where the ward stands, its appraised figures (null before any appraisal)
   * and the criteria whose appraisal differs from its own claim. Optional: summaries stored
   * before the cycle existed have none (read them with reviewOf / appraisedOf in review-summary.ts).
   */
  review?: ReviewState;
  appraised?: AppraisedFigures | null;
  differs?: string[];
  /** When the supervising police concluded the appraisal (ISO), null when it has not. */
  appraisedAt?: string | null;
}

export interface RankedCriterion {
  code: string;
  group: string;
  text: string;
  notMet: number;
  wards: string[];
}

export interface ProgrammeSummary {
  id: string;
  name: string;
  shortName: string;
  tabTitle: string;
  version: string;
  criteria: number;
  wards: WardRow[];
  wardCount: number;
  recognisedCount: number;
  ranking: RankedCriterion[];
  completeness: { notFilled: string[]; withErrors: string[]; unreadable: string[] };
  /** Over the wards assessed in both periods only: a ward that did not send is no drop. */
  change: { recognised: number; met: number } | null;
  /**
   * Ward ids of the recognition proposal: appraisal complete and concluded (appraised, or closed
   * after it) with every condition met on appraised results. Absent in summaries stored before.
   */
  proposal?: string[];
  /** How many wards stand at each step of the cycle. Absent in summaries stored before. */
  reviewCounts?: Record<ReviewState, number>;
}

export interface TownSummary {
  period: string;
  generatedAt: string;
  previousPeriod: string | null;
  programmes: ProgrammeSummary[];
}

/** One ward of a snapshot; `assessed` is absent in snapshots written before it existed. */
export interface SnapshotWard {
  id: string;
  met: number;
  total: number;
  recognised: boolean;
  assessed?: boolean;
}

/** The compact record kept per period, from which the next change is computed. */
export interface Snapshot {
  period: string;
  generatedAt: string;
  programmes: Array<{ id: string; wards: SnapshotWard[] }>;
}

const collator = new Intl.Collator("vi");
const byName = (a: { name: string }, b: { name: string }): number => collator.compare(a.name, b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * Whether a ward row is a real self-assessment: a readable workbook with something typed on the
 * programme's tab. Only such rows count in averages, totals, ranks and change.
 */
export function isAssessed(row: Pick<WardRow, "status" | "filled">): boolean {
  return row.status === "ok" && row.filled;
}

/**
 * Whether a snapshot ward was assessed. Snapshots older than the `assessed` field stored a
 * missing ward as 0 met: a ward with nothing met and not recognised is taken as not assessed.
 */
export function wasAssessed(ward: SnapshotWard): boolean {
  return ward.assessed ?? (ward.met > 0 || ward.recognised);
}

/**
 * The town summary for a period.
 *
 * @example aggregateTown(outcomes, catalogues, { period: "2026-W48", generatedAt, previous: null })
 */
export function aggregateTown(
  outcomes: readonly WardOutcome[],
  catalogues: readonly Catalogue[],
  meta: { period: string; generatedAt: string; previous: Snapshot | null; closed?: boolean },
): TownSummary {
  const previous = new Map((meta.previous?.programmes ?? []).map((p) => [p.id, p]));
  // Sorted by name once for every programme (a stable sort of the same list: each programme's order was this one).
  const sorted = [...outcomes].sort((a, b) => byName(a.ward, b.ward));
  return {
    period: meta.period,
    generatedAt: meta.generatedAt,
    previousPeriod: meta.previous?.period ?? null,
    programmes: catalogues.map((c) => summariseProgramme(sorted, c, previous.get(c.id), meta.closed ?? false)),
  };
}

type Scored = { outcome: WardOutcome; score: ProgrammeScore | undefined };

/** `sorted`: the outcomes sorted by ward name. */
function summariseProgramme(sorted: readonly WardOutcome[], catalogue: Catalogue, before: Snapshot["programmes"][number] | undefined, closed: boolean): ProgrammeSummary {
  const prior = new Map((before?.wards ?? []).map((w) => [w.id, w]));
  const scored: Scored[] = sorted.map((outcome) => ({ outcome, score: outcome.scores.find((s) => s.programmeId === catalogue.id) }));
  const rows = scored.map((s) => wardRow(s, catalogue, prior.get(s.outcome.ward.id)));
  const cycle = reviewCycle(scored, rows, closed);
  const compared = rows.filter((r) => r.change !== null);
  return {
    id: catalogue.id,
    name: catalogue.name,
    shortName: catalogue.shortName,
    tabTitle: catalogue.tabTitle,
    version: catalogue.version,
    criteria: catalogue.criteria.length,
    wards: rows,
    wardCount: rows.length,
    recognisedCount: rows.filter((r) => r.recognised).length,
    ranking: rankCriteria(scored, catalogue),
    completeness: {
      notFilled: rows.filter((r) => r.status === "ok" && !r.filled).map((r) => r.id).concat(rows.filter((r) => r.status === "missing").map((r) => r.id)),
      withErrors: rows.filter((r) => r.errors > 0).map((r) => r.id),
      unreadable: rows.filter((r) => r.status === "unreadable").map((r) => r.id),
    },
    change: before
      ? {
          recognised: compared.reduce((n, r) => n + Number(r.recognised) - Number(r.change?.recognisedBefore ?? false), 0),
          met: compared.reduce((sum, r) => sum + (r.change?.met ?? 0), 0),
        }
      : null,
    ...cycle,
  };
}

function wardRow({ outcome, score }: Scored, catalogue: Catalogue, prior: SnapshotWard | undefined): WardRow {
  const met = score?.met ?? 0;
  const row: WardRow = {
    id: outcome.ward.id,
    name: outcome.ward.name,
    status: outcome.status,
    filled: score?.filled ?? false,
    met,
    total: catalogue.criteria.length,
    points: score?.points ?? null,
    maxPoints: score?.maxPoints ?? null,
    band: score?.band ?? null,
    recognised: score?.recognised ?? false,
    errors: score?.errors ?? 0,
    warnings: score?.warnings ?? 0,
    leftOut: score?.leftOut ?? [],
    change: null,
    appraised: score?.appraisal ? { met: score.appraisal.met, total: score.appraisal.total, recognised: score.appraisal.recognised, complete: score.appraisal.complete } : null,
    differs: score?.appraisal?.differs ?? [],
  };
  if (prior && wasAssessed(prior) && isAssessed(row)) row.change = { met: met - prior.met, recognisedBefore: prior.recognised };
  return row;
}

/** One pass over the wards' criterion scores: O(wards × criteria). */
function rankCriteria(scored: readonly Scored[], catalogue: Catalogue): RankedCriterion[] {
  const notMet = new Map<string, string[]>(catalogue.criteria.map((c) => [c.code, []]));
  // A score lists the catalogue's criteria in its order: each one's list is found by position, checked by code.
  const lists = catalogue.criteria.map((c) => notMet.get(c.code));
  for (const { outcome, score } of scored) {
    if (!score?.filled) continue;
    score.criteria.forEach((c, i) => {
      if (c.status !== "met") (catalogue.criteria[i]?.code === c.code ? lists[i] : notMet.get(c.code))?.push(outcome.ward.id);
    });
  }
  return catalogue.criteria
    .map((c) => {
      const wards = notMet.get(c.code) ?? [];
      return { code: c.code, group: c.group, text: c.text, notMet: wards.length, wards };
    })
    .filter((r) => r.notMet > 0)
    .sort((a, b) => b.notMet - a.notMet || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/** The compact snapshot of a summary, kept to compute the next change. */
export function toSnapshot(summary: TownSummary): Snapshot {
  return {
    period: summary.period,
    generatedAt: summary.generatedAt,
    programmes: summary.programmes.map((p) => ({
      id: p.id,
      wards: p.wards.map((w) => ({ id: w.id, met: w.met, total: w.total, recognised: w.recognised, assessed: isAssessed(w) })),
    })),
  };
}
