/** diffReadings, table-driven: what changed between two readings of a ward, field by field. */
import { describe, expect, it } from "vitest";
import { type CriterionReading, diffReadings, readingOf, type TrailEvent, trailEventLine, trailLine, trailTable, type WardReading } from "../../../functions/core/change-trail.js";
import type { WardOutcome } from "../../../functions/core/aggregate-town.js";
import { tableToCsv } from "../../../functions/core/output-table.js";

const reading = (criteria: CriterionReading[], at = "2026-10-01T03:00:00.000Z", by: string | null = null): WardReading => ({ ward: "nghi-huong", at, by, criteria });
const c = (code: string, status: CriterionReading["status"], points: number | null = null, extra: Partial<CriterionReading> = {}): CriterionReading => ({ programme: "ca", code, status, points, ...extra });
const AT = "2026-10-02T01:30:00.000Z";

describe("diffReadings", () => {
  const cases: Array<{ name: string; before: CriterionReading[] | null; after: CriterionReading[]; want: Array<[string, string, unknown, unknown]> }> = [
    { name: "a first reading starts the trail: no change", before: null, after: [c("TC01", "met")], want: [] },
    { name: "the same reading: no change", before: [c("TC01", "met", 5)], after: [c("TC01", "met", 5)], want: [] },
    { name: "a result turned", before: [c("TC01", "met"), c("TC02", "met")], after: [c("TC01", "not-met"), c("TC02", "met")], want: [["TC01", "result", "met", "not-met"]] },
    { name: "points changed, result the same", before: [c("TC25", "met", 7.5)], after: [c("TC25", "met", 9)], want: [["TC25", "points", 7.5, 9]] },
    { name: "points cleared", before: [c("TC25", "met", 7.5)], after: [c("TC25", "empty", null)], want: [["TC25", "result", "met", "empty"], ["TC25", "points", 7.5, null]] },
    { name: "a criterion not read before", before: [], after: [c("TC03", "in-progress")], want: [["TC03", "result", null, "in-progress"]] },
    { name: "evidence compared when both readings carry it", before: [c("TC01", "met", null, { evidence: "QĐ 12" })], after: [c("TC01", "met", null, { evidence: "QĐ 12, 13" })], want: [["TC01", "evidence", "QĐ 12", "QĐ 12, 13"]] },
    { name: "evidence ignored when the earlier reading did not carry it", before: [c("TC01", "met")], after: [c("TC01", "met", null, { evidence: "QĐ 12" })], want: [] },
    { name: "appraisal", before: [c("TC01", "met", null, { appraisal: null })], after: [c("TC01", "met", null, { appraisal: "not-met" })], want: [["TC01", "appraisal", null, "not-met"]] },
    { name: "same code in another programme is another criterion", before: [c("TC01", "met"), { ...c("TC01", "met"), programme: "an" }], after: [c("TC01", "met"), { ...c("TC01", "not-met"), programme: "an" }], want: [["TC01", "result", "met", "not-met"]] },
  ];
  it.each(cases)("$name", ({ before, after, want }) => {
    const changes = diffReadings(before && reading(before), reading(after, AT, "Nguyễn Văn A"));
    expect(changes.map((x) => [x.criterion, x.field, x.before, x.after])).toEqual(want);
    changes.forEach((x) => expect(x).toMatchObject({ ward: "nghi-huong", at: AT, by: "Nguyễn Văn A" }));
  });
});

