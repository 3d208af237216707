/**
 * The close function's use case over a memory store and a recording PeriodLocks: requests
 * refused with the reason, the closing record and one lock per ward, a ward that failed retried
 * by the next call (and nothing done twice), and reopening removing what was locked.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { type CloseContext, UNKNOWN_CALLER, handleCloseRequest, wardNamer } from "../../../functions/app/cloud-close.js";
import { PeriodLockError } from "../../../functions/errors.js";
import { closureOf } from "../../../functions/app/closure-record.js";
import { LIFTED_REASON, liftEndedLocks } from "../../../functions/app/cloud-lock-expiry.js";
import { liftedLockKey } from "../../../functions/app/period-lock-records.js";
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
      if (failing.has(id)) throw new PeriodLockError("Google tạm thời không trả lời: hãy chạy lại sau ít phút");
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

const CALLER = "truongphong@congan.example";

/** The close context of a call by CALLER (or `caller`), the wards named from the sample. */
const as = (caller: string | null = CALLER): CloseContext => ({ office: OFFICE, caller, wardName: wardNamer(runs.map((r) => r.ward)) });

describe("handleCloseRequest", () => {
  it.each([
    [{}, "cần “action”: “close” (chốt kỳ) hoặc “reopen” (mở lại)"],
    [{ action: "close", period: "tháng này" }, "cần “period”: một kỳ báo cáo, ví dụ “2026-11” hoặc “2026-Q4”"],
    [{ action: "reopen", period: "2026-11", reason: "  " }, "mở lại kỳ cần “reason”: lý do mở lại"],
  ])("refuses %j with 400 and the reason", async (body, reason) => {
    const { kv, registry } = await world();
    expect(await handleCloseRequest(body, { kv, locks: recordingLocks(new Set()), clock, registry }, as())).toEqual({ status: 400, body: reason });
  });

  it("refuses a caller with no verified identity (401), whatever “by” the body names", async () => {
    const { kv, registry } = await world();
    const answer = await handleCloseRequest({ action: "close", period: "2026-11", by: CALLER }, { kv, locks: recordingLocks(new Set()), clock, registry }, as(null));
    expect(answer).toEqual({ status: 401, body: UNKNOWN_CALLER });
    expect(await closureOf(kv, "2026-11")).toBeNull();
  });

  it("records the caller's identity as who closed, never the body's “by”", async () => {
    const { kv, registry } = await world();
    const locks = recordingLocks(new Set());
    await handleCloseRequest({ action: "close", period: "2026-11", by: "ai-do@gia.mao" }, { kv, locks, clock, registry }, as());
    expect((await closureOf(kv, "2026-11"))?.events).toEqual([expect.objectContaining({ kind: "close", by: CALLER })]);
    const record = (await kv.get<{ by: string }>(`locks/2026-11/${Object.keys(await registry()).sort()[0]}.json`))?.value;
    expect(record?.by).toBe(CALLER);
  });

  it("answers 409 when the period has no stored figures yet", async () => {
    const { kv, registry } = await world();
    const answer = await handleCloseRequest({ action: "close", period: "2026-10" }, { kv, locks: recordingLocks(new Set()), clock, registry }, as());
    expect(answer.status).toBe(409);
    expect(answer.body).toContain("Chưa có số liệu đã lưu đầy đủ của tháng 10/2026");
  });

  it("closes, locks each ward for the office; a ward that failed is named and done by the next call, nothing twice; reopen unlocks them all", async () => {
    const { kv, registry } = await world();
    const [first, second] = Object.keys(await registry()).sort();
    const failing = new Set([`sheet-${second}`]);
    const locks = recordingLocks(failing);
    // The first ward's state remembers our last write: the lock must make the next pass read it.
    await kv.put(STATE_KEYS.ward(first!), { processedAt: clock.now().toISOString(), wroteAt: clock.now().toISOString() } as WardState, null);
    const ports = { kv, locks, clock, registry };
    const body = { action: "close", period: "2026-11" };

    const partial = await handleCloseRequest(body, ports, as());
    expect(partial.status).toBe(500);
    const secondName = runs.find((r) => r.ward.id === second)!.ward.name;
    expect(partial.body).toContain(`Chưa xong Phường ${secondName}: Google tạm thời không trả lời: hãy chạy lại sau ít phút.`);
    expect((await closureOf(kv, "2026-11"))?.closed).toBe(true);
    expect(locks.locked.get(`sheet-${first}`)).toEqual(["2026-11", ...OFFICE]);
    expect((await kv.get<WardState>(STATE_KEYS.ward(first!)))?.value.wroteAt).toBeNull();

    failing.clear();
    locks.calls.length = 0;
    const finished = await handleCloseRequest(body, ports, as());
    expect(locks.calls).toEqual([`sheet-${second}`]); // the call again goes on where the last stopped
    expect(finished.status).toBe(200);
    expect(finished.body.split("\n")[0]).toBe("Tháng 11/2026 đã được chốt từ trước; đã rà lại khóa các bảng tính.");
    expect(locks.locked.size).toBe(runs.length);
    expect((await closureOf(kv, "2026-11"))?.events.filter((e) => e.kind === "close")).toHaveLength(1);

    const reopened = await handleCloseRequest({ action: "reopen", period: "2026-11", reason: "Bổ sung minh chứng" }, ports, as());
    expect(reopened).toEqual({ status: 200, body: `Đã mở lại tháng 11/2026.\nĐã bỏ khóa ${runs.length}/${runs.length} bảng tính của các đơn vị.` });
    expect(locks.locked.size).toBe(0);
    expect((await closureOf(kv, "2026-11"))?.events.at(-1)).toMatchObject({ kind: "reopen", by: CALLER, reason: "Bổ sung minh chứng" });
  });

  it("never shows a raw error: an unexpected one is a plain Vietnamese sentence, its text logged", async () => {
    const { kv, registry } = await world();
    const warned: string[] = [];
    const locks: PeriodLocks = { lock: async () => Promise.reject(new Error("The caller does not have permission")), unlock: async () => [] };
    const answer = await handleCloseRequest({ action: "close", period: "2026-11" }, { kv, locks, clock, registry, warn: (l) => warned.push(l) }, as());
    expect(answer.status).toBe(500);
    expect(answer.body).not.toMatch(/permission|[a-z]+-[a-z]+:/u);
    expect(answer.body).toContain("Chưa xong Phường ");
    expect(answer.body).toContain(": lỗi ngoài dự kiến (chi tiết ghi trong nhật ký).");
    expect(warned[0]).toContain("The caller does not have permission");
  });

  it("answers an unexpected failure outside any ward in Vietnamese (500), its text logged", async () => {
    const { kv } = await world();
    const warned: string[] = [];
    const registry = async () => Promise.reject(new TypeError("Cannot read properties of undefined (reading 'wards')"));
    const answer = await handleCloseRequest({ action: "close", period: "2026-11" }, { kv, locks: recordingLocks(new Set()), clock, registry, warn: (l) => warned.push(l) }, as());
    expect(answer).toEqual({ status: 500, body: "Chưa chốt xong tháng 11/2026: lỗi ngoài dự kiến (chi tiết ghi trong nhật ký); hãy gọi lại." });
    expect(warned[0]).toContain("Cannot read properties of undefined");
  });
});

