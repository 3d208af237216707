/** A ward whose file cannot be read is a ward with a problem wherever wards are listed (issue 9). */
import { beforeAll, describe, expect, it } from "vitest";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { type TownSummary, aggregateTown } from "../../../functions/core/aggregate-town.js";
import { buildDigestView } from "../../../functions/core/digest-view.js";
import { buildWardDocument } from "../../../functions/core/ward-document.js";
import { renderDocumentHtml } from "../../../functions/render/document-html.js";
import { emptyScore } from "../../../functions/core/score-ward.js";
import { formatTownTable, formatWardsToFix, summaryTable } from "../../../functions/core/town-output.js";
import { loadTemplates, type TemplateSet } from "../../../functions/render/templates.js";
import { DOCUMENT_SETTINGS, ISSUED_AT } from "../../fixtures/documents.js";
import { degradedOutcomes, sampleOutcomes } from "../../fixtures/outcomes.js";
import { builtinCatalogues } from "../../fixtures/workbooks.js";

const REASON = "Không đọc được tệp wards/thu-thuy.xlsx: tệp bị hỏng hoặc chưa lưu xong.";
let catalogues: Catalogue[];
let summary: TownSummary;
let templates: TemplateSet;

beforeAll(async () => {
  catalogues = await builtinCatalogues();
  const outcomes = degradedOutcomes(sampleOutcomes(catalogues), catalogues).map((o) => (o.status === "unreadable" ? { ...o, reason: REASON } : o));
  summary = aggregateTown(outcomes, catalogues, { period: "2026-W48", generatedAt: "2026-11-27T03:00:00.000Z", previous: null });
  templates = await loadTemplates();
});

describe("an unreadable ward", () => {
  it("is not “Lỗi 0” in the town table", () => {
    const line = formatTownTable(summary).split("\n").find((l) => l.startsWith("Thu Thủy"))!;
    expect(line).toMatch(/Không đọc được tệp\s+Không đọc được tệp\s+1$/u);
  });

  it("is named in “Phường có lỗi cần sửa”", () => {
    const wards = [
      { name: "Nghi Tân", status: "ok" as const, errors: 1 },
      { name: "Thu Thủy", status: "unreadable" as const, errors: 0 },
      { name: "Nghi Hải", status: "missing" as const, errors: 0 },
    ];
    expect(formatWardsToFix(wards)).toBe("Phường có lỗi cần sửa: Nghi Tân (1), Thu Thủy (không đọc được tệp)");
    expect(formatWardsToFix([{ name: "Nghi Hải", status: "missing", errors: 0 }])).toBeNull();
  });

  it("is listed in the leadership digest, in HTML and text", () => {
    const view = buildDigestView(summary, { issuer: "Công an thị xã Cửa Lò", documents: new Map(), table: null, runtime: "local" });
    expect(view.programmes.map((p) => p.attention.find((a) => a.startsWith("Không đọc được")))).toEqual(["Không đọc được tệp (1 phường): Thu Thủy.", "Không đọc được tệp (1 phường): Thu Thủy."]);
    expect(templates.render("email-digest.txt", view)).toContain("Không đọc được tệp (1 phường): Thu Thủy.");
    expect(templates.render("email-digest", view)).toContain("<p>Không đọc được tệp (1 phường): Thu Thủy.</p>");
    const google = buildDigestView(summary, { issuer: "Công an thị xã Cửa Lò", documents: new Map(), table: null, runtime: "google" });
    expect(google.programmes[0]!.wards.find((w) => w.name === "Thu Thủy")?.note).toBe("Không đọc được bảng tính");
  });

  it("has no figures but its status in summary.csv/.xlsx", () => {
    const rows = summaryTable(summary).rows.filter((r) => r[3] === "thu-thuy");
    expect(rows).toHaveLength(2);
    for (const row of rows) expect([row[5], row[10], row[11], row[13]]).toEqual([null, null, null, "Không đọc được tệp"]);
  });

  it("gets a ward notice that says why in one paragraph, never “không có lỗi”", async () => {
    const view = buildWardDocument({
      ward: { id: "thu-thuy", name: "Thu Thủy" }, period: "2026-W48", catalogues, scores: catalogues.map(emptyScore), findings: [], history: [],
      settings: DOCUMENT_SETTINGS, issuedAt: ISSUED_AT, number: null, status: { status: "unreadable", reason: REASON },
    });
    expect(view.body).toHaveLength(1);
    const html = await renderDocumentHtml(templates, view, "Thông báo phường Thu Thủy");
    expect(html).toContain(REASON);
    expect(html).not.toContain("không có lỗi");
  });
});
