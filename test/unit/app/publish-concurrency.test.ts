/**
 * A report publishes its documents a few at a time (Docs/Drive write quotas on Google, the two
 * Chromium tabs and memory locally), never all at once; a failed document still lets every
 * other one settle before the store is closed, and the failure is reported.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { produceReport, type ReportPorts } from "../../../functions/app/produce-report.js";
import { kvStateStore } from "../../../functions/app/snapshot-store.js";
import { type Config, parseConfigText } from "../../../functions/config.js";
import type { DocumentToPublish, PublishedFiles } from "../../../functions/ports.js";
import { sampleConfigYaml } from "../../../functions/adapters/local/sample-town.js";
import { loadTemplates, type TemplateSet } from "../../../functions/render/templates.js";
import { manualClock } from "../../fakes/clock.js";
import { memoryKeyValueStore } from "../../fakes/memory-kv.js";
import { builtinCatalogues } from "../../fixtures/workbooks.js";

let config: Config;
let templates: TemplateSet;
beforeAll(async () => {
  const catalogues = await builtinCatalogues();
  const parsed = parseConfigText(sampleConfigYaml("2026-10-01"), {});
  if (!parsed.success) throw new Error(JSON.stringify(parsed.problems));
  config = { ...parsed.data, baseDir: "/tmp", catalogues, smtpUrl: null };
  templates = await loadTemplates();
});

/** A store that holds each publish for a few ticks and records how many were in flight. */
function slowStore(fail: (d: DocumentToPublish) => boolean = () => false) {
  const seen = { inFlight: 0, max: 0, done: 0, closedAfter: -1 };
  const publish = async (period: string, d: DocumentToPublish): Promise<PublishedFiles> => {
    seen.max = Math.max(seen.max, ++seen.inFlight);
    for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setImmediate(resolve));
    seen.inFlight -= 1;
    seen.done += 1;
    if (fail(d)) throw new Error(`không in được ${d.name}`);
    return { location: `/out/${period}/${d.name}.html`, pdf: null };
  };
  return { seen, store: { publish, close: async () => void (seen.closedAfter = seen.done) } };
}

function ports(documents: ReportPorts["documents"]): ReportPorts {
  const clock = manualClock("2026-10-01T03:00:00Z");
  return {
    clock,
    templates,
    sheets: { read: async () => null },
    feedback: { write: async () => undefined },
    summary: { write: async () => undefined },
    state: kvStateStore(memoryKeyValueStore(), { clock, warn: () => undefined }),
    documents,
    mail: null,
  };
}

describe("publishing a report's documents", () => {
  it("has at most 4 in flight at a time", async () => {
    const { seen, store } = slowStore();
    const result = await produceReport(config, config.wards, ports(store));
    expect(result.documents.length).toBeGreaterThan(4); // town reports + one notice per ward
    expect(seen.max).toBe(4);
    expect(seen.closedAfter).toBe(result.documents.length);
  });

  it("lets every document settle before closing the store, then reports the failure", async () => {
    const { seen, store } = slowStore((d) => d.key.startsWith("town/"));
    await expect(produceReport(config, config.wards, ports(store))).rejects.toThrow("không in được");
    expect(seen.closedAfter).toBe(seen.done);
    expect(seen.done).toBeGreaterThan(4);
  });
});
