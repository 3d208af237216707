import { describe, expect, it } from "vitest";
import { kvStateStore } from "../../../functions/app/kv-state.js";
import { mapLimit } from "../../../functions/app/map-limit.js";
import { WARD_CONCURRENCY, runTown } from "../../../functions/app/run-town.js";
import type { WardConfig } from "../../../functions/config.js";
import type { SheetSource, WardFeedback } from "../../../functions/ports.js";
import { manualClock } from "../../fakes/clock.js";
import { memoryKeyValueStore } from "../../fakes/memory-kv.js";
import { builtinCatalogues } from "../../fixtures/workbooks.js";

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const catalogues = await builtinCatalogues();
const clock = manualClock("2026-11-25T02:00:00.000Z");

/** A sheet source that counts how many reads are in flight at once (each takes a few turns of the loop). */
function countingSource(): SheetSource & { peak: number; reads: number } {
  let inFlight = 0;
  const source = {
    peak: 0,
    reads: 0,
    read: async () => {
      inFlight += 1;
      source.reads += 1;
      source.peak = Math.max(source.peak, inFlight);
      for (let i = 0; i < 3; i++) await tick();
      inFlight -= 1;
      return null;
    },
  };
  return source;
}

const wards = Array.from({ length: 25 }, (_, i) => ({ id: `w${i}`, name: `Phường ${i}`, aliases: [], contacts: [] }) as unknown as WardConfig);

describe("runTown's bounded concurrency", () => {
  it("never has more than WARD_CONCURRENCY workbooks in flight, and reads and feeds back every ward once", async () => {
    const sheets = countingSource();
    const written: WardFeedback[] = [];
    const run = await runTown(wards, catalogues, {
      sheets,
      feedback: { write: async (f) => void written.push(f) },
      summary: { write: async () => undefined },
      state: kvStateStore(memoryKeyValueStore(), { warn: () => undefined, clock }),
      clock,
    });
    expect(sheets.peak).toBe(WARD_CONCURRENCY);
    expect(sheets.reads).toBe(wards.length);
    expect(written.map((f) => f.ward.id).sort()).toEqual(wards.map((w) => w.id).sort());
    expect(run.wards.map((w) => w.ward.id)).toEqual(wards.map((w) => w.id)); // in config order
  });

  it("takes a remembered run from the cache without reading or feeding back that ward", async () => {
    const sheets = countingSource();
    const written: string[] = [];
    const remembered: string[] = [];
    const cached = new Set(["w1", "w7"]);
    const run = await runTown(wards, catalogues, {
      sheets,
      cache: {
        recall: async (ward) => (cached.has(ward.id) ? { ward, findings: [], outcome: { ward: { id: ward.id, name: ward.name }, status: "ok", reason: null, scores: [] } } : null),
        remember: async (ward) => void remembered.push(ward.id),
      },
      feedback: { write: async (f) => void written.push(f.ward.id) },
      summary: { write: async () => undefined },
      state: kvStateStore(memoryKeyValueStore(), { warn: () => undefined, clock }),
      clock,
    });
    expect(sheets.reads).toBe(wards.length - 2);
    expect(written).not.toContain("w1");
    expect(remembered.sort()).toEqual(wards.map((w) => w.id).filter((id) => !cached.has(id)).sort());
    expect(run.wards.find((w) => w.ward.id === "w7")?.outcome.status).toBe("ok");
  });
});

describe("mapLimit", () => {
  it("keeps the input order, runs at most `limit` at once, and handles fewer items than the limit", async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapLimit([5, 1, 4, 2, 3], 2, async (n, i) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      for (let k = 0; k < n; k++) await tick();
      inFlight -= 1;
      return `${i}:${n}`;
    });
    expect(out).toEqual(["0:5", "1:1", "2:4", "3:2", "4:3"]);
    expect(peak).toBe(2);
    expect(await mapLimit([], 4, async () => 1)).toEqual([]);
    expect(await mapLimit(["a"], 4, async (x) => x)).toEqual(["a"]);
  });

  it("rejects when a call rejects", async () => {
    await expect(mapLimit([1, 2, 3], 2, async (n) => (n === 2 ? Promise.reject(new Error("boom")) : n))).rejects.toThrow("boom");
  });
});
