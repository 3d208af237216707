/**
 * Where each parsed row of a tab sits in its programme's catalogue, worked out once per tab:
 * validation, scoring and the review cycle each looked every row's code up in maps and sets of
 * their own (issue 11: 10,000 wards in under a second). Parsed rows are never changed afterwards,
 * so the table is kept beside the rows array it was made from.
 */
import type { Catalogue } from "../../sheets-schema/catalogue.js";
import { type CatalogueIndex, catalogueIndex } from "./catalogue-index.js";
import type { CriterionRow } from "./parse-ward.js";

export interface RowPositions {
  /** For `rows[i]`: the catalogue position of its code (catalogueIndex's `position`), or -1 (no code, or not the catalogue's). */
  at: readonly number[];
  /** For each position: the index in `rows` of the first row with that code (the row that counts), or -1. */
  firstOf: readonly number[];
  index: CatalogueIndex;
}

interface Kept {
  index: CatalogueIndex;
  length: number;
  positions: RowPositions;
}

const KEPT = new WeakMap<readonly CriterionRow[], Kept>();

/**
 * The rows' positions in the catalogue, made on first use per rows array and catalogue.
 *
 * @example rowPositions(sheet.rows, catalogue).at[0] // → 0 when the first row is the catalogue's first criterion
 */
export function rowPositions(rows: readonly CriterionRow[], catalogue: Catalogue): RowPositions {
  const index = catalogueIndex(catalogue);
  const kept = KEPT.get(rows);
  if (kept && kept.index === index && kept.length === rows.length) return kept.positions;
  const positions = buildPositions(rows, index);
  KEPT.set(rows, { index, length: rows.length, positions });
  return positions;
}

function buildPositions(rows: readonly CriterionRow[], index: CatalogueIndex): RowPositions {
  const at: number[] = [];
  const firstOf: number[] = index.upperCodes.map(() => -1);
  for (let i = 0; i < rows.length; i++) {
    const code = rows[i]?.code ?? null;
    const position = code === null ? undefined : index.position.get(code);
    at.push(position ?? -1);
    if (position !== undefined && firstOf[position] === -1) firstOf[position] = i;
  }
  return { at, firstOf, index };
}
