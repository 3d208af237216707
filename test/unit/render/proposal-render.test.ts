/** The recognition proposal through the real renderers: the HTML the PDF is printed from, and the .docx a clerk edits. */
import JSZip from "jszip";
import { beforeAll, describe, expect, it } from "vitest";
import { aggregateTown } from "../../../functions/core/aggregate-town.js";
import type { DocumentView } from "../../../functions/core/document-blocks.js";
import { buildRecognitionProposal } from "../../../functions/core/recognition-proposal.js";
import { renderDocumentDocx } from "../../../functions/render/document-docx.js";
import { renderDocumentHtml } from "../../../functions/render/document-html.js";
import { loadTemplates } from "../../../functions/render/templates.js";
import { DOCUMENT_SETTINGS, ISSUED_AT } from "../../fixtures/documents.js";
import { reviewedOutcomes } from "../../fixtures/outcomes.js";
import { builtinCatalogues } from "../../fixtures/workbooks.js";

let view: DocumentView;
let html: string;
let docx: string;

beforeAll(async () => {
  const catalogues = await builtinCatalogues();
  const summary = aggregateTown(reviewedOutcomes(catalogues), catalogues, { period: "2026-11", generatedAt: "2026-11-30T03:00:00.000Z", previous: null });
  view = buildRecognitionProposal({ summary, programme: summary.programmes[0]!, catalogue: catalogues[0]!, settings: DOCUMENT_SETTINGS, issuedAt: ISSUED_AT, number: 4 });
  html = await renderDocumentHtml(await loadTemplates(), view, "Tờ trình");
  const zip = await JSZip.loadAsync(await renderDocumentDocx(view, "Tờ trình"));
  docx = (await zip.file("word/document.xml")?.async("string")) ?? "";
});

/** The text of the .docx paragraphs, runs joined. */
const docxText = (): string => [...docx.matchAll(/<w:p\b[\s\S]*?<\/w:p>/gu)].map((p) => [...p[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/gu)].map((t) => t[1]).join("")).join("\n");

describe("the TỜ TRÌNH as printed and as .docx", () => {
  it.each(["TỜ TRÌNH", "Số: 04/TTr-CATX", "Kính gửi: Công an tỉnh Nghệ An", "Về việc đề nghị công nhận phường đạt tiêu chuẩn", "Phường Thu Thủy", "26/11/2026", "xem xét, quyết định./.", "Nơi nhận:", "- Như trên;", "Thượng tá Nguyễn Văn Hùng"])("both carry “%s”", (text) => {
    expect(html).toContain(text);
    expect(docxText()).toContain(text);
  });

  it("has the list as a table with its header row repeated on every page", () => {
    expect(html).toMatch(/<th[^>]*>Kết quả thẩm định<\/th>/u);
    expect(docx).toContain("<w:tblHeader/>");
  });
});
