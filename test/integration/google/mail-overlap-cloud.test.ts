/**
 * Two digests overlapping on one ledger in Cloud Storage (the fake, with its one mutation per
 * second per object), sending through a real SMTP server: each message is accepted once, and
 * a permanent refusal is recorded and acknowledged rather than redelivered.
 */
import { OAuth2Client } from "google-auth-library";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gcsKeyValueStore } from "../../../functions/adapters/google/gcs-store.js";
import { createSmtpMailer } from "../../../functions/adapters/mail/smtp-mailer.js";
import { type CloudPorts, digest } from "../../../functions/app/cloud-handlers.js";
import { kvLedger, kvStateStore } from "../../../functions/app/kv-state.js";
import { type Config, parseConfigText } from "../../../functions/config.js";
import type { KeyValueStore, Mailer } from "../../../functions/ports.js";
import { loadTemplates, type TemplateSet } from "../../../functions/render/templates.js";
import { sampleConfigYaml } from "../../../functions/adapters/local/sample-town.js";
import { builtinCatalogues } from "../../fixtures/workbooks.js";
import { manualClock } from "../../fakes/clock.js";
import { type FakeGoogle, startFakeGoogle } from "../../fakes/google/server.js";
import { acceptedIds, type FakeSmtp, startFakeSmtp } from "../../fakes/smtp.js";
import { memoryWorld } from "../../unit/app/feed-fixtures.js";

const clock = manualClock("2026-11-27T00:00:00Z");
let google: FakeGoogle;
let smtp: FakeSmtp;
let config: Config;
let templates: TemplateSet;
const mailers: Mailer[] = [];
let prefixes = 0;

beforeAll(async () => {
  google = await startFakeGoogle({ now: clock.ms });
  smtp = await startFakeSmtp({ dataDelayMs: 20 });
  const parsed = parseConfigText(sampleConfigYaml("2026-11-27"), {});
  if (!parsed.success) throw new Error(JSON.stringify(parsed.problems));
  config = { ...parsed.data, baseDir: "/tmp", catalogues: await builtinCatalogues(), smtpUrl: smtp.url };
  templates = await loadTemplates();
});
afterAll(async () => {
  await Promise.all(mailers.map((m) => m.close()));
  await smtp.close();
  await google.close();
});

function bucket(prefix: string): KeyValueStore {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: "test-token", expiry_date: Date.now() + 3_600_000 });
  return gcsKeyValueStore({ auth, bucket: "tieuchi-state", prefix, rootUrl: google.url, now: clock.ms, retry: { sleep: clock.sleep, random: () => 0 } });
}

/** One function instance: its own store client and its own SMTP pool, on the shared bucket. */
async function instance(prefix: string): Promise<CloudPorts> {
  const world = await memoryWorld(config.catalogues);
  const kv = bucket(prefix);
  const mailer = createSmtpMailer({ url: smtp.url, from: "tieuchi <tieuchi@cualo.example>" });
  mailers.push(mailer);
  return {
    ...world.ports,
    clock,
    kv,
    summary: { write: async () => undefined },
    state: kvStateStore(kv),
    publish: async () => ({ documents: { publish: async (_period, d) => ({ location: `https://docs.example/${d.key}`, pdf: null }) }, templates, mail: { mailer, ledger: kvLedger(kv) } }),
  };
}

describe("overlapping digests on one Cloud Storage ledger", () => {
  it("get each message accepted once; one still being sent elsewhere makes the other fail for redelivery", async () => {
    const prefix = `overlap-${++prefixes}/`;
    smtp.received.length = 0;
    const [one, other] = [await instance(prefix), await instance(prefix)];
    const results = await Promise.allSettled([digest(config, one, "event-scheduled"), digest(config, other, "event-manual")]);

    const ids = acceptedIds(smtp.received);
    expect(ids.length).toBeGreaterThanOrEqual(2);
    expect(new Set(ids).size).toBe(ids.length);
    // An instance that found messages claimed by the other asked for redelivery; the redelivery sends nothing new.
    for (const [i, r] of results.entries()) {
      if (r.status === "rejected") {
        expect(String(r.reason)).toContain("đang được một lần chạy khác gửi");
        await expect(digest(config, i === 0 ? one : other, i === 0 ? "event-scheduled" : "event-manual")).resolves.not.toBe("duplicate");
      }
    }
    expect(smtp.received).toHaveLength(ids.length);
  });

  it("records a permanent refusal and acknowledges the event; a temporary one throws for redelivery", async () => {
    const prefix = `refusal-${++prefixes}/`;
    smtp.received.length = 0;
    const ports = await instance(prefix);
    smtp.refusals.set("lanhdao@cualo.example", { code: 552, text: "5.3.4 Message too big", stage: "data" });
    const result = await digest(config, ports, "event-1");
    expect(result).not.toBe("duplicate");
    const failed = result === "duplicate" ? [] : (result.delivery?.failed ?? []);
    expect(failed).toEqual([expect.objectContaining({ permanent: true, error: expect.stringContaining("552") })]);
    // Redelivered anyway (or the next Monday's run of the same figures): not tried again.
    const again = await digest(config, ports, "event-2");
    expect(again === "duplicate" ? [] : again.delivery?.refused.map((r) => r.error)).toEqual([failed[0]!.error]);

    smtp.refusals.set("lanhdao@cualo.example", { code: 451, text: "4.3.0 Try again later", stage: "data" });
    const other = await instance(`temporary-${++prefixes}/`);
    await expect(digest(config, other, "event-3")).rejects.toThrow(/451 4\.3\.0/u);
    smtp.refusals.clear();
    clock.advance(60_000);
    await expect(digest(config, other, "event-3")).resolves.not.toBe("duplicate");
    smtp.refusals.clear();
  });
});