describe("the change log", () => {
  const names = { ward: () => "Phường Nghi Hương", programme: () => "CA phường kiểu mẫu" };
  const changes = diffReadings(reading([c("TC01", "met"), c("TC25", "met", 7.5, { evidence: "=HYPERLINK(\"x\")" })]), reading([c("TC01", "not-met"), c("TC25", "met", 9, { evidence: "=cmd" })], AT));

  it("prints each change in Vietnamese", () => {
    expect(changes.map((x) => trailLine(x, names))).toEqual([
      "02/10/2026 08:30 — Phường Nghi Hương, CA phường kiểu mẫu, TC01: kết quả “Đạt” → “Chưa đạt” (người sửa: không rõ)",
      "02/10/2026 08:30 — Phường Nghi Hương, CA phường kiểu mẫu, TC25: điểm tự chấm 7,5 → 9 (người sửa: không rõ)",
      "02/10/2026 08:30 — Phường Nghi Hương, CA phường kiểu mẫu, TC25: minh chứng “=HYPERLINK(\"x\")” → “=cmd” (người sửa: không rõ)",
    ]);
  });

  it("tabulates them with numbers as numbers and formulas neutralised in CSV", () => {
    const table = trailTable(changes, names);
    expect(table.rows[1]).toEqual(["02/10/2026 08:30", "Phường Nghi Hương", "CA phường kiểu mẫu", "TC25", "Điểm tự chấm", 7.5, 9, "không rõ"]);
    const csv = tableToCsv(table);
    expect(csv).toContain("Thời điểm,Đơn vị,Bộ tiêu chí,Tiêu chí,Nội dung,Trước,Sau,Người sửa");
    expect(csv).toContain("'=cmd");
    expect(csv).not.toMatch(/,=/u);
  });
});

describe("steps of the review cycle in the change log", () => {
  const names = { ward: () => "Phường Nghi Hương", programme: () => "CA phường kiểu mẫu" };
  const events: TrailEvent[] = [
    { kind: "returned", at: "2026-10-02T02:00:00.000Z", by: "Tổ thẩm định", ward: "nghi-huong", programme: "ca" },
    { kind: "reopened", at: "2026-10-03T02:00:00.000Z", by: "canbo", ward: null, programme: null, reason: "bổ sung minh chứng" },
  ];

  it("prints each step with who did it", () => {
    expect(events.map((e) => trailEventLine(e, names))).toEqual([
      "02/10/2026 09:00 — Phường Nghi Hương, CA phường kiểu mẫu: Trả lại để bổ sung, sửa (người thực hiện: Tổ thẩm định)",
      "03/10/2026 09:00 — Cả kỳ: Mở lại kỳ (lý do: “bổ sung minh chứng”) (người thực hiện: canbo)",
    ]);
  });

  it("merges steps and changes in time order", () => {
    const changes = diffReadings(reading([c("TC01", "met", null, { appraisal: null })]), reading([c("TC01", "met", null, { appraisal: "not-met" })], "2026-10-02T03:00:00.000Z"));
    const table = trailTable(changes, names, events);
    expect(table.rows.map((r) => [r[0], r[4], r[6]])).toEqual([
      ["02/10/2026 09:00", "Thẩm định", "Trả lại để bổ sung, sửa"],
      ["02/10/2026 10:00", "Kết quả thẩm định", "Chưa đạt"],
      ["03/10/2026 09:00", "Chốt kỳ", "Mở lại kỳ (lý do: “bổ sung minh chứng”)"],
    ]);
  });
});

describe("readingOf", () => {
  it("reads the appraisal (blank before any) and, with the run's cells, the evidence", () => {
    const outcome = {
      ward: { id: "nghi-huong", name: "Nghi Hương" }, status: "ok", reason: null,
      scores: [
        { programmeId: "ca", criteria: [{ code: "TC01", status: "met", points: null }], appraisal: { criteria: [{ code: "TC01", result: "not-met", note: "thiếu" }] } },
        { programmeId: "an", criteria: [{ code: "TC01", status: "met", points: null }], appraisal: null },
      ],
    } as unknown as WardOutcome;
    const cells = [{ programme: "ca", code: "TC01", tab: "CA", evidence: "QĐ 12", a1: { result: "E9" } }];
    expect(readingOf(outcome, AT, null, cells).criteria).toEqual([
      { programme: "ca", code: "TC01", status: "met", points: null, evidence: "QĐ 12", appraisal: "not-met", appraisalNote: "thiếu" },
      { programme: "an", code: "TC01", status: "met", points: null, evidence: null, appraisal: null, appraisalNote: null },
    ]);
    expect(readingOf(outcome, AT, null).criteria[0]).not.toHaveProperty("evidence");
  });
});
