/**
 * The worker's answers to Cloud Tasks and the sweep's enqueueing under failure, on the strict
 * fake and the virtual clock: a read that does not go through is recorded and answered 503
 * (the queue retries with backoff, and the retry reads it); a failed enqueue fails the pass
 * without moving the page token, so the next sweep enqueues the same change (names dedupe).
 */
import { describe, expect, it } from "vitest";
import { sweep } from "../../../functions/app/cloud-handlers.js";
import { handleWardTask } from "../../../functions/app/ward-worker.js";
import { firstPass } from "../../../scripts/bench-simulation.js";
import { INPUT_TAB, simulationWorld } from "../../../scripts/simulation-world.js";

const MINUTE = 60_000;

async function settled(): Promise<Awaited<ReturnType<typeof simulationWorld>>> {
  const world = await simulationWorld({ units: 3, startIso: "2026-12-01T00:30:00Z", seed: 9, duplicateRate: 0, driveLagMs: MINUTE });
  await firstPass(world);
  return world;
}

describe("ward worker and fan-out under failure", () => {
  it("answers 503 when the ward's read fails after every retry, and processes it on the next delivery", async () => {
    const world = await settled();
    try {
      const id = world.ids.get("xa-0002")!;
      world.fake.sheets.setValues(id, INPUT_TAB, "H7", [["Sửa"]]);
      world.fake.failNext({ api: "sheets", pathIncludes: `${id}/values:batchGet` }, 500, { times: 8 });
      const body = { wardId: "xa-0002", version: null, modifiedTime: null, seenAt: world.clock.now().toISOString() };
      expect(await handleWardTask(body, world.config, world.ports)).toMatchObject({ status: 503, headers: { "Retry-After": "60" } });
      expect(await handleWardTask(body, world.config, world.ports)).toEqual({ status: 200, body: "processed" });
    } finally {
      await world.close();
    }
  }, 60_000);

  it("keeps the page token when an enqueue fails, and the next sweep enqueues the change once", async () => {
    const world = await settled();
    try {
      world.fake.sheets.setValues(world.ids.get("xa-0001")!, INPUT_TAB, "H7", [["Sửa"]]);
      world.fake.sheets.setValues(world.ids.get("xa-0003")!, INPUT_TAB, "H7", [["Sửa"]]);
      world.clock.advance(2 * MINUTE);
      world.fake.failNext({ api: "tasks", method: "POST" }, 503, { times: 20 });
      const failed = await sweep(world.config, world.ports, world.settings);
      expect(failed.errors.join(" ")).toContain("Không đọc được các thay đổi từ Google Drive");
      world.clock.advance(5 * MINUTE);
      const again = await sweep(world.config, world.ports, world.settings);
      expect([...again.queued, ...again.alreadyQueued].sort()).toEqual(["xa-0001", "xa-0003"]);
      expect(world.fake.tasks.live.size).toBe(2);
    } finally {
      await world.close();
    }
  }, 60_000);
});
