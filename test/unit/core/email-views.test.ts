import { beforeAll, describe, expect, it } from "vitest";
import { degradedOutcomes, sampleOutcomes } from "../../fixtures/outcomes.js";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { RESULT_VALUES } from "../../../sheets-schema/layout.js";
import { type WardOutcome, aggregateTown } from "../../../functions/core/aggregate-town.js";
import { buildDigestView, buildFeedbackView, buildReminderView, reminderItems } from "../../../functions/core/email-views.js";
import { evaluateWorkbook } from "../../../functions/core/evaluate-ward.js";
import type { Finding } from "../../../functions/core/findings.js";
import { type ProgrammeScore, emptyScore } from "../../../functions/core/score-ward.js";
import { P1, P2, builtinCatalogues, sampleWorkbook, withCell } from "../../fixtures/workbooks.js";

let catalogues: Catalogue[];
let outcomes: WardOutcome[];
let names: Map<string, string>;
const META = { period: "2026-W48", generatedAt: "2026-11-27T03:00:00.000Z", previous: null };
const ISSUER = "Công an thị xã Cửa Lò";
const REPORT_URL = "https://drive.example/bao-cao-ca-phuong-dien-hinh.html";

beforeAll(async () => {
  catalogues = await builtinCatalogues();
  names = new Map(catalogues.map((c) => [c.id, c.shortName]));
  outcomes = sampleOutcomes(catalogues);
});

function finding(severity: Finding["severity"], cell: string, criterion: string | null = "TC01"): Finding {
  const at = { severity, tab: "CA phường kiểu mẫu", cell, criterion };
  return severity === "error" ? { ...at, code: "result-invalid", params: { value: "Đạt rồi", allowed: RESULT_VALUES } } : { ...at, code: "evidence-missing", params: { criterion: "TC09" } };
}

describe("buildDigestView", () => {
  it("puts the period and every programme's recognised count in the subject", () => {
    const view = buildDigestView(aggregateTown(outcomes, catalogues, META), ISSUER, new Map());
    expect(view.subject).toBe("[Tiến độ tiêu chí] Tuần 48/2026 — 2/7 phường đạt 22/22; 2/7 phường đạt 34/34");
    expect(view.heading).toBe("Tiến độ thực hiện tiêu chí các đề án — Tuần 48/2026");
    expect(view.period).toBe("Tuần 48/2026");
    expect(view.issuer).toBe(ISSUER);
  });

  it("gives each programme a headline, its ward table and a chart id", () => {
    const view = buildDigestView(aggregateTown(outcomes, catalogues, META), ISSUER, new Map());
    expect(view.programmes.map((p) => [p.name, p.headline, p.chartCid])).toEqual([
      [catalogues[0]!.name, "2/7 phường đạt 22/22 tiêu chí", "chart-1"],
      [catalogues[1]!.name, "2/7 phường đạt 34/34 tiêu chí", "chart-2"],
    ]);
    expect(view.programmes[0]!.wards).toEqual([
      { name: "Nghi Hải", met: "20/22", percent: "90,9%", recognised: false, note: "" },
      { name: "Nghi Hòa", met: "15/22", percent: "68,2%", recognised: false, note: "1 lỗi" },
      { name: "Nghi Hương", met: "18/22", percent: "81,8%", recognised: false, note: "" },
      { name: "Nghi Tân", met: "22/22", percent: "100%", recognised: true, note: "" },
      { name: "Nghi Thu", met: "19/22", percent: "86,4%", recognised: false, note: "" },
      { name: "Nghi Thủy", met: "21/22", percent: "95,5%", recognised: false, note: "" },
      { name: "Thu Thủy", met: "22/22", percent: "100%", recognised: true, note: "" },
    ]);
    expect(view.programmes[0]).toMatchObject({ notFilled: null, withErrors: "Nghi Hòa" });
  });

  it("lists at most five lagging criteria, most wards first", () => {
    const view = buildDigestView(aggregateTown(outcomes, catalogues, META), ISSUER, new Map());
    const lagging = view.programmes[0]!.lagging;
    expect(lagging.map((l) => [l.code, l.notMet])).toEqual([["TC20", 5], ["TC14", 4], ["TC22", 3], ["TC10", 2], ["TC02", 1]]);
    const tc20 = catalogues[0]!.criteria.find((c) => c.code === "TC20")!;
    expect(lagging[0]!.text).toBe(tc20.text);
    for (const p of view.programmes) expect(p.lagging.length).toBeLessThanOrEqual(5);
  });

  it("links a programme's report only when the map has it", () => {
    const view = buildDigestView(aggregateTown(outcomes, catalogues, META), ISSUER, new Map([[P1, REPORT_URL]]));
    expect(view.programmes.map((p) => p.document)).toEqual([REPORT_URL, null]);
  });

  it("marks wards that did not send, could not be read or still have errors", () => {
    const list = degradedOutcomes(outcomes, catalogues);
    const view = buildDigestView(aggregateTown(list, catalogues, META), ISSUER, new Map());
    const p1 = view.programmes[0]!;
    expect(view.subject).toBe("[Tiến độ tiêu chí] Tuần 48/2026 — 0/7 phường đạt 22/22; 1/7 phường đạt 34/34");
    expect(p1.wards.find((w) => w.name === "Nghi Hải")).toEqual({ name: "Nghi Hải", met: "—", percent: "", recognised: false, note: "Chưa gửi bảng tự đánh giá" });
    expect(p1.wards.find((w) => w.name === "Thu Thủy")).toEqual({ name: "Thu Thủy", met: "—", percent: "", recognised: false, note: "Không đọc được tệp" });
    expect(p1.wards.find((w) => w.name === "Nghi Tân")).toEqual({ name: "Nghi Tân", met: "21/22", percent: "95,5%", recognised: false, note: "1 lỗi" });
    expect(p1.notFilled).toBe("Nghi Hải");
    expect(p1.withErrors).toBe("Nghi Hòa, Nghi Tân");
  });

  it("keeps other period labels as they are", () => {
    const view = buildDigestView(aggregateTown(outcomes, catalogues, { ...META, period: "quý IV/2026" }), ISSUER, new Map());
    expect(view.subject.startsWith("[Tiến độ tiêu chí] Quý IV/2026 — ")).toBe(true);
  });
});

