/** The review cycle in the ward notice: both figures, the differing criteria with the note, where it stands, the trail table. */
import { beforeAll, describe, expect, it } from "vitest";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import type { WardOutcome } from "../../../functions/core/aggregate-town.js";
import type { CriterionChange, TrailEvent } from "../../../functions/core/change-trail.js";
import type { DocBlock, DocumentView } from "../../../functions/core/document-blocks.js";
import { buildWardDocument } from "../../../functions/core/ward-document.js";
import { appraisalText, historyBlocks } from "../../../functions/core/ward-review.js";
import { DOCUMENT_SETTINGS, ISSUED_AT } from "../../fixtures/documents.js";
import { reviewedOutcomes } from "../../fixtures/outcomes.js";
import { builtinCatalogues } from "../../fixtures/workbooks.js";

let catalogues: Catalogue[];
let reviewed: WardOutcome[];

beforeAll(async () => {
  catalogues = await builtinCatalogues();
  reviewed = reviewedOutcomes(catalogues);
});

const outcome = (id: string): WardOutcome => reviewed.find((o) => o.ward.id === id)!;
const paragraphs = (blocks: readonly DocBlock[]): string[] => blocks.flatMap((b) => (b.kind === "paragraph" ? [b.runs.map((r) => r.text).join("")] : []));

function notice(id: string, extra: Partial<Parameters<typeof buildWardDocument>[0]> = {}): DocumentView {
  const o = outcome(id);
  return buildWardDocument({ ward: o.ward, period: "2026-11", catalogues, scores: o.scores, findings: [], history: [], settings: DOCUMENT_SETTINGS, issuedAt: ISSUED_AT, number: null, ...(o.review ? { review: o.review } : {}), ...extra });
}

describe("appraisalText", () => {
  it.each([
    ["thu-thuy", "Kết quả thẩm định: đạt 22/22 tiêu chí; tự đánh giá 22/22. Kết luận thẩm định: đã thẩm định ngày 26/11/2026."],
    ["nghi-tan", "Kết quả thẩm định: đạt 21/22 tiêu chí; tự đánh giá 22/22. Tiêu chí có kết quả thẩm định khác kết quả tự đánh giá: TC05 (thẩm định: Chưa đạt; ý kiến: “Chưa có biên bản kiểm tra”). Kết luận thẩm định: đã thẩm định ngày 26/11/2026."],
    ["nghi-thu", "Kết quả thẩm định: đạt 2/22 tiêu chí (chưa thẩm định hết các tiêu chí); tự đánh giá 19/22. Tiêu chí có kết quả thẩm định khác kết quả tự đánh giá: TC02 (thẩm định: Chưa đạt; ý kiến: “Minh chứng chưa đủ”). Kết luận thẩm định: trả lại để bổ sung, sửa. Khi bắt đầu sửa, chọn “Đang cập nhật” ở ô “Trạng thái:”; sửa xong, chọn lại “Đề nghị thẩm định”."],
    ["nghi-huong", "Phường đã đề nghị thẩm định ngày 25/11/2026, chờ kết luận thẩm định."],
    ["nghi-hai", null],
  ])("%s: %s", (id, text) => {
    const o = outcome(id);
    expect(appraisalText(o.scores[0]!, o.review![0]!, "phường")).toBe(text);
  });

  it("says a closed period is closed", () => {
    const o = outcome("nghi-hai");
    expect(appraisalText(o.scores[0]!, { ...o.review![0]!, state: "closed" }, "xã")).toBe("Kết quả của kỳ đã chốt.");
  });
});

describe("the ward notice", () => {
  it("states both figures under the programme, and asks a returned ward to send again", () => {
    const texts = paragraphs(notice("nghi-thu").body);
    expect(texts[2]).toMatch(/^Kết quả thẩm định: đạt 2\/22 tiêu chí/u);
    expect(texts.at(-1)).toBe("Đề nghị Công an phường Nghi Thu tiếp tục thực hiện các tiêu chí chưa đạt và cập nhật bảng tự đánh giá. Sau khi bổ sung, sửa theo ý kiến thẩm định, chọn lại “Đề nghị thẩm định” ở ô “Trạng thái” để gửi lại.");
  });

  it("reads as before without a review (no appraisal sentence, no history)", () => {
    const view = notice("nghi-hai", { review: undefined });
    expect(paragraphs(view.body).some((t) => t.includes("thẩm định"))).toBe(false);
    expect(view.body.some((b) => b.kind === "table" && b.table.id === "ward-trail")).toBe(false);
  });

  it("ends with this period's trail, newest entries only, numbered after the other tables", () => {
    const programme = catalogues[0]!.id;
    const changes: CriterionChange[] = Array.from({ length: 16 }, (_, i) => ({ ward: "nghi-thu", programme, criterion: `TC${String(i + 1).padStart(2, "0")}`, field: "result", before: "not-met", after: "met", at: `2026-11-${String(10 + i).padStart(2, "0")}T03:00:00.000Z`, by: i % 2 ? "canbo@example.vn" : null }));
    const events: TrailEvent[] = [{ kind: "returned", at: "2026-11-27T02:00:00.000Z", by: "thamdinh@example.vn", ward: "nghi-thu", programme }];
    const view = notice("nghi-thu", { trail: { changes, events } });
    const heading = view.body.findIndex((b) => b.kind === "heading" && b.text === "4. Lịch sử thay đổi trong kỳ");
    const block = view.body[heading + 1]!;
    if (block.kind !== "table") throw new Error("no trail table");
    expect(block.table.caption).toBe("Bảng 3. Các thay đổi của bảng tự đánh giá và các bước thẩm định");
    expect(block.table.body).toHaveLength(15);
    expect(block.table.body.slice(-2).map((r) => r.map((c) => c.text).join(" | "))).toEqual([
      `25/11/2026 10:00 | ${catalogues[0]!.shortName} | TC16 | Kết quả: Chưa đạt → Đạt | canbo@example.vn`,
      `27/11/2026 09:00 | ${catalogues[0]!.shortName} |  | Trả lại để bổ sung, sửa | thamdinh@example.vn`,
    ]);
    // TC03 onwards: the two oldest are left out; who changed TC03 is not known.
    expect([block.table.body[0]![2]!.text, block.table.body[0]![4]!.text]).toEqual(["TC03", "không rõ"]);
    expect(block.table.note).toBe("Chỉ nêu 15 thay đổi gần nhất; còn 2 thay đổi trước đó trong nhật ký thay đổi của kỳ.");
  });

  it("has no history section for an empty trail", () => {
    expect(historyBlocks({ changes: [], events: [] }, catalogues, 4, { next: 1 })).toEqual([]);
    expect(historyBlocks(undefined, catalogues, 4, { next: 1 })).toEqual([]);
  });
});
