/**
 * The changes feed end to end against the strict fake: seven ward spreadsheets in a shared
 * drive, Drive's lag (edits recorded ~3 minutes late, bursts coalesced), pushes delayed,
 * duplicated and reordered, quotas, and one manual clock for the fake, the product and its
 * retries. The use cases run over the real Google adapters, composed as the runtime does.
 */
import { describe, expect, it } from "vitest";
import { type CloudPorts, type CloudSettings, handleNotification, sweep } from "../../../functions/app/cloud-handlers.js";
import { registryCache, STATE_KEYS } from "../../../functions/app/cloud-ward.js";
import { kvStateStore } from "../../../functions/app/kv-state.js";
import { googleWardFolder } from "../../../functions/adapters/google/changed-files.js";
import { googleChangeFeed } from "../../../functions/adapters/google/changes.js";
import { googleCheckTab } from "../../../functions/adapters/google/check-tab.js";
import { gcsKeyValueStore } from "../../../functions/adapters/google/gcs-store.js";
import { decodePushHeaders } from "../../../functions/adapters/google/push-headers.js";
import { googleSheetSource } from "../../../functions/adapters/google/sheet-source.js";
import { googleTownSummary } from "../../../functions/adapters/google/town-summary.js";
import { SAMPLE_WARDS, sampleConfigYaml } from "../../../functions/adapters/local/sample-town.js";
import { type Config, parseConfigText } from "../../../functions/config.js";
import { fakeGoogleAuth } from "../../fakes/google/clients.js";
import { fakeServiceAccount } from "../../fakes/google/identities.js";
import { type FakeGoogle, type FakeGoogleOptions, startFakeGoogle } from "../../fakes/google/server.js";
import { type ManualClock, manualClock } from "../../fakes/clock.js";
import { builtinCatalogues } from "../../fixtures/workbooks.js";
import { clientsFor, createWardSpreadsheet } from "./google-fixtures.js";

const MINUTE = 60_000;
const LAG = 3 * MINUTE;
const TAB1 = "CA phường kiểu mẫu";
const TOKEN = "kenh-bi-mat";

interface World {
  fake: FakeGoogle;
  clock: ManualClock;
  config: Config;
  ports: CloudPorts;
  settings: CloudSettings;
  ids: Record<string, string>;
  town: string;
  /** Values reads per ward id since the last resetLog. */
  readsByWard(): Record<string, number>;
}

