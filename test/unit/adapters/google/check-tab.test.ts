import { APPRAISAL_VALUES } from "../../../../sheets-schema/layout.js";
import { beforeAll, describe, expect, it } from "vitest";
import { CHECK_HEADERS, checkTabRows, contentRequests, createRequests } from "../../../../functions/adapters/google/check-tab.js";
import type { WardOutcome } from "../../../../functions/core/aggregate-town.js";
import { evaluateWorkbook } from "../../../../functions/core/evaluate-ward.js";
import { findingMessage } from "../../../../functions/core/messages.js";
import type { WardConfig } from "../../../../functions/config.js";
import type { WardFeedback } from "../../../../functions/ports.js";
import type { Catalogue } from "../../../../sheets-schema/catalogue.js";
import { builtinCatalogues, cellOf, sampleWorkbook, withCell } from "../../../fixtures/workbooks.js";

const ward: WardConfig = { id: "nghi-huong", name: "Nghi Hương", aliases: [], contacts: [] };
const checkedAt = new Date("2026-11-27T03:05:00Z");
let catalogues: Catalogue[];

beforeAll(async () => {
  catalogues = await builtinCatalogues();
});

function feedbackFor(workbook = sampleWorkbook(catalogues)): WardFeedback {
  const evaluation = evaluateWorkbook(workbook, catalogues, ward);
  const outcome: WardOutcome = { ward: { id: ward.id, name: ward.name }, status: "ok", reason: null, scores: evaluation.scores };
  return { ward, outcome, findings: evaluation.findings, checkedAt };
}

