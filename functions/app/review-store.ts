/**
 * The review cycle's records (issue 12) over any KeyValueStore: one object per ward and period,
 * "review/<period>/<ward>.json", holding the ReviewRecord of each programme, and per ward the
 * period of its newest record ("review-latest/<ward>.json", where a new period starts from). A run steps it with
 * the reading of the ward's workbook (core stepReview) by compare-and-set, and writes only when
 * the step changed something, so an unchanged ward costs one read; a ward no step has moved
 * (Đang cập nhật, as stepping from nothing gives) has no record at all (wardsReadIn tells it apart).
 */
import type { Catalogue } from "../../sheets-schema/catalogue.js";
import { CONCLUSION_CELL, SUBMISSION_CELL } from "../../sheets-schema/workbook-plan.js";
import type { Finding } from "../core/findings.js";
import { type ReviewEvent, type ReviewReading, type ReviewRecord, staleConclusion, stepReview } from "../core/review-cycle.js";
import type { WardOutcome } from "../core/aggregate-town.js";
import { currentPeriod, periodDates, periodKind } from "../core/period.js";
import { sha256Hex, stableJson } from "../hashing.js";
import type { KeyValueStore, StoredSnapshot } from "../ports.js";
import { closureOf } from "./closure-record.js";
import { snapshotKey } from "./snapshot-store.js";
import { updateJson } from "./kv-state.js";

const REVIEW = "review/";

/** What is stored per ward and period. */
interface WardReview {
  ward: string;
  period: string;
  programmes: ReviewRecord[];
}

/** A review event with the programme it belongs to. */
export type ProgrammeEvent = ReviewEvent & { programmeId: string };

/** The records after a step, and the events the step added (empty when nothing changed). */
export interface ReviewStep {
  records: ReviewRecord[];
  events: ProgrammeEvent[];
}

export const reviewKey = (period: string, ward: string): string => `${REVIEW}${period}/${encodeURIComponent(ward)}.json`;

/**
 * A reading with its keys hashed (sha256): records and cached runs keep 64 characters, not the
 * text of every cell. Hashing twice would change the key, so only fresh readings come here.
 */
export function hashedReading(reading: ReviewReading): ReviewReading {
  return { ...reading, wardKey: sha256Hex(reading.wardKey), appraisalKey: sha256Hex(reading.appraisalKey) };
}

/** Every programme stepped with its reading; programmes without a reading keep their record. */
function stepAll(current: WardReview | null, readings: readonly ReviewReading[], at: string, by: string | null): ReviewStep {
  const previous = current?.programmes ?? [];
  const events: ProgrammeEvent[] = [];
  const stepped = readings.map((reading) => {
    const step = stepReview(previous.find((r) => r.programmeId === reading.programmeId) ?? null, reading, at, by);
    events.push(...step.events.map((e) => ({ ...e, programmeId: reading.programmeId })));
    return step.record;
  });
  const untouched = previous.filter((r) => !readings.some((reading) => reading.programmeId === r.programmeId));
  return { records: [...stepped, ...untouched], events };
}

/** How a ward's review is stepped: where, for which period, and who changed the workbook (asked only when an event happens). */
export interface ReviewStepContext {
  kv: KeyValueStore;
  period: string;
  at: string;
  whoChanged?: (ward: string) => Promise<string | null>;
}

/**
 * Step a ward's records with its readings (keys already hashed). Nothing is written when the
 * records would stay as they are; otherwise the write is a compare-and-set (updateJson), so two
 * runs at once step the newer record and never lose an event.
 *
 * @example await stepWardReview(ctx, "nghi-hoa", run.sheet.review) // → { records, events: [{ kind: "submitted", … }] }
 */
