/**
 * What every ward's evaluation looks up in a catalogue, worked out once per catalogue object
 * instead of once per ward (issue 11: 10,000 wards in under a second). Catalogues are parsed
 * once and never changed afterwards, so the index is kept beside the object it was made from.
 */
import type { Catalogue, Criterion } from "../../sheets-schema/catalogue.js";

export interface CatalogueIndex {
  /** Each criterion's code upper-cased (rows carry codes upper-cased), in catalogue order. */
  upperCodes: readonly string[];
  /** The first position of each upper-case code in `upperCodes`. */
  position: ReadonlyMap<string, number>;
  /** The criteria by upper-case code (the last of a code, as `new Map` of the list keeps it). */
  byCode: ReadonlyMap<string, Criterion>;
  /** `byCode`'s criterion by position: `criterionAt[position.get(code)]` is `byCode.get(code)`. */
  criterionAt: readonly Criterion[];
  /** For each criterion (catalogue order), the position of its upper-case code: where its first row is kept. */
  positionOf: readonly number[];
  /** Sum of maxPoints over point-scored criteria, or null when the catalogue has none. */
  maxPoints: number | null;
  /** The recognition rule's bands, highest cut-off first, or null when it has none. */
  bands: ReadonlyArray<{ name: string; minPercent: number }> | null;
}

const INDEXES = new WeakMap<Catalogue, CatalogueIndex>();

/**
 * The catalogue's index, made on first use.
 *
 * @example catalogueIndex(catalogue).byCode.get("TC01")?.code === "TC01"
 */
export function catalogueIndex(catalogue: Catalogue): CatalogueIndex {
  let index = INDEXES.get(catalogue);
  if (!index) INDEXES.set(catalogue, (index = buildIndex(catalogue)));
  return index;
}

function buildIndex(catalogue: Catalogue): CatalogueIndex {
  const upperCodes = catalogue.criteria.map((c) => c.code.toUpperCase());
  const position = new Map<string, number>();
  upperCodes.forEach((code, i) => position.has(code) || position.set(code, i));
  const byCode = new Map(catalogue.criteria.map((c, i) => [upperCodes[i] ?? c.code, c]));
  const criterionAt = catalogue.criteria.map((c, i) => byCode.get(upperCodes[i] ?? c.code) ?? c);
  const positionOf = upperCodes.map((code, i) => position.get(code) ?? i);
  const pointCriteria = catalogue.criteria.filter((c) => c.kind === "points");
  const maxPoints = pointCriteria.length ? pointCriteria.reduce((sum, c) => sum + (c.maxPoints ?? 0), 0) : null;
  const bands = catalogue.recognition.bands ? [...catalogue.recognition.bands].sort((a, b) => b.minPercent - a.minPercent) : null;
  return { upperCodes, position, byCode, criterionAt, positionOf, maxPoints, bands };
}