describe("a period lock lasts while its period runs", () => {
  it("closing a period that has already ended locks nothing, and says so", async () => {
    const { kv, registry } = await world();
    const locks = recordingLocks(new Set());
    const later = manualClock("2026-12-03T03:00:00Z");
    const answer = await handleCloseRequest({ action: "close", period: "2026-11" }, { kv, locks, clock: later, registry }, as());
    expect(answer).toEqual({
      status: 200,
      body: "Đã chốt tháng 11/2026.\nTháng 11/2026 đã kết thúc nên không khóa bảng tính của các đơn vị: số liệu đã chốt được giữ nguyên trong bản chốt, các đơn vị tiếp tục nhập cho kỳ mới.",
    });
    expect(locks.calls).toEqual([]);
    expect((await closureOf(kv, "2026-11"))?.closed).toBe(true);
    expect(await kv.list("locks/")).toEqual([]);
    const again = await handleCloseRequest({ action: "close", period: "2026-11" }, { kv, locks, clock: later, registry }, as());
    expect(again.body.split("\n")[0]).toBe("Tháng 11/2026 đã được chốt từ trước.");
    expect(locks.calls).toEqual([]);
  });

  it("the sweep's lifting leaves a running period locked, and lifts it once the next period begins, recording why", async () => {
    const { kv, registry } = await world();
    const locks = recordingLocks(new Set());
    const clockNow = manualClock("2026-11-15T03:00:00Z");
    await handleCloseRequest({ action: "close", period: "2026-11" }, { kv, locks, clock: clockNow, registry }, as());
    expect(locks.locked.size).toBe(runs.length);

    clockNow.advance(15 * 24 * 3600_000 + 13 * 3600_000); // 2026-11-30T16:00Z: 23:00 in Vietnam, still November
    expect(await liftEndedLocks({ kv, locks, clock: clockNow })).toEqual({ lifted: [], failed: [] });
    expect(locks.locked.size).toBe(runs.length);

    clockNow.advance(3600_000); // 00:00 on 1 December in Vietnam: the next period has begun
    const first = await liftEndedLocks({ kv, locks, clock: clockNow });
    const wards = Object.keys(await registry()).sort();
    expect(first).toEqual({ lifted: wards.map((w) => `2026-11/${w}`), failed: [] });
    expect(locks.locked.size).toBe(0);
    expect(await kv.list("locks/")).toEqual([]);
    const lifted = (await kv.get<{ by: string; lifted: unknown }>(liftedLockKey("2026-11", wards[0]!)))?.value;
    expect(lifted).toMatchObject({ by: CALLER, lifted: { at: "2026-11-30T17:00:00.000Z", reason: LIFTED_REASON } });
    expect(LIFTED_REASON).toBe("mở khóa khi kỳ mới bắt đầu");
    // The period stays closed (its figures frozen); a second sweep has nothing to lift.
    expect((await closureOf(kv, "2026-11"))?.closed).toBe(true);
    expect(await liftEndedLocks({ kv, locks, clock: clockNow })).toEqual({ lifted: [], failed: [] });
  });

  it("a lock that could not be lifted stays recorded and is lifted by the next sweep", async () => {
    const { kv, registry } = await world();
    const locks = recordingLocks(new Set());
    await handleCloseRequest({ action: "close", period: "2026-11" }, { kv, locks, clock, registry }, as());
    const [ward] = Object.keys(await registry()).sort();
    const flaky: PeriodLocks = { ...locks, unlock: async (id, period) => (id === `sheet-${ward}` ? Promise.reject(new PeriodLockError("Google tạm thời không trả lời")) : locks.unlock(id, period)) };
    const december = manualClock("2026-12-02T01:00:00Z");
    const report = await liftEndedLocks({ kv, locks: flaky, clock: december });
    expect(report.failed).toEqual([`2026-11/${ward}: Google tạm thời không trả lời`]);
    expect(await kv.list("locks/")).toEqual([`locks/2026-11/${ward}.json`]);
    expect((await liftEndedLocks({ kv, locks, clock: december })).lifted).toEqual([`2026-11/${ward}`]);
  });
});
