/**
 * What a sweep with nothing changed costs, against the strict fake: the ward states come from
 * one listing of the ward objects and one index object (written by the sweep alone), so the
 * number of Cloud Storage requests does not grow with the number of units; and a changed
 * unit costs exactly one more read of its own state object.
 */
import { describe, expect, it } from "vitest";
import { sweep } from "../../../functions/app/cloud-handlers.js";
import { WARD_INDEX_KEY } from "../../../functions/app/ward-index.js";
import { firstPass } from "../../../scripts/bench-simulation.js";
import { INPUT_TAB, type SimWorld, simulationWorld } from "../../../scripts/simulation-world.js";

const MINUTE = 60_000;

async function settledWorld(units: number): Promise<SimWorld> {
  const world = await simulationWorld({ units, startIso: "2026-12-01T00:30:00Z", seed: 3, duplicateRate: 0, driveLagMs: MINUTE });
  await firstPass(world);
  world.clock.advance(10 * MINUTE);
  await sweep(world.config, world.ports, world.settings); // writes the index once after the first pass
  world.clock.advance(5 * MINUTE);
  return world;
}

/** Cloud Storage requests of one sweep, by kind. */
async function storageCallsOfSweep(world: SimWorld): Promise<{ gets: number; lists: number; puts: number; sheets: number; queued: number }> {
  world.fake.resetLog();
  const report = await sweep(world.config, world.ports, world.settings);
  const storage = world.fake.requests.filter((r) => r.api === "storage");
  return {
    gets: storage.filter((r) => r.method === "GET" && r.query.alt === "media").length,
    lists: storage.filter((r) => r.method === "GET" && r.query.alt !== "media").length,
    puts: storage.filter((r) => r.method === "POST").length,
    sheets: world.fake.count({ api: "sheets", pathIncludes: "values:batchGet" }),
    queued: report.queued.length,
  };
}

describe("idle sweep", () => {
  it("reads every unit's state in one listing and one index object, whatever the number of units", async () => {
    const small = await settledWorld(10);
    const large = await settledWorld(130);
    try {
      const [a, b] = [await storageCallsOfSweep(small), await storageCallsOfSweep(large)];
      expect(b).toEqual(a);
      // The state requests of an idle sweep (registry, the ward listing, the index, the feed, the channel, the
      // period's snapshot) do not depend on the number of units: none reads a unit's own object (was 2N + 3).
      expect(b.sheets + b.queued).toBe(0);
      expect(b.gets + b.lists + b.puts).toBeLessThanOrEqual(10);
      const objectGets = large.fake.requests.filter((r) => r.api === "storage" && r.query.alt === "media").map((r) => r.path);
      expect(objectGets.filter((path) => path.includes("/o/wards/"))).toEqual([]);
      expect(objectGets.filter((path) => path.endsWith("/o/index/wards.json"))).toHaveLength(1);
      expect(large.fake.requests.filter((r) => r.api === "storage" && r.query.prefix === "wards/")).toHaveLength(1);
      expect(large.fake.storage.get("state", WARD_INDEX_KEY)).toBeDefined();
    } finally {
      await small.close();
      await large.close();
    }
  }, 120_000);

  it("reads the state object of a changed unit only, and enqueues it once", async () => {
    const world = await settledWorld(12);
    try {
      world.fake.sheets.setValues(world.ids.get("xa-0007")!, INPUT_TAB, "H7", [["Sửa sau"]]);
      world.clock.advance(2 * MINUTE);
      const before = await storageCallsOfSweep(world); // the change is enqueued: no state moved yet
      expect(before.queued).toBe(1);
      world.fake.tasks.dispatcher.dispatchDue();
      await world.fake.tasks.dispatcher.settle();
      world.clock.advance(5 * MINUTE);
      const idle = await storageCallsOfSweep(world);
      world.clock.advance(5 * MINUTE);
      const after = await storageCallsOfSweep(world);
      expect(idle.gets).toBe(after.gets + 1); // the worker moved xa-0007's object: read once, then from the index
      expect(world.fake.tasks.live.size).toBe(0);
    } finally {
      await world.close();
    }
  }, 120_000);
});
