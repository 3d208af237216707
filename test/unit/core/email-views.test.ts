import { beforeAll, describe, expect, it } from "vitest";
import { sampleOutcomes } from "../../fixtures/outcomes.js";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { RESULT_VALUES } from "../../../sheets-schema/layout.js";
import type { WardOutcome } from "../../../functions/core/aggregate-town.js";
import { buildFeedbackView, buildReminderView, reminderItems } from "../../../functions/core/email-views.js";
import { evaluateWorkbook } from "../../../functions/core/evaluate-ward.js";
import type { Finding } from "../../../functions/core/findings.js";
import { type ProgrammeScore, emptyScore } from "../../../functions/core/score-ward.js";
import { P1, P2, builtinCatalogues, sampleWorkbook, withCell } from "../../fixtures/workbooks.js";

let catalogues: Catalogue[];
let outcomes: WardOutcome[];
let names: Map<string, string>;

beforeAll(async () => {
  catalogues = await builtinCatalogues();
  names = new Map(catalogues.map((c) => [c.id, c.shortName]));
  outcomes = sampleOutcomes(catalogues);
});

function finding(severity: Finding["severity"], cell: string, criterion: string | null = "TC01"): Finding {
  const at = { severity, tab: "CA phường kiểu mẫu", cell, criterion };
  return severity === "error" ? { ...at, code: "result-invalid", params: { value: "Đạt rồi", allowed: RESULT_VALUES } } : { ...at, code: "evidence-missing", params: { criterion: "TC09" } };
}

describe("buildFeedbackView", () => {
  const scores = (): ProgrammeScore[] => outcomes.find((o) => o.ward.id === "nghi-huong")!.scores;

  it("counts errors and warnings in the subject", () => {
    const findings = [finding("error", "D7"), finding("error", "D8"), finding("warning", "E9"), finding("error", "D10")];
    const view = buildFeedbackView({ ward: { name: "Nghi Hương" }, period: "2026-W48", findings, scores: scores(), programmeNames: names });
    expect(view.subject).toBe("[Tự đánh giá tiêu chí] Phường Nghi Hương: 3 lỗi, 1 cảnh báo cần sửa trong bảng tự đánh giá (tuần 48/2026)");
    expect([view.errors, view.warnings, view.period, view.wardName]).toEqual([3, 1, "tuần 48/2026", "Nghi Hương"]);
  });

  it.each([
    [["error"], "1 lỗi"],
    [["warning", "warning"], "2 cảnh báo"],
    [["error", "error"], "2 lỗi"],
  ] as const)("names only the kinds present: %j → %s", (severities, what) => {
    const findings = severities.map((s, i) => finding(s, `D${7 + i}`));
    const view = buildFeedbackView({ ward: { name: "Nghi Thu" }, period: "2026-W48", findings, scores: [], programmeNames: names });
    expect(view.subject).toBe(`[Tự đánh giá tiêu chí] Phường Nghi Thu: ${what} cần sửa trong bảng tự đánh giá (tuần 48/2026)`);
  });

  it("numbers the findings and names each programme's score", () => {
    const findings = [finding("error", "D7"), finding("warning", "B2", null)];
    const view = buildFeedbackView({ ward: { name: "Nghi Hương" }, period: "2026-W48", findings, scores: scores(), programmeNames: names });
    expect(view.findings).toEqual([
      { index: 1, severity: "Lỗi", place: "trang tính “CA phường kiểu mẫu”, ô D7", criterion: "TC01", message: "Giá trị “Đạt rồi” không hợp lệ ở cột Kết quả. Hãy chọn một trong các giá trị: Đạt, Chưa đạt, Đang thực hiện." },
      { index: 2, severity: "Cảnh báo", place: "trang tính “CA phường kiểu mẫu”, ô B2", criterion: "", message: "Tiêu chí TC09 được đánh giá Đạt nhưng chưa có minh chứng. Hãy ghi số, ngày văn bản hoặc đường dẫn tài liệu vào cột Minh chứng." },
    ]);
    expect(view.scores).toEqual([
      { name: names.get(P1), met: "18/22" },
      { name: names.get(P2), met: "34/34" },
    ]);
  });
});

