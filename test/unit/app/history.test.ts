import { beforeAll, describe, expect, it } from "vitest";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { produceReport, type ReportPorts } from "../../../functions/app/produce-report.js";
import { summariseTown } from "../../../functions/app/run-town.js";
import { damagedSnapshotKey, kvStateStore, snapshotKey } from "../../../functions/app/snapshot-store.js";
import { type Config, parseConfigText } from "../../../functions/config.js";
import type { RawWorkbook } from "../../../functions/core/cells.js";
import { PeriodError } from "../../../functions/errors.js";
import type { DocumentToPublish } from "../../../functions/ports.js";
import { sampleConfigYaml } from "../../../functions/adapters/local/sample-town.js";
import { loadTemplates, type TemplateSet } from "../../../functions/render/templates.js";
import { type ManualClock, manualClock } from "../../fakes/clock.js";
import { type MemoryKeyValueStore, memoryKeyValueStore } from "../../fakes/memory-kv.js";
import { allMetWorkbook, builtinCatalogues } from "../../fixtures/workbooks.js";

const DAY = 86_400_000;
let catalogues: Catalogue[];
let config: Config;
let templates: TemplateSet;

beforeAll(async () => {
  catalogues = await builtinCatalogues();
  const parsed = parseConfigText(sampleConfigYaml("2026-10-01"), {});
  if (!parsed.success) throw new Error(JSON.stringify(parsed.problems));
  config = { ...parsed.data, baseDir: "/tmp", catalogues, smtpUrl: null };
  templates = await loadTemplates();
});

interface World {
  clock: ManualClock;
  kv: MemoryKeyValueStore;
  warnings: string[];
  /** The workbook each ward has now; absent: the ward sent nothing. */
  workbooks: Map<string, RawWorkbook>;
  reads: number;
  published: Array<{ period: string; document: DocumentToPublish }>;
  ports: ReportPorts;
}

/** A town on 1 October 2026 (week 40) where Nghi Hương has met every criterion. */
function world(start = "2026-10-01T03:00:00Z"): World {
  const clock = manualClock(start);
  const kv = memoryKeyValueStore();
  const w: World = { clock, kv, warnings: [], workbooks: new Map([["nghi-huong", allMetWorkbook(catalogues)]]), reads: 0, published: [], ports: null as never };
  w.ports = {
    clock,
    templates,
    sheets: { read: async (ward) => (w.reads++, w.workbooks.get(ward.id) ?? null) },
    feedback: { write: async () => undefined },
    summary: { write: async () => undefined },
    state: kvStateStore(kv, { clock, warn: (line) => w.warnings.push(line) }),
    documents: { publish: async (period, document) => (w.published.push({ period, document }), { location: `/out/${period}/${document.name}.html`, pdf: null }) },
    mail: null,
  };
  return w;
}

const metOf = (text: string | undefined, wardId: string): number | undefined =>
  (JSON.parse(text ?? "null") as { programmes: Array<{ wards: Array<{ id: string; met: number }> }> } | null)?.programmes[0]?.wards.find((x) => x.id === wardId)?.met;

