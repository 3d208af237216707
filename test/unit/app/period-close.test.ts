/**
 * Closing a period over a KeyValueStore: the frozen hash, who and when, the append-only
 * history, refusals, and two closes racing through the file store (one wins).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { closedPeriodGuard, editedAfterClose } from "../../../functions/app/closed-run.js";
import { closureOf } from "../../../functions/app/closure-record.js";
import { closePeriod, PeriodClosedError, reopenPeriod } from "../../../functions/app/period-close.js";
import { summariseTown, type WardRun } from "../../../functions/app/run-town.js";
import { kvStateStore, snapshotKey } from "../../../functions/app/snapshot-store.js";
import { fileKeyValueStore } from "../../../functions/adapters/local/file-kv.js";
import type { WardOutcome } from "../../../functions/core/aggregate-town.js";
import { PeriodError } from "../../../functions/errors.js";
import { sha256Hex, stableJson } from "../../../functions/hashing.js";
import type { KeyValueStore } from "../../../functions/ports.js";
import { manualClock } from "../../fakes/clock.js";
import { memoryKeyValueStore } from "../../fakes/memory-kv.js";
import { sampleOutcomes } from "../../fixtures/outcomes.js";
import { builtinCatalogues } from "../../fixtures/workbooks.js";

let catalogues: Catalogue[];
let runs: WardRun[];
const clock = manualClock("2026-11-15T03:00:00Z");
const actor = { by: "canbo", clock };

beforeAll(async () => {
  catalogues = await builtinCatalogues();
  runs = sampleOutcomes(catalogues).map((outcome) => ({ ward: { id: outcome.ward.id, name: outcome.ward.name, aliases: [], contacts: [] }, outcome, findings: [] }));
});

/** The sample town run once in November 2026, its snapshot stored. */
async function storedNovember(kv: KeyValueStore): Promise<void> {
  await summariseTown(runs, catalogues, { state: kvStateStore(kv, { clock, warn: () => undefined }), clock }, { periodKind: "month" });
}

/** A ward's outcome with its first criterion of the first programme turned to `status`. */
function withFirstCriterion(outcome: WardOutcome, status: "met" | "not-met"): WardOutcome {
  const [first, ...rest] = outcome.scores;
  if (!first) throw new Error("no programme");
  const [c, ...others] = first.criteria;
  if (!c) throw new Error("no criterion");
  return { ...outcome, scores: [{ ...first, criteria: [{ ...c, status }, ...others] }, ...rest] };
}

describe("closing a period", () => {
  it("freezes the snapshot under the sha256 of its canonical JSON, with who and when", async () => {
    const kv = memoryKeyValueStore();
    await storedNovember(kv);
    const snapshot = (await kv.get(snapshotKey("2026-11")))?.value;
    const closure = await closePeriod(kv, "2026-11", actor);
    expect(closure.hash).toBe(sha256Hex(stableJson(snapshot)));
    expect(closure).toMatchObject({ period: "2026-11", closed: true, events: [{ kind: "close", by: "canbo", at: "2026-11-15T03:00:00.000Z", hash: closure.hash }] });
    expect(await closureOf(kv, "2026-11")).toEqual(closure);
  });

  it("refuses a period with no stored snapshot, and a period already closed", async () => {
    const kv = memoryKeyValueStore();
    await expect(closePeriod(kv, "2026-11", actor)).rejects.toThrow(/Chưa có số liệu đã lưu đầy đủ của tháng 11\/2026/u);
    await storedNovember(kv);
    await closePeriod(kv, "2026-11", actor);
    const again = closePeriod(kv, "2026-11", actor);
    await expect(again).rejects.toBeInstanceOf(PeriodClosedError);
    await expect(closePeriod(kv, "2026-11", actor)).rejects.toThrow(/Tháng 11\/2026 đã được chốt trước đó \(chốt lúc 15\/11\/2026 10:00, người chốt: canbo\)/u);
  });

  it("keeps the closed snapshot when the running period is run again with other figures", async () => {
    const kv = memoryKeyValueStore();
    await storedNovember(kv);
    const closure = await closePeriod(kv, "2026-11", actor);
    const before = kv.objects.get(snapshotKey("2026-11"))?.text;
    const edited = runs.map((r, i) => (i === 0 ? { ...r, outcome: withFirstCriterion(r.outcome, "not-met") } : r));
    const state = kvStateStore(kv, { clock, warn: () => undefined });
    await summariseTown(edited, catalogues, { state, clock }, { periodKind: "month" });
    expect(kv.objects.get(snapshotKey("2026-11"))?.text).toBe(before);
    expect(sha256Hex(stableJson(JSON.parse(before ?? "null")))).toBe(closure.hash);
    expect(await state.isClosed?.("2026-11")).toBe(true);
  });

  it("warns when the frozen snapshot no longer matches its hash", async () => {
    const kv = memoryKeyValueStore();
    await storedNovember(kv);
    await closePeriod(kv, "2026-11", actor);
    const warnings: string[] = [];
    const state = kvStateStore(kv, { clock, warn: (line) => warnings.push(line) });
    expect(await state.isClosed?.("2026-11")).toBe(true);
    expect(warnings).toEqual([]);
    const text = kv.objects.get(snapshotKey("2026-11"))?.text ?? "";
    kv.corrupt(snapshotKey("2026-11"), text.replace('"generatedAt":"2026-11-15T03:00:00.000Z"', '"generatedAt":"2026-11-16T03:00:00.000Z"'));
    expect(await state.isClosed?.("2026-11")).toBe(true);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Cảnh báo: số liệu đã lưu của tháng 11\/2026 không còn khớp mã số liệu lúc chốt \([0-9a-f]{12}…\): tệp trạng thái “snapshots\/2026-11.json” đã bị sửa sau khi chốt kỳ\.$/u);
  });

  it("reopens only with a reason, keeps every event, and lets runs save again", async () => {
    const kv = memoryKeyValueStore();
    await storedNovember(kv);
    await expect(reopenPeriod(kv, "2026-11", "lý do", actor)).rejects.toThrow("Tháng 11/2026 chưa được chốt nên không cần mở lại.");
    const closed = await closePeriod(kv, "2026-11", actor);
    await expect(reopenPeriod(kv, "2026-11", "  ", actor)).rejects.toThrow(PeriodError);
    await expect(reopenPeriod(kv, "2026-11", "", actor)).rejects.toThrow(/cần ghi lý do/u);
    clock.advance(60_000);
    const reopened = await reopenPeriod(kv, "2026-11", " Phường Nghi Hòa bổ sung minh chứng ", actor);
    expect(reopened.closed).toBe(false);
    expect(reopened.events.slice(0, 1)).toEqual(closed.events);
    expect(reopened.events[1]).toEqual({ kind: "reopen", at: "2026-11-15T03:01:00.000Z", by: "canbo", reason: "Phường Nghi Hòa bổ sung minh chứng" });
    const edited = runs.map((r, i) => (i === 0 ? { ...r, outcome: withFirstCriterion(r.outcome, "not-met") } : r));
    const before = kv.objects.get(snapshotKey("2026-11"))?.text;
    await summariseTown(edited, catalogues, { state: kvStateStore(kv, { clock, warn: () => undefined }), clock }, { periodKind: "month" });
    expect(kv.objects.get(snapshotKey("2026-11"))?.text).not.toBe(before);
    const again = await closePeriod(kv, "2026-11", actor);
    expect(again.events.map((e) => e.kind)).toEqual(["close", "reopen", "close"]);
    expect(again.events.slice(0, 2)).toEqual(reopened.events);
    expect(again.hash).not.toBe(closed.hash);
  });
});

