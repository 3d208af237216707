/**
 * The documents of the sample town as HTML (render/document-html.ts over the DocumentViews of
 * core/town-document.ts and core/ward-document.ts, whose wording and figures are tested there):
 * snapshots of what a person would otherwise open and look at, and direct checks of how blocks
 * are laid out (the PDF layout itself: test/integration/document-pdf.test.ts).
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { type Snapshot, type TownSummary, type WardOutcome, aggregateTown, toSnapshot } from "../../../functions/core/aggregate-town.js";
import { type WardEvaluation, evaluateWorkbook } from "../../../functions/core/evaluate-ward.js";
import type { ProgrammeScore } from "../../../functions/core/score-ward.js";
import { buildTownDocument } from "../../../functions/core/town-document.js";
import { buildWardDocument } from "../../../functions/core/ward-document.js";
import { renderDocumentHtml } from "../../../functions/render/document-html.js";
import { type TemplateSet, loadTemplates } from "../../../functions/render/templates.js";
import { SAMPLE_WARDS } from "../../../functions/adapters/local/sample-town.js";
import { DOCUMENT_SETTINGS, ISSUED_AT } from "../../fixtures/documents.js";
import { P1, P2, builtinCatalogues, sampleWorkbook } from "../../fixtures/workbooks.js";

const PERIOD = "2026-W48";

let templates: TemplateSet;
let catalogues: Catalogue[];
let evaluations: Map<string, WardEvaluation>;
let summary: TownSummary;
let history: Snapshot[];

/** Last week's snapshot, with a few wards doing worse so the change column and trend have something to show. */
function previousSnapshot(outcomes: readonly WardOutcome[]): Snapshot {
  const before = toSnapshot(aggregateTown(outcomes, catalogues, { period: "2026-W47", generatedAt: "2026-11-20T03:00:00.000Z", previous: null }));
  const ward = (programme: string, id: string) => before.programmes.find((p) => p.id === programme)!.wards.find((w) => w.id === id)!;
  ward(P1, "nghi-huong").met = 15;
  Object.assign(ward(P1, "thu-thuy"), { met: 21, recognised: false });
  ward(P1, "nghi-hoa").met = 17;
  ward(P2, "nghi-thu").met = 27;
  return before;
}

beforeAll(async () => {
  templates = await loadTemplates();
  catalogues = await builtinCatalogues();
  evaluations = new Map(SAMPLE_WARDS.map((w) => [w.id, evaluateWorkbook(sampleWorkbook(catalogues, w.id), catalogues, { id: w.id, name: w.name, aliases: w.aliases })]));
  const outcomes: WardOutcome[] = SAMPLE_WARDS.map((w) => ({ ward: { id: w.id, name: w.name }, status: "ok", reason: null, scores: evaluations.get(w.id)!.scores }));
  const previous = previousSnapshot(outcomes);
  summary = aggregateTown(outcomes, catalogues, { period: PERIOD, generatedAt: "2026-11-27T03:00:00.000Z", previous });
  history = [previous, toSnapshot(summary)];
});

async function renderTownReport(programmeId: string): Promise<string> {
  const programme = summary.programmes.find((p) => p.id === programmeId)!;
  const catalogue = catalogues.find((c) => c.id === programmeId)!;
  const scores = new Map<string, ProgrammeScore>([...evaluations].flatMap(([id, e]) => e.scores.filter((s) => s.programmeId === programmeId).map((s) => [id, s] as const)));
  const view = buildTownDocument({ summary, programme, catalogue, scores, history, settings: DOCUMENT_SETTINGS, issuedAt: ISSUED_AT, number: 5 });
  return renderDocumentHtml(templates, view, "Báo cáo");
}

async function renderWardNotice(wardId: string): Promise<string> {
  const ward = SAMPLE_WARDS.find((w) => w.id === wardId)!;
  const evaluation = evaluations.get(wardId)!;
  const view = buildWardDocument({ ward: { id: ward.id, name: ward.name }, period: PERIOD, catalogues, scores: evaluation.scores, findings: evaluation.findings, history, settings: DOCUMENT_SETTINGS, issuedAt: ISSUED_AT, number: 12 });
  return renderDocumentHtml(templates, view, "Thông báo");
}

/** The snapshot without the embedded font (100 kB of base64, the same in every document; tested below). */
const withoutFont = (html: string): string => html.replace(/base64,[A-Za-z0-9+/=]+/gu, "base64,…");