describe("buildFeedbackView", () => {
  const scores = (): ProgrammeScore[] => outcomes.find((o) => o.ward.id === "nghi-huong")!.scores;

  it("counts errors and warnings in the subject", () => {
    const findings = [finding("error", "D7"), finding("error", "D8"), finding("warning", "E9"), finding("error", "D10")];
    const view = buildFeedbackView({ ward: { name: "Nghi Hương" }, period: "2026-W48", findings, scores: scores(), programmeNames: names });
    expect(view.subject).toBe("[Tiêu chí] Phường Nghi Hương: 3 lỗi, 1 cảnh báo cần sửa trong bảng tự đánh giá (tuần 48/2026)");
    expect([view.errors, view.warnings, view.period, view.wardName]).toEqual([3, 1, "tuần 48/2026", "Nghi Hương"]);
  });

  it.each([
    [["error"], "1 lỗi"],
    [["warning", "warning"], "2 cảnh báo"],
    [["error", "error"], "2 lỗi"],
  ] as const)("names only the kinds present: %j → %s", (severities, what) => {
    const findings = severities.map((s, i) => finding(s, `D${7 + i}`));
    const view = buildFeedbackView({ ward: { name: "Nghi Thu" }, period: "2026-W48", findings, scores: [], programmeNames: names });
    expect(view.subject).toBe(`[Tiêu chí] Phường Nghi Thu: ${what} cần sửa trong bảng tự đánh giá (tuần 48/2026)`);
  });

  it("numbers the findings and names each programme's score", () => {
    const findings = [finding("error", "D7"), finding("warning", "B2", null)];
    const view = buildFeedbackView({ ward: { name: "Nghi Hương" }, period: "2026-W48", findings, scores: scores(), programmeNames: names });
    expect(view.findings).toEqual([
      { index: 1, severity: "Lỗi", tab: "CA phường kiểu mẫu", cell: "D7", criterion: "TC01", message: "Giá trị “Đạt rồi” không hợp lệ ở cột Kết quả. Hãy chọn một trong các giá trị: Đạt, Chưa đạt, Đang thực hiện." },
      { index: 2, severity: "Cảnh báo", tab: "CA phường kiểu mẫu", cell: "B2", criterion: "", message: "Tiêu chí TC09 được đánh giá Đạt nhưng chưa có minh chứng. Hãy ghi số, ngày văn bản hoặc đường dẫn tài liệu vào cột Minh chứng." },
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
    const view = buildReminderView({ ward: { name: "Nghi Hương" }, deadline, daysLeft: 3, items: ["x"] });
    expect(view.subject).toBe("[Nhắc hạn] Phường Nghi Hương: còn 3 ngày đến hạn 30/11/2026 (Nộp bảng tự đánh giá tháng 11)");
    expect(view).toMatchObject({ wardName: "Nghi Hương", deadline: "30/11/2026", deadlineTitle: deadline.title, daysLeft: 3, items: ["x"] });
  });

  it("says so on the deadline day", () => {
    const view = buildReminderView({ ward: { name: "Nghi Hương" }, deadline, daysLeft: 0, items: [] });
    expect(view.subject).toBe("[Nhắc hạn] Phường Nghi Hương: hôm nay là hạn cuối (Nộp bảng tự đánh giá tháng 11)");
    expect(view.deadline).toBe("30/11/2026");
  });

  it("says that a ward sent nothing in one sentence, with no list", () => {
    const items = reminderItems("missing", catalogues.map(emptyScore), names);
    expect(buildReminderView({ ward: { name: "Nghi Hải" }, deadline, daysLeft: 3, items })).toMatchObject({ lead: "Phường chưa gửi bảng tự đánh giá.", items: [] });
    expect(buildReminderView({ ward: { name: "Nghi Hải" }, deadline, daysLeft: 3, items: ["x"] })).toMatchObject({ lead: "Bảng tự đánh giá của phường còn các việc sau:", items: ["x"] });
  });

  it("writes the deadline as its Vietnam calendar date", () => {
    expect(buildReminderView({ ward: { name: "Nghi Thu" }, deadline: { date: "2027-01-01", title: "t" }, daysLeft: 1, items: [] }).deadline).toBe("01/01/2027");
  });
});

describe("reminderItems", () => {
  it("asks for the workbook when it is missing", () => {
    expect(reminderItems("missing", catalogues.map(emptyScore), names)).toEqual(["Phường chưa gửi bảng tự đánh giá."]);
  });

  it("asks for an .xlsx when the file could not be read", () => {
    expect(reminderItems("unreadable", catalogues.map(emptyScore), names)).toEqual(["Tệp bảng tự đánh giá không đọc được; đề nghị lưu lại dưới dạng .xlsx."]);
  });

  it("lists the errors still to fix per programme", () => {
    const broken = evaluateWorkbook(withCell(sampleWorkbook(catalogues, "nghi-tan"), "CA phường kiểu mẫu", "D7", "??"), catalogues, { id: "nghi-tan", name: "Nghi Tân", aliases: [] });
    expect(reminderItems("ok", broken.scores, names)).toEqual([`${names.get(P1)}: còn 1 lỗi trong bảng tự đánh giá chưa sửa.`]);
  });

  it("lists criteria with no result entered", () => {
    expect(reminderItems("ok", catalogues.map(emptyScore), names)).toEqual([
      `${names.get(P1)}: còn 22 tiêu chí chưa nhập kết quả.`,
      `${names.get(P2)}: còn 34 tiêu chí chưa nhập kết quả.`,
    ]);
  });

  it("owes nothing for a clean, complete workbook, and the errors left otherwise", () => {
    for (const o of outcomes.filter((x) => x.ward.id !== "nghi-hoa")) expect(reminderItems("ok", o.scores, names)).toEqual([]);
    const hoa = outcomes.find((x) => x.ward.id === "nghi-hoa")!;
    expect(reminderItems("ok", hoa.scores, names)).toEqual(["Công an phường điển hình, kiểu mẫu: còn 1 lỗi trong bảng tự đánh giá chưa sửa."]);
  });

  it("falls back to the programme id when it has no name", () => {
    expect(reminderItems("ok", [emptyScore(catalogues[0]!)], new Map())).toEqual([`${P1}: còn 22 tiêu chí chưa nhập kết quả.`]);
  });
});