export async function stepWardReview(ctx: ReviewStepContext, ward: string, readings: readonly ReviewReading[]): Promise<ReviewStep> {
  const key = reviewKey(ctx.period, ward);
  // A period with no record yet starts from the period before (carriedOver).
  const stored = (await ctx.kv.get<WardReview>(key))?.value ?? (await carriedOver(ctx.kv, ctx.period, ward));
  const probe = stepAll(stored, readings, ctx.at, null);
  const same = stored?.period === ctx.period && stableJson(probe.records) === stableJson(stored.programmes);
  // A ward no step has moved yet (Đang cập nhật, or not read) is what stepping from nothing gives again: no record, no write.
  const fromNothing = stored?.period !== ctx.period && allFresh(stored?.programmes ?? [], readings) && allFresh(probe.records, readings);
  if (!probe.events.length && (same || fromNothing)) return { records: probe.records, events: [] };
  const by = probe.events.length && ctx.whoChanged ? await ctx.whoChanged(ward) : null;
  let step: ReviewStep = probe;
  const base = stored?.period === ctx.period ? null : stored;
  await updateJson<WardReview>(ctx.kv, key, (current) => {
    step = stepAll(current ?? base, readings, ctx.at, by);
    return { ward, period: ctx.period, programmes: step.records };
  });
  if (stored?.period !== ctx.period) await noteLatest(ctx.kv, ward, ctx.period);
  return step;
}

/** The record a programme nobody has submitted yet gets from a reading that does not submit it (no step taken). */
const FRESH: Omit<ReviewRecord, "programmeId"> = { state: "updating", submittedAt: null, submittedBy: null, returnedAt: null, returnKey: null, returnWardKey: null, appraisedAt: null, appraisedBy: null, refusedKey: null, staleReturn: false, events: [] };

/**
 * True when every record is fresh and has a reading: stepping from no record at all gives these
 * records again and no event, so storing them would change nothing a later step or reader sees.
 */
function allFresh(records: readonly ReviewRecord[], readings: readonly ReviewReading[]): boolean {
  return records.every((r) => readings.some((x) => x.programmeId === r.programmeId) && isFresh(r));
}

const FRESH_FIELDS = Object.entries(FRESH) as Array<[keyof typeof FRESH, unknown]>;

/** stableJson(record) === stableJson({ ...FRESH, programmeId }), field by field (stableJson of 700 wards' records was most of a rerun's review step). */
function isFresh(record: ReviewRecord): boolean {
  const extra = Object.entries(record).some(([k, v]) => v !== undefined && k !== "programmeId" && !Object.hasOwn(FRESH, k));
  return !extra && FRESH_FIELDS.every(([k, v]) => (Array.isArray(v) ? Array.isArray(record[k]) && (record[k] as unknown[]).length === 0 : record[k] === v));
}

/** Where the period of a ward's newest record is kept (outside "review/", which holds periods only). */
const latestKey = (ward: string): string => `review-latest/${encodeURIComponent(ward)}.json`;

const previousPeriods = new Map<string, string | null>();

/** The period before `period`, of the same kind ("2026-W40" → "2026-W39"); null for a key that is no period. Worked out once per period (asked per ward). */
function previousPeriod(period: string): string | null {
  let before = previousPeriods.get(period);
  if (before === undefined) previousPeriods.set(period, (before = periodBefore(period)));
  return before;
}

function periodBefore(period: string): string | null {
  const dates = periodDates(period);
  const kind = periodKind(period);
  return dates && kind ? currentPeriod(kind, new Date(Date.parse(`${dates.start}T00:00:00+07:00`) - 1)) : null;
}

/** True when period `a` starts before period `b` (of any kinds). */
const startsBefore = (a: string, b: string): boolean => (periodDates(a)?.start ?? "") < (periodDates(b)?.start ?? "");

/**
 * A ward's newest records of an earlier period, as the start of a period that has none yet
 * (their events stay with their period): a ward that asked for appraisal last week, or before a
 * skipped week, or under another period kind, is still waiting, not asking again, so the office
 * is not told twice and a return is not sent again. The newest period is kept in latestKey;
 * stores written before it look at the period before.
 */
