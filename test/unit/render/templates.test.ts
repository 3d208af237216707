import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { RESULT_VALUES } from "../../../sheets-schema/layout.js";
import { TemplateError } from "../../../functions/errors.js";
import { buildFeedbackView, buildReminderView } from "../../../functions/core/email-views.js";
import { evaluateWorkbook } from "../../../functions/core/evaluate-ward.js";
import type { Finding } from "../../../functions/core/findings.js";
import { buildWardDocument } from "../../../functions/core/ward-document.js";
import { renderDocumentHtml } from "../../../functions/render/document-html.js";
import type { ProgrammeScore } from "../../../functions/core/score-ward.js";
import { type TemplateSet, loadTemplates } from "../../../functions/render/templates.js";
import { DOCUMENT_SETTINGS, ISSUED_AT } from "../../fixtures/documents.js";
import { builtinCatalogues, sampleWorkbook } from "../../fixtures/workbooks.js";

const SCRIPT = '<script>alert("x")</script>';
const WARD = "Nghi <b>Hương</b>";

let templates: TemplateSet;
let catalogues: Catalogue[];
let scores: ProgrammeScore[];

beforeAll(async () => {
  templates = await loadTemplates();
  catalogues = await builtinCatalogues();
  scores = evaluateWorkbook(sampleWorkbook(catalogues, "nghi-huong"), catalogues, { id: "nghi-huong", name: "Nghi Hương", aliases: [] }).scores;
});

/** A load failure as the TemplateError it must be. */
async function loadError(dir: string): Promise<TemplateError> {
  const error: unknown = await loadTemplates(dir).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TemplateError);
  return error as TemplateError;
}

/** The error a render throws, which must be a TemplateError. */
function renderError(set: TemplateSet, name: string, view: object): TemplateError {
  try {
    set.render(name, view);
  } catch (error) {
    expect(error).toBeInstanceOf(TemplateError);
    return error as TemplateError;
  }
  throw new Error(`rendering ${name} did not fail`);
}

describe("loadTemplates", () => {
  it("loads every template of the package", () => {
    expect(templates.names).toEqual(
      expect.arrayContaining(["document", "email-digest", "email-digest.txt", "email-feedback", "email-feedback.txt", "email-reminder", "email-reminder.txt"]),
    );
    // Partials are not templates of their own.
    expect(templates.names).not.toContain("document-head");
    expect(templates.names).not.toContain("document-block");
  });

  it("refuses an unknown template name, listing the known ones", () => {
    const error = renderError(templates, "documnet", {});
    expect(error.message).toContain("documnet");
    expect(error.message).toContain("document,");
  });
});

describe("loadTemplates with broken templates", () => {
  let root: string;
  let dir: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "tieuchi-templates-"));
    dir = join(root, "templates");
    await mkdir(join(dir, "partials"), { recursive: true });
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("fails at load on a syntax error, naming the file and line", async () => {
    await writeFile(join(dir, "ok.hbs"), "{{a}}\n");
    await writeFile(join(dir, "x.hbs"), "{{#if a}}\n ok\n{{/if}\n");
    const error = await loadError(dir);
    expect(error.message).toContain("templates/x.hbs");
    expect(error.message).toContain("dòng 3");
    expect(error.cause).toBeInstanceOf(Error);
  });

  // Handlebars locates a mismatched block at its opening tag.
  it("names the line of the opening block for a mismatched closing block", async () => {
    await writeFile(join(dir, "x.hbs"), "{{#if a}}\n ok\n{{/each}}");
    const error = await loadError(dir);
    expect(error.message).toContain("templates/x.hbs (dòng 1)");
  });

  it("fails at load on a mismatched closing block, naming the file", async () => {
    await writeFile(join(dir, "x.hbs"), "{{#if a}}\n ok\n{{/each}}");
    const error = await loadError(dir);
    expect(error.message).toContain("templates/x.hbs");
    expect(error.message).toContain("if doesn't match each");
  });

  it("fails at load on a missing partial, naming the partial, file and line", async () => {
    await writeFile(join(dir, "x.hbs"), "<p>\n{{> nope}}\n</p>\n");
    const error = await loadError(dir);
    expect(error.message).toContain("“nope”");
    expect(error.message).toContain("templates/x.hbs");
    expect(error.message).toContain("dòng 2");
  });

  it("checks partials used inside partials too", async () => {
    await writeFile(join(dir, "partials", "frame.hbs"), "<div>\n\n{{> nope}}</div>\n");
    await writeFile(join(dir, "x.hbs"), "{{> frame}}\n");
    const error = await loadError(dir);
    expect(error.message).toContain("templates/partials/frame.hbs");
    expect(error.message).toContain("dòng 3");
  });

  it("renders with partials that exist, and without a partials folder", async () => {
    await writeFile(join(dir, "partials", "greet.hbs"), "Xin chào {{name}}");
    await writeFile(join(dir, "x.hbs"), "{{> greet}}!");
    expect((await loadTemplates(dir)).render("x", { name: "Nghi Thu" })).toBe("Xin chào Nghi Thu!");
    await rm(join(dir, "partials"), { recursive: true });
    await writeFile(join(dir, "x.hbs"), "{{name}}");
    expect((await loadTemplates(dir)).render("x", { name: "Nghi Thu" })).toBe("Nghi Thu");
  });

  it("escapes values in HTML templates but not in *.txt.hbs", async () => {
    await writeFile(join(dir, "a.hbs"), "{{v}}");
    await writeFile(join(dir, "a.txt.hbs"), "{{v}}");
    const set = await loadTemplates(dir);
    expect(set.render("a", { v: `<b>&"'` })).toBe("&lt;b&gt;&amp;&quot;&#x27;");
    expect(set.render("a.txt", { v: `<b>&"'` })).toBe(`<b>&"'`);
  });
});

