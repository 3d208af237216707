/**
 * Weeks and months in one history: a town that reported weekly, then switched to monthly.
 * Each run's change compares with the previous period of its own kind, the running month is
 * the default of a monthly run, and a closed month is history like a closed week.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { summariseTown, type WardRun } from "../../../functions/app/run-town.js";
import { kvStateStore } from "../../../functions/app/snapshot-store.js";
import { PeriodError } from "../../../functions/errors.js";
import { manualClock } from "../../fakes/clock.js";
import { memoryKeyValueStore } from "../../fakes/memory-kv.js";
import { sampleOutcomes } from "../../fixtures/outcomes.js";
import { builtinCatalogues } from "../../fixtures/workbooks.js";

let catalogues: Catalogue[];
let runs: WardRun[];

beforeAll(async () => {
  catalogues = await builtinCatalogues();
  runs = sampleOutcomes(catalogues).map((outcome) => ({ ward: { id: outcome.ward.id, name: outcome.ward.name, aliases: [], contacts: [] }, outcome, findings: [] }));
});

describe("a history of weeks and months", () => {
  it("compares a month with the month before, never with a week, and a week with the week before", async () => {
    const kv = memoryKeyValueStore();
    const clock = manualClock("2026-10-15T03:00:00Z");
    const state = kvStateStore(kv, { clock, warn: () => undefined });
    const weekly = await summariseTown(runs, catalogues, { state, clock });
    expect(weekly.summary.period).toBe("2026-W42");
    const october = await summariseTown(runs, catalogues, { state, clock }, { periodKind: "month" });
    expect(october.summary).toMatchObject({ period: "2026-10", previousPeriod: null });
    clock.advance(Date.parse("2026-11-27T03:00:00Z") - clock.ms());
    const november = await summariseTown(runs, catalogues, { state, clock }, { periodKind: "month" });
    expect(november.summary).toMatchObject({ period: "2026-11", previousPeriod: "2026-10" });
    const week48 = await summariseTown(runs, catalogues, { state, clock });
    expect(week48.summary).toMatchObject({ period: "2026-W48", previousPeriod: "2026-W42" });
    const quarter = await summariseTown(runs, catalogues, { state, clock }, { periodKind: "quarter" });
    expect(quarter.summary).toMatchObject({ period: "2026-Q4", previousPeriod: null });
    expect((await state.listSnapshots()).map((s) => s.period).sort()).toEqual(["2026-10", "2026-11", "2026-Q4", "2026-W42", "2026-W48"]);
  });

  it("keeps a closed month closed, naming it in words", async () => {
    const clock = manualClock("2026-11-27T03:00:00Z");
    const state = kvStateStore(memoryKeyValueStore(), { clock, warn: () => undefined });
    const error = await summariseTown(runs, catalogues, { state, clock }, { period: "2026-10" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PeriodError);
    expect((error as Error).message).toMatch(/^Tháng 10\/2026 đã kết thúc/u);
  });
});