async function carriedOver(kv: KeyValueStore, period: string, ward: string): Promise<WardReview | null> {
  const latest = (await kv.get<{ period: string }>(latestKey(ward)))?.value.period;
  const before = latest !== undefined && startsBefore(latest, period) ? latest : latest === undefined ? previousPeriod(period) : null;
  const stored = before === null ? null : (await kv.get<WardReview>(reviewKey(before, ward)))?.value;
  return stored ? { ward, period: stored.period, programmes: stored.programmes.map((r) => ({ ...r, events: [] })) } : null;
}

/** Note `period` as the ward's newest when it starts after the one noted (compare-and-set). */
async function noteLatest(kv: KeyValueStore, ward: string, period: string): Promise<void> {
  await updateJson<{ period: string }>(kv, latestKey(ward), (current) => (current && !startsBefore(current.period, period) ? current : { period }));
}

/**
 * The wards read in `period`'s last run (from its stored snapshot, or the one frozen by a close):
 * a ward read with no record is Đang cập nhật, since no record is written before a step moves it.
 */
export async function wardsReadIn(kv: KeyValueStore, period: string): Promise<ReadonlySet<string>> {
  const frozen = (await closureOf(kv, period))?.frozen;
  // A damaged snapshot is the snapshot store's business (moved aside there): no ward read here.
  const snapshot = frozen ?? (await kv.get<StoredSnapshot>(snapshotKey(period)).then((s) => s?.value ?? null, () => null));
  return new Set((snapshot?.detail?.wards ?? []).filter((w) => w.outcome.status === "ok").map((w) => w.id));
}

/** Every ward's records of `period`, by ward id. */
export async function reviewsOf(kv: KeyValueStore, period: string): Promise<Map<string, ReviewRecord[]>> {
  const keys = await kv.list(`${REVIEW}${period}/`);
  const stored = await Promise.all(keys.map(async (k) => (await kv.get<WardReview>(k))?.value ?? null));
  return new Map(stored.filter((s): s is WardReview => s !== null).map((s) => [s.ward, s.programmes]));
}

/** The review entries of an outcome from the records (a programme without a record: not sent, or updating). */
export function outcomeReview(outcome: WardOutcome, records: readonly ReviewRecord[]): NonNullable<WardOutcome["review"]> {
  return outcome.scores.map((s) => {
    const record = records.find((r) => r.programmeId === s.programmeId);
    if (outcome.status === "missing" || (!record && !s.filled)) return { programmeId: s.programmeId, state: "not-sent", submittedAt: null, appraisedAt: null };
    return { programmeId: s.programmeId, state: record?.state ?? "updating", submittedAt: record?.submittedAt ?? null, appraisedAt: record?.appraisedAt ?? null };
  });
}

const CYCLE_CODES: ReadonlySet<Finding["code"]> = new Set(["conclusion-stale", "returned-still-submitted"]);

/**
 * The ward's findings with the cycle's warnings from the records: at the Trạng thái cell of a
 * tab returned while it still says Đề nghị thẩm định (edits are no resubmission yet), and at
 * the Kết luận cell still holding the last return's “Trả lại” after a resubmission (the
 * appraiser clears it and concludes again). Such warnings of an earlier step (a remembered run)
 * are replaced, never repeated.
 */
export function withCycleFindings(findings: readonly Finding[], records: readonly ReviewRecord[], readings: readonly ReviewReading[], catalogues: readonly Catalogue[]): Finding[] {
  const cycle = records.flatMap((r): Finding[] => {
    const catalogue = catalogues.find((c) => c.id === r.programmeId);
    const reading = readings.find((x) => x.programmeId === r.programmeId);
    if (!catalogue || !reading) return [];
    const at = { severity: "warning", tab: catalogue.tabTitle, criterion: null, params: {} } as const;
    if (staleConclusion(r)) return [{ ...at, cell: reading.conclusionCell ?? CONCLUSION_CELL, code: "conclusion-stale" }];
    if (r.state === "returned" && reading.submitted) return [{ ...at, cell: reading.submissionCell ?? SUBMISSION_CELL, code: "returned-still-submitted" }];
    return [];
  });
  return [...findings.filter((f) => !CYCLE_CODES.has(f.code)), ...cycle];
}
