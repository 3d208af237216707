import { readFile } from "node:fs/promises";
import { beforeAll, describe, expect, it } from "vitest";
import { type Catalogue, parseCatalogue } from "../../../sheets-schema/catalogue.js";
import { isValidTabTitle } from "../../../sheets-schema/layout.js";
import { looksLikeLegacyEncoding } from "../../../sheets-schema/text.js";
import { P1, P2, builtinCatalogues } from "../../fixtures/workbooks.js";
import { catalogueFile, readBuiltinCatalogues } from "../../../functions/config.js";
import { planWardWorkbook } from "../../../sheets-schema/workbook-plan.js";

function textsOf(c: Catalogue): string[] {
  return [c.name, c.shortName, c.tabTitle, c.source, ...c.groups.map((g) => g.name), ...c.criteria.map((cr) => cr.text)];
}

describe("built-in catalogues", () => {
  let catalogues: Catalogue[] = [];
  beforeAll(async () => {
    catalogues = await builtinCatalogues();
  });

  it("are the two programmes with 22 and 34 criteria", () => {
    expect(catalogues.map((c) => [c.id, c.criteria.length])).toEqual([
      [P1, 22],
      [P2, 34],
    ]);
  });

  it.each([P1, P2])("%s has unique criterion codes and only known groups", (id) => {
    const c = catalogues.find((cat) => cat.id === id)!;
    const codes = c.criteria.map((cr) => cr.code);
    expect(new Set(codes).size).toBe(codes.length);
    const groups = new Set(c.groups.map((g) => g.code));
    expect(c.criteria.filter((cr) => !groups.has(cr.group))).toEqual([]);
    expect(isValidTabTitle(c.tabTitle)).toBe(true);
  });

  it.each([P1, P2])("%s is stored in NFC with no legacy-font text", async (id) => {
    const raw = await readFile(catalogueFile(`builtin:${id}`, "."), "utf8");
    expect(raw).toBe(raw.normalize("NFC"));
    const texts = textsOf(catalogues.find((c) => c.id === id)!);
    expect(texts.filter((t) => t !== t.normalize("NFC"))).toEqual([]);
    expect(texts.filter(looksLikeLegacyEncoding)).toEqual([]);
  });

  it("names group 1 of programme 2 as in the public source", () => {
    const p2 = catalogues.find((c) => c.id === P2)!;
    expect(p2.groups.find((g) => g.code === "I")?.name).toBe("Sự lãnh đạo của cấp ủy Đảng, chính quyền");
  });

  it.each([P1, P2])("%s says in its source that it is a sample to replace", (id) => {
    const source = catalogues.find((c) => c.id === id)!.source;
    expect(source).toContain("mẫu minh họa");
    expect(source).toContain("thay bằng bộ tiêu chí chính thức");
  });
});

// A valid catalogue; the broken ones below are edits of it.
const VALID = `
id: demo
name: Demo programme
shortName: Demo
tabTitle: Demo
version: "1"
effectiveFrom: "2024-01-01"
source: test
groups:
  - { code: "1", name: One }
criteria:
  - { code: TC01, group: "1", text: First, kind: points, maxPoints: 10 }
  - { code: TC02, group: "1", text: Second, kind: pass-fail }
  - { code: TC03, group: "1", text: Third, kind: pass-fail }
`;

function problemsOf(source: string) {
  const result = parseCatalogue(source);
  expect(result.success).toBe(false);
  return result.success ? [] : result.problems;
}