async function world(drive: NonNullable<FakeGoogleOptions["drive"]> = {}): Promise<World> {
  const clock = manualClock("2026-12-01T01:00:00Z");
  const fake = await startFakeGoogle({ now: clock.ms, drive: { lagMs: LAG, ...drive } });
  const catalogues = await builtinCatalogues();
  const parsed = parseConfigText(sampleConfigYaml("2026-12-01"), {});
  if (!parsed.success) throw new Error(JSON.stringify(parsed.problems));
  const config: Config = { ...parsed.data, baseDir: "/tmp", catalogues, smtpUrl: null };
  const driveId = fake.drive.addSharedDrive({ name: "Công an phường Cửa Lò", members: [{ email: fakeServiceAccount, role: "fileOrganizer" }] });
  const folderId = fake.drive.addFolder({ name: "Phường", parents: [driveId] });
  const ids = Object.fromEntries(SAMPLE_WARDS.map((w) => [w.id, createWardSpreadsheet(fake, catalogues, { id: w.id, parents: [folderId] })]));
  const town = fake.sheets.create("Tổng hợp tiêu chí", { "Tổng hợp": [] }, { parents: [driveId] });
  const retry = { sleep: clock.sleep };
  const kv = gcsKeyValueStore({ auth: fakeGoogleAuth(), bucket: "state", rootUrl: fake.url, retry, now: clock.ms });
  await kv.put(STATE_KEYS.registry, Object.fromEntries(SAMPLE_WARDS.map((w) => [w.id, { spreadsheetId: ids[w.id], checkSheetId: null }])), null);
  const clients = clientsFor(fake);
  const registry = registryCache(kv, clock);
  const spreadsheetIdOf = async (ward: { id: string }) => (await registry.get())[ward.id]?.spreadsheetId ?? null;
  const ports: CloudPorts = {
    kv,
    clock,
    registry: registry.get,
    sheets: googleSheetSource({ clients, catalogues, spreadsheetIdOf, retry }),
    feedback: googleCheckTab({ clients, catalogues, spreadsheetIdOf, checkSheetIdOf: async () => null, retry }),
    changes: googleChangeFeed(clients, retry),
    folder: googleWardFolder(clients, folderId, retry),
    summary: googleTownSummary({ clients, spreadsheetId: town, retry }),
    state: kvStateStore(kv),
    publish: async () => ({ documents: { publish: async () => ({ location: "", pdf: null }) }, templates: null as never, mail: null }),
  };
  const feed = { leaseMs: 10 * MINUTE, fullListingEveryMs: 24 * 60 * MINUTE, maxWards: 1000, maxPasses: 2 };
  const settings: CloudSettings = {
    channelToken: TOKEN,
    webhookUrl: "https://tieuchi.example/sheetsWebhook",
    wardsFolderId: folderId,
    renewBeforeMs: 24 * 60 * MINUTE,
    channelTtlMs: 7 * 24 * 60 * MINUTE,
    feedbackDebounceMs: 0,
    sweepFeed: feed,
    webhookFeed: { ...feed, maxWards: 10, maxPasses: 1 },
  };
  const wardOfSheet = new Map(Object.entries(ids).map(([ward, id]) => [id, ward]));
  const readsByWard = () => {
    const counts: Record<string, number> = {};
    for (const r of fake.requests.filter((q) => q.api === "sheets" && q.path.endsWith("/values:batchGet"))) {
      const ward = wardOfSheet.get(r.path.split("/")[3] ?? "") ?? "other";
      counts[ward] = (counts[ward] ?? 0) + 1;
    }
    return counts;
  };
  return { fake, clock, config, ports, settings, ids, town, readsByWard };
}

/** The first sweep (full listing, every ward read and checked), then Drive's lag runs out. */
async function settled(drive: NonNullable<FakeGoogleOptions["drive"]> = {}): Promise<World> {
  const w = await world(drive);
  const first = await sweep(w.config, w.ports, w.settings);
  expect(first.processed).toHaveLength(SAMPLE_WARDS.length);
  w.clock.advance(LAG + MINUTE);
  w.fake.drive.dueNotifications(); // the pushes about our own writes: delivered or not, they change nothing
  return w;
}

function staffEdit(w: World, wardId: string, cell: string, value: string): void {
  w.fake.sheets.setValues(w.ids[wardId]!, TAB1, cell, [[value]]);
}

