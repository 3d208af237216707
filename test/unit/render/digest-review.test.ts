/** The review cycle in the leadership digest: one line of counts per programme and a Trạng thái column, as data and as sent. */
import { beforeAll, describe, expect, it } from "vitest";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { aggregateTown } from "../../../functions/core/aggregate-town.js";
import { type DigestInput, type DigestView, buildDigestView } from "../../../functions/core/digest-view.js";
import { type TemplateSet, loadTemplates } from "../../../functions/render/templates.js";
import { reviewedOutcomes, sampleOutcomes } from "../../fixtures/outcomes.js";
import { builtinCatalogues } from "../../fixtures/workbooks.js";

let catalogues: Catalogue[];
let templates: TemplateSet;
const META = { period: "2026-11", generatedAt: "2026-11-27T03:00:00.000Z", previous: null };
const INPUT: DigestInput = { issuer: "Công an thị xã Cửa Lò", documents: new Map(), table: null, runtime: "local" };

beforeAll(async () => {
  catalogues = await builtinCatalogues();
  templates = await loadTemplates();
});

const digestOf = (reviewed: boolean): DigestView => buildDigestView(aggregateTown((reviewed ? reviewedOutcomes : sampleOutcomes)(catalogues), catalogues, META), INPUT);

describe("the digest during the review cycle", () => {
  it("has one line of the cycle's counts and each ward's step, only for the programme under review", () => {
    const [p1, p2] = digestOf(true).programmes;
    expect(p1!.cycle).toBe("Đề nghị thẩm định: 1 phường; đã thẩm định: 2; trả lại: 1.");
    expect(p1!.wards.map((w) => `${w.name}: ${w.state}`)).toEqual([
      "Nghi Hải: Đang cập nhật", "Nghi Hòa: Đang cập nhật", "Nghi Hương: Đề nghị thẩm định", "Nghi Tân: Đã thẩm định",
      "Nghi Thu: Trả lại", "Nghi Thủy: Đang cập nhật", "Thu Thủy: Đã thẩm định",
    ]);
    expect([p2!.cycle, p2!.reviewed, p2!.wards[0]!.state]).toEqual([null, false, ""]);
  });

  it("sends the line and the Trạng thái column in both parts of the message", () => {
    const view = digestOf(true);
    const html = templates.render("email-digest", view);
    const text = templates.render("email-digest.txt", view);
    expect(html).toContain("<p>Đề nghị thẩm định: 1 phường; đã thẩm định: 2; trả lại: 1.</p>");
    expect(html.match(/<th>Trạng thái<\/th>/gu)).toHaveLength(1);
    expect(html).toContain("<td>Nghi Thu</td><td class=\"c\">19/22 (86,4%)</td><td></td><td>Trả lại</td>");
    expect(text).toContain("Đề nghị thẩm định: 1 phường; đã thẩm định: 2; trả lại: 1.\n");
    expect(text).toContain("  - Nghi Thu: 19/22 (86,4%) (Trả lại)\n");
  });

  it("stays small at 3,000 wards under review: one line of counts, no ward table", () => {
    const reviewed = reviewedOutcomes(catalogues);
    const many = Array.from({ length: 3000 }, (_, i) => {
      const o = reviewed[i % reviewed.length]!;
      return { ...o, ward: { id: `p-${i}`, name: `Phường ${String(i).padStart(4, "0")}` } };
    });
    const view = buildDigestView(aggregateTown(many, catalogues, META), INPUT);
    expect(view.programmes[0]!.cycle).toBe("Đề nghị thẩm định: 429 phường; đã thẩm định: 857; trả lại: 428.");
    expect(view.programmes[0]!.wards).toEqual([]);
    const bytes = Buffer.byteLength(templates.render("email-digest", view)) + Buffer.byteLength(templates.render("email-digest.txt", view));
    expect(bytes).toBeLessThan(100_000);
  });

  it("reads as before while no ward has submitted", () => {
    const html = templates.render("email-digest", digestOf(false));
    expect(html).not.toMatch(/Trạng thái|thẩm định/u);
  });
});
