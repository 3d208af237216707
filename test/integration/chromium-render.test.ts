import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findChromium, printPdf, screenshotPng } from "../../functions/adapters/local/document-files.js";
import { main } from "../../scripts/tieuchi.js";

const chromium = findChromium(process.env);
const why = "SKIPPED: no Chromium found (apt-get install -y chromium, or set TIEUCHI_CHROMIUM)";
const clock = { now: () => new Date("2023-11-02T03:00:00Z") };
let dir: string;
let town: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tieuchi-chromium-"));
  if (!chromium) return;
  const quiet = { write: () => true };
  await main(["init", "ws"], { env: {}, cwd: dir, stdout: quiet, stderr: quiet }, clock);
  await main(["report", "ws"], { env: { TIEUCHI_CHROMIUM: "" }, cwd: dir, stdout: quiet, stderr: quiet }, clock);
  town = join(dir, "ws", "out", "reports", "2023-W44", "bao-cao-ca-phuong-dien-hinh.html");
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("the town report in headless Chromium", () => {
  it.skipIf(!chromium)(chromium ? "prints on A4 pages" : `prints on A4 pages — ${why}`, async () => {
    const pdf = join(dir, "town.pdf");
    await printPdf(chromium!, town, pdf);
    const text = (await readFile(pdf)).toString("latin1");
    const boxes = [...text.matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/gu)].map((m) => [Math.round(Number(m[1])), Math.round(Number(m[2]))]);
    expect(boxes.length).toBeGreaterThanOrEqual(2); // the header, tables and chart do not fit on one page
    expect(new Set(boxes.map((b) => b.join("x")))).toEqual(new Set(["595x842"])); // A4 portrait in points
  });

  it.skipIf(!chromium)(chromium ? "renders to a PNG screenshot" : `renders to a PNG screenshot — ${why}`, async () => {
    const png = join(dir, "town.png");
    await screenshotPng(chromium!, town, png);
    const bytes = await readFile(png);
    expect(bytes.subarray(1, 4).toString()).toBe("PNG");
    expect(bytes.readUInt32BE(16)).toBe(1240); // width from the IHDR chunk
  });
});
