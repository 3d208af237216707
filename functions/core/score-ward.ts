/**
 * Score a ward per programme from its parsed input and findings. Rows with an error are
 * left out (never counted as met) and listed, so a report can say which rows were skipped.
 */
import type { Catalogue, Criterion, RecognitionRule } from "../../sheets-schema/catalogue.js";
import { parseAppraisalValue, parseResultValue } from "../../sheets-schema/layout.js";
import { isBlank } from "./cells.js";
import { type Finding, isWardError } from "./findings.js";
import type { CriterionRow, ProgrammeSheet, WardInput } from "./parse-ward.js";
import { parsePoints } from "./validate-ward.js";
import { type CatalogueIndex, catalogueIndex } from "./catalogue-index.js";
import { rowPositions } from "./row-positions.js";

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
  /** The supervising police's appraisal of the tab, or null when no Kết quả thẩm định is typed on it. */
  appraisal: AppraisalScore | null;
}

/** One criterion as appraised: Đạt → "met", Chưa đạt → "not-met", null when blank or not a valid value. */
interface AppraisedCriterion {
  code: string;
  result: "met" | "not-met" | null;
  /** The Ý kiến thẩm định, or null. */
  note: string | null;
}

/**
 * The programme's figures as appraised: met of total, recognised by the catalogue's rule on the
 * appraised results (a point-scored criterion counts its self-assessed points only where
 * appraised Đạt), and only once every criterion is appraised (`complete`).
 */
export interface AppraisalScore {
  met: number;
  total: number;
  recognised: boolean;
  /** Every criterion of the catalogue has a valid Kết quả thẩm định. */
  complete: boolean;
  /** Codes of the appraised criteria whose appraisal differs from the ward's own result (met or not). */
  differs: string[];
  criteria: AppraisedCriterion[];
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
  const { errors, warnings, erroneous } = tally(sheet, findings);
  const index = catalogueIndex(catalogue);
  const { maxPoints } = index;
  const rows = criterionRows(sheet, catalogue);
  const criteria = catalogue.criteria.map((c, i) => scoreCriterion(c, rows[i], erroneous.has(c.code)));
  const counts: Record<CriterionStatus, number> = { met: 0, "not-met": 0, "in-progress": 0, empty: 0, "left-out": 0, missing: 0 };
  for (const c of criteria) counts[c.status] += 1; // one pass, not one per status (issue 11: core at 10,000 wards)
  const points = maxPoints === null ? null : criteria.reduce((sum, c) => sum + (c.points ?? 0), 0);
  const met = counts.met;
  return {
    programmeId: catalogue.id,
    met,
    total: catalogue.criteria.length,
    points,
    maxPoints,
    band: bandFor(catalogueIndex(catalogue).bands, points, maxPoints),
    recognised: errors === 0 && isRecognised(catalogue.recognition, met, catalogue.criteria.length, points, maxPoints),
    filled: criteria.some((c) => c.status !== "empty" && c.status !== "missing"),
    counts,
    errors,
    warnings,
    leftOut: criteria.filter((c) => c.status === "left-out").map((c) => c.code),
    criteria,
    appraisal: scoreAppraisal(catalogue, rows, criteria, maxPoints),
  };
}

/** One pass over the findings of the sheet's tab: the ward's errors, the warnings, and the criteria with an error that leaves them out. */
function tally(sheet: ProgrammeSheet | undefined, findings: readonly Finding[]): { errors: number; warnings: number; erroneous: Set<string | null> } {
  let errors = 0;
  let warnings = 0;
  const erroneous = new Set<string | null>();
  if (!sheet) return { errors, warnings, erroneous };
  for (const f of findings) {
    if (f.tab !== sheet.tab) continue;
    if (f.severity === "warning") warnings += 1;
    if (!isWardError(f)) continue;
    errors += 1;
    if (f.code !== "result-missing" && f.criterion) erroneous.add(f.criterion);
  }
  return { errors, warnings, erroneous };
}

/** Each criterion's first row on the tab, in catalogue order (row-positions.ts: looked up once per tab). */
function criterionRows(sheet: ProgrammeSheet | undefined, catalogue: Catalogue): ReadonlyArray<CriterionRow | undefined> {
  const rows = sheet?.rows ?? [];
  const { firstOf, index } = rowPositions(rows, catalogue);
  return index.positionOf.map((position) => rows[firstOf[position] ?? -1]);
}

/** The appraised figures from the Kết quả thẩm định cells (`rows`: each criterion's row); null when none is typed. */
function scoreAppraisal(catalogue: Catalogue, rows: ReadonlyArray<CriterionRow | undefined>, own: readonly CriterionScore[], maxPoints: number | null): AppraisalScore | null {
  // Most tabs have no appraisal typed: told apart before any criterion is built.
  if (!rows.some((row) => !isBlank(row?.cells.appraisal?.value ?? null))) return null;
  const criteria = catalogue.criteria.map((c, i): AppraisedCriterion => {
    const row = rows[i];
    const value = row?.cells.appraisal?.value ?? null;
    const note = row?.cells.appraisalNote?.value ?? null;
    const result = typeof value === "string" ? parseAppraisalValue(value) : undefined;
    return { code: c.code, result: result === undefined ? null : result === "Đạt" ? "met" : "not-met", note: isBlank(note) || note === null ? null : String(note) };
  });
  const met = criteria.filter((c) => c.result === "met").length;
  const complete = criteria.every((c) => c.result !== null);
  const points = maxPoints === null ? null : own.reduce((sum, c, i) => sum + (criteria[i]?.result === "met" ? (c.points ?? 0) : 0), 0);
  const total = catalogue.criteria.length;
  return {
    met,
    total,
    recognised: complete && isRecognised(catalogue.recognition, met, total, points, maxPoints),
    complete,
    differs: criteria.filter((c, i) => c.result !== null && (c.result === "met") !== (own[i]?.status === "met")).map((c) => c.code),
    criteria,
  };
}

function scoreCriterion(criterion: Criterion, row: CriterionRow | undefined, hasError: boolean): CriterionScore {
  if (!row) return unscored(criterion, "missing");
  if (hasError) return unscored(criterion, "left-out");
  const typed = row.cells.result?.value ?? null;
  if (isBlank(typed)) return unscored(criterion, "empty");
  const result = parseResultValue(String(typed));
  const status: CriterionStatus = result === "Đạt" ? "met" : result === "Đang thực hiện" ? "in-progress" : "not-met";
  const points = criterion.kind === "points" ? (parsePoints(row.cells.points?.value ?? null) ?? null) : null;
  return points === null ? unscored(criterion, status) : { code: criterion.code, status, points };
}

// A criterion's score without points is the same for every ward of that status: made once per criterion and status
// (issue 11: 10,000 wards keep 560,000 of them otherwise). Scores are never changed once made.
const UNSCORED = new WeakMap<Criterion, Partial<Record<CriterionStatus, CriterionScore>>>();

function unscored(criterion: Criterion, status: CriterionStatus): CriterionScore {
  let byStatus = UNSCORED.get(criterion);
  if (!byStatus) UNSCORED.set(criterion, (byStatus = {}));
  return (byStatus[status] ??= { code: criterion.code, status, points: null });
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

/** The first band, highest cut-off first (`sorted` as catalogueIndex keeps them), that the points percent reaches. */
function bandFor(sorted: CatalogueIndex["bands"], points: number | null, maxPoints: number | null): string | null {
  const pct = percent(points, maxPoints);
  if (pct === null || !sorted) return null;
  return sorted.find((b) => pct >= b.minPercent)?.name ?? null;
}
