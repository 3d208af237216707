/**
 * A digest with more unit notices than Docs' 60 writes a minute allow in one delivery, against the
 * strict fake on a virtual clock, mail through a real SMTP server: the first delivery publishes the
 * town reports and sends the digest, then gives up on the notices left when its budget runs out and
 * throws (Pub/Sub redelivers the event); each redelivery publishes only what is left. In the end
 * every document exists once, the digest went out once, and no Doc was uploaded twice.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KEY_PROPERTY, googleDocumentStore } from "../../../functions/adapters/google/document-store.js";
import { createSmtpMailer } from "../../../functions/adapters/mail/smtp-mailer.js";
import { provinceConfigYaml, provinceUnits } from "../../../functions/adapters/local/sample-province.js";
import { type CloudPorts, digest } from "../../../functions/app/cloud-handlers.js";
import { kvLedger, kvStateStore } from "../../../functions/app/kv-state.js";
import { type Config, parseConfigText } from "../../../functions/config.js";
import type { Mailer } from "../../../functions/ports.js";
import { loadTemplates } from "../../../functions/render/templates.js";
import { builtinCatalogues } from "../../fixtures/workbooks.js";
import { manualClock } from "../../fakes/clock.js";
import { memoryKeyValueStore } from "../../fakes/memory-kv.js";
import { type FakeGoogle, startFakeGoogle } from "../../fakes/google/server.js";
import { acceptedIds, type FakeSmtp, startFakeSmtp } from "../../fakes/smtp.js";
import { memoryWorld } from "../../unit/app/feed-fixtures.js";
import { clientsFor, sharedDriveWorld } from "./google-fixtures.js";

const UNITS = 130;
const clock = manualClock("2026-12-01T01:00:00Z");
let google: FakeGoogle;
let smtp: FakeSmtp;
let mailer: Mailer;
let config: Config;

beforeAll(async () => {
  google = await startFakeGoogle({ now: clock.ms });
  smtp = await startFakeSmtp();
  mailer = createSmtpMailer({ url: smtp.url, from: "tieuchi <tieuchi@catinh.example>" });
  const catalogues = await builtinCatalogues();
  const parsed = parseConfigText(provinceConfigYaml("2026-12-01", provinceUnits(catalogues).slice(0, UNITS)), {});
  if (!parsed.success) throw new Error(JSON.stringify(parsed.problems));
  config = { ...parsed.data, baseDir: "/tmp", catalogues, smtpUrl: smtp.url };
});
afterAll(async () => {
  await mailer.close();
  await smtp.close();
  await google.close();
});

async function cloudPorts(folderId: string): Promise<CloudPorts> {
  const world = await memoryWorld(config.catalogues);
  const kv = memoryKeyValueStore();
  const templates = await loadTemplates();
  const documents = googleDocumentStore({ clients: clientsFor(google), folderId, retry: { sleep: clock.sleep } });
  return { ...world.ports, clock, kv, summary: { write: async () => undefined }, state: kvStateStore(kv), publish: async () => ({ documents, templates, mail: { mailer, ledger: kvLedger(kv) } }) };
}

describe("a digest whose notices do not fit in one delivery", () => {
  it("publishes what is left on each redelivery: every Doc once, the digest mail once", async () => {
    const { reportsFolderId } = sharedDriveWorld(google);
    const ports = await cloudPorts(reportsFolderId);
    const outcomes: string[] = [];
    for (let delivery = 0; delivery < 10; delivery++) {
      const done = await digest(config, ports, "event-weekly", { budgetMs: 60_000 }).then(
        () => true,
        (error: unknown) => void outcomes.push(String(error)),
      );
      if (done) break;
      clock.advance(30_000); // Pub/Sub's redelivery backoff
    }
    expect(outcomes.length).toBeGreaterThanOrEqual(2);
    expect(outcomes[0]).toContain("thông báo của đơn vị chưa đăng trong lượt này");
    expect(await digest(config, ports, "event-weekly")).toBe("duplicate");

    const docs = google.drive.files().filter((f) => f.parents.includes(reportsFolderId));
    const keys = docs.map((f) => f.appProperties[KEY_PROPERTY]);
    expect(new Set(keys).size).toBe(docs.length);
    expect(keys.filter((k) => k?.startsWith("ward/"))).toHaveLength(UNITS);
    expect(keys.filter((k) => k?.startsWith("town/"))).toHaveLength(config.catalogues.length);
    // Each Doc uploaded once: the redeliveries neither recreated nor re-uploaded what an earlier one published.
    expect(google.count({ api: "drive", method: "POST", pathIncludes: "/upload/" })).toBe(docs.length);
    expect(google.count({ api: "drive", method: "PATCH", pathIncludes: "/upload/" })).toBe(0);
    // A redelivery looks up only the shared drive again, not the town reports or the notices published before it.
    const deliveries = outcomes.length + 1;
    expect(google.count({ api: "drive", method: "GET", pathIncludes: "/files" })).toBeLessThanOrEqual(docs.length + (deliveries - 1));
    const digests = smtp.received.filter((m) => m.recipients.some((to) => to.startsWith("lanhdao@")));
    expect(acceptedIds(digests)).toHaveLength(1);
  }, 120_000);
});
