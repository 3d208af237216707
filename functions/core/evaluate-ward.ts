/** One ward workbook through the pure pipeline: parse → validate → score. */
import type { Catalogue } from "../../sheets-schema/catalogue.js";
import type { RawWorkbook } from "./cells.js";
import type { Finding } from "./findings.js";
import { type WardInput, parseWardWorkbook } from "./parse-ward.js";
import { type ReviewReading, reviewReading } from "./review-cycle.js";
import { type ProgrammeScore, scoreWard } from "./score-ward.js";
import { validateWard } from "./validate-ward.js";
import { findWard, type WardIdentity } from "./ward-identity.js";

export interface WardEvaluation {
  /** The configured ward this workbook belongs to, or the name typed when unknown. */
  wardName: string | null;
  findings: Finding[];
  scores: ProgrammeScore[];
  /** The review cycle's reading of each programme's tab, in catalogue order. */
  review: ReviewReading[];
  /** The parsed tabs (cells with their addresses), for the change trail; not meant to be stored. */
  input: WardInput;
}

/**
 * Evaluate one workbook. With `ward` given, the typed ward name must match it; with a list
 * of candidate wards instead, the ward is recognised from the typed name when possible.
 */
export function evaluateWorkbook(
  workbook: RawWorkbook,
  catalogues: readonly Catalogue[],
  ward: WardIdentity | { candidates: readonly WardIdentity[] } | null,
): WardEvaluation {
  const input = parseWardWorkbook(workbook, catalogues);
  const typed = input.programmes.map((p) => p.wardName?.cell.value).find((v): v is string => typeof v === "string") ?? null;
  const identity = ward && "candidates" in ward ? (typed === null ? undefined : findWard(typed, ward.candidates)) ?? null : ward;
  const findings = validateWard(input, catalogues, identity);
  const scores = scoreWard(input, findings, catalogues);
  const review = input.programmes.flatMap((sheet) => {
    const score = scores.find((s) => s.programmeId === sheet.programmeId);
    const catalogue = catalogues.find((c) => c.id === sheet.programmeId);
    return score && catalogue ? [reviewReading(sheet, score, findings, catalogue)] : [];
  });
  return { wardName: identity?.name ?? typed, findings, scores, review, input };
}
