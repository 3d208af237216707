/**
 * Aggregate ward scores into the town picture per programme: the ward table, recognised
 * wards, criteria ranked by how many wards have not met them, completeness, and the change
 * against the previous snapshot. Pure and order-independent (wards are sorted by name).
 */
import type { Catalogue } from "../../sheets-schema/catalogue.js";
import type { ProgrammeScore } from "./score-ward.js";

/** Whether a ward's workbook could be used at all. */
export type WardStatus = "ok" | "missing" | "unreadable";

export interface WardOutcome {
  ward: { id: string; name: string };
  status: WardStatus;
  /** One line saying why the workbook could not be used, when status is not ok. */
  reason: string | null;
  scores: ProgrammeScore[];
}

/** One ward's line of a programme: its score's figures, plus status and change. */
export interface WardRow extends Pick<ProgrammeScore, "filled" | "met" | "total" | "points" | "maxPoints" | "band" | "recognised" | "errors" | "warnings" | "leftOut"> {
  id: string;
  name: string;
  status: WardStatus;
  /** Difference against the previous snapshot, or null when the ward was not in it. */
  change: { met: number; recognisedBefore: boolean } | null;
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
  change: { recognised: number; met: number } | null;
}

export interface TownSummary {
  period: string;
  generatedAt: string;
  previousPeriod: string | null;
  programmes: ProgrammeSummary[];
}

/** The compact record kept per period, from which the next change is computed. */
export interface Snapshot {
  period: string;
  generatedAt: string;
  programmes: Array<{ id: string; wards: Array<{ id: string; met: number; total: number; recognised: boolean }> }>;
}

const byName = (a: { name: string }, b: { name: string }): number => a.name.localeCompare(b.name, "vi") || a.name.localeCompare(b.name);

/**
 * The town summary for a period.
 *
 * @example aggregateTown(outcomes, catalogues, { period: "2026-W48", generatedAt, previous: null })
 */
export function aggregateTown(
  outcomes: readonly WardOutcome[],
  catalogues: readonly Catalogue[],
  meta: { period: string; generatedAt: string; previous: Snapshot | null },
): TownSummary {
  return {
    period: meta.period,
    generatedAt: meta.generatedAt,
    previousPeriod: meta.previous?.period ?? null,
    programmes: catalogues.map((c) => summariseProgramme(outcomes, c, meta.previous)),
  };
}

function summariseProgramme(outcomes: readonly WardOutcome[], catalogue: Catalogue, previous: Snapshot | null): ProgrammeSummary {
  const before = previous?.programmes.find((p) => p.id === catalogue.id);
  const rows = outcomes.map((o) => wardRow(o, catalogue, before)).sort(byName);
  const recognisedCount = rows.filter((r) => r.recognised).length;
  const withChange = rows.filter((r) => r.change !== null);
  return {
    id: catalogue.id,
    name: catalogue.name,
    shortName: catalogue.shortName,
    tabTitle: catalogue.tabTitle,
    version: catalogue.version,
    criteria: catalogue.criteria.length,
    wards: rows,
    wardCount: rows.length,
    recognisedCount,
    ranking: rankCriteria(outcomes, catalogue),
    completeness: {
      notFilled: rows.filter((r) => r.status === "ok" && !r.filled).map((r) => r.id).concat(rows.filter((r) => r.status === "missing").map((r) => r.id)),
      withErrors: rows.filter((r) => r.errors > 0).map((r) => r.id),
      unreadable: rows.filter((r) => r.status === "unreadable").map((r) => r.id),
    },
    change: before
      ? {
          recognised: recognisedCount - before.wards.filter((w) => w.recognised).length,
          met: withChange.reduce((sum, r) => sum + (r.change?.met ?? 0), 0),
        }
      : null,
  };
}

function wardRow(outcome: WardOutcome, catalogue: Catalogue, before: Snapshot["programmes"][number] | undefined): WardRow {
  const score = outcome.scores.find((s) => s.programmeId === catalogue.id);
  const prior = before?.wards.find((w) => w.id === outcome.ward.id);
  const met = score?.met ?? 0;
  return {
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
    change: prior ? { met: met - prior.met, recognisedBefore: prior.recognised } : null,
  };
}

function rankCriteria(outcomes: readonly WardOutcome[], catalogue: Catalogue): RankedCriterion[] {
  const scored = outcomes
    .map((o) => ({ ward: o.ward, score: o.scores.find((s) => s.programmeId === catalogue.id) }))
    .filter((x) => x.score?.filled)
    .sort((a, b) => byName(a.ward, b.ward));
  return catalogue.criteria
    .map((c) => {
      const wards = scored.filter((x) => x.score?.criteria.find((s) => s.code === c.code)?.status !== "met").map((x) => x.ward.id);
      return { code: c.code, group: c.group, text: c.text, notMet: wards.length, wards };
    })
    .filter((r) => r.notMet > 0)
    .sort((a, b) => b.notMet - a.notMet || a.code.localeCompare(b.code));
}

/** The compact snapshot of a summary, kept to compute the next change. */
export function toSnapshot(summary: TownSummary): Snapshot {
  return {
    period: summary.period,
    generatedAt: summary.generatedAt,
    programmes: summary.programmes.map((p) => ({
      id: p.id,
      wards: p.wards.map((w) => ({ id: w.id, met: w.met, total: w.total, recognised: w.recognised })),
    })),
  };
}
