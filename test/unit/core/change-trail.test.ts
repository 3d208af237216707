/** diffReadings, table-driven: what changed between two readings of a ward, field by field. */
import { describe, expect, it } from "vitest";
import { type CriterionReading, diffReadings, trailLine, trailTable, type WardReading } from "../../../functions/core/change-trail.js";
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
