/**
 * `tieuchi run` with worker threads (the BUILT CLI: the worker entry is a dist/ file) gives the
 * same summary and the same feedback as a run on the main thread, hostile files included, over
 * 40 wards. That workers really ran is seen from outside: `--cpu-prof` writes one profile per thread.
 */
import { execFile } from "node:child_process";
import { copyFile, cp, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { benchWard, writeBenchWorkspace } from "../../scripts/bench-workspace.js";
import { hugePaste, zipBomb } from "../../scripts/hostile-workbooks.js";
import { DEFAULT_READ_LIMITS } from "../../functions/adapters/local/zip-entries.js";
import { corpusFile } from "../fixtures/corpus-manifest.js";

const run = promisify(execFile);
const clock = { now: () => new Date("2026-11-27T03:00:00Z") };
const CLI = join(process.cwd(), "bin", "tieuchi.js"); // loads dist/, which npm test builds first
const WARDS = 40;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tieuchi-run-workers-"));
  const ws = join(dir, "in-process");
  await writeBenchWorkspace(ws, WARDS, clock);
  const file = (i: number) => join(ws, "wards", `${benchWard(i).id}.xlsx`);
  const base = await readFile(file(0));
  // Past the first wards (the first 12 reads go in-process before the pool starts), so each is read on a worker.
  await copyFile(corpusFile("password.xlsx"), file(20));
  await copyFile(corpusFile("old-format.xlsx"), file(23));
  await writeFile(file(26), await zipBomb(base, DEFAULT_READ_LIMITS.inflatedBytes + 1024));
  await writeFile(file(29), await hugePaste(base, 200_000));
  await copyFile(corpusFile("op-comments.xlsx"), file(32));
  await writeFile(file(35), Buffer.alloc(0));
  await cp(ws, join(dir, "workers"), { recursive: true });
}, 120_000);

afterAll(() => rm(dir, { recursive: true, force: true }));

async function tieuchiRun(name: string, threads: string): Promise<number> {
  const profiles = join(dir, `${name}-profiles`);
  const result = await run(process.execPath, [`--cpu-prof`, `--cpu-prof-dir=${profiles}`, CLI, "run", name], { cwd: dir, env: { ...process.env, TIEUCHI_THREADS: threads, TIEUCHI_THREADS_FROM: "12" } }).catch((e: { code?: number }) => e);
  expect("code" in result ? result.code : 0).toBe(1); // the hostile wards are wards with a problem
  return (await readdir(profiles)).filter((f) => f.endsWith(".cpuprofile")).length;
}

/** An output with its run's times blanked (the two runs start at different moments). */
async function output(name: string, file: string): Promise<string> {
  const text = await readFile(join(dir, name, "out", file), "utf8");
  return text.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/gu, "T").replace(/\d{1,2}:\d{2}(?::\d{2})? (?:ngày )?\d{1,2}\/\d{1,2}\/\d{4}/gu, "T");
}

describe("tieuchi run on worker threads", () => {
  it("gives the same summary and feedback as a run on the main thread", async () => {
    expect(await tieuchiRun("in-process", "0")).toBe(1);
    expect(await tieuchiRun("workers", "2")).toBe(3); // the main thread and two workers
    expect(await output("workers", "summary.json")).toBe(await output("in-process", "summary.json"));
    expect(await output("workers", "summary.csv")).toBe(await output("in-process", "summary.csv"));
    for (let i = 0; i < WARDS; i++) {
      for (const ext of ["txt", "csv"]) {
        const file = join("kiem-tra", `${benchWard(i).id}.${ext}`);
        expect(await output("workers", file), file).toBe(await output("in-process", file));
      }
    }
    const feedback = (i: number) => output("workers", join("kiem-tra", `${benchWard(i).id}.txt`));
    expect(await feedback(20)).toContain("tệp được đặt mật khẩu");
    expect(await feedback(23)).toContain("tệp Excel cũ (.xls");
    expect(await feedback(26)).toContain("tệp quá lớn");
    expect(await feedback(29)).toMatch(/có 200\.\d{3} dòng \(tối đa 5\.000\)/u);
    expect(await feedback(35)).toContain("tệp rỗng");
  }, 240_000);
});
