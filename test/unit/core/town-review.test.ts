/** The review cycle in the town report: both figures, Trạng thái, the differing criteria; a report without the cycle as before. */
import { beforeAll, describe, expect, it } from "vitest";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { type ProgrammeSummary, type TownSummary, type WardOutcome, aggregateTown } from "../../../functions/core/aggregate-town.js";
import type { DocBlock, DocumentView, TableView } from "../../../functions/core/document-blocks.js";
import type { ProgrammeScore } from "../../../functions/core/score-ward.js";
import { buildTownDocument } from "../../../functions/core/town-document.js";
import { bothFiguresText, reviewParagraphs } from "../../../functions/core/town-review.js";
import { DOCUMENT_SETTINGS, ISSUED_AT } from "../../fixtures/documents.js";
import { reviewedOutcomes, sampleOutcomes } from "../../fixtures/outcomes.js";
import { P1, builtinCatalogues } from "../../fixtures/workbooks.js";

let catalogues: Catalogue[];
let reviewed: WardOutcome[];
const META = { period: "2026-W48", generatedAt: "2026-11-27T03:00:00.000Z", previous: null };

beforeAll(async () => {
  catalogues = await builtinCatalogues();
  reviewed = reviewedOutcomes(catalogues);
});

function documentOf(outcomes: readonly WardOutcome[], summary: TownSummary = aggregateTown(outcomes, catalogues, META)): DocumentView {
  const scores = new Map(outcomes.map((o): [string, ProgrammeScore] => [o.ward.id, o.scores.find((s) => s.programmeId === P1)!]));
  return buildTownDocument({ summary, programme: summary.programmes[0]!, catalogue: catalogues[0]!, scores, history: [], settings: DOCUMENT_SETTINGS, issuedAt: ISSUED_AT, number: null });
}

const tables = (blocks: readonly DocBlock[]): TableView[] => blocks.flatMap((b) => (b.kind === "table" ? [b.table] : []));
const tableOf = (doc: DocumentView, id: string): TableView | undefined => tables(doc.body).find((t) => t.id === id);
const texts = (rows: TableView["body"] | TableView["head"]): string[] => rows.map((r) => r.map((c) => c.text).join(" | "));
const paragraphs = (doc: DocumentView): string => doc.body.flatMap((b) => (b.kind === "paragraph" ? [b.runs.map((r) => r.text).join("")] : [])).join("\n");