describe("two closes at once through the file store", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "tieuchi-close-race-"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("lets exactly one win; the other is told the period is already closed", async () => {
    await storedNovember(fileKeyValueStore(dir));
    for (let round = 0; round < 5; round++) {
      const results = await Promise.allSettled([closePeriod(fileKeyValueStore(dir), "2026-11", { by: "a", clock }), closePeriod(fileKeyValueStore(dir), "2026-11", { by: "b", clock })]);
      const won = results.filter((r) => r.status === "fulfilled");
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]?.reason).toBeInstanceOf(PeriodClosedError);
      const closure = await closureOf(fileKeyValueStore(dir), "2026-11");
      expect(closure?.events.filter((e) => e.kind === "close")).toHaveLength(round + 1);
      await reopenPeriod(fileKeyValueStore(dir), "2026-11", `vòng ${round}`, actor);
    }
  }, 60_000);
});

describe("edits after closing", () => {
  it("flags the programme tab whose criteria differ from the closed outcome, and nothing else", () => {
    const closed = runs[0]!.outcome;
    const first = closed.scores[0]!;
    const code = first.criteria[0]!.code;
    const flip = first.criteria[0]!.status === "met" ? "not-met" : "met";
    const catalogue = catalogues.find((c) => c.id === first.programmeId)!;
    expect(editedAfterClose("2026-11", closed, closed, catalogues)).toEqual([]);
    expect(editedAfterClose("2026-11", closed, withFirstCriterion(closed, flip), catalogues)).toEqual([
      { severity: "warning", tab: catalogue.tabTitle, cell: "A1", criterion: null, code: "edited-after-close", params: { period: "2026-11", criteria: [code] } },
    ]);
  });

  it("shows the closed town picture and the flagged findings in a run of the closed period", async () => {
    const kv = memoryKeyValueStore();
    await storedNovember(kv);
    expect(await closedPeriodGuard(kv, "2026-11", catalogues)).toBeNull();
    await closePeriod(kv, "2026-11", actor);
    const guard = await closedPeriodGuard(kv, "2026-11", catalogues);
    const closedSummary = (await kvStateStore(kv).listSnapshots())[0]?.detail?.summary;
    const edited = runs.map((r, i) => (i === 1 ? { ...r, outcome: withFirstCriterion(r.outcome, r.outcome.scores[0]?.criteria[0]?.status === "met" ? "not-met" : "met") } : r));
    const fresh = await summariseTown(edited, catalogues, { state: kvStateStore(kv, { clock, warn: () => undefined }), clock }, { periodKind: "month" });
    const shown = guard!.finish(fresh);
    expect(shown.summary).toEqual(closedSummary);
    expect(shown.wards.map((w) => w.findings.map((f) => f.code))).toEqual(runs.map((_, i) => (i === 1 ? ["edited-after-close"] : [])));
    const written: string[][] = [];
    await guard!.feedback({ write: async (f) => void written.push(f.findings.map((x) => x.code)) }).write({ ...edited[1]!, checkedAt: clock.now() });
    expect(written).toEqual([["edited-after-close"]]);
  });
});