/** The NĐ 30/2020 frame every document carries. */
function expectDocumentFrame(html: string, title: string): void {
  for (const text of [
    '<div class="agency-parent">CÔNG AN TỈNH NGHỆ AN</div>',
    '<div class="agency-issuer">CÔNG AN THỊ XÃ CỬA LÒ</div>',
    '<div class="motto-country">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</div>',
    '<div class="motto-slogan">Độc lập - Tự do - Hạnh phúc</div>',
    '<div class="place-date">Cửa Lò, ngày 02 tháng 11 năm 2023</div>',
    `<div class="doc-title">${title}</div>`,
    '<div class="recipients-title">Nơi nhận:</div>',
    '<div class="sign-authority">KT. TRƯỞNG CÔNG AN</div>',
    '<div class="sign-authority">PHÓ TRƯỞNG CÔNG AN</div>',
    '<div class="sign-name">Thượng tá Nguyễn Văn Hùng</div>',
  ]) {
    expect(html).toContain(text);
  }
  expect(html.indexOf('class="number"')).toBeLessThan(html.indexOf('class="doc-title"'));
  expect(html.indexOf("Nơi nhận:")).toBeGreaterThan(html.indexOf("<h2"));
}

describe("town report", () => {
  it("matches the snapshot (CA phường điển hình)", async () => {
    await expect(withoutFont(await renderTownReport(P1))).toMatchFileSnapshot("./__snapshots__/town-report.html");
  });

  it("matches the snapshot (phong trào toàn dân BVANTQ, with points)", async () => {
    await expect(withoutFont(await renderTownReport(P2))).toMatchFileSnapshot("./__snapshots__/town-report-bvantq.html");
  });

  it("has the NĐ 30/2020 frame with its number", async () => {
    const html = await renderTownReport(P1);
    expectDocumentFrame(html, "BÁO CÁO");
    expect(html).toContain('<div class="number">Số: 05/BC-CATX</div>');
  });

  it("embeds Tinos (latin + vietnamese, 4 faces each) and uses it for the page, the page number and the charts", async () => {
    const html = await renderTownReport(P1);
    expect(html.match(/@font-face\{font-family:"Tinos"/gu)).toHaveLength(8);
    expect(html).toContain("U+1EA0-1EF9");
    expect(html).toMatch(/body \{[^}]*font-family: "Tinos"/u);
    expect(html).toMatch(/@top-center \{ content: counter\(page\); font-family: "Tinos"/u);
    expect(html).toContain("font-family:Tinos;");
    const families = new Set([...html.matchAll(/font-family:\s*([^;}]+)/gu)].map((m) => m[1]!.trim().replaceAll('"', "")));
    expect([...families]).toEqual(["Tinos"]);
  });

  it("lays out headings, placeholders, tables and charts from the blocks", async () => {
    const html = await renderTownReport(P1);
    expect(html).toContain('<h2 class="heading">I. TÌNH HÌNH CHUNG</h2>');
    expect(html).toMatch(/<h3 class="heading">1\. /u);
    expect(html).toContain('<p class="placeholder">');
    expect(html).toMatch(/<table class="data">\s*<colgroup>/u);
    expect(html.split("<thead>").length).toBe(html.split("<table class=\"data").length);
    expect(html).toMatch(/<figure class="chart"><figcaption class="table-caption">Biểu đồ 1\.[^<]*<\/figcaption><div class="chart-box" style="max-width:[\d.]+cm"><svg/u);
  });

  it("keeps the last block of the body with the signature and puts the annex on its own page", async () => {
    const html = await renderTownReport(P1);
    const keep = html.indexOf('<div class="keep-with-signature">');
    expect(keep).toBeGreaterThan(0);
    expect(html.indexOf('<table class="closing">')).toBeGreaterThan(keep);
    expect(html.indexOf('<section class="annex">')).toBeGreaterThan(html.indexOf('<table class="closing">'));
  });
});

describe("ward notice", () => {
  it("matches the snapshot", async () => {
    await expect(withoutFont(await renderWardNotice("nghi-huong"))).toMatchFileSnapshot("./__snapshots__/ward-notice.html");
  });

  it("has the NĐ 30/2020 frame and is addressed to the ward", async () => {
    const html = await renderWardNotice("nghi-huong");
    expectDocumentFrame(html, "THÔNG BÁO");
    expect(html).toContain('<div class="number">Số: 12/TB-CATX</div>');
    expect(html).toContain('<p class="recipient">Kính gửi: Công an phường Nghi Hương</p>');
  });

  it("escapes markup in names and messages", async () => {
    const ward = SAMPLE_WARDS.find((w) => w.id === "nghi-huong")!;
    const evaluation = evaluations.get("nghi-huong")!;
    const hostile = '<script>alert("x")</script>';
    const view = buildWardDocument({ ward: { id: ward.id, name: `Nghi <b>Hương</b> ${hostile}` }, period: PERIOD, catalogues, scores: evaluation.scores, findings: evaluation.findings, history, settings: DOCUMENT_SETTINGS, issuedAt: ISSUED_AT, number: null });
    const html = await renderDocumentHtml(templates, view, hostile);
    expect(html).not.toMatch(/<script/iu);
    expect(html).not.toContain("<b>Hương");
    expect(html).toContain("Nghi &lt;b&gt;Hương&lt;/b&gt;");
    expect(html).toContain("<title>THÔNG BÁO — &lt;script&gt;");
  });
});
