import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fileKeyValueStore } from "../../../functions/adapters/local/file-kv.js";
import { changeJson, claimOnce, kvStateStore, updateJson } from "../../../functions/app/kv-state.js";
import type { Snapshot } from "../../../functions/core/aggregate-town.js";
import type { KeyValueStore } from "../../../functions/ports.js";
import { StateStoreError } from "../../../functions/state-errors.js";
import { memoryKeyValueStore } from "../../fakes/memory-kv.js";

function snapshot(period: string, met = 3): Snapshot {
  return {
    period,
    generatedAt: `${period}T08:00:00.000Z`,
    programmes: [{ id: "ca-phuong-dien-hinh", wards: [{ id: "phuong-1", met, total: 10, recognised: false }] }],
  };
}


describe("kvStateStore", () => {
  it("starts empty", async () => {
    const state = kvStateStore(memoryKeyValueStore());
    expect(await state.listSnapshots()).toEqual([]);
    expect(await state.latestSnapshotBefore("2026-W48")).toBeNull();
  });

  it("lists snapshots oldest first and finds the newest strictly before a period", async () => {
    const kv = memoryKeyValueStore();
    const state = kvStateStore(kv);
    for (const period of ["2026-W47", "2026-W45", "2026-W48"]) await state.saveSnapshot(snapshot(period));

    expect((await state.listSnapshots()).map((s) => s.period)).toEqual(["2026-W45", "2026-W47", "2026-W48"]);
    expect((await state.latestSnapshotBefore("2026-W48"))?.period).toBe("2026-W47");
    expect((await state.latestSnapshotBefore("2026-W46"))?.period).toBe("2026-W45");
    expect(await state.latestSnapshotBefore("2026-W45")).toBeNull();
    expect([...kv.objects.keys()].sort()).toEqual(["snapshots/2026-W45.json", "snapshots/2026-W47.json", "snapshots/2026-W48.json"]);
  });

  it("replaces a period's snapshot when it is saved again", async () => {
    const state = kvStateStore(memoryKeyValueStore());
    await state.saveSnapshot(snapshot("2026-W48", 3));
    await state.saveSnapshot(snapshot("2026-W48", 7));

    expect(await state.listSnapshots()).toEqual([snapshot("2026-W48", 7)]);
  });

  it("ignores other keys under snapshots/ and outside it", async () => {
    const kv = memoryKeyValueStore({ "snapshots/readme.txt": "x", "snapshots/old/2026-W01.json": snapshot("2026-W01"), "ledger/x.json": {} });
    const state = kvStateStore(kv);
    await state.saveSnapshot(snapshot("2026-W48"));

    expect((await state.listSnapshots()).map((s) => s.period)).toEqual(["2026-W48"]);
  });

  it("answers the same over the in-memory and the file store", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tieuchi-kv-state-"));
    try {
      const stores = [kvStateStore(memoryKeyValueStore()), kvStateStore(fileKeyValueStore(dir))];
      const answers = await Promise.all(
        stores.map(async (state) => {
          for (const s of [snapshot("2026-W50"), snapshot("2026-W44", 1), snapshot("2026-W47", 2), snapshot("2026-W47", 5)]) await state.saveSnapshot(s);
          return {
            all: await state.listSnapshots(),
            before: await Promise.all(["2026-W44", "2026-W45", "2026-W47", "2026-W48", "2027-W01"].map((p) => state.latestSnapshotBefore(p))),
          };
        }),
      );
      expect(answers[0]).toEqual(answers[1]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("claimOnce", () => {
  it("is true for the first claim of a key only", async () => {
    const kv = memoryKeyValueStore();
    expect(await claimOnce(kv, "events/abc", { receivedAt: "2026-11-27T08:00:00Z" })).toBe(true);
    expect(await claimOnce(kv, "events/abc", { receivedAt: "2026-11-27T08:00:01Z" })).toBe(false);
    expect(await claimOnce(kv, "events/abd")).toBe(true);

    expect(JSON.parse(kv.objects.get("events/abc")?.text ?? "null")).toEqual({ claim: expect.any(String), value: { receivedAt: "2026-11-27T08:00:00Z" } });
  });

  it("stores distinct content for every claim, even of the same value", async () => {
    const [a, b] = [memoryKeyValueStore(), memoryKeyValueStore()];
    await claimOnce(a, "k", 1);
    await claimOnce(b, "k", 1);

    expect(a.objects.get("k")?.text).not.toBe(b.objects.get("k")?.text);
  });

  it("has exactly one winner among 20 concurrent claims of one key", async () => {
    const kv = memoryKeyValueStore();
    const results = await Promise.all(Array.from({ length: 20 }, () => claimOnce(kv, "notifications/channel-1/42")));

    expect(results.filter(Boolean)).toHaveLength(1);
    expect(kv.conflicts).toBe(19);
  });
});

describe("updateJson", () => {
  it("creates a missing key from null, then updates it, returning what it wrote", async () => {
    const kv = memoryKeyValueStore();
    const seen: Array<Record<string, string> | null> = [];
    const add = (ward: string, sheet: string) => (current: Record<string, string> | null) => {
      seen.push(current);
      return { ...current, [ward]: sheet };
    };

    expect(await updateJson(kv, "registry/wards.json", add("phuong-1", "sheet-1"))).toEqual({ "phuong-1": "sheet-1" });
    expect(await updateJson(kv, "registry/wards.json", add("phuong-2", "sheet-2"))).toEqual({ "phuong-1": "sheet-1", "phuong-2": "sheet-2" });
    expect(seen).toEqual([null, { "phuong-1": "sheet-1" }]);
  });

  it("loses no increment among 10 concurrent updates", async () => {
    const kv = memoryKeyValueStore();
    await Promise.all(Array.from({ length: 10 }, () => updateJson<number>(kv, "counter.json", (n) => (n ?? 0) + 1)));

    expect((await kv.get<number>("counter.json"))?.value).toBe(10);
    expect(kv.conflicts).toBeGreaterThan(0);
  });

  it("runs the update again on the fresh value after a conflict", async () => {
    const kv = memoryKeyValueStore({ "list.json": ["a"] });
    let interfered = false;
    // Another instance writes between this one's read and its write, once.
    const racing: KeyValueStore = {
      ...kv,
      put: async (key, value, ifVersion) => {
        if (!interfered) {
          interfered = true;
          await kv.put(key, ["a", "theirs"], ifVersion);
        }
        return kv.put(key, value, ifVersion);
      },
    };
    const seen: string[][] = [];
    const result = await updateJson<string[]>(racing, "list.json", (current) => {
      seen.push(current ?? []);
      return [...(current ?? []), "mine"];
    });

    expect(result).toEqual(["a", "theirs", "mine"]);
    expect(seen).toEqual([["a"], ["a", "theirs"]]);
    expect((await kv.get("list.json"))?.value).toEqual(["a", "theirs", "mine"]);
  });

  it("gives up after maxAttempts with a StateStoreError naming the key", async () => {
    const kv = memoryKeyValueStore({ "busy.json": 0 });
    const alwaysConflicting: KeyValueStore = { ...kv, put: async () => null };
    let calls = 0;
    const error = await updateJson<number>(alwaysConflicting, "busy.json", (n) => (calls++, (n ?? 0) + 1), { maxAttempts: 3 }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(StateStoreError);
    expect(error).toMatchObject({ operation: "update", key: "busy.json", message: "Không cập nhật được trạng thái “busy.json”: bị ghi đồng thời liên tục, đã thử 3 lần mà chưa ghi được" });
    expect(calls).toBe(3);
  });
});

describe("changeJson", () => {
  it("writes nothing when the update leaves the value, and waits for an update that asks something", async () => {
    const kv = memoryKeyValueStore({ "n.json": 1 });
    expect(await changeJson<number>(kv, "n.json", () => undefined)).toBeUndefined();
    expect(await changeJson<number>(kv, "none.json", () => undefined)).toBeUndefined();
    expect([...kv.objects.keys()]).toEqual(["n.json"]);
    const version = kv.objects.get("n.json")?.version;
    expect(await changeJson<number>(kv, "n.json", async (n) => (await Promise.resolve(10)) + (n ?? 0))).toBe(11);
    expect(kv.objects.get("n.json")?.version).not.toBe(version);
  });

  it("loses no increment among 10 concurrent updates that wait, and stops once another's write made its own needless", async () => {
    const kv = memoryKeyValueStore();
    await Promise.all(Array.from({ length: 10 }, () => changeJson<number>(kv, "counter.json", async (n) => (await Promise.resolve(), (n ?? 0) + 1))));
    expect((await kv.get<number>("counter.json"))?.value).toBe(10);
    const writes = await Promise.all(Array.from({ length: 5 }, () => changeJson<string>(kv, "once.json", (v) => (v === null ? "set" : undefined))));
    expect(writes.filter((w) => w === "set")).toHaveLength(1);
  });
});
