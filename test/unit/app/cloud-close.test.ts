/**
 * The close function's use case over a memory store and a recording PeriodLocks: requests
 * refused with the reason, the closing record and one lock per ward, a ward that failed retried
 * by the next call (and nothing done twice), and reopening removing what was locked.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { handleCloseRequest } from "../../../functions/app/cloud-close.js";
import { closureOf } from "../../../functions/app/closure-record.js";
import { STATE_KEYS, type WardState } from "../../../functions/app/cloud-ward.js";
import { summariseTown, type WardRun } from "../../../functions/app/run-town.js";
import { kvStateStore } from "../../../functions/app/snapshot-store.js";
import type { KeyValueStore, PeriodLocks } from "../../../functions/ports.js";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { manualClock } from "../../fakes/clock.js";
import { memoryKeyValueStore } from "../../fakes/memory-kv.js";
import { sampleOutcomes } from "../../fixtures/outcomes.js";
import { builtinCatalogues } from "../../fixtures/workbooks.js";

const clock = manualClock("2026-11-15T03:00:00Z");
const OFFICE = ["truongphong@congan.example"];
let catalogues: Catalogue[];
let runs: WardRun[];

beforeAll(async () => {
  catalogues = await builtinCatalogues();
  runs = sampleOutcomes(catalogues).map((outcome) => ({ ward: { id: outcome.ward.id, name: outcome.ward.name, aliases: [], contacts: [] }, outcome, findings: [] }));
});

/** Locks that record what they were asked, and fail for the wards in `failing`. */
function recordingLocks(failing: Set<string>): PeriodLocks & { locked: Map<string, string[]>; calls: string[] } {
  const locked = new Map<string, string[]>();
  const calls: string[] = [];
  return {
    locked,
    calls,
    lock: async (id, period, editors) => {
      calls.push(id);
      if (failing.has(id)) throw new Error("Sheets 503");
      if (locked.has(id)) return [];
      locked.set(id, [period, ...editors]);
      return ["Tab"];
    },
    unlock: async (id) => (locked.delete(id) ? ["Tab"] : []),
  };
}

async function world(): Promise<{ kv: KeyValueStore; registry: () => Promise<Record<string, { spreadsheetId: string; checkSheetId: null }>> }> {
  const kv = memoryKeyValueStore();
  await summariseTown(runs, catalogues, { state: kvStateStore(kv, { clock, warn: () => undefined }), clock }, { periodKind: "month" });
  const registry = Object.fromEntries(runs.map((r) => [r.ward.id, { spreadsheetId: `sheet-${r.ward.id}`, checkSheetId: null }]));
  return { kv, registry: async () => registry };
}

describe("handleCloseRequest", () => {
  it.each([
    [{}, "cần “action”: “close” (chốt kỳ) hoặc “reopen” (mở lại)"],
    [{ action: "close", period: "tháng này", by: "a@b.vn" }, "cần “period”: một kỳ báo cáo, ví dụ “2026-11” hoặc “2026-Q4”"],
    [{ action: "close", period: "2026-11" }, "cần “by”: người chốt hoặc mở lại (địa chỉ thư)"],
    [{ action: "reopen", period: "2026-11", by: "a@b.vn", reason: "  " }, "mở lại kỳ cần “reason”: lý do mở lại"],
  ])("refuses %j with 400 and the reason", async (body, reason) => {
    const { kv, registry } = await world();
    expect(await handleCloseRequest(body, { kv, locks: recordingLocks(new Set()), clock, registry }, OFFICE)).toEqual({ status: 400, body: reason });
  });

  it("answers 409 when the period has no stored figures yet", async () => {
    const { kv, registry } = await world();
    const answer = await handleCloseRequest({ action: "close", period: "2026-10", by: "a@b.vn" }, { kv, locks: recordingLocks(new Set()), clock, registry }, OFFICE);
    expect(answer.status).toBe(409);
    expect(answer.body).toContain("Chưa có số liệu đã lưu đầy đủ của tháng 10/2026");
  });

  it("closes, locks each ward for the office; a ward that failed is done by the next call, nothing twice; reopen unlocks them all", async () => {
    const { kv, registry } = await world();
    const [first, second] = Object.keys(await registry()).sort();
    const failing = new Set([`sheet-${second}`]);
    const locks = recordingLocks(failing);
    // The first ward's state remembers our last write: the lock must make the next pass read it.
    await kv.put(STATE_KEYS.ward(first!), { processedAt: clock.now().toISOString(), wroteAt: clock.now().toISOString() } as WardState, null);
    const ports = { kv, locks, clock, registry };
    const body = { action: "close", period: "2026-11", by: OFFICE[0] };

    const partial = await handleCloseRequest(body, ports, OFFICE);
    expect(partial.status).toBe(500);
    expect(partial.body).toContain(`Chưa xong đơn vị ${second}: Sheets 503`);
    expect((await closureOf(kv, "2026-11"))?.closed).toBe(true);
    expect(locks.locked.get(`sheet-${first}`)).toEqual(["2026-11", ...OFFICE]);
    expect((await kv.get<WardState>(STATE_KEYS.ward(first!)))?.value.wroteAt).toBeNull();

    failing.clear();
    locks.calls.length = 0;
    const finished = await handleCloseRequest(body, ports, OFFICE);
    expect(locks.calls).toEqual([`sheet-${second}`]); // the call again goes on where the last stopped
    expect(finished.status).toBe(200);
    expect(finished.body.split("\n")[0]).toBe("Tháng 11/2026 đã được chốt từ trước; đã rà lại khóa các bảng tính.");
    expect(locks.locked.size).toBe(runs.length);
    expect((await closureOf(kv, "2026-11"))?.events.filter((e) => e.kind === "close")).toHaveLength(1);

    const reopened = await handleCloseRequest({ action: "reopen", period: "2026-11", by: OFFICE[0], reason: "Bổ sung minh chứng" }, ports, OFFICE);
    expect(reopened).toEqual({ status: 200, body: `Đã mở lại tháng 11/2026.\nĐã bỏ khóa ${runs.length}/${runs.length} bảng tính của các đơn vị.` });
    expect(locks.locked.size).toBe(0);
    expect((await closureOf(kv, "2026-11"))?.events.at(-1)).toMatchObject({ kind: "reopen", by: OFFICE[0], reason: "Bổ sung minh chứng" });
  });
});
