import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../scripts/tieuchi.js";
import { manualClock } from "../fakes/clock.js";

const clock = manualClock("2026-11-27T03:00:00Z");
let dir: string;

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = "";
  const write = { write: (t: string) => (out += t) };
  const code = await main(args, { env: { TIEUCHI_CHROMIUM: "" }, cwd: dir, stdout: write, stderr: write }, clock);
  return { code, out };
}

/** The "Số: …" line of a generated HTML document, tags and spaces collapsed. */
async function numberLine(file: string): Promise<string> {
  const html = await readFile(join(dir, "ws", "out", "reports", "2026-W48", file), "utf8");
  const text = html.replace(/<[^>]+>/gu, " ").replace(/&nbsp;|\s+/gu, " ");
  return /Số: ?[^ ]*\/(?:BC|TB)-[A-Z]+/u.exec(text)?.[0] ?? "(no number)";
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tieuchi-numbers-"));
  expect((await cli(["init", "ws"])).code).toBe(0);
  const configFile = join(dir, "ws", "tieuchi.config.yaml");
  const config = await readFile(configFile, "utf8");
  expect(config).toMatch(/mode: blank/u);
  await writeFile(configFile, config.replace(/mode: blank/u, "mode: sequence"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("document numbers in sequence mode, through the CLI", () => {
  it("gives each document its own number per kind, and the same number when the period is rendered again", async () => {
    expect((await cli(["report", "ws"])).code).toBeLessThan(2);
    const first = {
      town1: await numberLine("bao-cao-ca-phuong-dien-hinh.html"),
      town2: await numberLine("bao-cao-phuong-bao-ve-antq.html"),
      hai: await numberLine("phuong-nghi-hai.html"),
      hoa: await numberLine("phuong-nghi-hoa.html"),
    };
    // Reports (BC) and notices (TB) are numbered apart; no two documents of a kind share a number.
    expect(new Set([first.town1, first.town2]).size).toBe(2);
    expect(new Set([first.hai, first.hoa]).size).toBe(2);
    for (const line of [first.town1, first.town2]) expect(line).toMatch(/^Số: 0\d\/BC-/u);
    for (const line of [first.hai, first.hoa]) expect(line).toMatch(/^Số: 0\d\/TB-/u);

    clock.advance(60 * 60 * 1000);
    expect((await cli(["report", "ws"])).code).toBeLessThan(2);
    expect(await numberLine("bao-cao-ca-phuong-dien-hinh.html")).toBe(first.town1);
    expect(await numberLine("phuong-nghi-hoa.html")).toBe(first.hoa);
  });
});