describe("sweep over Drive's changes feed", () => {
  it("after edits in 2 of 7 wards reads exactly those 2 and lists no folder", async () => {
    const w = await settled();
    staffEdit(w, "nghi-thu", "H7", "Đã rà soát lại");
    staffEdit(w, "thu-thuy", "H9", "Bổ sung minh chứng");
    w.clock.advance(LAG + MINUTE);
    w.fake.resetLog();
    const report = await sweep(w.config, w.ports, w.settings);
    expect(w.readsByWard()).toEqual({ "nghi-thu": 1, "thu-thuy": 1 });
    expect(w.fake.count({ api: "drive", method: "GET", pathIncludes: "/drive/v3/files" })).toBe(0);
    expect(report).toMatchObject({ listed: null, processed: ["nghi-thu", "thu-thuy"], failed: [], channel: "current" });
    await w.fake.close();
  });

  it("does not read an edit before Drive has recorded it, and reads it once it has", async () => {
    const w = await settled();
    staffEdit(w, "nghi-hai", "H7", "Đang cập nhật");
    w.fake.resetLog();
    await sweep(w.config, w.ports, w.settings);
    expect(w.readsByWard()).toEqual({});
    w.clock.advance(LAG);
    await sweep(w.config, w.ports, w.settings);
    expect(w.readsByWard()).toEqual({ "nghi-hai": 1 });
    await w.fake.close();
  });

  it("records a failing ward, goes on with the others and writes Tổng hợp", async () => {
    const w = await settled();
    for (const id of ["nghi-hai", "nghi-tan", "nghi-thuy"]) staffEdit(w, id, "H7", `Sửa ở ${id}`);
    w.clock.advance(LAG + MINUTE);
    w.fake.failNext({ api: "sheets", pathIncludes: `${w.ids["nghi-tan"]}/values:batchGet` }, 500, { times: 8 }); // every attempt of one read
    w.fake.failNext({ api: "sheets", method: "POST", pathIncludes: `${w.ids["nghi-thuy"]}:batchUpdate` }, 500);
    w.fake.resetLog();
    const report = await sweep(w.config, w.ports, w.settings);
    expect(report.processed).toEqual(["nghi-hai"]);
    expect(report.failed.map((f) => [f.wardId, f.stage])).toEqual([["nghi-tan", "read"], ["nghi-thuy", "feedback"]]);
    expect(w.fake.count({ api: "sheets", method: "PUT", pathIncludes: w.town }) + w.fake.count({ api: "sheets", method: "POST", pathIncludes: w.town })).toBeGreaterThan(0);
    expect(w.fake.sheets.values(w.town, "Tổng hợp").flat()).toContain("Nghi Tân");
    w.clock.advance(MINUTE);
    const retry = await sweep(w.config, w.ports, w.settings);
    expect(retry.processed.sort()).toEqual(["nghi-tan", "nghi-thuy"]);
    await w.fake.close();
  });

  it("never handles a change twice when two sweeps overlap", async () => {
    const w = await settled();
    staffEdit(w, "nghi-huong", "H7", "Sửa lần 1");
    staffEdit(w, "nghi-thu", "H7", "Sửa lần 1");
    w.clock.advance(LAG + MINUTE);
    w.fake.resetLog();
    const reports = await Promise.all([sweep(w.config, w.ports, w.settings), sweep(w.config, w.ports, w.settings)]);
    expect(reports.map((r) => r.busy).sort()).toEqual([false, true]);
    expect(w.readsByWard()).toEqual({ "nghi-huong": 1, "nghi-thu": 1 });
    await w.fake.close();
  });
});

describe("webhook over Drive's changes feed", () => {
  it("handles each change once when Drive delays, repeats and reorders its pushes", async () => {
    const w = await settled({ notifications: { duplicateRate: 0.7, reorder: true, seed: 7 } });
    const deliver = async (): Promise<number> => {
      const due = w.fake.drive.dueNotifications();
      for (const push of due) {
        const decoded = decodePushHeaders(Object.fromEntries(Object.entries(push.headers).map(([k, v]) => [k.toLowerCase(), v])));
        if (!decoded.ok) throw new Error(decoded.reason);
        expect((await handleNotification(decoded.notification, w.config, w.ports, w.settings)).status).toBe(200);
      }
      return due.length;
    };
    w.fake.resetLog();
    staffEdit(w, "nghi-tan", "H7", "Sửa 1");
    w.clock.advance(30_000);
    staffEdit(w, "nghi-tan", "H8", "Sửa 2"); // same burst: one change on Drive
    staffEdit(w, "nghi-thuy", "H7", "Sửa 3");
    w.clock.advance(LAG + 10_000);
    const delivered = await deliver();
    expect(delivered).toBeGreaterThan(0);
    w.clock.advance(LAG + MINUTE);
    await deliver(); // pushes about our own Kiểm tra writes
    expect(w.readsByWard()).toEqual({ "nghi-tan": 1, "nghi-thuy": 1 });
    expect(w.fake.sheets.values(w.ids["nghi-tan"]!, TAB1).flat()).toContain("Sửa 2");
    await w.fake.close();
  });
});
