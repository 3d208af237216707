/**
 * A ward no step has moved (Đang cập nhật, or not read) gets no review record: for any sequence
 * of readings, over periods in time order (of any kind, a week skipped), the events and records are those of the store that
 * wrote every first step (a model of it here), never an event lost or doubled, carry-over
 * from an earlier period unchanged; and a fresh 700-ward run writes no review object at all.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ProgrammeEvent, reviewsOf, stepWardReview, wardsReadIn } from "../../../functions/app/review-store.js";
import { closePeriod } from "../../../functions/app/period-close.js";
import { summariseTown } from "../../../functions/app/run-town.js";
import { kvStateStore } from "../../../functions/app/snapshot-store.js";
import { manualClock } from "../../fakes/clock.js";
import { degradedOutcomes, sampleOutcomes } from "../../fixtures/outcomes.js";
import { builtinCatalogues } from "../../fixtures/workbooks.js";
import { type ReviewReading, type ReviewRecord, stepReview } from "../../../functions/core/review-cycle.js";
import { currentPeriod, periodDates, periodKind } from "../../../functions/core/period.js";
import { memoryKeyValueStore } from "../../fakes/memory-kv.js";

const PROGRAMMES = ["ca", "an"];
// In time order (runs are): weeks, a skipped week, then another period kind.
const PERIODS = ["2026-W40", "2026-W41", "2026-W43", "2026-11", "2026-W46"];

const readingArb = (programmeId: string): fc.Arbitrary<ReviewReading> =>
  fc.record({
    programmeId: fc.constant(programmeId),
    submitted: fc.boolean(),
    errors: fc.constantFrom(0, 0, 1),
    wardKey: fc.constantFrom("", "k1", "k2"),
    conclusion: fc.constantFrom(null, "appraised" as const, "returned" as const),
    appraisalKey: fc.constantFrom("", "a1", "a2"),
    appraisalComplete: fc.boolean(),
    returned: fc.constant([]),
  });

/** One run's step: the period, and the readings (every programme's, or none: the ward not read). */
const stepArb = fc.record({ period: fc.nat(PERIODS.length - 1), readings: fc.oneof(fc.constant([]), fc.tuple(...PROGRAMMES.map(readingArb))) });
/** Runs in time order: their periods never go back. */
const runsArb = fc.array(stepArb, { maxLength: 12 }).map((steps) => {
  const periods = steps.map((s) => s.period).sort((a, b) => a - b);
  return steps.map((s, i) => ({ readings: s.readings, period: PERIODS[periods[i] ?? 0] ?? "2026-W40" }));
});

/** The store as it was: every first step of a period written, with the ward's newest period. */
function alwaysWriteModel() {
  const records = new Map<string, ReviewRecord[]>();
  let latest: string | undefined;
  const start = (p: string): string => periodDates(p)?.start ?? "";
  const previous = (p: string): string => currentPeriod(periodKind(p) ?? "week", new Date(Date.parse(`${start(p)}T00:00:00+07:00`) - 1));
  return {
    records,
    step(period: string, readings: readonly ReviewReading[], at: string): { records: ReviewRecord[]; events: ProgrammeEvent[] } {
      const own = records.get(period);
      const before = latest !== undefined ? (start(latest) < start(period) ? latest : null) : previous(period);
      const prev = own ?? (before === null ? undefined : records.get(before)?.map((r) => ({ ...r, events: [] })));
      const events: ProgrammeEvent[] = [];
      const stepped = readings.map((reading) => {
        const step = stepReview(prev?.find((r) => r.programmeId === reading.programmeId) ?? null, reading, at, "Lan");
        events.push(...step.events.map((e) => ({ ...e, programmeId: reading.programmeId })));
        return step.record;
      });
      const next = [...stepped, ...(prev ?? []).filter((r) => !readings.some((x) => x.programmeId === r.programmeId))];
      records.set(period, next);
      if (!own && (latest === undefined || start(latest) < start(period))) latest = period;
      return { records: next, events };
    },
  };
}