describe("checkTabRows", () => {
  it("lists the totals, each programme and a clean result in Vietnamese", () => {
    const rows = checkTabRows(feedbackFor(), catalogues);
    expect(rows.slice(0, 3)).toEqual([
      ["Kết quả kiểm tra lúc 27/11/2026 10:05 (giờ Việt Nam): 0 lỗi, 0 cảnh báo"],
      [`${catalogues[0]!.tabTitle}: tự đánh giá đạt 18/22 tiêu chí; 0 lỗi, 0 cảnh báo.`],
      [`${catalogues[1]!.tabTitle}: tự đánh giá đạt 34/34 tiêu chí; đủ điều kiện đề nghị công nhận; 0 lỗi, 0 cảnh báo.`],
    ]);
    expect(rows.at(-2)).toEqual([...CHECK_HEADERS]);
    expect(rows.at(-1)).toEqual(["Không có lỗi cần sửa. Cảm ơn đồng chí đã cập nhật đầy đủ."]);
  });

  it("says where each programme stands in the appraisal cycle, and counts the appraiser's errors apart", () => {
    const feedback = feedbackFor();
    const [first, second] = feedback.outcome.scores;
    const review = [
      { programmeId: first!.programmeId, state: "submitted" as const, submittedAt: "2026-11-27T02:00:00.000Z", appraisedAt: null },
      { programmeId: second!.programmeId, state: "closed" as const, submittedAt: "2026-11-20T02:00:00.000Z", appraisedAt: "2026-11-25T03:30:00.000Z", closedAt: "2026-12-01T08:00:00.000Z" },
    ];
    const appraisal = { met: 33, total: 34, recognised: false, complete: true, differs: ["TC02"], criteria: [] };
    const scores = [first!, { ...second!, appraisal }];
    const appraiserError = { severity: "error" as const, tab: catalogues[0]!.tabTitle, cell: "I9", criterion: "TC01", code: "appraisal-invalid" as const, params: { value: "Tốt", allowed: APPRAISAL_VALUES } };
    const rows = checkTabRows({ ...feedback, findings: [appraiserError], outcome: { ...feedback.outcome, scores, review } }, catalogues);
    expect(rows.slice(0, 3)).toEqual([
      ["Kết quả kiểm tra lúc 27/11/2026 10:05 (giờ Việt Nam): 0 lỗi, 0 cảnh báo; 1 lỗi ở ô thẩm định (cán bộ thẩm định sửa)"],
      [`${catalogues[0]!.tabTitle}: tự đánh giá đạt 18/22 tiêu chí; 0 lỗi, 0 cảnh báo; trạng thái: Đề nghị thẩm định (lúc 27/11/2026 09:00).`],
      [`${catalogues[1]!.tabTitle}: tự đánh giá đạt 34/34 tiêu chí; đủ điều kiện đề nghị công nhận; 0 lỗi, 0 cảnh báo; trạng thái: Đã chốt (lúc 01/12/2026 15:00); kết quả thẩm định: đạt 33/34 tiêu chí.`],
    ]);
  });

  it("prints the closing time of a closed programme, never its appraisal time (none known: no time)", () => {
    const feedback = feedbackFor();
    const [first] = feedback.outcome.scores;
    const review = [{ programmeId: first!.programmeId, state: "closed" as const, submittedAt: "2026-11-20T02:00:00.000Z", appraisedAt: "2026-11-25T03:30:00.000Z" }];
    const rows = checkTabRows({ ...feedback, outcome: { ...feedback.outcome, review } }, catalogues);
    expect(rows[1]).toEqual([`${catalogues[0]!.tabTitle}: tự đánh giá đạt 18/22 tiêu chí; 0 lỗi, 0 cảnh báo; trạng thái: Đã chốt.`]);
  });

  it("gives one row per finding: severity, tab, cell, criterion, message", () => {
    const base = sampleWorkbook(catalogues);
    const tab = catalogues[0]!.tabTitle;
    const workbook = withCell(base, tab, cellOf(base, tab, "TC01", "D"), "Dat roi");
    const feedback = feedbackFor(workbook);
    const rows = checkTabRows(feedback, catalogues);
    expect(rows[0]![0]).toMatch(/: 1 lỗi, 0 cảnh báo$/u);
    const header = rows.findIndex((r) => r[0] === "Mức độ");
    expect(rows.slice(header + 1)).toEqual(feedback.findings.map((f) => ["Lỗi", f.tab, f.cell, f.criterion ?? "", findingMessage(f)]));
    expect(rows[header + 1]?.slice(0, 4)).toEqual(["Lỗi", tab, cellOf(base, tab, "TC01", "D"), "TC01"]);
  });

  it("says why when the workbook could not be read", () => {
    const feedback = feedbackFor();
    const rows = checkTabRows({ ...feedback, findings: [], outcome: { ...feedback.outcome, status: "unreadable", reason: "Không đọc được bảng tính." } }, catalogues);
    expect(rows[1]).toEqual([`${catalogues[0]!.tabTitle}: chưa có kết quả.`]);
    expect(rows.at(-1)).toEqual(["Không đọc được bảng tính."]);
  });
});

describe("requests", () => {
  it("resize and rewrite only the given sheet, over the whole grid", () => {
    const requests = contentRequests(77, [["a"], ["b", "c"]], 500);
    expect(requests).toHaveLength(2);
    expect(requests[0]?.updateSheetProperties?.properties).toEqual({ sheetId: 77, gridProperties: { rowCount: 500, columnCount: 5 } });
    expect(requests[1]?.updateCells?.range).toEqual({ sheetId: 77, startRowIndex: 0, endRowIndex: 500, startColumnIndex: 0, endColumnIndex: 5 });
    const many = Array.from({ length: 700 }, () => ["x"]);
    expect(contentRequests(77, many, 500)[1]?.updateCells?.range?.endRowIndex).toBe(701);
  });

  it("create the tab protected with a warning before filling it", () => {
    const requests = createRequests(9, [["a"]], 500);
    expect(requests[0]?.addSheet?.properties).toMatchObject({ sheetId: 9, title: "Kiểm tra" });
    expect(requests[1]?.addProtectedRange?.protectedRange).toEqual({ range: { sheetId: 9 }, description: "Trang do hệ thống tieuchi ghi; không sửa", warningOnly: true });
    const sheetIds = JSON.stringify(requests).match(/"sheetId":\d+/gu) ?? [];
    expect(new Set(sheetIds)).toEqual(new Set(['"sheetId":9']));
  });
});
