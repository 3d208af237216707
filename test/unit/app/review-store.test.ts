/**
 * The review records over a KeyValueStore: stepped by compare-and-set, written only when the
 * step changes something, the workbook's author asked only when the cycle moves, and two runs
 * stepping the same ward at once keep one "submitted" event, not two and not none.
 */
import { describe, expect, it } from "vitest";
import { hashedReading, outcomeReview, reviewKey, reviewsOf, stepWardReview, withCycleFindings } from "../../../functions/app/review-store.js";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import type { ReviewReading } from "../../../functions/core/review-cycle.js";
import type { WardOutcome } from "../../../functions/core/aggregate-town.js";
import { sha256Hex } from "../../../functions/hashing.js";
import { memoryKeyValueStore } from "../../fakes/memory-kv.js";

const reading = (over: Partial<ReviewReading> = {}): ReviewReading =>
  hashedReading({ programmeId: "ca", submitted: false, errors: 0, wardKey: "TC01\tĐạt", conclusion: null, appraisalKey: "", appraisalComplete: false, returned: [], ...over });

function context(kv = memoryKeyValueStore(), at = "2026-11-20T03:00:00.000Z") {
  const asked: string[] = [];
  return { kv, asked, ctx: { kv, period: "2026-11", at, whoChanged: async (ward: string) => (asked.push(ward), "Trần Thị Lan") } };
}

describe("stepWardReview", () => {
  it("hashes the keys once: 64 hex characters, never the cells' text", () => {
    expect(reading().wardKey).toBe(sha256Hex("TC01\tĐạt"));
  });

  it("writes nothing while no step moves the ward, then the first step, and asks who only when the cycle moves", async () => {
    const { kv, asked, ctx } = context();
    const first = await stepWardReview(ctx, "nghi-hoa", [reading()]);
    expect(first.records.map((r) => r.state)).toEqual(["updating"]);
    expect(first.events).toEqual([]);
    expect(asked).toEqual([]);
    // Đang cập nhật is what stepping from no record gives: nothing stored (review-store-fresh.test.ts).
    expect(kv.objects.has(reviewKey("2026-11", "nghi-hoa"))).toBe(false);
    await stepWardReview(ctx, "nghi-hoa", [reading({ wardKey: "TC01\tChưa đạt" })]);
    expect(kv.objects.size).toBe(0);
    const submitted = await stepWardReview({ ...ctx, at: "2026-11-21T03:00:00.000Z" }, "nghi-hoa", [reading({ submitted: true })]);
    expect(submitted.events).toEqual([{ at: "2026-11-21T03:00:00.000Z", by: "Trần Thị Lan", kind: "submitted", programmeId: "ca" }]);
    expect(asked).toEqual(["nghi-hoa"]);
    expect((await reviewsOf(kv, "2026-11")).get("nghi-hoa")?.[0]).toMatchObject({ state: "submitted", submittedAt: "2026-11-21T03:00:00.000Z", submittedBy: "Trần Thị Lan" });
  });

  it("keeps one event when two runs step the same submission at once", async () => {
    const { kv, ctx } = context();
    await stepWardReview(ctx, "nghi-hoa", [reading()]);
    const both = await Promise.all([stepWardReview(ctx, "nghi-hoa", [reading({ submitted: true })]), stepWardReview(ctx, "nghi-hoa", [reading({ submitted: true })])]);
    const stored = (await reviewsOf(kv, "2026-11")).get("nghi-hoa")?.[0];
    expect(stored?.events.map((e) => e.kind)).toEqual(["submitted"]);
    // The one whose write lost re-stepped on the winner's record: it reports no event of its own.
    expect(both.map((s) => s.events.length).sort()).toEqual([0, 1]);
  });

  it("keeps the record of a programme the reading does not cover, and returns once per appraisal", async () => {
    const { kv, ctx } = context();
    await stepWardReview(ctx, "nghi-hoa", [reading({ submitted: true }), reading({ programmeId: "an" })]);
    const returned = await stepWardReview(ctx, "nghi-hoa", [reading({ submitted: true, conclusion: "returned", appraisalKey: "TC01\tChưa đạt\tthiếu" })]);
    expect(returned.events.map((e) => e.kind)).toEqual(["returned"]);
    expect(returned.records.map((r) => [r.programmeId, r.state])).toEqual([["ca", "returned"], ["an", "updating"]]);
    const again = await stepWardReview(ctx, "nghi-hoa", [reading({ submitted: true, conclusion: "returned", appraisalKey: "TC01\tChưa đạt\tthiếu" })]);
    expect(again.events).toEqual([]);
    expect(kv.conflicts).toBe(0);
  });
});