const isFresh = (r: ReviewRecord): boolean =>
  r.state === "updating" && !r.events.length && [r.submittedAt, r.returnedAt, r.returnKey, r.appraisedAt, r.refusedKey].every((v) => v === null) && !r.staleReturn;
const dropFresh = (records: readonly ReviewRecord[] | undefined): ReviewRecord[] => (records ?? []).filter((r) => !isFresh(r));

describe("stepWardReview without records for wards no step has moved", () => {
  it("gives the events and records of the store that wrote every first step, for any sequence of readings", async () => {
    await fc.assert(
      fc.asyncProperty(runsArb, async (steps) => {
        const kv = memoryKeyValueStore();
        const model = alwaysWriteModel();
        for (const [i, s] of steps.entries()) {
          const at = new Date(Date.UTC(2026, 9, 1, i)).toISOString();
          const got = await stepWardReview({ kv, period: s.period, at, whoChanged: async () => "Lan" }, "w", s.readings);
          const want = model.step(s.period, s.readings, at);
          expect(got.events).toEqual(want.events);
          // A read ward's records are the same; an unread one's lack only records no step has moved.
          expect(s.readings.length ? got.records : dropFresh(got.records)).toEqual(s.readings.length ? want.records : dropFresh(want.records));
        }
        for (const period of PERIODS) expect(dropFresh((await reviewsOf(kv, period)).get("w"))).toEqual(dropFresh(model.records.get(period)));
      }),
      { numRuns: 400 },
    );
  });

  it("writes nothing for wards read as Đang cập nhật or not read at all, and writes at the first step", async () => {
    const kv = memoryKeyValueStore();
    const ctx = { kv, period: "2026-W40", at: "2026-10-01T03:00:00.000Z" };
    const idle = (programmeId: string): ReviewReading => ({ programmeId, submitted: false, errors: 0, wardKey: "k", conclusion: null, appraisalKey: "", appraisalComplete: false, returned: [] });
    for (let i = 0; i < 700; i++) await stepWardReview(ctx, `w${i}`, i % 7 ? PROGRAMMES.map(idle) : []);
    expect(kv.objects.size).toBe(0);
    const step = await stepWardReview(ctx, "w1", [{ ...idle("ca"), submitted: true }, idle("an")]);
    expect(step.events.map((e) => e.kind)).toEqual(["submitted"]);
    expect([...kv.objects.keys()].sort()).toEqual(["review-latest/w1.json", "review/2026-W40/w1.json"]);
  });
});

describe("wardsReadIn", () => {
  it("names the wards read in the period's last run (so no record means Đang cập nhật), the closed copy first", async () => {
    const kv = memoryKeyValueStore();
    const catalogues = await builtinCatalogues();
    const clock = manualClock("2026-10-01T03:00:00Z");
    const save = (outcomes: ReturnType<typeof sampleOutcomes>) =>
      summariseTown(outcomes.map((outcome) => ({ ward: { id: outcome.ward.id, name: outcome.ward.name, aliases: [], contacts: [] }, outcome, findings: [] })), catalogues, { state: kvStateStore(kv, { clock }), clock });
    expect(await wardsReadIn(kv, "2026-W40")).toEqual(new Set());
    const all = sampleOutcomes(catalogues);
    await save(degradedOutcomes(all, catalogues));
    const read = await wardsReadIn(kv, "2026-W40");
    expect([...read].sort()).toEqual(all.map((o) => o.ward.id).filter((id) => id !== "nghi-hai" && id !== "thu-thuy").sort());
    await closePeriod(kv, "2026-W40", { by: "Lan", clock });
    await save(all); // a run after the close: the closed copy still says which wards were read
    expect(await wardsReadIn(kv, "2026-W40")).toEqual(read);
  });
});