describe("history is append-only", () => {
  it("re-renders a closed period from its snapshot weeks later, leaving the snapshot byte-identical", async () => {
    const w = world();
    const first = await produceReport(config, config.wards, w.ports);
    expect(first.run.summary.period).toBe("2026-W40");
    const stored = w.kv.objects.get(snapshotKey("2026-W40"))!.text;
    const documentsThen = w.published.map((p) => JSON.stringify(p.document.view));
    expect(metOf(stored, "nghi-huong")).toBe(22);

    // Three weeks on, Nghi Hương's workbook is gone; week 43 is run as usual.
    w.clock.advance(21 * DAY);
    w.workbooks.clear();
    await produceReport(config, config.wards, w.ports);
    w.published.length = 0;
    const readsBefore = w.reads;

    const again = await produceReport(config, config.wards, w.ports, { period: "2026-W40" });
    expect(again.archivedFrom).toBe("2026-10-01T03:00:00.000Z");
    expect(w.reads).toBe(readsBefore); // no workbook read for a closed period
    expect(w.kv.objects.get(snapshotKey("2026-W40"))!.text).toBe(stored);
    expect(again.run.summary.programmes[0]!.wards.find((x) => x.id === "nghi-huong")!.met).toBe(22);
    expect(again.messages).toEqual([]);
    expect(w.published.map((p) => p.period)).toEqual(w.published.map(() => "2026-W40"));
    expect(w.published.map((p) => JSON.stringify(p.document.view))).toEqual(documentsThen);
  });

  it("refuses a closed period that has no snapshot, in Vietnamese", async () => {
    const w = world("2026-10-20T03:00:00Z");
    const refused = produceReport(config, config.wards, w.ports, { period: "2026-W40" });
    await expect(refused).rejects.toBeInstanceOf(PeriodError);
    await expect(refused).rejects.toThrow("Không có số liệu đã lưu của tuần 40/2026");
    expect(w.reads).toBe(0);
    expect(w.kv.objects.size).toBe(0);
  });

  it("updates the snapshot of the running period on every run", async () => {
    const w = world();
    await produceReport(config, config.wards, w.ports);
    expect(metOf(w.kv.objects.get(snapshotKey("2026-W40"))?.text, "nghi-huong")).toBe(22);
    w.clock.advance(DAY);
    w.workbooks.clear();
    await produceReport(config, config.wards, w.ports, { period: "2026-W40" });
    expect(metOf(w.kv.objects.get(snapshotKey("2026-W40"))?.text, "nghi-huong")).toBe(0);
  });

  it("never summarises a closed period from ward runs", async () => {
    const w = world("2026-10-20T03:00:00Z");
    await expect(summariseTown([], catalogues, w.ports, { period: "2026-W40" })).rejects.toThrow("Tuần 40/2026 đã kết thúc");
    await expect(summariseTown([], catalogues, w.ports, { period: "2026-40" })).rejects.toBeInstanceOf(PeriodError);
    expect(w.kv.objects.size).toBe(0);
  });
});

describe("damaged snapshots", () => {
  it.each([
    ["not JSON", "{\"period\": \"2026-W39\", \"progr"],
    ["the wrong shape", JSON.stringify({ period: "2026-W39", generatedAt: "x", programmes: [{ id: "p", wards: [{ id: "w", met: "many" }] }] })],
  ])("moves one that is %s aside with one warning, and the run goes on", async (_, text) => {
    const w = world();
    w.kv.corrupt(snapshotKey("2026-W39"), text);
    const result = await produceReport(config, config.wards, w.ports);

    expect(result.run.summary.previousPeriod).toBeNull();
    const aside = damagedSnapshotKey("2026-W39", w.clock.now());
    expect(w.warnings).toHaveLength(1);
    expect(w.warnings[0]).toContain("tuần 39/2026");
    expect(w.warnings[0]).toContain(aside);
    expect(w.kv.objects.has(snapshotKey("2026-W39"))).toBe(false);
    const kept = JSON.parse(w.kv.objects.get(aside)!.text) as { key: string; raw: string | null; value: unknown };
    expect(kept.key).toBe(snapshotKey("2026-W39"));
    expect(kept.raw ?? JSON.stringify(kept.value)).toBe(text);
    expect(w.kv.objects.has(snapshotKey("2026-W40"))).toBe(true);

    // Moved once: the next run has nothing more to say.
    await produceReport(config, config.wards, w.ports);
    expect(w.warnings).toHaveLength(1);
  });

  it("keeps a damaged snapshot of the running period aside before replacing it", async () => {
    const w = world();
    w.kv.corrupt(snapshotKey("2026-W40"), "[]");
    await produceReport(config, config.wards, w.ports);
    expect(w.warnings).toHaveLength(1);
    expect(w.kv.objects.has(damagedSnapshotKey("2026-W40", w.clock.now()))).toBe(true);
    expect(metOf(w.kv.objects.get(snapshotKey("2026-W40"))?.text, "nghi-huong")).toBe(22);
  });
});

describe("snapshots stored before they carried their detail", () => {
  it("stay in the history but cannot be re-rendered: a clear refusal", async () => {
    const w = world("2026-10-20T03:00:00Z");
    const old = { period: "2026-W40", generatedAt: "2026-10-01T03:00:00.000Z", programmes: [{ id: "ca-phuong-dien-hinh", wards: [{ id: "nghi-huong", met: 18, total: 22, recognised: false }] }] };
    await w.kv.put(snapshotKey("2026-W40"), old, null);
    await expect(produceReport(config, config.wards, w.ports, { period: "2026-W40" })).rejects.toThrow("bản lưu cũ");
    const current = await produceReport(config, config.wards, w.ports);
    expect(current.run.summary.previousPeriod).toBe("2026-W40");
    expect(JSON.parse(w.kv.objects.get(snapshotKey("2026-W40"))!.text)).toEqual(old);
    expect(w.warnings).toEqual([]);
  });
});
