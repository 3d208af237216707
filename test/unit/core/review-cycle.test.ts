import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import type { CellValue, RawWorkbook } from "../../../functions/core/cells.js";
import { evaluateWorkbook } from "../../../functions/core/evaluate-ward.js";
import { type ReviewEventKind, type ReviewReading, type ReviewRecord, stepReview } from "../../../functions/core/review-cycle.js";
import { REVIEW_STATE_LABEL } from "../../../functions/core/vocabulary.js";
import { P1, allMetWorkbook, builtinCatalogues, cellOf, withCell } from "../../fixtures/workbooks.js";

const TAB1 = "CA phường kiểu mẫu";
const AT = (n: number): string => `2026-11-${String(n).padStart(2, "0")}T01:00:00.000Z`;

const reading = (over: Partial<ReviewReading> = {}): ReviewReading => ({
  programmeId: P1,
  submitted: false,
  errors: 0,
  wardKey: "w0",
  conclusion: null,
  appraisalKey: "",
  appraisalComplete: false,
  returned: [],
  ...over,
});

/** Steps through the readings from no record; the kinds of event at each step. */
function walk(readings: readonly ReviewReading[]): { record: ReviewRecord | null; kinds: ReviewEventKind[][] } {
  let record: ReviewRecord | null = null;
  const kinds: ReviewEventKind[][] = [];
  readings.forEach((r, i) => {
    const step = stepReview(record, r, AT(i + 1), i % 2 ? "canbo@cualo.example" : null);
    record = step.record;
    kinds.push(step.events.map((e) => e.kind));
  });
  return { record, kinds };
}

const RETURN = reading({ submitted: true, conclusion: "returned", appraisalKey: "a1" });