describe("parseCatalogue", () => {
  it("accepts the valid base catalogue and applies defaults", () => {
    const result = parseCatalogue(VALID);
    expect(result.success && result.data.recognition).toEqual({ kind: "all-met" });
    expect(result.success && result.data.criteria.map((c) => c.evidenceRequired)).toEqual([false, false, false]);
  });

  it.each([
    ["an unclosed flow sequence", "id: [unclosed\nname: x\n"],
    ["an unterminated quoted string", 'id: demo\nname: "Demo\n'],
    ["a mapping key at a bad indentation", "id: demo\n  name: x\n bad: y\n"],
  ])("reports %s as one problem with a line number", (_label, source) => {
    const problems = problemsOf(source);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toMatch(/^dòng \d+, cột \d+$/u); // H9d: line and column
  });

  it.each([
    ["empty text", ""],
    ["a list", "- a\n- b\n"],
  ])("reports %s at the root", (_label, source) => {
    expect(problemsOf(source).map((p) => p.path)).toEqual(["(gốc)"]);
  });

  const fieldMistakes = VALID.replace("name: Demo programme\n", "")
    .replace("tabTitle: Demo", "tabTitle: CA/BV")
    .replace(", maxPoints: 10", "");
  const crossFieldMistakes = VALID.replace('code: TC02, group: "1"', 'code: TC02, group: "9"').replace("code: TC03", "code: TC02");

  it("lists every field-level problem with its path", () => {
    expect(problemsOf(fieldMistakes)).toMatchInlineSnapshot(`
      [
        {
          "message": "Đầu vào không hợp lệ: mong đợi string, nhận được undefined",
          "path": "name",
        },
        {
          "message": "tối đa 31 ký tự, không chứa []:*?/\\",
          "path": "tabTitle",
        },
        {
          "message": "bắt buộc khi kind là points",
          "path": "criteria[0].maxPoints",
        },
      ]
    `);
  });

  it("lists every cross-reference problem with its path", () => {
    expect(problemsOf(crossFieldMistakes)).toMatchInlineSnapshot(`
      [
        {
          "message": "nhóm "9" không có trong groups",
          "path": "criteria[1].group",
        },
        {
          "message": "mã "TC02" bị trùng",
          "path": "criteria[2].code",
        },
      ]
    `);
  });

  // Known source bug: the catalogue-level superRefine (unknown group, duplicate code) does not
  // run when any field is invalid, so those problems are hidden until the fields are fixed.
  it("lists field-level and cross-reference problems together", () => {
    const everything = fieldMistakes
      .replace('code: TC02, group: "1"', 'code: TC02, group: "9"')
      .replace("code: TC03", "code: TC02");
    const paths = problemsOf(everything).map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining(["name", "tabTitle", "criteria[0].maxPoints", "criteria[1].group", "criteria[2].code"]),
    );
  });
});

describe("catalogue wording read by staff", () => {
  it("numbers the group rows of both programmes I, II, III… and names the version in words", async () => {
    const catalogues = await readBuiltinCatalogues();
    for (const c of catalogues) {
      expect(c.groups.map((g) => g.code)).toEqual(["I", "II", "III", "IV", "V", "VI", "VII", "VIII"].slice(0, c.groups.length));
      expect(c.versionName).toBe("Bộ tiêu chí mẫu minh họa năm 2023");
    }
    expect(catalogues.find((c) => c.id === "phuong-bao-ve-antq")?.shortName).toBe("Phường điển hình phong trào toàn dân BVANTQ");
  });
});

describe("the unit's name label", () => {
  it("says “Tên xã:” in a xã's workbook and its guide, “Tên phường:” by default", async () => {
    const catalogues = await readBuiltinCatalogues();
    const texts = (plan: ReturnType<typeof planWardWorkbook>): string[] => plan.tabs.flatMap((t) => t.rows.flat().map((c) => String(c.value ?? "")));
    const xa = texts(planWardWorkbook(catalogues, "Nghi Lộc", null, {}, { unitNoun: "xã" }));
    expect(xa).toContain("Tên xã:");
    expect(xa.some((t) => t.startsWith("1. Ô bên phải “Tên xã:” ghi đúng tên xã; ô bên phải"))).toBe(true);
    expect(xa).not.toContain("Tên phường:");
    expect(texts(planWardWorkbook(catalogues, "Nghi Hương", null))).toContain("Tên phường:");
  });

  it("asks for dates as ngày/tháng/năm and names the legacy encodings in the guide", async () => {
    const guide = planWardWorkbook(await readBuiltinCatalogues(), "Nghi Hương", null).tabs[0]!.rows.flat().map((c) => String(c.value ?? "")).join("\n");
    expect(guide).toContain("(ngày/tháng/năm, ví dụ 02/11/2023)");
    expect(guide).toContain("không dùng bảng mã cũ TCVN3 (.VnTime) hoặc VNI");
    expect(guide).toContain("Bộ tiêu chí mẫu minh họa năm 2023");
    expect(guide).not.toMatch(/dd\/mm|2023\.1-mau|phông chữ cũ/u);
  });
});
