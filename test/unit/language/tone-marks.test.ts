/**
 * One tone-mark style in everything staff read: "hòa", "xóa", "thủy" (the style of the sample
 * names), never "hoà", "xoá", "thuỷ". Checked in the templates, the catalogues and every string
 * literal of the product code (comments may quote the other style when they explain folding).
 */
import { readFile, readdir } from "node:fs/promises";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..", "..");
/** A syllable ending in oa/oe/uy with the mark on the first vowel ("quý" is a different case: qu + y). */
const OLD_STYLE = /(?<![q])(?:o[àáảãạ]|o[èéẻẽẹ]|u[ỳýỷỹỵ])(?!\p{L})/giu;
/**
 * The sample wards' aliases are how staff really typed the names: they exist to match the
 * other style, so they are the only old-style text shipped.
 */
const TYPED_BY_STAFF = new Set(["Phường Nghi Hoà", "Nghi Hoà", "Nghi Thuỷ", "Thu Thuỷ"]);

async function filesUnder(dir: string, ext: RegExp): Promise<string[]> {
  const entries = await readdir(join(ROOT, dir), { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && ext.test(e.name)).map((e) => join(e.parentPath, e.name));
}

/** Every string literal and template text of a TypeScript file. */
function literals(file: string, source: string): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) found.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true));
  return found;
}

function oldStyle(texts: readonly string[]): string[] {
  return texts.filter((t) => !TYPED_BY_STAFF.has(t)).flatMap((t) => (t.match(OLD_STYLE) ? [t] : []));
}

describe("tone-mark style", () => {
  it("finds the other style when it is there", () => {
    expect(oldStyle(["Đã xoá trang tính", "hoá đơn", "Thuỷ", "hoàn thành", "quý IV", "Huỳnh", "hòa giải"])).toEqual(["Đã xoá trang tính", "hoá đơn", "Thuỷ"]);
  });

  it("is “hòa/xóa/thủy” in templates and catalogues", async () => {
    const files = [...(await filesUnder("templates", /\.hbs$/u)), ...(await filesUnder("sheets-schema/catalogues", /\.ya?ml$/u))];
    expect(files.length).toBeGreaterThan(8);
    const bad = await Promise.all(files.map(async (f) => oldStyle((await readFile(f, "utf8")).split("\n")).map((line) => `${relative(ROOT, f)}: ${line.trim()}`)));
    expect(bad.flat()).toEqual([]);
  });

  it("is “hòa/xóa/thủy” in every string literal of the product code", async () => {
    const files = [...(await filesUnder("functions", /\.ts$/u)), ...(await filesUnder("scripts", /\.ts$/u)), ...(await filesUnder("sheets-schema", /\.ts$/u))];
    expect(files.length).toBeGreaterThan(50);
    const bad = await Promise.all(files.map(async (f) => oldStyle(literals(f, await readFile(f, "utf8"))).map((text) => `${relative(ROOT, f)}: ${text.slice(0, 80)}`)));
    expect(bad.flat()).toEqual([]);
  });
});
