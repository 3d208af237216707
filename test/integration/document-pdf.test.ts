/**
 * The documents as printed: the local store writes HTML + DOCX and prints the PDF with one
 * Chromium; the PDF is read back with poppler (pdffonts, pdftotext per page) and the DOCX is
 * printed by LibreOffice. Set TIEUCHI_LOOK_DIR to keep the PDFs and their pages as PNG to look at.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findChromium, localDocumentStore } from "../../functions/adapters/local/document-files.js";
import type { PublishedFiles } from "../../functions/ports.js";
import { loadTemplates } from "../../functions/render/templates.js";
import { TOWN_VIEW, WARD_VIEW } from "../fixtures/document-views.js";

const run = promisify(execFile);
const chromium = findChromium(process.env);
const has = (tool: string): boolean => ["/usr/bin", "/usr/local/bin"].some((d) => existsSync(join(d, tool)));
const poppler = has("pdffonts") && has("pdftotext");
const soffice = has("soffice");
const why = !chromium ? "no Chromium" : !poppler ? "no poppler-utils (apt-get install -y poppler-utils)" : "";
let dir: string;
let town: PublishedFiles;
let ward: PublishedFiles;

async function pages(pdf: string): Promise<string[]> {
  const { stdout } = await run("pdfinfo", [pdf]);
  const count = Number(/Pages:\s+(\d+)/u.exec(stdout)?.[1] ?? 0);
  return Promise.all(Array.from({ length: count }, async (_, i) => (await run("pdftotext", ["-layout", "-f", String(i + 1), "-l", String(i + 1), pdf, "-"])).stdout));
}

async function fontFamilies(pdf: string): Promise<Set<string>> {
  const { stdout } = await run("pdffonts", [pdf]);
  const names = stdout.split("\n").slice(2).map((l) => l.split(/\s+/u)[0] ?? "").filter(Boolean);
  // "AAAAAA+Tinos-BoldItalic" → "Tinos": the subset tag and the style are not a family.
  return new Set(names.map((n) => n.replace(/^[A-Z]{6}\+/u, "").replace(/[-,](?:Regular|Bold|Italic|BoldItalic|Oblique|BoldOblique)$/u, "")));
}

const pageOf = (texts: string[], needle: string): number => texts.findIndex((t) => t.includes(needle));

/** How far down each page its lowest word reaches, as a share of the page height (pdftotext -bbox). */
async function filledTo(pdf: string): Promise<number[]> {
  const { stdout } = await run("pdftotext", ["-bbox", pdf, "-"]);
  return stdout.split("<page ").slice(1).map((page) => {
    const height = Number(/height="([\d.]+)"/u.exec(page)?.[1] ?? 1);
    const bottoms = [...page.matchAll(/yMax="([\d.]+)"/gu)].map((m) => Number(m[1]));
    return Math.max(0, ...bottoms) / height;
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tieuchi-documents-"));
  if (why) return;
  const store = localDocumentStore({ outDir: dir, templates: await loadTemplates(), chromium });
  try {
    [town, ward] = await Promise.all([
      store.publish("2023-10", { key: "town/p/2023-10", name: "bao-cao", title: "Báo cáo", view: TOWN_VIEW }),
      store.publish("2023-10", { key: "ward/nghi-tan/2023-10", name: "phuong-nghi-tan", title: "Thông báo", view: WARD_VIEW }),
    ]);
  } finally {
    await store.close?.();
  }
}, 120_000);

afterAll(async () => {
  const look = process.env.TIEUCHI_LOOK_DIR;
  if (look && !why) {
    await cp(join(dir, "reports"), look, { recursive: true });
    for (const pdf of [town.pdf!, ward.pdf!]) await run("pdftoppm", ["-r", "60", "-png", pdf, join(look, "2023-10", pdf.split("/").pop()!.replace(".pdf", ""))]);
  }
  await rm(dir, { recursive: true, force: true });
});

describe.skipIf(Boolean(why))(`the printed documents${why ? ` — SKIPPED: ${why}` : ""}`, () => {
  it("writes HTML, DOCX and PDF side by side", async () => {
    expect(town.location).toMatch(/reports\/2023-10\/bao-cao\.html$/u);
    expect(town.docx).toMatch(/bao-cao\.docx$/u);
    expect((await readFile(town.pdf!)).subarray(0, 5).toString()).toBe("%PDF-");
    expect((await readFile(town.docx!)).subarray(0, 2).toString()).toBe("PK");
  });

  it("embeds one font family only (Tinos), so no word mixes fonts", async () => {
    for (const pdf of [town.pdf!, ward.pdf!]) expect([...(await fontFamilies(pdf))]).toEqual(["Tinos"]);
  });

  it("keeps the signature with the block before it and prints the authority whole", async () => {
    const texts = await pages(town.pdf!);
    expect(texts.length).toBeGreaterThanOrEqual(3);
    const signature = pageOf(texts, "Nơi nhận:");
    expect(signature).toBeGreaterThan(0);
    expect(pageOf(texts, "Thượng tá Nguyễn Văn Hùng")).toBe(signature);
    expect(texts[signature]).toContain("KT. TRƯỞNG CÔNG AN");
    // Not a lone signature page: the last section's text is on it too.
    expect(texts[signature]).toContain("đề xuất, kiến nghị với cấp trên");
    expect(texts.join("\n")).not.toContain("TRƯỚNG");
  });

  it("never ends a page on a heading, and numbers pages from 2", async () => {
    const texts = await pages(town.pdf!);
    const headings = TOWN_VIEW.body.flatMap((b) => (b.kind === "heading" ? [b.text] : []));
    texts.forEach((text, i) => {
      const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
      expect(headings.some((h) => lines.at(-1)?.startsWith(h))).toBe(false);
      if (i > 0) expect(lines[0]).toBe(String(i + 1));
    });
    expect(texts[0]!.split("\n").map((l) => l.trim()).find(Boolean)).not.toBe("1");
  });

  it("leaves no large blank: every page before the signature page is filled to its last quarter", async () => {
    const texts = await pages(town.pdf!);
    const signature = pageOf(texts, "Nơi nhận:");
    const filled = await filledTo(town.pdf!);
    // The signature page ends where the signature does; the annex starts on a page of its own by design.
    expect(filled.slice(0, signature).every((f) => f > 0.75)).toBe(true);
  });

  it("keeps each chart with its caption on one page", async () => {
    const texts = await pages(town.pdf!);
    expect(pageOf(texts, "Biểu đồ 1.")).toBe(pageOf(texts, "Đạt đủ tiêu chí (22/22)"));
    const trend = pageOf(texts, "Biểu đồ 2.");
    expect(texts[trend]).toContain("tháng 10/2023");
  });

  it.skipIf(!soffice)(`prints the DOCX in LibreOffice with the signature beside Nơi nhận${soffice ? "" : " — SKIPPED: no soffice"}`, async () => {
    const out = join(dir, "lo");
    const profile = `file://${join(dir, "lo-profile")}`;
    await run("soffice", [`-env:UserInstallation=${profile}`, "--headless", "--convert-to", "pdf", "--outdir", out, town.docx!], { timeout: 120_000 });
    const pdf = join(out, "bao-cao.pdf");
    if (!existsSync(pdf)) return; // a LibreOffice without Writer cannot open .docx (Debian: libreoffice-writer-nogui)
    const texts = await pages(pdf);
    const signature = pageOf(texts, "Nơi nhận:");
    expect(pageOf(texts, "Thượng tá Nguyễn Văn Hùng")).toBe(signature);
    expect(texts[signature]).toContain("đề xuất, kiến nghị với cấp trên");
    expect(texts[1]!.split("\n").map((l) => l.trim()).find(Boolean)).toBe("2");
    const look = process.env.TIEUCHI_LOOK_DIR;
    if (look) await run("pdftoppm", ["-r", "60", "-png", pdf, join(look, "docx-bao-cao")]);
  }, 150_000);
});