describe("the town report during the review cycle", () => {
  it("puts the appraised figures beside the wards' own and shows where each ward stands", () => {
    const results = tableOf(documentOf(reviewed), "ward-results")!;
    expect(results.caption).toBe("Bảng 1. Kết quả tự đánh giá và thẩm định tiêu chí của các phường (tuần 48/2026)");
    expect(texts([...results.head, ...results.body])).toMatchInlineSnapshot(`
      [
        "STT | Phường | Tự đánh giá | Thẩm định | Tỷ lệ | Đang thực hiện | Chưa đạt | Đạt đủ tiêu chí | Xếp hạng | Trạng thái",
        "1 | Nghi Hải | 20/22 | — | 90,9% | 0 | 2 | Chưa | 4 | Đang cập nhật",
        "2 | Nghi Hòa (1 lỗi; chưa tính: TC02) | 15/22 | — | 68,2% | 3 | 3 | Chưa | 7 | Đang cập nhật",
        "3 | Nghi Hương | 18/22 | — | 81,8% | 1 | 3 | Chưa | 6 | Đề nghị thẩm định",
        "4 | Nghi Tân | 22/22 | 21/22 | 100% | 0 | 0 | Chưa | 1 | Đã thẩm định",
        "5 | Nghi Thu | 19/22 | 2/22 (chưa thẩm định hết) | 86,4% | 1 | 2 | Chưa | 5 | Trả lại",
        "6 | Nghi Thủy | 21/22 | — | 95,5% | 0 | 1 | Chưa | 3 | Đang cập nhật",
        "7 | Thu Thủy | 22/22 | 22/22 | 100% | 0 | 0 | Đạt | 1 | Đã thẩm định",
      ]
    `);
    expect(results.widths).toHaveLength(results.head[0]!.length);
    expect(results.note).toContain("Đạt đủ tiêu chí: theo kết quả thẩm định khi đã có kết luận thẩm định, trước đó theo kết quả tự đánh giá.");
  });

  it("takes “Đạt đủ tiêu chí” from the self-assessment until the appraisal is concluded", () => {
    // Nghi Tân, 22/22 on its own and 21/22 on appraisal, still awaiting the conclusion: its own result stands.
    const pending = reviewed.map((o): WardOutcome => (o.ward.id === "nghi-tan" ? { ...o, review: (o.review ?? []).map((r) => ({ ...r, state: "submitted" as const, appraisedAt: null })) } : o));
    const row = texts(tableOf(documentOf(pending), "ward-results")!.body).find((r) => r.includes("Nghi Tân"));
    expect(row).toBe("4 | Nghi Tân | 22/22 | 21/22 | 100% | 0 | 0 | Đạt | 1 | Đề nghị thẩm định");
  });

  it("says how many wards stand at each step, both figures of the appraised ones, and who qualifies on appraisal", () => {
    expect(paragraphs(documentOf(reviewed))).toContain(
      [
        "Theo bộ tiêu chí, phường được đề nghị công nhận khi đạt 22/22 tiêu chí và bảng tự đánh giá không còn lỗi. Theo kết quả tự đánh giá, có 2 phường đủ điều kiện đề nghị công nhận: Nghi Tân, Thu Thủy (2/7 phường có kết quả, 28,6%).",
        "Về thẩm định: 1 phường đã đề nghị thẩm định, chờ kết luận; 2 phường đã thẩm định; 1 phường được trả lại để bổ sung, sửa.",
        "Kết quả tự đánh giá và thẩm định: Nghi Tân (tự đánh giá 22/22; thẩm định 21/22), Nghi Thu (tự đánh giá 19/22; thẩm định 2/22, chưa thẩm định hết các tiêu chí), Thu Thủy (tự đánh giá 22/22; thẩm định 22/22).",
        "Theo kết quả thẩm định, có 1 phường đủ điều kiện đề nghị công nhận: Thu Thủy (danh sách tại tờ trình đề nghị công nhận).",
      ].join("\n"),
    );
  });

  it("lists the criteria where the appraisal differs, per ward, with the appraisers' note, after the group table", () => {
    const doc = documentOf(reviewed);
    const differences = tableOf(doc, "appraisal-differences")!;
    expect(differences.caption).toBe("Bảng 3. Các tiêu chí có kết quả thẩm định khác kết quả tự đánh giá");
    expect(texts(differences.body).map((r) => r.replace(/ \| [^|]{40,} \| /u, " | … | "))).toEqual([
      "1 | Nghi Tân | TC05 | … | Đạt | Chưa đạt | Chưa có biên bản kiểm tra",
      "2 | Nghi Thu | TC02 | … | Đạt | Chưa đạt | Minh chứng chưa đủ",
    ]);
    const ids = tables(doc.body).map((t) => `${t.id}: ${t.caption.slice(0, 7)}`);
    expect(ids.slice(0, 4)).toEqual(["ward-results: Bảng 1.", "group-results: Bảng 2.", "appraisal-differences: Bảng 3.", "common-gaps: Bảng 4."]);
  });

  it("reads as before when no ward has submitted or been appraised (no empty columns, no cycle paragraphs)", () => {
    const doc = documentOf(sampleOutcomes(catalogues));
    const results = tableOf(doc, "ward-results")!;
    expect(texts(results.head)[0]).toBe("STT | Phường | Số tiêu chí đạt | Tỷ lệ | Đang thực hiện | Chưa đạt | Đạt đủ tiêu chí | Xếp hạng");
    expect(tableOf(doc, "appraisal-differences")).toBeUndefined();
    expect(paragraphs(doc)).not.toMatch(/thẩm định/u);
  });

  it("renders a summary stored before the cycle (rows without review fields) as a report without it", () => {
    const summary = aggregateTown(reviewed, catalogues, META);
    const strip = (p: ProgrammeSummary): ProgrammeSummary => {
      const { proposal: _p, reviewCounts: _c, ...rest } = p;
      return { ...rest, wards: p.wards.map(({ review: _r, appraised: _a, differs: _d, appraisedAt: _t, ...w }) => w) };
    };
    const stored: TownSummary = { ...summary, programmes: summary.programmes.map(strip) };
    const doc = documentOf(reviewed, stored);
    expect(texts(tableOf(doc, "ward-results")!.head)[0]).not.toContain("Thẩm định");
    expect(paragraphs(doc)).not.toMatch(/Về thẩm định/u);
  });

  it("moves the differences table to Phụ lục 1 with the other unit tables past 25 units", () => {
    const many = Array.from({ length: 4 }, (_, k) => reviewed.map((o) => ({ ...o, ward: { id: `${o.ward.id}-${k}`, name: `${o.ward.name} ${k}` } }))).flat();
    const doc = documentOf(many);
    expect(tableOf(doc, "appraisal-differences")).toBeUndefined();
    const annex = tables(doc.annexes[0]!.body).find((t) => t.id === "appraisal-differences")!;
    expect(annex.caption.startsWith("Bảng PL1.3.")).toBe(true);
    expect(annex.body).toHaveLength(8);
    expect(paragraphs(doc)).toContain("tại Phụ lục 1 (Bảng PL1.1, Bảng PL1.2 và Bảng PL1.3).");
  });
});

describe("the wording", () => {
  it.each([
    [{ name: "Nghi Hải", met: 19, total: 22, appraised: { met: 18, total: 22, recognised: false, complete: true } }, "Nghi Hải (tự đánh giá 19/22; thẩm định 18/22)"],
    [{ name: "Nghi Hải", met: 19, total: 22, appraised: null }, "Nghi Hải (tự đánh giá 19/22; chưa thẩm định)"],
  ])("bothFiguresText %#", (row, text) => {
    expect(bothFiguresText(row)).toBe(text);
  });

  it("has no paragraph of the cycle for a programme nobody submitted", () => {
    const summary = aggregateTown(reviewed, catalogues, META);
    expect(reviewParagraphs(summary.programmes[1]!, "phường")).toEqual([]);
  });
});
