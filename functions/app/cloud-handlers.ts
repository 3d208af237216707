/**
 * The cloud use cases behind the three functions: a Drive push notification, the periodic
 * sweep and the digest. All idempotent under at-least-once delivery: notifications and
 * events are claimed once in durable state, messages go through the ledger.
 */
import { createHash, randomUUID, timingSafeEqual } from "node:crypto";
import { aggregateTown, toSnapshot } from "../core/aggregate-town.js";
import { localDate, weekPeriod } from "../core/period.js";
import { activeWards, type Config, type WardConfig } from "../config.js";
import { DeliveryError } from "../errors.js";
import type { ChannelApi, StateStore, SummarySink, WardFileLister } from "../ports.js";
import { composeFeedback, composeReminders } from "./compose-messages.js";
import { type CloudWardPorts, STATE_KEYS, type WardState, processWardIfChanged, readRegistry, readWardStates, townRunOf } from "./cloud-ward.js";
import { claimOnce } from "./kv-state.js";
import type { TemplateSet } from "../render/templates.js";
import { type PublishPorts, publishReport, type ReportResult } from "./produce-report.js";
import type { TownRun } from "./run-town.js";
import { sendOnce, type SendReport } from "./send-mail.js";

export interface CloudSettings {
  /** Shared secret Drive echoes in X-Goog-Channel-Token. */
  channelToken: string;
  /** Public URL of the sheetsWebhook function; channels are not renewed without it. */
  webhookUrl: string | null;
  /** Ward feedback email waits until findings have been stable this long. */
  feedbackDebounceMs: number;
  /** Renew a channel when it expires within this window (a file channel lives at most one day). */
  renewBeforeMs: number;
  channelTtlMs: number;
}

export interface CloudPorts extends CloudWardPorts {
  files: WardFileLister;
  channels: ChannelApi;
  summary: SummarySink;
  state: StateStore;
  /** Templates, documents and mail, loaded when first needed: the webhook never needs them. */
  publish(): Promise<Omit<PublishPorts, "state" | "clock">>;
}

export interface HttpAnswer {
  status: number;
  body: string;
}

/** Constant-time comparison of the channel token (hashing first equalises the lengths). */
export function isValidToken(given: string | undefined, expected: string): boolean {
  const digest = (s: string): Buffer => createHash("sha256").update(s).digest();
  return given !== undefined && expected !== "" && timingSafeEqual(digest(given), digest(expected));
}

type Headers = Readonly<Record<string, string | string[] | undefined>>;
const header = (headers: Headers, name: string): string | undefined => {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
};

interface ChannelRecord {
  channelId: string;
  resourceId: string;
  wardId: string;
  fileId: string;
  expiration: number;
}

/**
 * A Drive push notification. Wrong or missing token → 403, nothing processed; "sync" → 200;
 * a message already seen (channel id + message number) → 200 without processing.
 */
export async function handleNotification(headers: Headers, config: Config, ports: CloudWardPorts, settings: Pick<CloudSettings, "channelToken">): Promise<HttpAnswer> {
  if (!isValidToken(header(headers, "x-goog-channel-token"), settings.channelToken)) return { status: 403, body: "forbidden" };
  const state = header(headers, "x-goog-resource-state");
  if (state === "sync") return { status: 200, body: "sync" };
  const channelId = header(headers, "x-goog-channel-id");
  const messageNumber = header(headers, "x-goog-message-number");
  if (!channelId || !messageNumber) return { status: 400, body: "missing channel headers" };
  if (!(await claimOnce(ports.kv, STATE_KEYS.notification(channelId, messageNumber)))) return { status: 200, body: "duplicate" };
  const channel = (await ports.kv.get<ChannelRecord>(STATE_KEYS.channel(channelId)))?.value;
  const ward = channel && config.wards.find((w) => w.id === channel.wardId);
  if (!ward) return { status: 200, body: "unknown channel" }; // an old channel; the sweep stops it
  const { status } = await processWardIfChanged(ward, config.catalogues, ports);
  return { status: 200, body: status };
}

export interface SweepReport {
  listed: number;
  processed: string[];
  unchanged: string[];
  unregistered: string[];
  renewed: string[];
  delivery: SendReport;
}

/**
 * Open a channel for each registered ward whose channel is missing or expires within
 * `renewBeforeMs`, then stop the old one. Returns the wards renewed.
 */
