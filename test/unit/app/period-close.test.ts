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
import { closureOf, frozenSnapshot, snapshotHash } from "../../../functions/app/closure-record.js";
import { closePeriod, PeriodClosedError, pendingAppraisals, reopenPeriod } from "../../../functions/app/period-close.js";
import { summariseTown, type WardRun } from "../../../functions/app/run-town.js";
import { kvStateStore, snapshotKey } from "../../../functions/app/snapshot-store.js";
import { fileKeyValueStore } from "../../../functions/adapters/local/file-kv.js";
import type { WardOutcome } from "../../../functions/core/aggregate-town.js";
import { PeriodError } from "../../../functions/errors.js";
import { sha256Hex, stableJson } from "../../../functions/hashing.js";
import type { KeyValueStore, StoredSnapshot } from "../../../functions/ports.js";
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
    const snapshot = (await kv.get<StoredSnapshot>(snapshotKey("2026-11")))?.value;
    const closure = await closePeriod(kv, "2026-11", actor);
    expect(closure.frozen).toEqual(frozenSnapshot(snapshot!));
    expect(closure.hash).toBe(sha256Hex(stableJson(closure.frozen)));
    // Frozen with every review state closed; the figures as they were.
    expect(closure.frozen?.detail?.wards.flatMap((w) => w.outcome.review?.map((r) => r.state) ?? [])).toEqual(expect.arrayContaining(["closed"]));
    expect(new Set(closure.frozen?.detail?.wards.flatMap((w) => w.outcome.review?.map((r) => r.state) ?? []))).toEqual(new Set(["closed"]));
    expect(closure.frozen?.programmes).toEqual(snapshot?.programmes);
    expect(new Set(closure.frozen?.detail?.summary.programmes.flatMap((p) => p.wards.map((w) => w.review)))).toEqual(new Set(["closed"]));
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
    expect(snapshotHash((await state.listSnapshots())[0]!)).toBe(closure.hash);
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
    const text = kv.objects.get("closures/2026-11.json")?.text ?? "";
    kv.corrupt("closures/2026-11.json", text.replace('"generatedAt":"2026-11-15T03:00:00.000Z"', '"generatedAt":"2026-11-16T03:00:00.000Z"'));
    expect(await state.isClosed?.("2026-11")).toBe(true);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Cảnh báo: số liệu đã lưu của tháng 11\/2026 không còn khớp mã số liệu lúc chốt \([0-9a-f]{12}…\): tệp trạng thái “closures\/2026-11.json” đã bị sửa sau khi chốt kỳ\.$/u);
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

describe("a close racing a run's save through the file store", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "tieuchi-close-save-"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("keeps what was closed when the run's save lands just after the close", async () => {
    await storedNovember(fileKeyValueStore(dir));
    const files = fileKeyValueStore(dir);
    // The run has checked "not closed" and read the snapshot's version; its write waits until the close is written.
    let release: () => void = () => undefined;
    const closed = new Promise<void>((done) => (release = done));
    let held = false;
    const slowRun: KeyValueStore = {
      ...files,
      get: (key) => files.get(key),
      list: (prefix) => files.list(prefix),
      delete: (key) => files.delete(key),
      put: async (key, value, version) => {
        if (key === snapshotKey("2026-11")) {
          held = true;
          await closed;
        }
        return files.put(key, value, version);
      },
    };
    const edited = runs.map((r, i) => (i === 0 ? { ...r, outcome: withFirstCriterion(r.outcome, r.outcome.scores[0]?.criteria[0]?.status === "met" ? "not-met" : "met") } : r));
    const saving = summariseTown(edited, catalogues, { state: kvStateStore(slowRun, { clock, warn: () => undefined }), clock }, { periodKind: "month" });
    while (!held) await new Promise((r) => setTimeout(r, 5));
    const closure = await closePeriod(fileKeyValueStore(dir), "2026-11", actor);
    release();
    await saving;
    // The run's write landed in the snapshot file, but the closed period still reads as closed.
    const file = (await fileKeyValueStore(dir).get<StoredSnapshot>(snapshotKey("2026-11")))?.value;
    expect(file?.detail?.wards[0]?.outcome.scores).toEqual(edited[0]?.outcome.scores);
    const warnings: string[] = [];
    const state = kvStateStore(fileKeyValueStore(dir), { clock, warn: (line) => warnings.push(line) });
    const shown = (await state.listSnapshots()).find((x) => x.period === "2026-11");
    expect(snapshotHash(shown!)).toBe(closure.hash);
    expect(shown?.detail?.wards[0]?.outcome.scores).toEqual(runs[0]?.outcome.scores);
    expect(await state.isClosed?.("2026-11")).toBe(true);
    expect(warnings).toEqual([]);
    const guard = await closedPeriodGuard(fileKeyValueStore(dir), "2026-11", catalogues);
    expect(guard?.finish({ summary: shown!.detail!.summary, wards: [] }).summary).toEqual(shown?.detail?.summary);
  }, 30_000);
});

describe("pendingAppraisals", () => {
  it("names each ward's programme not appraised, with the state it is in", () => {
    const wards = runs.slice(0, 2).map((r, i) => ({
      id: r.ward.id,
      findings: [],
      outcome: { ...r.outcome, review: r.outcome.scores.map((s, j) => ({ programmeId: s.programmeId, state: i === 0 && j === 0 ? ("appraised" as const) : ("submitted" as const), submittedAt: null, appraisedAt: null })) },
    }));
    const snapshot = { period: "2026-11", generatedAt: "", programmes: [], detail: { summary: { period: "2026-11", generatedAt: "", previousPeriod: null, programmes: [] }, wards } } as StoredSnapshot;
    const pending = pendingAppraisals(snapshot);
    expect(pending).toEqual([
      ...runs[0]!.outcome.scores.slice(1).map((s) => ({ ward: runs[0]!.outcome.ward.name, programmeId: s.programmeId, state: "submitted" })),
      ...runs[1]!.outcome.scores.map((s) => ({ ward: runs[1]!.outcome.ward.name, programmeId: s.programmeId, state: "submitted" })),
    ]);
  });
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
      { severity: "warning", tab: catalogue.tabTitle, cell: "A1", criterion: code, code: "edited-after-close", params: { period: "2026-11", criteria: [code] } },
    ]);
    // With the run's cells, at the changed cell of the first changed criterion.
    const cells = [{ programme: first.programmeId, code, tab: catalogue.tabTitle, evidence: null, a1: { result: "D8", points: "E8" } }];
    expect(editedAfterClose("2026-11", closed, withFirstCriterion(closed, flip), catalogues, cells)).toEqual([
      { severity: "warning", tab: catalogue.tabTitle, cell: "D8", criterion: code, code: "edited-after-close", params: { period: "2026-11", criteria: [code] } },
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
