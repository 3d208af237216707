/**
 * `tieuchi report` on the sample town with Chromium: every document is written as HTML, DOCX
 * and PDF (printed by one Chromium), on A4 pages, in one font family.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findChromium, screenshotPng } from "../../functions/adapters/local/document-files.js";
import { main } from "../../scripts/tieuchi.js";

const run = promisify(execFile);
const chromium = findChromium(process.env);
const why = "SKIPPED: no Chromium found (apt-get install -y chromium, or set TIEUCHI_CHROMIUM)";
const clock = { now: () => new Date("2023-11-02T03:00:00Z") };
let dir: string;
let reports: string;
let output = "";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tieuchi-chromium-"));
  if (!chromium) return;
  const quiet = { write: () => true };
  const out = { write: (chunk: string) => ((output += chunk), true) };
  await main(["init", "ws"], { env: {}, cwd: dir, stdout: quiet, stderr: quiet }, clock);
  await main(["report", "ws"], { env: { TIEUCHI_CHROMIUM: chromium }, cwd: dir, stdout: out, stderr: quiet }, clock);
  const root = join(dir, "ws", "out", "reports");
  reports = join(root, (await readdir(root))[0]!);
}, 240_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("the report in headless Chromium", () => {
  it.skipIf(!chromium)(chromium ? "writes HTML, DOCX and PDF for every document and says so" : `writes HTML, DOCX and PDF — ${why}`, async () => {
    const files = await readdir(reports);
    const html = files.filter((f) => f.endsWith(".html"));
    expect(html.length).toBeGreaterThanOrEqual(3);
    for (const f of html) {
      expect(files).toContain(f.replace(".html", ".docx"));
      expect(files).toContain(f.replace(".html", ".pdf"));
    }
    expect(output).toContain("(+ DOCX, PDF)");
  });

  it.skipIf(!chromium)(chromium ? "prints on A4 pages" : `prints on A4 pages — ${why}`, async () => {
    const pdf = (await readdir(reports)).find((f) => f.startsWith("bao-cao-") && f.endsWith(".pdf"))!;
    const text = (await readFile(join(reports, pdf))).toString("latin1");
    const boxes = [...text.matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/gu)].map((m) => [Math.round(Number(m[1])), Math.round(Number(m[2]))]);
    expect(boxes.length).toBeGreaterThanOrEqual(2); // the header, tables and charts do not fit on one page
    expect(new Set(boxes.map((b) => b.join("x")))).toEqual(new Set(["595x842"])); // A4 portrait in points
  });

  it.skipIf(!chromium || !existsSync("/usr/bin/pdffonts"))("uses one font family in every PDF", async () => {
    for (const pdf of (await readdir(reports)).filter((f) => f.endsWith(".pdf"))) {
      const { stdout } = await run("pdffonts", [join(reports, pdf)]);
      const families = new Set(stdout.split("\n").slice(2).map((l) => (l.split(/\s+/u)[0] ?? "").replace(/^[A-Z]{6}\+/u, "").replace(/-(?:Regular|Bold|Italic|BoldItalic)$/u, "")).filter(Boolean));
      expect([pdf, ...families]).toEqual([pdf, "Tinos"]);
    }
  });

  it.skipIf(!chromium)(chromium ? "renders to a PNG screenshot" : `renders to a PNG screenshot — ${why}`, async () => {
    const html = (await readdir(reports)).find((f) => f.endsWith(".html"))!;
    const png = join(dir, "town.png");
    await screenshotPng(chromium!, join(reports, html), png);
    const bytes = await readFile(png);
    expect(bytes.subarray(1, 4).toString()).toBe("PNG");
    expect(bytes.readUInt32BE(16)).toBe(1240); // width from the IHDR chunk
  });
});
