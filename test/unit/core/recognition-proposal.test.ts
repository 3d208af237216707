/** The recognition proposal (TỜ TRÌNH): who is listed, how it reads, when a run issues one, and its number. */
import { beforeAll, describe, expect, it } from "vitest";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { type TownSummary, type WardOutcome, aggregateTown } from "../../../functions/core/aggregate-town.js";
import type { DocumentView } from "../../../functions/core/document-blocks.js";
import { agencyInSentence, buildRecognitionProposal } from "../../../functions/core/recognition-proposal.js";
import { buildRunDocuments, numberRequests } from "../../../functions/core/run-documents.js";
import { DOCUMENT_SETTINGS, ISSUED_AT } from "../../fixtures/documents.js";
import { reviewedOutcomes, sampleOutcomes } from "../../fixtures/outcomes.js";
import { builtinCatalogues } from "../../fixtures/workbooks.js";

let catalogues: Catalogue[];
let reviewed: WardOutcome[];
let summary: TownSummary;

beforeAll(async () => {
  catalogues = await builtinCatalogues();
  reviewed = reviewedOutcomes(catalogues);
  summary = aggregateTown(reviewed, catalogues, { period: "2026-11", generatedAt: "2026-11-30T03:00:00.000Z", previous: null });
});

const proposal = (number: number | null = null): DocumentView =>
  buildRecognitionProposal({ summary, programme: summary.programmes[0]!, catalogue: catalogues[0]!, settings: DOCUMENT_SETTINGS, issuedAt: ISSUED_AT, number });

describe("buildRecognitionProposal", () => {
  it("is a TỜ TRÌNH numbered TTr, addressed to the supervising agency, with its trích yếu", () => {
    const view = proposal(3);
    expect([view.kind, view.title, view.frame.number, view.recipient]).toEqual(["recognition-proposal", "TỜ TRÌNH", "Số: 03/TTr-CATX", "Kính gửi: Công an tỉnh Nghệ An"]);
    expect(view.summary).toEqual(["Về việc đề nghị công nhận phường đạt tiêu chuẩn", `theo Đề án “${catalogues[0]!.name}” năm 2026`]);
    expect(view.frame.distribution).toEqual(["- Như trên;", "- Lãnh đạo Công an thị xã Cửa Lò;", "- Lưu: VT, TM."]);
  });

  it("lists only the units qualifying on appraised results, with both results and the appraisal date", () => {
    const table = proposal().body.flatMap((b) => (b.kind === "table" ? [b.table] : []))[0]!;
    expect([...table.head, ...table.body].map((r) => r.map((c) => c.text).join(" | "))).toEqual([
      "STT | Đơn vị | Kết quả tự đánh giá | Kết quả thẩm định | Ngày thẩm định",
      "1 | Phường Thu Thủy | 22/22 tiêu chí | 22/22 tiêu chí | 26/11/2026",
    ]);
  });

  it("reads as a TỜ TRÌNH: grounds, request, list, places for prose, closing formula", () => {
    const outline = proposal().body.map((b) => (b.kind === "heading" ? `## ${b.text}` : b.kind === "table" ? `[table ${b.table.id}]` : b.kind === "paragraph" ? `¶ ${b.runs.map((r) => r.text).join("")}` : `[${b.kind}] ${"text" in b ? b.text : ""}`));
    expect(outline).toMatchInlineSnapshot(`
      [
        "¶ Căn cứ Đề án “Xây dựng Công an phường điển hình, kiểu mẫu về an ninh trật tự và văn minh đô thị” và bộ tiêu chí kèm theo;",
        "[placeholder] nêu các văn bản hướng dẫn, kế hoạch làm căn cứ đề nghị công nhận",
        "¶ Căn cứ kết quả tự đánh giá của các phường và kết quả thẩm định tính đến ngày 02/11/2023, Công an thị xã Cửa Lò kính trình Công an tỉnh Nghệ An xem xét, công nhận 01 phường đạt tiêu chuẩn theo Đề án “Xây dựng Công an phường điển hình, kiểu mẫu về an ninh trật tự và văn minh đô thị”, cụ thể như sau:",
        "## 1. Danh sách phường đề nghị công nhận",
        "[table recognition-proposal]",
        "¶ Theo bộ tiêu chí, phường được đề nghị công nhận khi đạt 22/22 tiêu chí và bảng tự đánh giá không còn lỗi; phường trên đã được thẩm định tất cả các tiêu chí và đạt điều kiện này theo kết quả thẩm định.",
        "## 2. Nhận xét, đánh giá",
        "[placeholder] nhận xét, đánh giá chung về kết quả thực hiện đề án của phường đề nghị công nhận",
        "## 3. Hồ sơ kèm theo",
        "[placeholder] biên bản thẩm định, bảng tự đánh giá của từng đơn vị và các tài liệu kèm theo",
        "¶ Công an thị xã Cửa Lò kính trình Công an tỉnh Nghệ An xem xét, quyết định./.",
      ]
    `);
  });

  it("names the programme's year, not the reporting week, and words several wards in the plural", () => {
    const weekly = aggregateTown(reviewed, catalogues, { period: "2026-W53", generatedAt: "2026-12-30T03:00:00.000Z", previous: null });
    const programme = { ...weekly.programmes[0]!, proposal: weekly.programmes[0]!.wards.slice(0, 2).map((w) => w.id) };
    const view = buildRecognitionProposal({ summary: weekly, programme, catalogue: catalogues[0]!, settings: DOCUMENT_SETTINGS, issuedAt: ISSUED_AT, number: null });
    const text = view.body.flatMap((b) => (b.kind === "paragraph" ? [b.runs.map((r) => r.text).join("")] : b.kind === "placeholder" ? [b.text] : []));
    expect(view.summary[1]).toBe(`theo Đề án “${catalogues[0]!.name}” năm 2026`);
    expect(text.filter((t) => /công nhận 02 phường|; các phường trên đã được thẩm định|của các phường đề nghị công nhận/u.test(t))).toHaveLength(3);
  });

  it.each([
    ["CÔNG AN TỈNH NGHỆ AN", "Công an tỉnh Nghệ An"],
    ["CÔNG AN THÀNH PHỐ HÀ NỘI", "Công an thành phố Hà Nội"],
    ["BỘ CÔNG AN", "Bộ Công an"],
    ["Công an tỉnh Nghệ An", "Công an tỉnh Nghệ An"],
    ["  CÔNG AN   THỊ XÃ CỬA LÒ ", "Công an thị xã Cửa Lò"],
  ])("writes the agency %s in a sentence as %s", (name, sentence) => {
    expect(agencyInSentence(name)).toBe(sentence);
  });
});

