/**
 * A first `run` stores the parse cache once: the wards' entries and the trail's marks on them in
 * one settle (a 700-ward workspace's pack is ~12 MB).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runOnce, setupRun } from "../../scripts/run-command.js";
import { main } from "../../scripts/tieuchi.js";
import { manualClock } from "../fakes/clock.js";

const clock = manualClock("2026-11-30T02:00:00Z");
let dir: string;
const quiet = { write: () => true };
const ctx = () => ({ env: { TIEUCHI_THREADS: "0" }, cwd: dir, stdout: quiet, stderr: quiet });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tieuchi-cache-once-"));
  await main(["init", "ws"], ctx(), clock);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function runIn(workspace: string) {
  const setup = await setupRun(workspace, ctx(), clock);
  try {
    const run = await runOnce(setup, clock);
    return { run, stats: { ...setup.sheets.stats } };
  } finally {
    await setup.pool.close();
  }
}

describe("the parse cache of a local run", () => {
  it("is stored once by a first run, with the trail's marks", async () => {
    const workspace = join(dir, "ws");
    const first = await runIn(workspace);
    expect(first.stats).toMatchObject({ parsed: 7, stored: 1 });
    const second = await runIn(workspace);
    // Recalled with their trail marks: the first run's single store held them. (The files were written
    // within the stat margin, so this run hashes them again and stores the new stamps: once.)
    expect(second.stats).toMatchObject({ parsed: 0, recalled: 7, stored: 1 });
    expect(second.run.summary).toEqual(first.run.summary);
  });
});
