/**
 * The documents and digest as rendered from the sample town: snapshots for what a person would
 * otherwise have to open and look at, plus direct checks of the NĐ 30/2020 frame and key numbers.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { type Snapshot, type TownSummary, type WardOutcome, aggregateTown, toSnapshot } from "../../../functions/core/aggregate-town.js";
import { buildDigestView } from "../../../functions/core/email-views.js";
import { type WardEvaluation, evaluateWorkbook } from "../../../functions/core/evaluate-ward.js";
import { buildTownReportView, buildWardReportView } from "../../../functions/core/report-views.js";
import type { ProgrammeScore } from "../../../functions/core/score-ward.js";
import { periodLabel } from "../../../functions/core/vi-format.js";
import { renderBarChartSvg, renderTrendChartSvg } from "../../../functions/render/charts.js";
import { type TemplateSet, loadTemplates } from "../../../functions/render/templates.js";
import { SAMPLE_WARDS } from "../../../functions/adapters/local/sample-town.js";
import { DOCUMENT_SETTINGS, ISSUED_AT } from "../../fixtures/documents.js";
import { P1, P2, builtinCatalogues, sampleWorkbook } from "../../fixtures/workbooks.js";

const PERIOD = "2026-W48";
const REPORT_LINKS = new Map([
  [P1, "https://drive.example/2026-W48/bao-cao-ca-phuong-dien-hinh.html"],
  [P2, "https://drive.example/2026-W48/bao-cao-phuong-bao-ve-antq.html"],
]);

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

/** The charts as produce-report draws them: bars for this period, lines over the kept snapshots. */
async function charts(programmeId: string): Promise<{ bar: string; trend: string }> {
  const p = summary.programmes.find((x) => x.id === programmeId)!;
  const bar = await renderBarChartSvg({ title: p.shortName, categories: p.wards.map((w) => w.name), met: p.wards.map((w) => w.met), total: p.criteria, recognised: p.wards.map((w) => w.recognised) });
  const trend = await renderTrendChartSvg({
    title: p.shortName,
    periods: history.map((s) => periodLabel(s.period)),
    series: p.wards.map((w) => ({ name: w.name, values: history.map((s) => s.programmes.find((x) => x.id === programmeId)?.wards.find((x) => x.id === w.id)?.met ?? null) })),
    total: p.criteria,
  });
  return { bar, trend };
}

async function renderTownReport(programmeId: string): Promise<string> {
  const programme = summary.programmes.find((p) => p.id === programmeId)!;
  const catalogue = catalogues.find((c) => c.id === programmeId)!;
  const scores = new Map<string, ProgrammeScore>([...evaluations].flatMap(([id, e]) => e.scores.filter((s) => s.programmeId === programmeId).map((s) => [id, s] as const)));
  const view = buildTownReportView({ summary, programme, catalogue, scores, settings: DOCUMENT_SETTINGS, issuedAt: ISSUED_AT, charts: await charts(programmeId) });
  return templates.render("town-report", view);
}

function renderWardReport(wardId: string): string {
  const ward = SAMPLE_WARDS.find((w) => w.id === wardId)!;
  const evaluation = evaluations.get(wardId)!;
  const view = buildWardReportView({
    ward: { id: ward.id, name: ward.name },
    period: PERIOD,
    catalogues,
    scores: evaluation.scores,
    findings: evaluation.findings,
    history,
    settings: DOCUMENT_SETTINGS,
    issuedAt: ISSUED_AT,
  });
  return templates.render("ward-report", view);
}

/** The <tr> of the first table row whose ward cell starts with `name`. */
function wardRow(html: string, name: string): string {
  const row = html.split("<tr>").find((r) => r.includes(`<td>${name}`));
  if (!row) throw new Error(`no row for ${name}`);
  return row.slice(0, row.indexOf("</tr>"));
}

const cells = (row: string): string[] => [...row.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/gu)].map((m) => m[1]!.trim());

