/**
 * Publishing more documents than the per-minute write quotas allow, against the strict fake on a virtual
 * clock: each document costs a Drive query, a Drive upload and a Docs write (its page style), so a
 * province's 130 ward documents are more than Docs' 60 writes a minute per user. The adapters' retry
 * (retry.ts: 429 and Drive's 403 rate limits, POST included, since a refusal applied nothing) waits the
 * window out, and every document is published exactly once: one Doc per key, each with its page style.
 */
import { afterEach, describe, expect, it } from "vitest";
import { KEY_PROPERTY, googleDocumentStore } from "../../../functions/adapters/google/document-store.js";
import { mapLimit } from "../../../functions/app/map-limit.js";
import type { DocumentToPublish } from "../../../functions/ports.js";
import { type ManualClock, manualClock } from "../../fakes/clock.js";
import { type FakeGoogle, type QuotaOptions, startFakeGoogle } from "../../fakes/google/server.js";
import { WARD_VIEW } from "../../fixtures/document-views.js";
import { clientsFor, sharedDriveWorld } from "./google-fixtures.js";

/** As produce-report.ts publishes: four documents in flight at once. */
const IN_FLIGHT = 4;
const UNITS = 130;

let fake: FakeGoogle;
afterEach(() => fake.close());

async function world(quotas: QuotaOptions = {}): Promise<{ clock: ManualClock; folderId: string }> {
  const clock = manualClock("2026-12-01T01:00:00Z");
  fake = await startFakeGoogle({ now: clock.ms, quotas });
  return { clock, folderId: sharedDriveWorld(fake).reportsFolderId };
}

const documentOf = (i: number): DocumentToPublish => ({ key: `ward/don-vi-${i}/2026-W48`, name: `bao-cao-don-vi-${i}`, title: `Báo cáo đơn vị ${i} (tuần 48/2026)`, view: WARD_VIEW });

/** Publishes the province's documents and checks each key has exactly one Doc, with its A4 page. */
async function publishAll(clock: ManualClock, folderId: string): Promise<{ virtualMs: number }> {
  const store = googleDocumentStore({ clients: clientsFor(fake), folderId, retry: { sleep: clock.sleep } });
  const started = clock.ms();
  const documents = Array.from({ length: UNITS }, (_, i) => documentOf(i));
  const published = await mapLimit(documents, IN_FLIGHT, (d) => store.publish("2026-W48", d));
  const files = fake.drive.files().filter((f) => f.parents.includes(folderId));
  expect(files).toHaveLength(UNITS);
  expect(new Set(files.map((f) => f.appProperties?.[KEY_PROPERTY])).size).toBe(UNITS);
  expect(new Set(published.map((p) => p.location)).size).toBe(UNITS);
  for (const file of files) expect(fake.docs.document(file.id)?.documentStyle).toMatchObject({ pageSize: { width: { magnitude: 595.28, unit: "PT" } } });
  return { virtualMs: clock.ms() - started };
}

describe("publishing past the Docs and Drive per-minute quotas", () => {
  it("130 documents under Google's limits: Docs' 429s are waited out, every document once", async () => {
    const { clock, folderId } = await world();
    const { virtualMs } = await publishAll(clock, folderId);
    const refusals = fake.quotas.refusals.filter((r) => r.api === "docs");
    expect(refusals.length).toBeGreaterThan(0);
    expect(new Set(refusals.map((r) => r.limit))).toEqual(new Set(["WriteRequestsPerMinutePerUser"]));
    expect(virtualMs).toBeGreaterThanOrEqual(60_000); // 130 Docs writes need at least a third minute's window
  }, 120_000);

  it("with Drive's per-user queries cut to 100 a minute, its 403s on files.create are retried without a second Doc", async () => {
    const { clock, folderId } = await world({ drive: { queriesPerMinutePerUser: 100 } });
    await publishAll(clock, folderId);
    const refusals = fake.quotas.refusals.filter((r) => r.api === "drive");
    expect(refusals.length).toBeGreaterThan(0);
    // More create uploads were sent than Docs exist: the refused ones applied nothing, their repeats made each Doc once.
    expect(fake.count({ api: "drive", method: "POST", pathIncludes: "/upload/" })).toBeGreaterThan(UNITS);
  }, 120_000);
});