describe("strict rendering", () => {
  const reminder = () => buildReminderView({ ward: { name: "Nghi Hương" }, status: "ok", deadline: { date: "2026-11-30", title: "Nộp bảng tự đánh giá" }, daysLeft: 3, items: ["Còn 1 lỗi."] });

  it("renders a complete view", () => {
    expect(templates.render("email-reminder", reminder())).toContain("(còn 3 ngày)");
    expect(templates.render("email-reminder.txt", reminder())).toContain("  - Còn 1 lỗi.");
  });

  it.each(["email-reminder", "email-reminder.txt"])("throws on a missing field in %s, naming the template file", (name) => {
    const partial = Object.fromEntries(Object.entries(reminder()).filter(([key]) => key !== "deadlineTitle"));
    const error = renderError(templates, name, partial);
    expect(error.message).toContain(`templates/${name}.hbs`);
    expect(error.message).toContain("deadlineTitle");
    expect(error.cause).toBeInstanceOf(Error);
  });
});

describe("escaping of sheet content", () => {
  const findings: Finding[] = [
    { severity: "error", tab: "CA phường kiểu mẫu", cell: "D7", criterion: "TC01", code: "result-invalid", params: { value: `${SCRIPT} & x`, allowed: RESULT_VALUES } },
    { severity: "warning", tab: "CA <i>phường</i>", cell: "E9", criterion: null, code: "evidence-missing", params: { criterion: "TC09" } },
  ];
  const feedback = () =>
    buildFeedbackView({ ward: { name: WARD }, period: "2026-W48", findings, scores, programmeNames: new Map(catalogues.map((c) => [c.id, c.shortName])) });

  it("escapes ward names and messages in the feedback email", () => {
    const html = templates.render("email-feedback", feedback());
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(html).toContain("Nghi &lt;b&gt;Hương&lt;/b&gt;");
    expect(html).toContain("CA &lt;i&gt;phường&lt;/i&gt;");
    expect(html).toContain("&amp; x” không hợp lệ");
    expect(html).not.toMatch(/<script/iu);
    expect(html).not.toContain("<b>Hương");
    expect(html).not.toContain("<i>phường");
  });

  it("keeps the text of the feedback email verbatim", () => {
    const text = templates.render("email-feedback.txt", feedback());
    expect(text).toContain(`1. Lỗi: trang tính “CA phường kiểu mẫu”, ô D7, tiêu chí TC01.\n   Giá trị “${SCRIPT} & x” không hợp lệ ở cột Kết quả.`);
    expect(text).toContain(`Kính gửi: Công an phường ${WARD}\n`);
    expect(text).toContain("2. Cảnh báo: trang tính “CA <i>phường</i>”, ô E9.\n   Tiêu chí TC09 được đánh giá Đạt nhưng chưa có minh chứng.");
    expect(text).not.toMatch(/&(lt|gt|amp|quot|#x27|#x3D);/u);
  });

  it("escapes ward names and messages in the ward notice", async () => {
    const view = buildWardDocument({ ward: { id: "nghi-huong", name: WARD }, period: "2026-W48", catalogues, scores, findings, history: [], settings: DOCUMENT_SETTINGS, issuedAt: ISSUED_AT, number: null });
    const html = await renderDocumentHtml(templates, view, `Thông báo phường ${WARD}`);
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(html).toContain("phường Nghi &lt;b&gt;Hương&lt;/b&gt;");
    expect(html).toContain("trang tính “CA &lt;i&gt;phường&lt;/i&gt;”, ô E9");
    expect(html).not.toMatch(/<script/iu);
    expect(html).not.toMatch(/<b>|<i>/u);
  });

  it("escapes reminder items in HTML only", () => {
    const view = buildReminderView({ ward: { name: WARD }, status: "ok", deadline: { date: "2026-11-30", title: "Hạn <1>" }, daysLeft: 0, items: [SCRIPT] });
    const html = templates.render("email-reminder", view);
    expect(html).toContain("<li>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</li>");
    expect(html).toContain("<b>Hạn &lt;1&gt;</b>");
    expect(html).toContain("(hôm nay)");
    const text = templates.render("email-reminder.txt", view);
    expect(text).toContain(`  - ${SCRIPT}`);
    expect(text).toContain("Hạn “Hạn <1>” là ngày 30/11/2026 (hôm nay). Bảng tự đánh giá của phường còn các việc sau:");
  });
});
