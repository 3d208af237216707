/**
 * The trail of changes over any KeyValueStore: one object per ward per period,
 * "trail/<period>/<ward>.json", holding the ward's last reading and its changes, appended run
 * after run and written only when something changed (a ward that never changes has none).
 * Written by compare-and-set, so two runs at once never lose a change.
 */
import { type CriterionChange, diffReadings, readingOf, type TrailEvent, type WardReading } from "../core/change-trail.js";
import type { KeyValueStore, StoredSnapshot } from "../ports.js";
import { snapshotKey } from "./snapshot-store.js";
import { changeJson } from "./kv-state.js";
import type { WardRun } from "./run-town.js";
import { closureOf } from "./closure-record.js";
import { reviewsOf } from "./review-store.js";

const TRAIL = "trail/";
/**
 * The changes kept per ward and period (oldest dropped first, the count of dropped ones kept):
 * bounds the object at a few hundred kilobytes whatever staff do.
 */
const MAX_CHANGES = 2_000;

/** A ward's trail of one period. */
interface WardTrail {
  ward: string;
  period: string;
  last: WardReading;
  changes: CriterionChange[];
  /** Changes dropped to keep the object bounded (oldest first). */
  dropped: number;
}

/** Where one period's trails are kept (each ward's under it). */
export const trailPrefix = (period: string): string => `${TRAIL}${period}/`;
const trailKey = (period: string, ward: string): string => `${trailPrefix(period)}${encodeURIComponent(ward)}.json`;

/**
 * The next trail after `reading` and the changes it adds; null when nothing changed (no write).
 * A ward with no trail yet is compared with `baseline` (its reading before this run), so the
 * object is first written at the first change, not on every first read.
 */
function nextTrail(current: WardTrail | null, period: string, reading: WardReading, baseline: Baseline): { next: WardTrail; found: CriterionChange[] } | null {
  const last = current?.last ?? baseline.reading;
  const found = diffReadings(last, reading);
  // A reading that carries the evidence where the last one did not (a snapshot's, an older trail's) is kept once, so the next
  // evidence change is seen; not the first reading of a period whose next baseline carries the evidence itself (evidenceKept).
  const keep = carriesEvidenceBeyond(reading, last) && (last !== null || !baseline.evidenceKept);
  if (!found.length && !keep) return null;
  const changes = [...(current?.changes ?? []), ...found];
  const over = Math.max(0, changes.length - MAX_CHANGES);
  return { next: { ward: reading.ward, period, last: reading, changes: changes.slice(over), dropped: (current?.dropped ?? 0) + over }, found };
}

const hasEvidence = (r: WardReading | null): boolean => r?.criteria.some((c) => c.evidence !== undefined) === true;
const carriesEvidenceBeyond = (reading: WardReading, last: WardReading | null): boolean => hasEvidence(reading) && !hasEvidence(last);

/** A ward's reading before this run, and whether the next run's baseline will carry this run's evidence. */
interface Baseline {
  reading: WardReading | null;
  evidenceKept: boolean;
}

/** What a run knows besides its readings. */
export interface TrailContext {
  /**
   * A ward's reading before this run (from the period's stored snapshot, with the evidence where
   * the parse cache kept it), null when none.
   */
  baseline?: ((ward: string) => WardReading | null) & { evidenceKept?: boolean };
  /**
   * Who changed a ward's workbook (local: its lastModifiedBy property; Google: Drive's
   * lastModifyingUser), asked only for a reading that changed and has no `by` of its own.
   */
  whoChanged?: (ward: string) => Promise<string | null>;
}

/** Append what changed in one ward's reading (compare-and-set); returns the changes recorded now. */
async function recordReading(kv: KeyValueStore, period: string, reading: WardReading, context: TrailContext): Promise<CriterionChange[]> {
  const baseline: Baseline = { reading: context.baseline?.(reading.ward) ?? null, evidenceKept: context.baseline?.evidenceKept === true };
  let named = reading;
  let found: CriterionChange[] = [];
  await changeJson<WardTrail>(kv, trailKey(period, reading.ward), async (current) => {
    let step = nextTrail(current, period, named, baseline);
    if (step !== null && named.by === null && context.whoChanged && step.found.length) {
      named = { ...named, by: await context.whoChanged(reading.ward) };
      step = nextTrail(current, period, named, baseline) ?? step;
    }
    found = step?.found ?? [];
    return step?.next;
  });
  return found;
}

/**
 * Record a run's readings of `period` (wards read successfully only); returns the changes new
 * in this run.
 *
 * @example await recordTrail(kv, "2026-11", run.wards.map((w) => readingOf(w.outcome, at, null)))
 */
export async function recordTrail(kv: KeyValueStore, period: string, readings: readonly WardReading[], context: TrailContext = {}): Promise<CriterionChange[]> {
  const recorded: CriterionChange[] = [];
  for (const reading of readings) recorded.push(...(await recordReading(kv, period, reading, context)));
  return recorded;
}

