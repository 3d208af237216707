/** A ward pasting 200,000 rows: every output that lists findings stays bounded and says how many more and where. */
import { beforeAll, describe, expect, it } from "vitest";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { composeFeedback } from "../../../functions/app/compose-messages.js";
import { wireSize } from "../../../functions/app/mail-size.js";
import type { TownRun, WardRun } from "../../../functions/app/run-town.js";
import { type Config, parseConfigText } from "../../../functions/config.js";
import { checkTabRows } from "../../../functions/adapters/google/check-tab.js";
import { sampleConfigYaml } from "../../../functions/adapters/local/sample-town.js";
import { aggregateTown, type WardOutcome } from "../../../functions/core/aggregate-town.js";
import type { Finding } from "../../../functions/core/findings.js";
import { MAX_EMAIL_BYTES, MAX_LISTED_FINDINGS, fullListFile, listFindings, moreFindingsLine } from "../../../functions/core/output-bounds.js";
import { buildWardDocument } from "../../../functions/core/ward-document.js";
import { renderDocumentHtml } from "../../../functions/render/document-html.js";
import { emptyScore } from "../../../functions/core/score-ward.js";
import { formatWardFeedback } from "../../../functions/core/ward-feedback.js";
import { loadTemplates, type TemplateSet } from "../../../functions/render/templates.js";
import { DOCUMENT_SETTINGS, ISSUED_AT } from "../../fixtures/documents.js";
import { builtinCatalogues } from "../../fixtures/workbooks.js";

const ROWS = 200_000;
let catalogues: Catalogue[];
let config: Config;
let templates: TemplateSet;

/** What a pasted block of 200,000 rows of junk codes gives: one error per row, a few warnings. */
function pasted(rows = ROWS, value = (r: number) => `X${r}`): Finding[] {
  return Array.from({ length: rows }, (_, i): Finding => {
    const row = i + 40;
    return i % 1000 === 999
      ? { severity: "warning", tab: "CA phường kiểu mẫu", cell: `B${row}`, criterion: null, code: "legacy-encoding", params: { value: value(row) } }
      : { severity: "error", tab: "CA phường kiểu mẫu", cell: `B${row}`, criterion: null, code: "criterion-unknown", params: { value: value(row), programme: "CA phường kiểu mẫu" } };
  });
}

function wardRun(findings: Finding[]): WardRun {
  const ward = config.wards.find((w) => w.id === "nghi-hoa")!;
  const outcome: WardOutcome = { ward: { id: ward.id, name: ward.name }, status: "ok", reason: null, scores: catalogues.map(emptyScore) };
  return { ward, outcome, findings } as WardRun;
}

beforeAll(async () => {
  catalogues = await builtinCatalogues();
  const parsed = parseConfigText(sampleConfigYaml("2026-11-01"), {});
  if (!parsed.success) throw new Error(JSON.stringify(parsed.problems));
  config = { ...parsed.data, baseDir: "/tmp", catalogues, smtpUrl: null };
  templates = await loadTemplates();
});

describe("listFindings", () => {
  it("keeps errors before warnings when it must cut, and counts what is left out", () => {
    const listed = listFindings(pasted());
    expect(listed.shown).toHaveLength(MAX_LISTED_FINDINGS);
    expect(listed.shown.every((f) => f.severity === "error")).toBe(true);
    expect(listed.more).toEqual({ errors: 199_800 - MAX_LISTED_FINDINGS, warnings: 200, places: "trang tính “CA phường kiểu mẫu” từ dòng 240 đến dòng 200.039" });
  });

  it("says how many more in Vietnamese, and where", () => {
    expect(moreFindingsLine({ errors: 199_600, warnings: 200 }, fullListFile("nghi-hoa"))).toBe(
      "… và 199.600 lỗi, 200 cảnh báo khác; xem đầy đủ trong tệp “nghi-hoa.xlsx” (hoặc “nghi-hoa.csv”) trong thư mục kết quả kiểm tra (out/kiem-tra/).",
    );
    expect(moreFindingsLine({ errors: 0, warnings: 0 }, null)).toBeNull();
    expect(moreFindingsLine({ errors: 3, warnings: 0 }, null)).toBe("… và 3 lỗi khác; hãy sửa các lỗi trên rồi lưu lại, hệ thống sẽ kiểm tra lại và báo tiếp.");
    expect(moreFindingsLine({ errors: 3, warnings: 0, places: "trang tính “CA” từ dòng 41 đến dòng 43" }, null)).toBe(
      "… và 3 lỗi khác, ở trang tính “CA” từ dòng 41 đến dòng 43; hãy sửa các lỗi trên rồi lưu lại, hệ thống sẽ kiểm tra lại và báo tiếp.",
    );
  });
});