/** The NĐ 30/2020 frame every document carries. */
function expectDocumentFrame(html: string): void {
  for (const text of [
    "CÔNG AN TỈNH NGHỆ AN",
    "CÔNG AN THỊ XÃ CỬA LÒ",
    "Số: 05/BC-CATX",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Cửa Lò, ngày 02 tháng 11 năm 2023",
    '<div class="doc-title">BÁO CÁO</div>',
    "Nơi nhận:",
    "<div>- Công an tỉnh (để b/c)</div>",
    "<div>- Thường trực Thị ủy, UBND thị xã (để b/c)</div>",
    "<div>- Lưu: VT, TM.</div>",
    '<div class="sign-authority">KT. TRƯỞNG CÔNG AN</div>',
    '<div class="sign-authority">PHÓ TRƯỞNG CÔNG AN</div>',
    '<div class="sign-name">Thượng tá Nguyễn Văn Hùng</div>',
  ]) {
    expect(html).toContain(text);
  }
  // The frame comes before the body, the signature after it.
  expect(html.indexOf("Số: 05/BC-CATX")).toBeLessThan(html.indexOf("BÁO CÁO</div>"));
  expect(html.indexOf("Nơi nhận:")).toBeGreaterThan(html.indexOf("<h2>"));
}

describe("town report", () => {
  it("matches the snapshot (CA phường điển hình)", async () => {
    await expect(await renderTownReport(P1)).toMatchFileSnapshot("./__snapshots__/town-report.html");
  });

  it("matches the snapshot (phong trào toàn dân BVANTQ, with points)", async () => {
    await expect(await renderTownReport(P2)).toMatchFileSnapshot("./__snapshots__/town-report-bvantq.html");
  });

  it("has the NĐ 30/2020 frame", async () => {
    expectDocumentFrame(await renderTownReport(P1));
  });

  it("has the summary line and the sections, with places for staff to write", async () => {
    const html = await renderTownReport(P1);
    expect(html).toContain(`<div class="doc-summary">Kết quả tự đánh giá các tiêu chí Đề án “${catalogues[0]!.name}” (tuần 48/2026)</div>`);
    for (const heading of ["I. TÌNH HÌNH CHUNG", "II. KẾT QUẢ THỰC HIỆN", "III. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN", "IV. BÀI HỌC KINH NGHIỆM", "V. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI", "VI. ĐỀ XUẤT, KIẾN NGHỊ"]) {
      expect(html).toContain(`<h2>${heading}</h2>`);
    }
    expect(html).toContain("[Phần do cán bộ soạn thảo viết:");
    expect(html.split('<p class="placeholder">[Phần do cán bộ soạn thảo viết:').length - 1).toBe(8);
  });

  it("states the overview and the change since last week", async () => {
    const html = await renderTownReport(P1);
    expect(html).toContain("Toàn thị xã có 7 phường thực hiện đề án, 7 phường đã gửi bảng tự đánh giá.");
    expect(html).toContain("Có 2/7 phường (28,6%) đạt đủ 22/22 tiêu chí; bình quân mỗi phường đạt 19,6/22 tiêu chí.");
    expect(html).toContain("So với tuần 47/2026, số phường đạt đủ tiêu chí thay đổi +1, tổng số tiêu chí đạt của các phường thay đổi +2 (tăng: Nghi Hương (+3), Thu Thủy (+1)).");
  });

  it("has the ward table row of Nghi Hương with its count, percent, criteria not met and change", async () => {
    const row = cells(wardRow(await renderTownReport(P1), "Nghi Hương"));
    expect(row).toEqual(["3", "Nghi Hương", "18/22", "81,8%", "Chưa", "TC10, TC14, TC20, TC22", "+3"]);
    // Nghi Hòa's sample has TC02 marked Đạt without evidence: left out, and said so beside its name.
    const hoa = cells(wardRow(await renderTownReport(P1), "Nghi Hòa"));
    expect(hoa[1]).toMatch(/^Nghi Hòa.*1 lỗi trong bảng tự đánh giá; chưa tính: TC02/u);
    expect(hoa.slice(2)).toEqual(["15/22", "68,2%", "Chưa", "TC02, TC05, TC10, TC14, TC16, TC20, TC22", "\u22122"]);
    expect(cells(wardRow(await renderTownReport(P1), "Thu Thủy"))).toEqual(["7", "Thu Thủy", "22/22", "100%", "Đạt", "—", "+1"]);
  });

  it("shows points and band when the catalogue scores points, and flags a sample catalogue", async () => {
    const html = await renderTownReport(P2);
    expect(html).toContain("Điểm tự chấm</th>");
    expect(cells(wardRow(html, "Nghi Hương"))).toEqual(["3", "Nghi Hương", "34/34", "100%", "47,5/50<br>Xuất sắc", "Đạt", "—", "0"]);
    expect(html).toContain("So với tuần 47/2026, số phường đạt đủ tiêu chí thay đổi 0, tổng số tiêu chí đạt của các phường thay đổi +2 (tăng: Nghi Thu (+2)).");
    expect(html).toContain("bộ tiêu chí phiên bản 2023.1-mau là bộ mẫu");
  });

  it("inlines both charts as SVG", async () => {
    const html = await renderTownReport(P1);
    expect(html).toContain("<svg");
    expect(html.split('<div class="chart"><svg').length - 1).toBe(2);
    expect(html).toContain("Biểu đồ 2. Số tiêu chí đạt qua các kỳ báo cáo");
    expect(html).toContain(">tuần 47/2026</text>");
  });

  it("ranks the criteria most wards have not met", async () => {
    const html = await renderTownReport(P1);
    expect(html).toContain("Bảng 2. Các tiêu chí nhiều phường chưa đạt");
    expect(html).toMatch(/<td class="c">1<\/td><td class="c">TC20<\/td><td[^>]*>[^<]+<\/td><td class="c">5<\/td><td[^>]*>Nghi Hải, Nghi Hòa, Nghi Hương, Nghi Thu, Nghi Thủy<\/td>/u);
  });
});

