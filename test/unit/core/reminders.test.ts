import { describe, expect, it } from "vitest";
import { daysUntil, dueStage, submissionItems } from "../../../functions/core/reminders.js";

const DEADLINE = "2026-11-30";
const STAGES = [7, 3, 1] as const;

describe("daysUntil", () => {
  it.each([
    ["2026-11-30", "2026-11-30", 0],
    ["2026-11-30", "2026-11-27", 3],
    ["2026-11-30", "2026-12-01", -1],
    ["2026-12-01", "2026-11-30", 1],
    ["2027-01-02", "2026-12-30", 3],
    ["2024-03-01", "2024-02-28", 2],
    ["2023-03-01", "2023-02-28", 1],
    ["2026-12-31", "2026-01-01", 364],
  ])("daysUntil(%s, %s) → %i", (deadline, today, expected) => {
    expect(daysUntil(deadline, today)).toBe(expected);
  });
});

describe("dueStage", () => {
  it.each([
    ["2026-11-20", null],
    ["2026-11-22", null],
    ["2026-11-23", { daysLeft: 7, stage: 7 }],
    ["2026-11-24", { daysLeft: 6, stage: 7 }],
    ["2026-11-25", { daysLeft: 5, stage: 7 }],
    ["2026-11-26", { daysLeft: 4, stage: 7 }],
    ["2026-11-27", { daysLeft: 3, stage: 3 }],
    ["2026-11-28", { daysLeft: 2, stage: 3 }],
    ["2026-11-29", { daysLeft: 1, stage: 1 }],
    ["2026-11-30", { daysLeft: 0, stage: 1 }],
    ["2026-12-01", null],
    ["2026-12-15", null],
  ])("with [7, 3, 1], on %s → %j", (today, expected) => {
    expect(dueStage(DEADLINE, today, STAGES)).toEqual(expected);
  });

  it("gives the same stages whatever order the days are configured in", () => {
    const days = [...Array.from({ length: 11 }, (_, i) => `2026-11-${20 + i}`), "2026-12-01"];
    for (const today of days) {
      expect(dueStage(DEADLINE, today, [1, 7, 3])).toEqual(dueStage(DEADLINE, today, STAGES));
      expect(dueStage(DEADLINE, today, [3, 1, 7])).toEqual(dueStage(DEADLINE, today, STAGES));
    }
  });

  it("does not reorder the configured array", () => {
    const configured = [1, 7, 3];
    dueStage(DEADLINE, "2026-11-27", configured);
    expect(configured).toEqual([1, 7, 3]);
  });

  it("is never due without stages", () => {
    expect(dueStage(DEADLINE, "2026-11-30", [])).toBeNull();
  });

  it("can remind on the deadline day itself with a stage of 0", () => {
    expect(dueStage(DEADLINE, "2026-11-30", [0])).toEqual({ daysLeft: 0, stage: 0 });
    expect(dueStage(DEADLINE, "2026-11-29", [0])).toBeNull();
  });

  it("crosses month and year ends", () => {
    expect(dueStage("2027-01-02", "2026-12-30", STAGES)).toEqual({ daysLeft: 3, stage: 3 });
    expect(dueStage("2024-03-01", "2024-02-29", STAGES)).toEqual({ daysLeft: 1, stage: 1 });
  });
});

describe("submissionItems", () => {
  const p = (state: Parameters<typeof submissionItems>[0][number]["state"], over: Partial<Parameters<typeof submissionItems>[0][number]> = {}) => ({ name: "Công an phường điển hình, kiểu mẫu", tab: "CA phường kiểu mẫu", state, returned: [], owed: [], ...over });
  it.each([
    ["submitted: nothing owed", p("submitted"), []],
    ["appraised: nothing owed", p("appraised"), []],
    ["closed: nothing owed", p("closed"), []],
    ["returned: the criteria sent back", p("returned", { returned: ["TC03", "TC07"] }), ["Công an phường điển hình, kiểu mẫu: được trả lại để bổ sung tiêu chí TC03, TC07 theo ý kiến thẩm định; ở ô “Trạng thái:” (trang tính “CA phường kiểu mẫu”, ô C5), chọn “Đang cập nhật” khi bắt đầu sửa, sửa xong chọn lại “Đề nghị thẩm định”."]],
    ["updating: what it lacks, and to submit", p("updating", { owed: ["CA phường kiểu mẫu: còn 2 tiêu chí chưa nhập kết quả."] }), ["CA phường kiểu mẫu: còn 2 tiêu chí chưa nhập kết quả.", "Công an phường điển hình, kiểu mẫu: chưa gửi đề nghị thẩm định; khi đã hoàn thành, chọn “Đề nghị thẩm định” ở ô “Trạng thái:” (trang tính “CA phường kiểu mẫu”, ô C5)."]],
    ["no state (a run without the cycle): what it lacks, as before", p(null, { owed: ["x"] }), ["x"]],
  ])("%s", (_name, programme, want) => {
    expect(submissionItems([programme])).toEqual(want);
  });
});