describe("a new period", () => {
  it("starts from the period before: a ward still waiting for appraisal does not ask again, nor is a return sent again", async () => {
    const kv = memoryKeyValueStore();
    const week = (period: string, at: string) => ({ kv, period, at });
    await stepWardReview(week("2026-W48", "2026-11-24T03:00:00.000Z"), "nghi-hoa", [reading()]);
    const asked = await stepWardReview(week("2026-W48", "2026-11-25T03:00:00.000Z"), "nghi-hoa", [reading({ submitted: true })]);
    expect(asked.events.map((e) => e.kind)).toEqual(["submitted"]);
    const next = await stepWardReview(week("2026-W49", "2026-12-01T03:00:00.000Z"), "nghi-hoa", [reading({ submitted: true })]);
    expect(next.events).toEqual([]);
    const stored = (await reviewsOf(kv, "2026-W49")).get("nghi-hoa")?.[0];
    // Written in the new period (status and trail read it there), its events left with week 48.
    expect(stored).toMatchObject({ state: "submitted", submittedAt: "2026-11-25T03:00:00.000Z", events: [] });
    // A skipped week (no run in W50) keeps the cycle: W51 starts from W49, the newest record.
    const skipped = await stepWardReview(week("2026-W51", "2026-12-14T03:00:00.000Z"), "nghi-hoa", [reading({ submitted: true })]);
    expect(skipped.events).toEqual([]);
    expect((await reviewsOf(kv, "2026-W51")).get("nghi-hoa")?.[0]).toMatchObject({ state: "submitted", submittedAt: "2026-11-25T03:00:00.000Z" });
    // So does a change of period kind, from the newest record that started before; an earlier period starts afresh.
    expect((await stepWardReview(week("2027-01", "2027-01-04T03:00:00.000Z"), "nghi-hoa", [reading({ submitted: true })])).events).toEqual([]);
    expect((await stepWardReview(week("2026-W40", "2026-12-14T03:00:00.000Z"), "nghi-hoa", [reading({ submitted: true })])).events.map((e) => e.kind)).toEqual(["submitted"]);
  });

  it("starts a store written before the newest-period note from the period before", async () => {
    const kv = memoryKeyValueStore();
    await stepWardReview({ kv, period: "2026-W48", at: "2026-11-25T03:00:00.000Z" }, "nghi-hoa", [reading({ submitted: true })]);
    await kv.delete("review-latest/nghi-hoa.json");
    expect((await stepWardReview({ kv, period: "2026-W49", at: "2026-12-01T03:00:00.000Z" }, "nghi-hoa", [reading({ submitted: true })])).events).toEqual([]);
  });
});

describe("outcomeReview", () => {
  const outcome = (status: WardOutcome["status"], filled: boolean): WardOutcome =>
    ({ ward: { id: "nghi-hoa", name: "Nghi Hòa" }, status, reason: null, scores: [{ programmeId: "ca", filled }, { programmeId: "an", filled: false }] }) as unknown as WardOutcome;

  it("names every programme: its record's state, else not sent (nothing typed) or updating", () => {
    const record = { programmeId: "ca", state: "submitted", submittedAt: "2026-11-21T03:00:00.000Z", appraisedAt: null } as never;
    expect(outcomeReview(outcome("ok", true), [record])).toEqual([
      { programmeId: "ca", state: "submitted", submittedAt: "2026-11-21T03:00:00.000Z", appraisedAt: null },
      { programmeId: "an", state: "not-sent", submittedAt: null, appraisedAt: null },
    ]);
    expect(outcomeReview(outcome("missing", false), [record]).map((r) => r.state)).toEqual(["not-sent", "not-sent"]);
    expect(outcomeReview(outcome("ok", true), []).map((r) => r.state)).toEqual(["updating", "not-sent"]);
  });
});

describe("withCycleFindings", () => {
  const catalogues = [{ id: "ca", tabTitle: "CA phường kiểu mẫu" }] as unknown as Catalogue[];

  it("warns once at the Kết luận cell while the last return's “Trả lại” is left there, and drops the warning once cleared", async () => {
    const { ctx } = context();
    const returned = reading({ submitted: true, conclusion: "returned", appraisalKey: "a1", conclusionCell: "D7" });
    const first = await stepWardReview(ctx, "nghi-hoa", [returned]);
    // Returned while Trạng thái still says Đề nghị thẩm định: the ward is told at that cell.
    expect(withCycleFindings([], first.records, [{ ...returned, submissionCell: "D6" }], catalogues)).toEqual([{ severity: "warning", tab: "CA phường kiểu mẫu", cell: "D6", criterion: null, code: "returned-still-submitted", params: {} }]);
    await stepWardReview({ ...ctx, at: "2026-11-21T03:00:00.000Z" }, "nghi-hoa", [{ ...returned, submitted: false }]);
    const again = await stepWardReview({ ...ctx, at: "2026-11-22T03:00:00.000Z" }, "nghi-hoa", [returned]);
    expect(again.events.map((e) => e.kind)).toEqual(["resubmitted"]);
    const warned = withCycleFindings([], again.records, [returned], catalogues);
    expect(warned).toEqual([{ severity: "warning", tab: "CA phường kiểu mẫu", cell: "D7", criterion: null, code: "conclusion-stale", params: {} }]);
    expect(withCycleFindings(warned, again.records, [returned], catalogues)).toEqual(warned);
    const cleared = await stepWardReview({ ...ctx, at: "2026-11-23T03:00:00.000Z" }, "nghi-hoa", [{ ...returned, conclusion: null }]);
    expect(withCycleFindings(warned, cleared.records, [returned], catalogues)).toEqual([]);
  });
});