describe("a ward with 200,000 findings", () => {
  it("gets a feedback letter of 200 numbered findings, the total and where the full list is", () => {
    const findings = pasted();
    const text = formatWardFeedback(wardRun(findings).outcome, findings, catalogues, new Date("2026-11-27T03:00:00Z"), "wards/nghi-hoa.xlsx");
    expect(text).toContain("Các ô cần sửa (200000):");
    expect(text).toContain(`\n${MAX_LISTED_FINDINGS}. [Lỗi]`);
    expect(text).not.toContain(`\n${MAX_LISTED_FINDINGS + 1}. `);
    expect(text).toContain("… và 199.600 lỗi, 200 cảnh báo khác; xem đầy đủ trong tệp “nghi-hoa.xlsx”");
    expect(Buffer.byteLength(text)).toBeLessThan(100_000);
  });

  it("gets a ward notice listing 200 and pointing to the full list", async () => {
    const view = buildWardDocument({
      ward: { id: "nghi-hoa", name: "Nghi Hòa" }, period: "2026-W48", catalogues, scores: catalogues.map(emptyScore), findings: pasted(), history: [],
      settings: DOCUMENT_SETTINGS, issuedAt: ISSUED_AT, number: null, fullList: fullListFile("nghi-hoa"),
    });
    const table = view.body.flatMap((b) => (b.kind === "table" && b.table.id === "findings" ? [b.table] : []))[0]!;
    expect(table.body).toHaveLength(MAX_LISTED_FINDINGS);
    const more = view.body.flatMap((b) => (b.kind === "paragraph" ? [b.runs.map((r) => r.text).join("")] : [])).find((t) => t.startsWith("… và"));
    expect(more).toMatch(/^… và 199\.600 lỗi, 200 cảnh báo khác; xem đầy đủ trong tệp “nghi-hoa\.xlsx”/u);
    expect(Buffer.byteLength(await renderDocumentHtml(templates, view, "Thông báo phường Nghi Hòa"))).toBeLessThan(500_000);
  });

  it("gets a Kiểm tra tab of at most 200 finding rows, then the line saying more will follow", () => {
    const run = wardRun(pasted());
    const rows = checkTabRows({ ward: run.ward, outcome: run.outcome, findings: run.findings, checkedAt: new Date("2026-11-27T03:00:00Z") }, catalogues);
    const header = rows.findIndex((r) => r[0] === "Mức độ");
    expect(rows.length - header - 1).toBe(MAX_LISTED_FINDINGS + 1);
    expect(rows.at(-1)).toEqual(["… và 199.600 lỗi, 200 cảnh báo khác, ở trang tính “CA phường kiểu mẫu” từ dòng 240 đến dòng 200.039; hãy sửa các lỗi trên rồi lưu lại, hệ thống sẽ kiểm tra lại và báo tiếp."]);
    expect(rows[0]![0]).toContain("199800 lỗi, 200 cảnh báo");
  });

  it("gets one feedback email under 2 MB with the counts, 200 findings and the note", () => {
    const run: TownRun = { summary: aggregateTown([wardRun([]).outcome], catalogues, { period: "2026-W48", generatedAt: "2026-11-27T03:00:00.000Z", previous: null }), wards: [wardRun(pasted())] };
    const [mail] = composeFeedback(run, config, templates);
    expect(wireSize(mail!)).toBeLessThanOrEqual(MAX_EMAIL_BYTES);
    expect(mail!.subject).toContain("199800 lỗi, 200 cảnh báo");
    expect(mail!.text).toContain(`\n${MAX_LISTED_FINDINGS}. Lỗi: trang tính`);
    expect(mail!.text).toContain("… và 199.600 lỗi, 200 cảnh báo khác");
    expect(mail!.html).toContain("… và 199.600 lỗi, 200 cảnh báo khác");
    // Staff cannot open the office's full list: the email says where in their own workbook the rest is.
    expect(mail!.text).toContain("khác, ở trang tính “CA phường kiểu mẫu” từ dòng 240 đến dòng 200.039; hãy sửa các lỗi trên");
  });

  it("lists fewer findings when each quotes a very long cell, to stay under 2 MB, and says so", () => {
    const findings = pasted(1_000, (r) => `${r}`.padEnd(30_000, "x"));
    const run: TownRun = { summary: aggregateTown([wardRun([]).outcome], catalogues, { period: "2026-W48", generatedAt: "2026-11-27T03:00:00.000Z", previous: null }), wards: [wardRun(findings)] };
    const [mail] = composeFeedback(run, config, templates);
    expect(wireSize(mail!)).toBeLessThanOrEqual(MAX_EMAIL_BYTES);
    expect(mail!.text).toContain("Hệ thống đã kiểm tra");
    expect(mail!.text).toMatch(/… và [\d.]+ lỗi, 1 cảnh báo khác/u);
    // Same findings, same key: shrinking the list never makes a message "new".
    expect(composeFeedback(run, config, templates)[0]!.key).toBe(mail!.key);
  });
});
