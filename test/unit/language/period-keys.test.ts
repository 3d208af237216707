/**
 * Period keys ("2026-W49", "2026-Q4") name files and snapshots; people read "tuần 49/2026",
 * "quý IV/2026". No template writes a key, and no email built for any kind of period shows one.
 */
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { aggregateTown } from "../../../functions/core/aggregate-town.js";
import { buildDigestView } from "../../../functions/core/digest-view.js";
import { buildFeedbackView } from "../../../functions/core/email-views.js";
import type { Finding } from "../../../functions/core/findings.js";
import { periodLabel } from "../../../functions/core/vocabulary.js";
import { type TemplateSet, loadTemplates } from "../../../functions/render/templates.js";
import { sampleOutcomes } from "../../fixtures/outcomes.js";
import { builtinCatalogues } from "../../fixtures/workbooks.js";

const ROOT = join(import.meta.dirname, "..", "..", "..");
const KEY = /\b\d{4}-(?:W\d{2}|Q[1-4]|H[12]|\d{2})\b/u;
const PERIODS = ["2026-W49", "2026-11", "2026-Q4", "2026-H2", "2026"];

let templates: TemplateSet;
let catalogues: Catalogue[];

beforeAll(async () => {
  templates = await loadTemplates();
  catalogues = await builtinCatalogues();
});

describe("period keys stay out of what people read", () => {
  it("are written in no template", async () => {
    const dir = join(ROOT, "templates");
    const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith(".hbs"));
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) expect(await readFile(join(dir, f), "utf8"), f).not.toMatch(KEY);
  });

  it.each(PERIODS)("never show in the emails of %s", (period) => {
    const summary = aggregateTown(sampleOutcomes(catalogues), catalogues, { period, generatedAt: "2026-11-27T03:00:00.000Z", previous: null });
    const digest = buildDigestView(summary, { issuer: "Công an thị xã Cửa Lò", documents: new Map(), table: null, runtime: "local" });
    const finding: Finding = { severity: "warning", tab: "CA phường kiểu mẫu", cell: "E9", criterion: "TC09", code: "evidence-missing", params: { criterion: "TC09" } };
    const feedback = buildFeedbackView({ ward: { name: "Nghi Hòa" }, period, findings: [finding], scores: [], programmeNames: new Map() });
    const shown = [digest.subject, templates.render("email-digest", digest), templates.render("email-digest.txt", digest), feedback.subject, templates.render("email-feedback.txt", feedback)];
    for (const text of shown) expect(text).not.toMatch(KEY);
    expect(digest.subject.startsWith(`[Tự đánh giá tiêu chí] ${periodLabel(period)}: `)).toBe(true);
  });
});