describe("stepReview", () => {
  it("follows a ward through the cycle: refused, submitted, returned, resubmitted, appraised", () => {
    const submittedClean = reading({ submitted: true, wardKey: "w1" });
    const { record, kinds } = walk([
      reading(),
      reading({ submitted: true, errors: 2, wardKey: "w0" }),
      reading({ submitted: true, errors: 2, wardKey: "w0" }),
      submittedClean,
      { ...submittedClean, conclusion: "returned", appraisalKey: "a1" },
      { ...submittedClean, conclusion: "returned", appraisalKey: "a1", submitted: false },
      { ...submittedClean, conclusion: "returned", appraisalKey: "a1", wardKey: "w2" },
      { ...submittedClean, conclusion: "appraised", appraisalKey: "a2", wardKey: "w2", appraisalComplete: false },
      { ...submittedClean, conclusion: "appraised", appraisalKey: "a3", wardKey: "w2", appraisalComplete: true },
      { ...submittedClean, conclusion: "appraised", appraisalKey: "a3", wardKey: "w3", submitted: false },
    ]);
    expect(kinds).toEqual([[], ["refused"], [], ["submitted"], ["returned"], [], ["resubmitted"], [], ["appraised"], []]);
    expect(record).toMatchObject({ state: "appraised", submittedAt: AT(7), submittedBy: null, returnedAt: AT(5), returnKey: "a1", returnWardKey: "w1", appraisedAt: AT(9), appraisedBy: null, refusedKey: "w0" });
    expect(record?.events.map((e) => [e.kind, e.at, e.by])).toEqual([
      ["refused", AT(2), "canbo@cualo.example"],
      ["submitted", AT(4), "canbo@cualo.example"],
      ["returned", AT(5), null],
      ["resubmitted", AT(7), null],
      ["appraised", AT(9), null],
    ]);
  });

  it.each<[string, ReviewReading[], ReviewEventKind[][], ReviewRecord["state"]]>([
    ["a withdrawn submission", [reading({ submitted: true }), reading()], [["submitted"], ["withdrawn"]], "updating"],
    ["a conclusion typed before the submission", [reading({ conclusion: "appraised", appraisalComplete: true })], [[]], "updating"],
    ["Đã thẩm định with criteria left", [reading({ submitted: true, conclusion: "appraised" })], [["submitted"]], "submitted"],
    ["submitted and appraised in one reading", [reading({ submitted: true, conclusion: "appraised", appraisalComplete: true })], [["submitted", "appraised"]], "appraised"],
    ["a return kept while the ward re-submits unchanged", [reading({ submitted: true, conclusion: "returned", appraisalKey: "a1" }), reading({ submitted: true, conclusion: "returned", appraisalKey: "a2" })], [["submitted", "returned"], []], "returned"],
    ["a return edited while Trạng thái still says Đề nghị thẩm định", [RETURN, reading({ submitted: true, wardKey: "w1", conclusion: "returned", appraisalKey: "a1" }), reading({ submitted: true, wardKey: "w2", conclusion: "returned", appraisalKey: "a1" })], [["submitted", "returned"], [], []], "returned"],
    ["a return edited with errors while still submitted", [RETURN, reading({ submitted: true, errors: 1, wardKey: "w1", conclusion: "returned", appraisalKey: "a1" })], [["submitted", "returned"], []], "returned"],
    ["a return, Đang cập nhật, resubmitted with errors", [RETURN, reading({ conclusion: "returned", appraisalKey: "a1" }), reading({ submitted: true, errors: 1, wardKey: "w1", conclusion: "returned", appraisalKey: "a1" })], [["submitted", "returned"], [], ["refused"]], "updating"],
    ["a return, Đang cập nhật, resubmitted unchanged", [RETURN, reading({ conclusion: "returned", appraisalKey: "a1" }), RETURN], [["submitted", "returned"], [], ["resubmitted"]], "submitted"],
    [
      "a resubmission under the old Trả lại: the appraiser's edits return nothing until the cell is cleared and chosen again",
      [RETURN, reading({ conclusion: "returned", appraisalKey: "a1" }), RETURN, { ...RETURN, appraisalKey: "a2" }, { ...RETURN, appraisalKey: "a3" }, reading({ submitted: true, appraisalKey: "a3" }), { ...RETURN, appraisalKey: "a3" }],
      [["submitted", "returned"], [], ["resubmitted"], [], [], [], ["returned"]],
      "returned",
    ],
    ["a resubmission under the old Trả lại, then Đã thẩm định at once", [RETURN, reading({ conclusion: "returned", appraisalKey: "a1" }), RETURN, reading({ submitted: true, conclusion: "appraised", appraisalKey: "a2", appraisalComplete: true })], [["submitted", "returned"], [], ["resubmitted"], ["appraised"]], "appraised"],
    ["the same appraisal returned again once the cell was cleared", [RETURN, reading({ submitted: true, conclusion: "appraised", appraisalKey: "a1", appraisalComplete: true }), RETURN], [["submitted", "returned"], ["appraised"], ["returned"]], "returned"],
    ["an appraisal withdrawn by the appraiser", [reading({ submitted: true, conclusion: "appraised", appraisalComplete: true }), reading({ submitted: true })], [["submitted", "appraised"], []], "submitted"],
    ["a return then agreement without a change", [reading({ submitted: true, conclusion: "returned", appraisalKey: "a1" }), reading({ submitted: true, conclusion: "appraised", appraisalKey: "a2", appraisalComplete: true })], [["submitted", "returned"], ["appraised"]], "appraised"],
  ])("%s", (_name, readings, kinds, state) => {
    const walked = walk(readings);
    expect(walked.kinds).toEqual(kinds);
    expect(walked.record?.state).toBe(state);
  });

  it("keeps the appraisal time only while appraised: a return or a cleared conclusion forgets it", () => {
    const appraised = reading({ submitted: true, conclusion: "appraised", appraisalComplete: true, appraisalKey: "a1" });
    expect(walk([appraised]).record).toMatchObject({ state: "appraised", appraisedAt: AT(1) });
    expect(walk([appraised, { ...appraised, conclusion: "returned" }]).record).toMatchObject({ state: "returned", appraisedAt: null, appraisedBy: null });
    expect(walk([appraised, { ...appraised, conclusion: null }]).record).toMatchObject({ state: "submitted", appraisedAt: null });
  });

  it("reads an older record without staleReturn by its return's appraisal", () => {
    const { staleReturn: _, ...older } = walk([RETURN, reading({ conclusion: "returned", appraisalKey: "a1" })]).record!;
    expect(stepReview(older, RETURN, AT(5), null).events.map((e) => e.kind)).toEqual(["resubmitted"]);
    const { staleReturn: __, ...resubmitted } = stepReview(older, reading({ submitted: true, wardKey: "w1" }), AT(5), null).record;
    expect(stepReview(resubmitted, RETURN, AT(6), null).events).toEqual([]);
    expect(stepReview(resubmitted, { ...RETURN, appraisalKey: "a2" }, AT(6), null).events.map((e) => e.kind)).toEqual(["returned"]);
  });

  it("keeps a closed record closed", () => {
    const closed: ReviewRecord = { ...walk([reading({ submitted: true })]).record!, state: "closed" };
    expect(stepReview(closed, reading({ wardKey: "w9" }), AT(3), null)).toEqual({ record: closed, events: [] });
  });

  const readingArb: fc.Arbitrary<ReviewReading> = fc.record({
    programmeId: fc.constant(P1),
    submitted: fc.boolean(),
    errors: fc.nat({ max: 2 }),
    wardKey: fc.constantFrom("w0", "w1", "w2"),
    conclusion: fc.constantFrom(null, "appraised" as const, "returned" as const),
    appraisalKey: fc.constantFrom("", "a1", "a2"),
    appraisalComplete: fc.boolean(),
    returned: fc.constant([]),
  });
  const historyArb = fc.array(readingArb, { maxLength: 12 });

  it("changes nothing and emits nothing when the same reading is stepped again", () => {
    fc.assert(
      fc.property(historyArb, readingArb, (history, next) => {
        const once = stepReview(walk(history).record, next, AT(20), null);
        expect(stepReview(once.record, next, AT(21), "khac@cualo.example")).toEqual({ record: once.record, events: [] });
      }),
      { numRuns: 300 },
    );
  });

  it("returns again only after the Kết luận cell was seen without “Trả lại”", () => {
    fc.assert(
      fc.property(historyArb, (history) => {
        let record: ReviewRecord | null = null;
        let clearedSinceReturn = true;
        for (const [i, r] of history.entries()) {
          const step = stepReview(record, r, AT(i + 1), null);
          if (r.conclusion !== "returned") clearedSinceReturn = true;
          if (step.events.some((e) => e.kind === "returned")) {
            expect(clearedSinceReturn).toBe(true);
            clearedSinceReturn = false;
          }
          record = step.record;
        }
      }),
      { numRuns: 300 },
    );
  });

  it("keeps a returned tab returned while its Trạng thái says Đề nghị thẩm định (unless Đã thẩm định is chosen)", () => {
    fc.assert(
      fc.property(historyArb, readingArb, (history, next) => {
        const before = walk(history).record;
        fc.pre(before?.state === "returned" && next.conclusion !== "appraised");
        const step = stepReview(before, { ...next, submitted: true }, AT(20), null);
        expect(step.record.state).toBe("returned");
        expect(step.events).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it("never lets a submission with errors reach “submitted”", () => {
    fc.assert(
      fc.property(historyArb, readingArb, (history, next) => {
        const withErrors = { ...next, submitted: true, errors: next.errors + 1 };
        const step = stepReview(walk(history).record, withErrors, AT(20), null);
        expect(step.record.state).not.toBe("submitted");
        expect(step.events.map((e) => e.kind)).not.toContain("submitted");
        expect(step.events.map((e) => e.kind)).not.toContain("resubmitted");
      }),
      { numRuns: 300 },
    );
  });

  it("names every state in Vietnamese", () => {
    expect(Object.values(REVIEW_STATE_LABEL)).toEqual(["Chưa gửi", "Đang cập nhật", "Đề nghị thẩm định", "Trả lại", "Đã thẩm định", "Đã chốt"]);
  });
});

describe("reviewReading", () => {
  let catalogues: Catalogue[];
  let clean: RawWorkbook;
  beforeAll(async () => {
    catalogues = await builtinCatalogues();
    clean = allMetWorkbook(catalogues);
  });
  const readingOf = (wb: RawWorkbook) => evaluateWorkbook(wb, catalogues, { id: "nghi-huong", name: "Nghi Hương", aliases: [] }).review[0]!;
  const set = (wb: RawWorkbook, code: string, column: "D" | "G" | "I" | "J", value: CellValue) => withCell(wb, TAB1, cellOf(wb, TAB1, code, column), value);

  it("keys the ward's cells apart from the appraiser's", () => {
    const base = readingOf(clean);
    const wardEdit = readingOf(set(clean, "TC04", "G", "Báo cáo số 2/BC-CAP"));
    const appraiserEdit = readingOf(set(clean, "TC04", "J", "Minh chứng chưa rõ"));
    expect(wardEdit.wardKey).not.toBe(base.wardKey);
    expect(wardEdit.appraisalKey).toBe(base.appraisalKey);
    expect(appraiserEdit.wardKey).toBe(base.wardKey);
    expect(appraiserEdit.appraisalKey).not.toBe(base.appraisalKey);
    expect(readingOf(withCell(clean, TAB1, "C5", "Đề nghị thẩm định")).wardKey).toBe(base.wardKey);
  });

  it("reads the submission, the conclusion and what is returned, with the ward's errors only", () => {
    let wb = withCell(withCell(clean, TAB1, "C5", "Đề nghị thẩm định"), TAB1, "C6", "Trả lại");
    wb = set(set(wb, "TC03", "I", "Không đạt"), "TC03", "J", "Chưa có kế hoạch");
    wb = set(set(wb, "TC07", "I", "Đạt"), "TC07", "J", "Bổ sung biên bản");
    wb = set(wb, "TC09", "I", "Có");
    expect(readingOf(wb)).toMatchObject({
      programmeId: P1,
      submitted: true,
      errors: 0,
      conclusion: "returned",
      appraisalComplete: false,
      returned: [
        { criterion: "TC03", appraisal: "Chưa đạt", note: "Chưa có kế hoạch" },
        { criterion: "TC07", appraisal: "Đạt", note: "Bổ sung biên bản" },
      ],
    });
    expect(readingOf(set(wb, "TC01", "D", null)).errors).toBe(1);
  });

  it("sends back only the catalogue's criteria, by the catalogue's code", () => {
    let wb = withCell(withCell(clean, TAB1, "C5", "Đề nghị thẩm định"), TAB1, "C6", "Trả lại");
    wb = set(wb, "TC07", "J", "Bổ sung biên bản");
    const below = Number(cellOf(wb, TAB1, "TC22", "B").slice(1)) + 1;
    // A stray row below the table, with a code no catalogue has and a note.
    wb = withCell(withCell(wb, TAB1, `B${below}`, "tc99"), TAB1, `J${below}`, "Ghi chú chép nhầm");
    expect(readingOf(wb).wardKey).toContain("TC99");
    expect(readingOf(wb).returned.map((r) => r.criterion)).toEqual(["TC07"]);
  });
});