export async function renewChannels(
  wards: readonly WardConfig[],
  registry: Awaited<ReturnType<typeof readRegistry>>,
  ports: Pick<CloudPorts, "kv" | "channels">,
  settings: Pick<CloudSettings, "webhookUrl" | "renewBeforeMs" | "channelTtlMs" | "channelToken">,
  now: number,
): Promise<string[]> {
  if (!settings.webhookUrl) return [];
  const renewed: string[] = [];
  for (const ward of wards) {
    const registration = registry[ward.id];
    if (!registration) continue;
    const byWard = `channels/by-ward/${ward.id}.json`;
    const stored = await ports.kv.get<ChannelRecord>(byWard);
    const current = stored?.value;
    if (current && current.expiration - now > settings.renewBeforeMs) continue;
    const opened = await ports.channels.watch(registration.spreadsheetId, { id: `tieuchi-${ward.id}-${randomUUID()}`, address: settings.webhookUrl, token: settings.channelToken, expiration: now + settings.channelTtlMs });
    const record: ChannelRecord = { channelId: opened.id, resourceId: opened.resourceId, wardId: ward.id, fileId: registration.spreadsheetId, expiration: opened.expiration };
    await ports.kv.put(STATE_KEYS.channel(opened.id), record, null);
    await ports.kv.put(byWard, record, stored?.version ?? null);
    if (current) {
      await ports.channels.stop({ id: current.channelId, resourceId: current.resourceId }).catch(() => undefined); // already expired
      await ports.kv.delete(STATE_KEYS.channel(current.channelId));
    }
    renewed.push(ward.id);
  }
  return renewed;
}

async function townRunFromState(config: Config, wards: readonly WardConfig[], states: ReadonlyMap<string, WardState | null>, ports: Pick<CloudPorts, "state" | "clock">): Promise<TownRun> {
  const now = ports.clock.now();
  const period = weekPeriod(now);
  const runs = townRunOf(wards, config.catalogues, states);
  const previous = await ports.state.latestSnapshotBefore(period);
  const summary = aggregateTown(runs.map((r) => r.outcome), config.catalogues, { period, generatedAt: now.toISOString(), previous });
  return { summary, wards: runs };
}

/** Feedback for wards whose findings have been stable long enough (staff finished editing). */
function settledFeedback(run: TownRun, states: ReadonlyMap<string, WardState | null>, config: Config, templates: TemplateSet, settings: CloudSettings, now: number) {
  const isSettled = (wardId: string): boolean => {
    const state = states.get(wardId);
    return !!state && now - Date.parse(state.findingsChangedAt) >= settings.feedbackDebounceMs;
  };
  return composeFeedback({ ...run, wards: run.wards.filter((w) => isSettled(w.ward.id)) }, config, templates);
}

/**
 * The sweep: ONE Drive listing, one batch read per changed ward, channel renewal, debounced
 * ward feedback and reminders, and the town summary refreshed from state.
 */
export async function sweep(config: Config, ports: CloudPorts, settings: CloudSettings): Promise<SweepReport> {
  const now = ports.clock.now();
  const wards = activeWards(config.wards, localDate(now));
  const [registry, files, states] = await Promise.all([readRegistry(ports.kv), ports.files.list(), readWardStates(wards, ports.kv)]);
  const report: SweepReport = { listed: files.length, processed: [], unchanged: [], unregistered: [], renewed: [], delivery: { sent: [], skipped: [], failed: [] } };
  for (const ward of wards) {
    const registration = registry[ward.id];
    const file = registration && files.find((f) => f.id === registration.spreadsheetId);
    if (!registration || !file) {
      report.unregistered.push(ward.id);
      continue;
    }
    const known = states.get(ward.id) ?? null;
    if (known && known.fileVersion === file.version) continue; // unchanged ward: no Sheets read at all
    const { status, state } = await processWardIfChanged(ward, config.catalogues, ports, { fileVersion: file.version, previous: known });
    states.set(ward.id, state);
    report[status].push(ward.id);
  }
  report.renewed = await renewChannels(wards, registry, ports, settings, now.getTime());
  const run = await townRunFromState(config, wards, states, ports);
  await ports.summary.write(run.summary);
  await ports.state.saveSnapshot(toSnapshot(run.summary));
  const { mail, templates } = await ports.publish();
  if (mail) {
    const messages = [...settledFeedback(run, states, config, templates, settings, now.getTime()), ...composeReminders(run, config, templates, localDate(now))];
    report.delivery = await sendOnce(messages, { ...mail, clock: ports.clock });
  }
  return report;
}

/**
 * The digest: documents updated in place and the leadership email, once per event. When
 * something fails (a send refused, an API down), the claim is released and the error thrown,
 * so Pub/Sub redelivers the event; documents are updated in place and the ledger keeps
 * what already went out from going twice.
 */
export async function digest(config: Config, ports: CloudPorts, eventId: string | null): Promise<ReportResult | "duplicate"> {
  const claim = eventId ? STATE_KEYS.event(eventId) : null;
  if (claim && !(await claimOnce(ports.kv, claim))) return "duplicate";
  try {
    const wards = activeWards(config.wards, localDate(ports.clock.now()));
    const run = await townRunFromState(config, wards, await readWardStates(wards, ports.kv), ports);
    await ports.state.saveSnapshot(toSnapshot(run.summary));
    const result = await publishReport(config, run, { ...(await ports.publish()), state: ports.state, clock: ports.clock });
    const failed = result.delivery?.failed ?? [];
    if (failed.length) throw new DeliveryError(`${failed.length} thư`, failed.map((f) => f.error).join("; "), null);
    return result;
  } catch (error) {
    if (claim) await ports.kv.delete(claim);
    throw error;
  }
}
