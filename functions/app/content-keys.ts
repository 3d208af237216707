/**
 * What idempotency keys and "changed" hashes are computed from: data only (finding codes,
 * cells, params, figures, document keys), never a rendered sentence, a link or a path. A
 * release that rewords a message, or a workspace moved to another folder, sends no mail again.
 */
import type { ProgrammeSummary, TownSummary } from "../core/aggregate-town.js";
import type { Finding } from "../core/findings.js";
import { contentHash } from "../hashing.js";

/** A finding reduced to its data, whatever else the object carries (e.g. a message kept in older state). */
function findingData(f: Finding): unknown {
  return { severity: f.severity, tab: f.tab, cell: f.cell, criterion: f.criterion, code: f.code, params: f.params };
}

/**
 * A fingerprint of a list of findings, for "findings changed" and the ward feedback key:
 * equal for equal codes, places and params, in the same order.
 *
 * @example findingsFingerprint(run.findings) // "3f9a0c…" (16 hex characters)
 */
export function findingsFingerprint(findings: readonly Finding[]): string {
  return contentHash(findings.map(findingData));
}

function programmeFigures(p: ProgrammeSummary, documents: ReadonlySet<string>, period: string): unknown {
  return {
    id: p.id,
    criteria: p.criteria,
    recognisedCount: p.recognisedCount,
    wards: p.wards.map((w) => ({ id: w.id, status: w.status, filled: w.filled, met: w.met, total: w.total, recognised: w.recognised, errors: w.errors })),
    lagging: p.ranking.slice(0, 5).map((r) => ({ code: r.code, notMet: r.notMet })),
    notFilled: p.completeness.notFilled,
    withErrors: p.completeness.withErrors,
    // The document's key, not where it was published: a moved workspace keeps its digest key.
    document: documents.has(p.id) ? `town/${p.id}/${period}` : null,
  };
}

/**
 * The content the digest key is computed from: the figures the digest shows, per programme,
 * and which programme has a published report. `documents` holds the programme ids that have one.
 */
export function digestKeyContent(summary: TownSummary, documents: Iterable<string>): unknown {
  const published = new Set(documents);
  return { period: summary.period, programmes: summary.programmes.map((p) => programmeFigures(p, published, summary.period)) };
}
