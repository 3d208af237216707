import { describe, expect, it } from "vitest";
import { STATE_KEYS, type WardRegistry } from "../../../functions/app/cloud-ward.js";
import { PROVISION_LEASE_KEY, PROVISION_LEASE_MS, ProvisionBusyError, provisionWards, reservationKey } from "../../../functions/app/provision-wards.js";
import type { WardConfig } from "../../../functions/config.js";
import type { KeyValueStore, WardSpreadsheets } from "../../../functions/ports.js";
import { StateStoreError } from "../../../functions/state-errors.js";
import { memoryKeyValueStore } from "../../fakes/memory-kv.js";

const clock = { now: () => new Date("2026-12-01T03:00:00Z") };
const ward = (id: string): WardConfig => ({ id, name: id.toUpperCase(), aliases: [], contacts: [] });

/** Drive and Sheets in memory: files by id, each "blank" or "built"; every call logged with what the store held at that moment. */
function memorySpreadsheets(kv: KeyValueStore) {
  const files = new Map<string, "blank" | "built">();
  const log: string[] = [];
  let next = 0;
  const spreadsheets: WardSpreadsheets = {
    reserveId: async () => `file-${++next}`,
    createFile: async (id, w) => {
      log.push(`create ${id} reserved=${(await kv.get(reservationKey(w.id))) !== null}`);
      if (files.has(id)) return "exists";
      files.set(id, "blank");
      return "created";
    },
    build: async (id) => {
      const state = files.get(id);
      if (!state) return null;
      files.set(id, "built");
      return { checkSheetId: 7, actions: state === "blank" ? ["dựng"] : [] };
    },
    share: async () => ({ actions: [], refused: [] }),
  };
  return { spreadsheets, files, log };
}

/** A store that counts writes per key. */
function countingKv(): { kv: KeyValueStore; puts: Map<string, number> } {
  const inner = memoryKeyValueStore();
  const puts = new Map<string, number>();
  return {
    puts,
    kv: { ...inner, put: (key, value, ifVersion) => (puts.set(key, (puts.get(key) ?? 0) + 1), inner.put(key, value, ifVersion)) },
  };
}

describe("provisionWards", () => {
  it("stores the reserved id before creating, then records every ward in ONE registry write and drops the reservations", async () => {
    const { kv, puts } = countingKv();
    const { spreadsheets, log } = memorySpreadsheets(kv);
    const outcomes = await provisionWards({ spreadsheets, kv, clock }, [ward("a"), ward("b"), ward("c")]);
    expect(log).toEqual(["create file-1 reserved=true", "create file-2 reserved=true", "create file-3 reserved=true"]);
    expect(outcomes.map((o) => o.registration)).toEqual([1, 2, 3].map((n) => ({ spreadsheetId: `file-${n}`, checkSheetId: 7 })));
    expect(puts.get(STATE_KEYS.registry)).toBe(1);
    expect(await kv.list("provision/")).toEqual([]);
  });

  it("repairs a recorded ward, replaces a vanished one, and goes on after a failing ward", async () => {
    const kv = memoryKeyValueStore();
    const { spreadsheets, files } = memorySpreadsheets(kv);
    files.set("kept", "built");
    await kv.put(STATE_KEYS.registry, { a: { spreadsheetId: "kept", checkSheetId: 7 }, b: { spreadsheetId: "gone", checkSheetId: 7 } }, null);
    const failing: WardSpreadsheets = { ...spreadsheets, share: async (id, w) => (w.id === "c" ? Promise.reject(new Error("hỏng")) : spreadsheets.share(id, w)) };
    const outcomes = await provisionWards({ spreadsheets: failing, kv, clock }, [ward("a"), ward("b"), ward("c"), ward("d")]);
    expect(outcomes.map((o) => [o.wardId, o.registration?.spreadsheetId, o.error])).toEqual([
      ["a", "kept", null],
      ["b", "file-1", null],
      ["c", "file-2", "hỏng"],
      ["d", "file-3", null],
    ]);
    expect(outcomes[1]?.actions[0]).toContain("tạo bảng tính mới");
    const registry = (await kv.get<WardRegistry>(STATE_KEYS.registry))!.value;
    expect(Object.fromEntries(Object.entries(registry).map(([id, r]) => [id, r.spreadsheetId]))).toEqual({ a: "kept", b: "file-1", c: "file-2", d: "file-3" });
  });

  it("stops when the state store fails: nothing could be recorded", async () => {
    const inner = memoryKeyValueStore();
    const kv: KeyValueStore = { ...inner, put: () => Promise.reject(new StateStoreError("put", "x", "không ghi được")) };
    const { spreadsheets, files } = memorySpreadsheets(inner);
    await expect(provisionWards({ spreadsheets, kv, clock }, [ward("a")])).rejects.toBeInstanceOf(StateStoreError);
    expect(files.size).toBe(0);
  });

  it("lets one run at a time provision: an overlapping run is refused, touches nothing, and says until when", async () => {
    const kv = memoryKeyValueStore();
    const { spreadsheets, files } = memorySpreadsheets(kv);
    let overlapping: unknown;
    const slow: WardSpreadsheets = {
      ...spreadsheets,
      createFile: async (id, w) => {
        overlapping ??= await provisionWards({ spreadsheets, kv, clock }, [ward("x")]).catch((error: unknown) => error);
        return spreadsheets.createFile(id, w);
      },
    };
    const outcomes = await provisionWards({ spreadsheets: slow, kv, clock }, [ward("a")]);
    expect(outcomes.map((o) => o.error)).toEqual([null]);
    expect(overlapping).toBeInstanceOf(ProvisionBusyError);
    expect((overlapping as Error).message).toContain("Một lượt “tieuchi provision” khác đang chạy (bắt đầu lúc 10:00 ngày 01/12/2026)");
    expect([...files.keys()]).toEqual(["file-1"]);
    expect(await kv.get(PROVISION_LEASE_KEY)).toBeNull(); // released
  });

  it("takes over the lease of a run that died, once its time is up", async () => {
    const kv = memoryKeyValueStore();
    const { spreadsheets } = memorySpreadsheets(kv);
    const diedAt = new Date(clock.now().getTime() - PROVISION_LEASE_MS - 1);
    await kv.put(PROVISION_LEASE_KEY, { id: "dead", until: diedAt.getTime() + PROVISION_LEASE_MS, takenAt: diedAt.toISOString() }, null);
    const outcomes = await provisionWards({ spreadsheets, kv, clock }, [ward("a")]);
    expect(outcomes.map((o) => o.error)).toEqual([null]);
  });
});
