import { beforeAll, describe, expect, it } from "vitest";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { type CloudPorts, type CloudSettings, handleNotification, sweep } from "../../../functions/app/cloud-handlers.js";
import { kvStateStore } from "../../../functions/app/kv-state.js";
import { type Config, parseConfigText } from "../../../functions/config.js";
import type { TownSummary } from "../../../functions/core/aggregate-town.js";
import type { PushNotification } from "../../../functions/ports.js";
import { sampleConfigYaml } from "../../../functions/adapters/local/sample-town.js";
import { builtinCatalogues } from "../../fixtures/workbooks.js";
import { FEED_OPTIONS, type MemoryWorld, memoryWorld, totalReads } from "./feed-fixtures.js";

const MINUTE = 60_000;
let catalogues: Catalogue[];
let config: Config;

beforeAll(async () => {
  catalogues = await builtinCatalogues();
  const parsed = parseConfigText(sampleConfigYaml("2026-12-01"), {});
  if (!parsed.success) throw new Error(JSON.stringify(parsed.problems));
  config = { ...parsed.data, baseDir: "/tmp", catalogues, smtpUrl: null };
});

const { folderId: _folder, ...feed } = FEED_OPTIONS;
const settings: CloudSettings = {
  channelToken: "bi-mat",
  webhookUrl: "https://tieuchi.example/sheetsWebhook",
  wardsFolderId: "wards-folder",
  renewBeforeMs: 86_400_000,
  channelTtlMs: 7 * 86_400_000,
  feedbackDebounceMs: 0,
  sweepFeed: feed,
  webhookFeed: { ...feed, maxWards: 10, maxPasses: 1 },
};

function cloudPorts(world: MemoryWorld): CloudPorts & { summaries: TownSummary[] } {
  const summaries: TownSummary[] = [];
  return {
    ...world.ports,
    summaries,
    summary: { write: async (s) => void summaries.push(s) },
    state: kvStateStore(world.kv),
    publish: async () => ({ documents: { publish: async () => ({ location: "", pdf: null }) }, templates: null as never, mail: null }),
  };
}

const note = (messageNumber: number, resourceState: PushNotification["resourceState"] = "change"): PushNotification => ({ channelId: "tieuchi-changes-1", resourceId: "r", resourceState, messageNumber, token: "bi-mat" });

describe("handleNotification", () => {
  it("refuses a wrong token with 403 and answers sync with 200, reading nothing", async () => {
    const world = await memoryWorld(catalogues);
    expect(await handleNotification({ ...note(2), token: "sai" }, config, world.ports, settings)).toEqual({ status: 403, body: "forbidden" });
    expect(await handleNotification(note(1, "sync"), config, world.ports, settings)).toEqual({ status: 200, body: "sync" });
    expect(totalReads(world)).toBe(0);
    expect(world.changesLists).toBe(0);
  });

  it("handles each change once when Drive repeats and reorders its notifications", async () => {
    const world = await memoryWorld(catalogues);
    await sweep(config, cloudPorts(world), settings);
    world.clock.advance(5 * MINUTE);
    world.reads.clear();
    world.staffEdit("nghi-thu");
    const deliveries = [note(3), note(2), note(3), note(4), note(2)];
    for (const n of deliveries) expect((await handleNotification(n, config, world.ports, settings)).status).toBe(200);
    world.staffEdit("nghi-hai");
    await Promise.all(deliveries.map((n) => handleNotification(n, config, world.ports, settings)));
    expect(Object.fromEntries(world.reads)).toEqual({ "nghi-thu": 1, "nghi-hai": 1 });
  });
});

describe("sweep", () => {
  it("records a failing ward, goes on with the others, and always writes the summary", async () => {
    const world = await memoryWorld(catalogues);
    const ports = cloudPorts(world);
    await sweep(config, ports, settings);
    world.clock.advance(5 * MINUTE);
    world.staffEdit("nghi-huong");
    world.staffEdit("nghi-tan");
    world.failRead.add("nghi-huong");
    ports.changes.watch = async () => {
      throw new Error("Drive 500");
    };
    ports.summaries.length = 0;
    const report = await sweep(config, ports, { ...settings, renewBeforeMs: 8 * 86_400_000 });
    expect(report.processed).toEqual(["nghi-tan"]);
    expect(report.failed).toMatchObject([{ wardId: "nghi-huong", stage: "read" }]);
    expect(report.channel).toBe("failed");
    expect(report.errors).toEqual(["Không gia hạn được kênh theo dõi: Drive 500"]);
    expect(ports.summaries).toHaveLength(1);
  });

  it("writes the summary from state even when the changes feed cannot be read", async () => {
    const world = await memoryWorld(catalogues);
    const ports = cloudPorts(world);
    await sweep(config, ports, settings);
    ports.changes.list = async () => {
      throw new Error("Drive 503");
    };
    ports.summaries.length = 0;
    const report = await sweep(config, ports, settings);
    expect(report.errors).toEqual(["Không đọc được các thay đổi từ Google Drive: Drive 503"]);
    expect(ports.summaries).toHaveLength(1);
    expect(ports.summaries[0]!.programmes[0]!.wards.length).toBeGreaterThan(0);
  });

  it("opens the changes channel once and renews it only when it is about to expire", async () => {
    const world = await memoryWorld(catalogues);
    const ports = cloudPorts(world);
    expect((await sweep(config, ports, settings)).channel).toBe("renewed");
    world.clock.advance(MINUTE);
    expect((await sweep(config, ports, settings)).channel).toBe("current");
    world.clock.advance(6 * 86_400_000 + MINUTE);
    expect((await sweep(config, ports, settings)).channel).toBe("renewed");
  });
});