/** The recorded changes, oldest first, of one period or all, of one ward or all. */
export async function trailOf(kv: KeyValueStore, filter: { period?: string; ward?: string } = {}): Promise<CriterionChange[]> {
  const keys = (await kv.list(filter.period ? `${TRAIL}${filter.period}/` : TRAIL)).filter((k) => filter.ward === undefined || k.endsWith(`/${encodeURIComponent(filter.ward)}.json`));
  const trails = await Promise.all(keys.map(async (k) => (await kv.get<WardTrail>(k))?.value ?? null));
  return trails
    .flatMap((t) => t?.changes ?? [])
    .sort((a, b) => a.at.localeCompare(b.at) || a.ward.localeCompare(b.ward));
}

/**
 * Each ward's reading in `period`'s stored snapshot (taken before a run replaces it): the
 * baseline a ward's first change is found against. With `previousRun` (the local parse cache's
 * run of the ward before this run) the reading carries that run's evidence when it is the
 * snapshot's reading (same results, points and appraisal), so no trail is written only to keep
 * the evidence; a ward without one falls back to keeping it in its trail.
 */
export async function trailBaseline(kv: KeyValueStore, period: string, previousRun?: (ward: string) => PreviousReading | null): Promise<NonNullable<TrailContext["baseline"]>> {
  // A damaged snapshot is the snapshot store's business (moved aside there): no baseline here.
  const snapshot = await kv.get<StoredSnapshot>(snapshotKey(period)).then((s) => s?.value ?? null, () => null);
  const at = snapshot?.generatedAt ?? "";
  // Readings made when asked: a run whose wards' trails are known current asks for none.
  const outcomes = new Map((snapshot?.detail?.wards ?? []).filter((w) => w.outcome.status === "ok").map((w) => [w.id, w.outcome]));
  const baseline = (ward: string): WardReading | null => {
    const outcome = outcomes.get(ward);
    const stored = outcome ? readingOf(outcome, at, null) : null;
    const previous = stored && previousRun?.(ward);
    if (!stored || !previous?.sheet || previous.outcome.status !== "ok") return stored;
    const withEvidence = readingOf(previous.outcome, at, null, previous.sheet.criteria);
    const bare = withEvidence.criteria.map(({ evidence: _evidence, ...c }) => c);
    // Both built by readingOf, keys in one order and values plain: JSON.stringify compares them (stableJson was a tenth of a 700-ward rerun).
    return JSON.stringify(bare) === JSON.stringify(stored.criteria) ? withEvidence : stored;
  };
  return Object.assign(baseline, { evidenceKept: previousRun !== undefined });
}

/** A ward's run before this one, as the local parse cache kept it. */
export type PreviousReading = Pick<WardRun, "outcome" | "sheet">;

/**
 * The steps of the review cycle (from the review records) and of the period's closing (from its
 * closing record), oldest first, of one period or all, of one ward or all.
 */
export async function trailEventsOf(kv: KeyValueStore, filter: { period?: string; ward?: string } = {}): Promise<TrailEvent[]> {
  const periods = filter.period ? [filter.period] : [...new Set((await kv.list("review/")).map((k) => k.split("/")[1] ?? ""))].filter(Boolean);
  const closurePeriods = filter.period ? [filter.period] : (await kv.list("closures/")).map((k) => k.slice("closures/".length, -".json".length));
  const reviews = await Promise.all(periods.map((p) => reviewsOf(kv, p)));
  const fromReviews = reviews.flatMap((byWard) =>
    [...byWard].filter(([ward]) => filter.ward === undefined || ward === filter.ward).flatMap(([ward, records]) => records.flatMap((r) => r.events.map((e): TrailEvent => ({ ...e, ward, programme: r.programmeId })))),
  );
  const closures = await Promise.all(closurePeriods.map((p) => closureOf(kv, p)));
  const fromClosures = closures.flatMap((c) =>
    (c?.events ?? []).map((e): TrailEvent => (e.kind === "close" ? { kind: "closed", at: e.at, by: e.by, ward: null, programme: null } : { kind: "reopened", at: e.at, by: e.by, ward: null, programme: null, reason: e.reason })),
  );
  return [...fromReviews, ...fromClosures].sort((a, b) => a.at.localeCompare(b.at));
}

/** One period's trail per ward (changes and steps, the period's closes included), for the notice to each ward; null for a ward with none. */
export async function trailsOf(kv: KeyValueStore, period: string): Promise<(ward: string) => { changes: CriterionChange[]; events: TrailEvent[] } | null> {
  const [changes, events] = await Promise.all([trailOf(kv, { period }), trailEventsOf(kv, { period })]);
  return (ward) => {
    const own = { changes: changes.filter((c) => c.ward === ward), events: events.filter((e) => e.ward === ward || e.ward === null) };
    return own.changes.length || own.events.length ? own : null;
  };
}
