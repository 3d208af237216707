import { beforeAll, describe, expect, it } from "vitest";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { type FeedState, runChanges } from "../../../functions/app/changes-feed.js";
import { STATE_KEYS, type WardState } from "../../../functions/app/cloud-ward.js";
import { builtinCatalogues } from "../../fixtures/workbooks.js";
import { FEED_OPTIONS, type MemoryWorld, WARDS, memoryWorld, totalReads } from "./feed-fixtures.js";

let catalogues: Catalogue[];
beforeAll(async () => {
  catalogues = await builtinCatalogues();
});

const MINUTE = 60_000;
const run = (world: MemoryWorld, options = FEED_OPTIONS) => runChanges(WARDS, catalogues, world.ports, options);
const feedState = async (world: MemoryWorld) => (await world.kv.get<FeedState>(STATE_KEYS.feed))!.value;
const wardState = async (world: MemoryWorld, id: string) => (await world.kv.get<WardState>(STATE_KEYS.ward(id)))?.value ?? null;

/** A world whose first pass (with its full listing) is done, and time moved on. */
async function settledWorld(): Promise<MemoryWorld> {
  const world = await memoryWorld(catalogues);
  await run(world);
  world.clock.advance(5 * MINUTE);
  world.reads.clear();
  world.writes.length = 0;
  world.listings = 0;
  return world;
}

describe("runChanges", () => {
  it("starts with one full listing and reads every ward once", async () => {
    const world = await memoryWorld(catalogues);
    const report = await run(world);
    expect(report).toMatchObject({ busy: false, listed: WARDS.length, failed: [], leaseLost: false });
    expect(report.processed.sort()).toEqual(WARDS.map((w) => w.id).sort());
    expect(totalReads(world)).toBe(WARDS.length);
    expect(await feedState(world)).toMatchObject({ driveId: "shared-drive", pending: [], lease: null, again: false });
  });

  it("after edits in 2 of 7 wards reads exactly those 2 and lists no folder; the service's own writes cost no read", async () => {
    const world = await settledWorld();
    world.staffEdit("nghi-thu");
    world.staffEdit("thu-thuy");
    world.otherFileEdit();
    const report = await run(world);
    expect(world.listings).toBe(0);
    expect([...world.reads.keys()].sort()).toEqual(["nghi-thu", "thu-thuy"]);
    expect(totalReads(world)).toBe(2);
    expect(report).toMatchObject({ listed: null, processed: ["nghi-thu", "thu-thuy"] });
    expect(report.skipped).toHaveLength(WARDS.length - 2); // the Kiểm tra writes of the first pass

    world.clock.advance(5 * MINUTE);
    world.reads.clear();
    const next = await run(world);
    expect(totalReads(world)).toBe(0); // only our own two writes changed since
    expect(next.skipped.sort()).toEqual(["nghi-thu", "thu-thuy"]);
  });

  it("handles a change once however many passes run after it", async () => {
    const world = await settledWorld();
    world.staffEdit("nghi-huong");
    for (let i = 0; i < 5; i++) await run(world);
    expect(world.reads.get("nghi-huong")).toBe(1);
    expect(world.writes).toEqual(["nghi-huong"]);
  });

  it("records a failing ward, goes on with the others, and retries it on the next pass", async () => {
    const world = await settledWorld();
    world.staffEdit("nghi-hai");
    world.staffEdit("nghi-tan");
    world.staffEdit("nghi-thuy");
    world.failRead.add("nghi-tan");
    world.failWrite.add("nghi-thuy");
    const report = await run(world);
    expect(report.processed).toEqual(["nghi-hai"]);
    expect(report.failed).toEqual([
      { wardId: "nghi-tan", stage: "read", message: "Google Sheets trả lỗi 500 cho Nghi Tân" },
      { wardId: "nghi-thuy", stage: "feedback", message: "Không ghi được trang Kiểm tra của Nghi Thủy" },
    ]);
    expect((await wardState(world, "nghi-tan"))?.lastError).toMatchObject({ stage: "read" });
    expect((await feedState(world)).pending.sort()).toEqual(["nghi-tan", "nghi-thuy"]);

    world.failRead.clear();
    world.failWrite.clear();
    world.clock.advance(MINUTE);
    const retry = await run(world);
    expect(retry.processed.sort()).toEqual(["nghi-tan", "nghi-thuy"]);
    expect((await feedState(world)).pending).toEqual([]);
    expect((await wardState(world, "nghi-thuy"))?.lastError).toBeNull();
  });

  it("reports a ward whose spreadsheet was deleted, and keeps its last result", async () => {
    const world = await settledWorld();
    const before = await wardState(world, "nghi-thu");
    world.removeFile("nghi-thu");
    const report = await run(world);
    expect(report.removed).toEqual(["nghi-thu"]);
    expect(totalReads(world)).toBe(0);
    const after = await wardState(world, "nghi-thu");
    expect(after).toMatchObject({ outcome: before!.outcome, lastError: { stage: "file" } });
    expect((await feedState(world)).pending).toEqual([]);
  });

  it("never handles a change twice when two passes overlap; the late one asks for one more pass", async () => {
    const world = await settledWorld();
    world.staffEdit("nghi-huong");
    world.staffEdit("nghi-thu");
    const [a, b] = await Promise.all([run(world), run(world)]);
    expect([a.busy, b.busy].sort()).toEqual([false, true]);
    expect(world.reads.get("nghi-huong")).toBe(1);
    expect(world.reads.get("nghi-thu")).toBe(1);
    expect(world.changesLists).toBeGreaterThanOrEqual(2); // the holder listed once more for the late caller
    expect(await feedState(world)).toMatchObject({ lease: null, again: false });
  });

  it("leaves more wards than maxWards pending for the next pass, which reads them whatever Drive says", async () => {
    const world = await settledWorld();
    for (const id of ["nghi-hai", "nghi-huong", "nghi-tan"]) world.staffEdit(id);
    const first = await run(world, { ...FEED_OPTIONS, maxWards: 2 });
    expect(first.processed).toHaveLength(2);
    expect(first.deferred).toHaveLength(1);
    const second = await run(world, { ...FEED_OPTIONS, maxWards: 2 });
    expect(second.processed).toEqual(first.deferred);
    expect(totalReads(world)).toBe(3);
  });

  it("does not advance the page token when the feed cannot be read, and frees the lease", async () => {
    const world = await settledWorld();
    const token = (await feedState(world)).pageToken;
    world.staffEdit("nghi-hai");
    world.ports.changes.list = async () => {
      throw new Error("Drive 503");
    };
    await expect(run(world)).rejects.toThrow("Drive 503");
    expect(await feedState(world)).toMatchObject({ pageToken: token, lease: null });
  });

  it("lets a pass whose lease ran out store nothing over the pass that took over", async () => {
    const world = await settledWorld();
    world.staffEdit("nghi-hai");
    const slowRead = world.ports.sheets.read;
    let release!: () => void;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    world.ports.sheets = { read: async (ward) => (await blocked, slowRead(ward)) };
    const slow = run(world, { ...FEED_OPTIONS, leaseMs: MINUTE });
    await new Promise((resolve) => setTimeout(resolve, 20));
    world.clock.advance(2 * MINUTE);
    world.ports.sheets = { read: slowRead };
    const takeover = await run(world, { ...FEED_OPTIONS, leaseMs: MINUTE });
    expect(takeover.processed).toEqual(["nghi-hai"]);
    release();
    expect((await slow).leaseLost).toBe(true);
    expect(await feedState(world)).toMatchObject({ lease: null, pending: [] });
  });
});