describe("ward report", () => {
  it("matches the snapshot", async () => {
    await expect(renderWardReport("nghi-huong")).toMatchFileSnapshot("./__snapshots__/ward-report.html");
  });

  it("has the NĐ 30/2020 frame and the ward's results per programme", () => {
    const html = renderWardReport("nghi-huong");
    expectDocumentFrame(html);
    expect(html).toContain("Kết quả tự đánh giá tiêu chí của phường Nghi Hương (tuần 48/2026)");
    expect(html).toContain("Phường tự đánh giá đạt 18/22 tiêu chí (81,8%).");
    expect(html).toContain("Phường tự đánh giá đạt 34/34 tiêu chí (100%); điểm tự chấm 47,5/50, xếp loại Xuất sắc. Phường đạt đủ tiêu chí của đề án.");
    expect(html).toContain("Kết quả qua các kỳ: tuần 47/2026: 15/22; tuần 48/2026: 18/22.");
    expect(html).toContain("<h2>3. Các lỗi cần sửa trong bảng tự đánh giá</h2>");
  });
});

describe("leadership digest", () => {
  const digest = () => buildDigestView(summary, DOCUMENT_SETTINGS.agency.issuerName!, REPORT_LINKS);

  it("matches the snapshots (HTML and text)", async () => {
    await expect(templates.render("email-digest", digest())).toMatchFileSnapshot("./__snapshots__/email-digest.html");
    await expect(templates.render("email-digest.txt", digest())).toMatchFileSnapshot("./__snapshots__/email-digest.txt");
  });

  it("links the reports and points to the inline charts", () => {
    const html = templates.render("email-digest", digest());
    expect(html).toContain(`<title>[Tiến độ tiêu chí] Tuần 48/2026 — 2/7 phường đạt 22/22; 2/7 phường đạt 34/34</title>`);
    expect(html).toContain('<a href="https://drive.example/2026-W48/bao-cao-ca-phuong-dien-hinh.html">mở báo cáo</a>');
    expect(html).toContain('src="cid:chart-1"');
    expect(html).toContain('src="cid:chart-2"');
    expect(html).toContain("<tr><td>Nghi Hương</td><td class=\"c\">18/22</td><td class=\"c\">81,8%</td>");
    const text = templates.render("email-digest.txt", digest());
    expect(text).toContain("Báo cáo: https://drive.example/2026-W48/bao-cao-phuong-bao-ve-antq.html");
    expect(text).toContain("  - Nghi Hương: 18/22\n");
    expect(text).toContain("  - Thu Thủy: 22/22 (đạt đủ)\n");
  });
});
