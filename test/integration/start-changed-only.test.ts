import { copyFile, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../scripts/tieuchi.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tieuchi-start-only-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function waitFor(predicate: () => boolean, timeoutMs: number): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("tieuchi start after a save", () => {
  it("checks only the saved ward again and rewrites only its feedback files; a second `run` reads nothing", async () => {
    const workspace = join(dir, "workspace");
    let out = "";
    let stop!: () => void;
    const stopSignal = new Promise<void>((resolve) => (stop = resolve));
    const ctx = { env: {}, cwd: dir, stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (out += t) } };
    const running = main(["start"], { ...ctx, stopSignal });
    await waitFor(() => out.includes("Đang theo dõi"), 30_000);

    // Every feedback file gets a marker: a ward that is not checked again leaves its files alone.
    const feedback = join(workspace, "out", "kiem-tra");
    const names = (await readdir(feedback)).sort();
    expect(names).toHaveLength(21); // 7 wards × .txt/.xlsx/.csv
    for (const name of names) await writeFile(join(feedback, name), "marker");
    // Nghi Thu's file now holds Nghi Hải's workbook (a real change of content).
    await copyFile(join(workspace, "wards", "nghi-hai.xlsx"), join(workspace, "wards", "nghi-thu.xlsx"));
    await waitFor(() => out.includes("Đã kiểm tra lại"), 15_000);
    stop();
    expect(await running).toBe(0);

    const rewritten: string[] = [];
    for (const name of names) if ((await readFile(join(feedback, name), "utf8")) !== "marker") rewritten.push(name);
    expect(rewritten).toEqual(["nghi-thu.csv", "nghi-thu.txt", "nghi-thu.xlsx"]);
    expect(await readFile(join(feedback, "nghi-thu.txt"), "utf8")).toContain("Nghi Hải"); // the name typed, which does not match

    // A later `run` (another process as far as the cache is concerned) is served from .tieuchi/parse-cache/.
    const cache = join(workspace, ".tieuchi", "parse-cache");
    expect((await readdir(cache)).filter((n) => n.endsWith(".json"))).toHaveLength(7);
    for (const name of names) await writeFile(join(feedback, name), "marker");
    await main(["run", workspace], { ...ctx });
    for (const name of names) expect(await readFile(join(feedback, name), "utf8")).toBe("marker");
  });
});
