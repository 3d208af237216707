/**
 * Score a ward per programme from its parsed input and findings. Rows with an error are
 * left out (never counted as met) and listed, so a report can say which rows were skipped.
 */
import type { Catalogue, Criterion, RecognitionRule } from "../../sheets-schema/catalogue.js";
import { parseResultValue } from "../../sheets-schema/layout.js";
import { isBlank } from "./cells.js";
import type { Finding } from "./findings.js";
import type { CriterionRow, ProgrammeSheet, WardInput } from "./parse-ward.js";
import { parsePoints } from "./validate-ward.js";

export const CRITERION_STATUSES = ["met", "not-met", "in-progress", "empty", "left-out", "missing"] as const;
export type CriterionStatus = (typeof CRITERION_STATUSES)[number];

export interface CriterionScore {
  code: string;
  status: CriterionStatus;
  /** Valid self-assessed points for a point-scored criterion, else null. */
  points: number | null;
}

export interface ProgrammeScore {
  programmeId: string;
  met: number;
  total: number;
  /** Sum of valid self-assessed points over point-scored criteria; null when none apply. */
  points: number | null;
  maxPoints: number | null;
  /** Classification band by points percent, when the catalogue defines bands. */
  band: string | null;
  recognised: boolean;
  /** Any Kết quả typed on the tab at all. */
  filled: boolean;
  counts: Record<CriterionStatus, number>;
  errors: number;
  warnings: number;
  /** Criteria left out of the count because their row has an error. */
  leftOut: string[];
  criteria: CriterionScore[];
}

/**
 * Score every programme of a ward.
 *
 * @example scoreWard(input, findings, catalogues)[0] // → { programmeId, met: 18, total: 22, recognised: false, … }
 */
export function scoreWard(input: WardInput, findings: readonly Finding[], catalogues: readonly Catalogue[]): ProgrammeScore[] {
  return catalogues.map((catalogue) => {
    const sheet = input.programmes.find((p) => p.programmeId === catalogue.id);
    return scoreProgramme(sheet, findings, catalogue);
  });
}

/** The score of a programme with no workbook at all (ward not yet filled in). */
export function emptyScore(catalogue: Catalogue): ProgrammeScore {
  return scoreProgramme(undefined, [], catalogue);
}

function scoreProgramme(sheet: ProgrammeSheet | undefined, findings: readonly Finding[], catalogue: Catalogue): ProgrammeScore {
  const own = sheet ? findings.filter((f) => f.tab === sheet.tab) : [];
  const erroneous = new Set(own.filter((f) => f.severity === "error" && f.code !== "result-missing" && f.criterion).map((f) => f.criterion));
  const rows = new Map<string, CriterionRow>();
  for (const row of sheet?.rows ?? []) if (row.code !== null && !rows.has(row.code)) rows.set(row.code, row);
  const criteria = catalogue.criteria.map((c) => scoreCriterion(c, rows.get(c.code.toUpperCase()), erroneous.has(c.code)));
  const counts = Object.fromEntries(CRITERION_STATUSES.map((s) => [s, 0])) as Record<CriterionStatus, number>;
  for (const c of criteria) counts[c.status] += 1; // one pass, not one per status (issue 11: core at 10,000 wards)
  const pointCriteria = catalogue.criteria.filter((c) => c.kind === "points");
  const maxPoints = pointCriteria.length ? pointCriteria.reduce((sum, c) => sum + (c.maxPoints ?? 0), 0) : null;
  const points = maxPoints === null ? null : criteria.reduce((sum, c) => sum + (c.points ?? 0), 0);
  const errors = own.filter((f) => f.severity === "error").length;
  const met = counts.met;
  return {
    programmeId: catalogue.id,
    met,
    total: catalogue.criteria.length,
    points,
    maxPoints,
    band: bandFor(catalogue.recognition, points, maxPoints),
    recognised: errors === 0 && isRecognised(catalogue.recognition, met, catalogue.criteria.length, points, maxPoints),
    filled: criteria.some((c) => c.status !== "empty" && c.status !== "missing"),
    counts,
    errors,
    warnings: own.length - errors,
    leftOut: criteria.filter((c) => c.status === "left-out").map((c) => c.code),
    criteria,
  };
}

function scoreCriterion(criterion: Criterion, row: CriterionRow | undefined, hasError: boolean): CriterionScore {
  const code = criterion.code;
  if (!row) return { code, status: "missing", points: null };
  if (hasError) return { code, status: "left-out", points: null };
  const typed = row.cells.result?.value ?? null;
  if (isBlank(typed)) return { code, status: "empty", points: null };
  const result = parseResultValue(String(typed));
  const status: CriterionStatus = result === "Đạt" ? "met" : result === "Đang thực hiện" ? "in-progress" : "not-met";
  const points = criterion.kind === "points" ? (parsePoints(row.cells.points?.value ?? null) ?? null) : null;
  return { code, status, points };
}

function percent(points: number | null, maxPoints: number | null): number | null {
  return points === null || !maxPoints ? null : (points / maxPoints) * 100;
}

function isRecognised(rule: RecognitionRule, met: number, total: number, points: number | null, maxPoints: number | null): boolean {
  switch (rule.kind) {
    case "all-met":
      return met === total;
    case "min-met":
      return met >= rule.min;
    case "points":
      return (percent(points, maxPoints) ?? -1) >= rule.minPercent;
  }
}

function bandFor(rule: RecognitionRule, points: number | null, maxPoints: number | null): string | null {
  const pct = percent(points, maxPoints);
  if (pct === null || !rule.bands) return null;
  const sorted = [...rule.bands].sort((a, b) => b.minPercent - a.minPercent);
  return sorted.find((b) => pct >= b.minPercent)?.name ?? null;
}