describe("a run's documents", () => {
  const wardsOf = (outcomes: readonly WardOutcome[]) => outcomes.map((o) => ({ ward: o.ward, outcome: o, findings: [] }));

  it("add a TỜ TRÌNH after the reports for each programme with a qualifying unit, and number it as TTr", () => {
    const docs = buildRunDocuments({ summary, wards: wardsOf(reviewed), catalogues, history: [], settings: DOCUMENT_SETTINGS, issuedAt: ISSUED_AT, numbers: new Map([["proposal/ca-phuong-dien-hinh/2026-11", 2]]) });
    expect(docs.slice(0, 4).map((d) => [d.key, d.name, d.kind, d.view.frame.number])).toEqual([
      ["town/ca-phuong-dien-hinh/2026-11", "bao-cao-ca-phuong-dien-hinh", "town-report", "Số: \u00A0\u00A0\u00A0\u00A0\u00A0\u00A0/BC-CATX"],
      ["town/phuong-bao-ve-antq/2026-11", "bao-cao-phuong-bao-ve-antq", "town-report", "Số: \u00A0\u00A0\u00A0\u00A0\u00A0\u00A0/BC-CATX"],
      ["proposal/ca-phuong-dien-hinh/2026-11", "to-trinh-ca-phuong-dien-hinh", "recognition-proposal", "Số: 02/TTr-CATX"],
      ["ward/nghi-hai/2026-11", "phuong-nghi-hai", "ward-notice", "Số: \u00A0\u00A0\u00A0\u00A0\u00A0\u00A0/TB-CATX"],
    ]);
    expect(docs[2]!.title).toBe(`Tờ trình đề nghị công nhận ${catalogues[0]!.shortName} (tháng 11/2026)`);
    const settings = { ...DOCUMENT_SETTINGS, reports: { ...DOCUMENT_SETTINGS.reports, numbering: { mode: "sequence" as const, start: 1 } } };
    expect(numberRequests({ summary, wardIds: [], issuedAt: ISSUED_AT, settings }).map((r) => [r.key, r.kind])).toEqual([
      ["town/ca-phuong-dien-hinh/2026-11", "town-report"],
      ["town/phuong-bao-ve-antq/2026-11", "town-report"],
      ["proposal/ca-phuong-dien-hinh/2026-11", "recognition-proposal"],
    ]);
  });

  it("add none while no unit qualifies on appraised results", () => {
    const plain = sampleOutcomes(catalogues);
    const town = aggregateTown(plain, catalogues, { period: "2026-11", generatedAt: "2026-11-30T03:00:00.000Z", previous: null });
    const docs = buildRunDocuments({ summary: town, wards: wardsOf(plain), catalogues, history: [], settings: DOCUMENT_SETTINGS, issuedAt: ISSUED_AT, numbers: new Map() });
    expect(docs.filter((d) => d.kind === "recognition-proposal")).toEqual([]);
  });
});
