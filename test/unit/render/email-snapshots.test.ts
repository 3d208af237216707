/**
 * The emails as rendered from the sample town: file snapshots of the digest (HTML and text, with
 * a previous month to compare against and one ward missing), ward feedback and a reminder, so a
 * change of wording shows up in review.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { type TownSummary, aggregateTown, toSnapshot } from "../../../functions/core/aggregate-town.js";
import { type DigestDocument, buildDigestView } from "../../../functions/core/digest-view.js";
import { buildFeedbackView, buildReminderView, reminderItems } from "../../../functions/core/email-views.js";
import type { Finding } from "../../../functions/core/findings.js";
import { type TemplateSet, loadTemplates } from "../../../functions/render/templates.js";
import { degradedOutcomes, sampleOutcomes } from "../../fixtures/outcomes.js";
import { P1, P2, builtinCatalogues } from "../../fixtures/workbooks.js";

let templates: TemplateSet;
let catalogues: Catalogue[];
let summary: TownSummary;

const DOCUMENTS = new Map<string, DigestDocument>([
  [P1, { title: "Báo cáo Công an phường điển hình, kiểu mẫu (tháng 11/2026)", url: null, attached: "bao-cao-ca-phuong-dien-hinh.pdf", fileName: "bao-cao-ca-phuong-dien-hinh.pdf" }],
  [P2, { title: "Báo cáo Phường điển hình phong trào toàn dân BVANTQ (tháng 11/2026)", url: "https://docs.google.com/document/d/1AbCdEf/edit", attached: null, fileName: null }],
]);

beforeAll(async () => {
  templates = await loadTemplates();
  catalogues = await builtinCatalogues();
  const outcomes = sampleOutcomes(catalogues);
  const before = toSnapshot(aggregateTown(outcomes, catalogues, { period: "2026-10", generatedAt: "2026-10-30T03:00:00.000Z", previous: null }));
  const ward = (programme: string, id: string) => before.programmes.find((p) => p.id === programme)!.wards.find((w) => w.id === id)!;
  Object.assign(ward(P1, "thu-thuy"), { met: 21, recognised: false });
  ward(P1, "nghi-huong").met = 15;
  ward(P2, "nghi-thu").met = 31;
  summary = aggregateTown(degradedOutcomes(outcomes, catalogues).filter((o) => o.ward.id !== "thu-thuy").concat(outcomes.filter((o) => o.ward.id === "thu-thuy")), catalogues, {
    period: "2026-11",
    generatedAt: "2026-11-27T03:00:00.000Z",
    previous: before,
  });
});

const digest = () => buildDigestView(summary, { issuer: "Công an thị xã Cửa Lò", documents: DOCUMENTS, table: "bang-tong-hop-2026-11.xlsx", runtime: "local" });

describe("digest", () => {
  it("matches the snapshots (HTML and text)", async () => {
    await expect(templates.render("email-digest", digest())).toMatchFileSnapshot("./__snapshots__/email-digest.html");
    await expect(templates.render("email-digest.txt", digest())).toMatchFileSnapshot("./__snapshots__/email-digest.txt");
  });

  it("reads as a leader expects: salutation with a colon, change in words, no ISO period, no path", () => {
    const html = templates.render("email-digest", digest());
    const text = templates.render("email-digest.txt", digest());
    expect(html).toContain("<p>Kính gửi: Lãnh đạo Công an thị xã Cửa Lò</p>");
    expect(text).toContain("So với tháng 10/2026: số phường đạt đủ tiêu chí không thay đổi; tổng số tiêu chí đạt tăng 3.");
    expect(text).toContain("  - Không còn đạt đủ tiêu chí: Nghi Tân.");
    expect(text).toContain("  - Mới đạt đủ tiêu chí: Thu Thủy.");
    expect(text).toContain("  - Nghi Hải: Chưa gửi bảng tự đánh giá\n");
    expect(html).toContain('<a href="https://docs.google.com/document/d/1AbCdEf/edit">Báo cáo đầy đủ: Báo cáo Phường điển hình phong trào toàn dân BVANTQ (tháng 11/2026)</a>');
    expect(text).toContain("Báo cáo đầy đủ: tệp đính kèm “bao-cao-ca-phuong-dien-hinh.pdf”.");
    for (const body of [html, text]) expect(body).not.toMatch(/\b2026-(?:W\d\d|\d\d|Q\d|H\d)\b(?!\.xlsx)|file:|(?<!=)"[^"<>=]*[ạ-ỹ][^"<>=]*"/u);
  });
});

describe("ward emails", () => {
  const finding: Finding = { severity: "error", tab: "CA phường kiểu mẫu", cell: "D9", criterion: "TC03", code: "result-invalid", params: { value: "Đạt rồi", allowed: ["Đạt", "Chưa đạt", "Đang thực hiện"] } };

  it("feedback and reminder match their snapshots", async () => {
    const names = new Map(catalogues.map((c) => [c.id, c.shortName]));
    const scores = sampleOutcomes(catalogues)[0]!.scores;
    const feedback = buildFeedbackView({ ward: { name: "Nghi Hòa" }, period: "2026-11", findings: [finding], scores, programmeNames: names });
    await expect(templates.render("email-feedback", feedback)).toMatchFileSnapshot("./__snapshots__/email-feedback.html");
    const reminder = buildReminderView({ ward: { name: "Nghi Hải" }, status: "missing", deadline: { date: "2026-11-30", title: "Phường hoàn thành tự đánh giá, phân loại tiêu chí" }, daysLeft: 3, items: reminderItems({ status: "missing" }, [], names) });
    await expect(templates.render("email-reminder", reminder)).toMatchFileSnapshot("./__snapshots__/email-reminder.html");
    expect(templates.render("email-reminder.txt", reminder)).toContain("Hạn “Phường hoàn thành tự đánh giá, phân loại tiêu chí” là ngày 30/11/2026 (còn 3 ngày). Phường chưa gửi bảng tự đánh giá.");
    expect(reminder.subject).toBe("[Tự đánh giá tiêu chí] Phường Nghi Hải: còn 3 ngày đến hạn “Phường hoàn thành tự đánh giá, phân loại tiêu chí” (30/11/2026)");
  });
});