describe("buildReminderView", () => {
  const deadline = { date: "2026-11-30", title: "Nộp bảng tự đánh giá tháng 11" };

  it("counts the days left to the deadline", () => {
    const view = buildReminderView({ ward: { name: "Nghi Hương" }, status: "ok", deadline, daysLeft: 3, items: ["x"] });
    expect(view.subject).toBe("[Tự đánh giá tiêu chí] Phường Nghi Hương: còn 3 ngày đến hạn “Nộp bảng tự đánh giá tháng 11” (30/11/2026)");
    expect(view).toMatchObject({ wardName: "Nghi Hương", deadline: "30/11/2026", deadlineTitle: deadline.title, daysLeft: 3, items: ["x"] });
  });

  it("says so on the deadline day", () => {
    const view = buildReminderView({ ward: { name: "Nghi Hương" }, status: "ok", deadline, daysLeft: 0, items: [] });
    expect(view.subject).toBe("[Tự đánh giá tiêu chí] Phường Nghi Hương: hôm nay là hạn cuối “Nộp bảng tự đánh giá tháng 11” (30/11/2026)");
    expect(view.deadline).toBe("30/11/2026");
  });

  it("says that a ward sent nothing in one sentence, with no list", () => {
    const items = reminderItems({ status: "missing" }, catalogues.map(emptyScore), names);
    expect(buildReminderView({ ward: { name: "Nghi Hải" }, status: "missing", deadline, daysLeft: 3, items })).toMatchObject({ lead: "Phường chưa gửi bảng tự đánh giá.", items: [] });
    expect(buildReminderView({ ward: { name: "Nghi Hải" }, status: "ok", deadline, daysLeft: 3, items: ["x"] })).toMatchObject({ lead: "Bảng tự đánh giá của phường còn các việc sau:", items: ["x"] });
  });

  it("writes the deadline as its Vietnam calendar date", () => {
    expect(buildReminderView({ ward: { name: "Nghi Thu" }, status: "ok", deadline: { date: "2027-01-01", title: "t" }, daysLeft: 1, items: [] }).deadline).toBe("01/01/2027");
  });
});

describe("reminderItems", () => {
  it("asks for the workbook when it is missing", () => {
    expect(reminderItems({ status: "missing" }, catalogues.map(emptyScore), names)).toEqual(["Phường chưa gửi bảng tự đánh giá."]);
  });

  it("asks for an .xlsx when the file could not be read", () => {
    expect(reminderItems({ status: "unreadable" }, catalogues.map(emptyScore), names)).toEqual(["Hệ thống không đọc được tệp bảng tự đánh giá của phường; đề nghị mở tệp bằng Excel, lưu lại dưới dạng .xlsx rồi gửi lại."]);
    const google = reminderItems({ status: "unreadable" }, catalogues.map(emptyScore), names, "google");
    expect(google).toEqual(["Hệ thống không đọc được bảng tính tự đánh giá của phường; đề nghị xem lý do ở trang tính “Kiểm tra” và sửa theo hướng dẫn."]);
    const view = buildReminderView({ ward: { name: "Thu Thủy" }, status: "unreadable", deadline: { date: "2026-11-30", title: "Hạn" }, daysLeft: 3, items: google });
    expect([view.lead, view.items]).toEqual([google[0], []]);
  });

  it("lists the errors still to fix per programme", () => {
    const broken = evaluateWorkbook(withCell(sampleWorkbook(catalogues, "nghi-tan"), "CA phường kiểu mẫu", "D9", "??"), catalogues, { id: "nghi-tan", name: "Nghi Tân", aliases: [] });
    expect(reminderItems({ status: "ok" }, broken.scores, names)).toEqual([`${names.get(P1)}: còn 1 lỗi trong bảng tự đánh giá chưa sửa.`]);
  });

  it("lists criteria with no result entered", () => {
    expect(reminderItems({ status: "ok" }, catalogues.map(emptyScore), names)).toEqual([
      `${names.get(P1)}: còn 22 tiêu chí chưa nhập kết quả.`,
      `${names.get(P2)}: còn 34 tiêu chí chưa nhập kết quả.`,
    ]);
  });

  it("owes nothing for a clean, complete workbook, and the errors left otherwise", () => {
    for (const o of outcomes.filter((x) => x.ward.id !== "nghi-hoa")) expect(reminderItems({ status: "ok" }, o.scores, names)).toEqual([]);
    const hoa = outcomes.find((x) => x.ward.id === "nghi-hoa")!;
    expect(reminderItems({ status: "ok" }, hoa.scores, names)).toEqual(["Công an phường điển hình, kiểu mẫu: còn 1 lỗi trong bảng tự đánh giá chưa sửa."]);
  });

  it("falls back to the programme id when it has no name", () => {
    expect(reminderItems({ status: "ok" }, [emptyScore(catalogues[0]!)], new Map())).toEqual([`${P1}: còn 22 tiêu chí chưa nhập kết quả.`]);
  });
});

describe("emails to a xã", () => {
  it("name the unit by its kind in the subject, the salutation and the sentences", () => {
    const ward = { name: "Nghi Lộc", kind: "xã" as const };
    const items = reminderItems({ status: "missing", kind: "xã" }, [], names);
    expect(items).toEqual(["Xã chưa gửi bảng tự đánh giá."]);
    const view = buildReminderView({ ward, status: "missing", deadline: { date: "2026-11-30", title: "Hạn" }, daysLeft: 3, items });
    expect(view).toMatchObject({ subject: "[Tự đánh giá tiêu chí] Xã Nghi Lộc: còn 3 ngày đến hạn “Hạn” (30/11/2026)", salutation: "Kính gửi: Công an xã Nghi Lộc", lead: "Xã chưa gửi bảng tự đánh giá." });
    const feedback = buildFeedbackView({ ward, period: "2026-11", findings: [finding("error", "D7")], scores: [], programmeNames: names });
    expect(feedback).toMatchObject({ subject: "[Tự đánh giá tiêu chí] Xã Nghi Lộc: 1 lỗi cần sửa trong bảng tự đánh giá (tháng 11/2026)", salutation: "Kính gửi: Công an xã Nghi Lộc", unit: "xã" });
  });
});
