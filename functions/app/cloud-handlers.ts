/**
 * The cloud use cases behind the three functions: a Drive push notification, the periodic
 * sweep and the digest. All idempotent under at-least-once delivery: changes are handled
 * from the stored page token (never from the message), events are claimed once in durable
 * state, messages go through the ledger.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { currentPeriod, localDate } from "../core/period.js";
import { activeWards, type Config } from "../config.js";
import { TieuchiError } from "../errors.js";
import type { KeyValueStore, PeriodLocks, PushNotification, StateStore, SummarySink } from "../ports.js";
import { type ChannelRenewal, type ChannelSettings, renewChangesChannel, retireFileChannels } from "./changes-channel.js";
import { emptyPassReport, type FeedOptions, type FeedPorts, type PassReport, runChanges } from "./changes-feed.js";
import { composeFeedback, composeReminders } from "./compose-messages.js";
import { STATE_KEYS, type WardState, wardRunsOf } from "./cloud-ward.js";
import { readWardStatesIndexed } from "./ward-index.js";
import { claimOnce, updateJson } from "./kv-state.js";
import { closedPeriodGuard } from "./closed-run.js";
import { liftEndedLocks } from "./cloud-lock-expiry.js";
import { stepStaleWards } from "./cloud-rollover.js";
import { composeReviewMessages } from "./review-messages.js";
import type { TemplateSet } from "../render/templates.js";
import { type PublishedDocument, type PublishPorts, publishReport, type ReportResult } from "./produce-report.js";
import { summariseTown, type TownRun } from "./run-town.js";
import { emptySendReport, sendOnce, type SendReport } from "./send-mail.js";

export interface CloudSettings extends ChannelSettings {
  /** Ward feedback email waits until findings have been stable this long. */
  feedbackDebounceMs: number;
  /** How the sweep and the webhook run the changes feed (the webhook handles fewer wards, under a shorter lease). */
  sweepFeed: Omit<FeedOptions, "folderId">;
  webhookFeed: Omit<FeedOptions, "folderId">;
}

export interface CloudPorts extends FeedPorts {
  summary: SummarySink;
  state: StateStore;
  /** Templates, documents and mail, loaded when first needed: the webhook never needs them. */
  publish(): Promise<Omit<PublishPorts, "state" | "clock">>;
  /** The period locks on the ward spreadsheets: the sweep lifts those of ended periods (none: nothing lifted). */
  locks?: PeriodLocks;
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

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * A Drive push notification. Wrong or missing token → 403, nothing processed; "sync" → 200;
 * anything else runs a pass over the changes feed. Drive repeats and reorders messages, so
 * the message itself is never trusted for what changed: the stored page token is.
 */
export async function handleNotification(notification: PushNotification, config: Config, ports: FeedPorts, settings: Pick<CloudSettings, "channelToken" | "wardsFolderId" | "webhookFeed">): Promise<HttpAnswer> {
  if (!isValidToken(notification.token, settings.channelToken)) return { status: 403, body: "forbidden" };
  if (notification.resourceState === "sync") return { status: 200, body: "sync" };
  const wards = activeWards(config.wards, localDate(ports.clock.now()));
  const report = await runChanges(wards, config.catalogues, ports, { ...settings.webhookFeed, folderId: settings.wardsFolderId });
  if (report.busy) return { status: 200, body: "busy" };
  const queued = report.queued.length + report.alreadyQueued.length;
  return { status: 200, body: `processed ${report.processed.length}, failed ${report.failed.length}${queued > 0 ? `, queued ${queued}` : ""}` };
}

export interface SweepReport extends PassReport {
  /** Active wards provisioning has not registered yet. */
  unregistered: string[];
  channel: ChannelRenewal | "failed";
  /** "<period>/<ward>" of each period lock lifted because its period has ended. */
  locksLifted: string[];
  /** Failures outside any one ward (the feed, the channel): the summary and mail ran anyway. */
  errors: string[];
  delivery: SendReport;
}

/** Feedback for wards whose findings have been stable long enough (staff finished editing). */
function settledFeedback(run: TownRun, states: ReadonlyMap<string, WardState | null>, config: Config, templates: TemplateSet, settings: CloudSettings, now: number) {
  const isSettled = (wardId: string): boolean => {
    const state = states.get(wardId);
    return !!state && !state.lastError && now - Date.parse(state.findingsChangedAt) >= settings.feedbackDebounceMs;
  };
  return composeFeedback({ ...run, wards: run.wards.filter((w) => isSettled(w.ward.id)) }, config, templates);
}

/** Runs `step`, turning a failure into a line of the report so the sweep goes on. */
async function guarded<T>(report: SweepReport, what: string, step: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await step();
  } catch (error) {
    report.errors.push(`${what}: ${messageOf(error)}`);
    return fallback;
  }
}

/** The locks of ended periods lifted (the wards type for the new one); a ward whose unlock failed is tried again next sweep. */
async function liftLocks(report: SweepReport, ports: CloudPorts): Promise<void> {
  const locks = ports.locks;
  if (!locks) return;
  const lifted = await guarded(report, "Không mở được khóa của kỳ đã kết thúc", () => liftEndedLocks({ kv: ports.kv, locks, clock: ports.clock }), null);
  report.locksLifted = lifted?.lifted ?? [];
  report.errors.push(...(lifted?.failed ?? []).map((f) => `Không mở được khóa của kỳ đã kết thúc (${f})`));
}

/**
 * The sweep: the changes since the stored page token (one full listing a day as a safety
 * net), one batch read per changed ward, the channel renewed before it expires, debounced
 * ward feedback and reminders, and the town summary refreshed from state. Neither a failing
 * ward nor a failing feed or channel stops the summary and the mail.
 */
export async function sweep(config: Config, ports: CloudPorts, settings: CloudSettings): Promise<SweepReport> {
  const now = ports.clock.now();
  const wards = activeWards(config.wards, localDate(now));
  const [registry, states] = await Promise.all([ports.registry(), readWardStatesIndexed(wards, ports.kv, { refresh: true })]);
  const report: SweepReport = { ...emptyPassReport(), unregistered: wards.filter((w) => !registry[w.id]).map((w) => w.id), channel: "off", locksLifted: [], errors: [], delivery: emptySendReport() };
  const options: FeedOptions = { ...settings.sweepFeed, folderId: settings.wardsFolderId };
  Object.assign(report, await guarded(report, "Không đọc được các thay đổi từ Google Drive", () => runChanges(wards, config.catalogues, ports, options, states), emptyPassReport()));
  report.channel = await guarded<SweepReport["channel"]>(report, "Không gia hạn được kênh theo dõi", () => renewChangesChannel(ports, settings), "failed");
  if (report.listed !== null) await guarded(report, "Không dừng được các kênh theo dõi từng tệp cũ", () => retireFileChannels(ports), 0);
  await liftLocks(report, ports);
  // A new period: the wards nobody edited move into its cycle too (the feed names only the edited ones).
  const rollover = await guarded(report, "Không chuyển được các phường sang kỳ mới", () => stepStaleWards(wards, config.catalogues, ports, states), null);
  if (rollover) report.processed.push(...rollover.stepped.filter((id) => !report.processed.includes(id)));
  if (rollover) report.queued.push(...rollover.queued);
  const written: SummarySink = { write: (s) => guarded(report, "Không ghi được trang Tổng hợp", () => ports.summary.write(s), undefined) };
  // A closed period's Tổng hợp keeps the closed figures, whatever the wards typed since.
  const period = currentPeriod(config.schedule.period, now);
  const guard = await closedPeriodGuard(ports.kv, period, config.catalogues);
  const summary = guard ? guard.summary(written) : written;
  const run = await summariseTown(wardRunsOf(wards, config.catalogues, states, period), config.catalogues, { ...ports, summary }, { period });
  const { mail, templates } = await ports.publish();
  if (mail) {
    const messages = [
      ...settledFeedback(run, states, config, templates, settings, now.getTime()),
      ...composeReminders(run, config, templates, localDate(now), "google"),
      // Trả lại letters and submission notices, keyed per return / submission: a repeated pass sends none twice.
      ...composeReviewMessages(run, config, templates),
    ];
    report.delivery = await sendOnce(messages, { ...mail, clock: ports.clock });
  }
  return report;
}

/**
 * Messages a later attempt can still deliver: refused for now (4xx, no connection), waiting
 * for their backoff, or claimed by another instance that may die before recording them. A
 * permanent refusal is not among them: it is recorded as failed, and redelivering the event
 * could not change the answer.
 */
export function undelivered(delivery: SendReport | null): string[] {
  if (!delivery) return [];
  return [...delivery.failed.filter((f) => !f.permanent).map((f) => f.error), ...delivery.deferred.map((d) => d.error), ...delivery.busy.map(() => "đang được một lần chạy khác gửi")];
}

/**
 * How long one digest delivery publishes unit notices: well inside the function's 540 s, since a
 * notice started just before it may wait out a Docs quota minute. At 60 Docs writes a minute a
 * province's notices fit in one delivery; the nation's 3,300 take several.
 */
const DIGEST_PUBLISH_BUDGET_MS = 360_000;

/** What the deliveries of one digest event published so far (`claims/digest-progress/<event>.json`). */
interface DigestProgress {
  documents: PublishedDocument[];
}

/** The documents earlier deliveries of this event published, by key (none for a record of another shape). */
async function publishedBefore(kv: KeyValueStore, key: string): Promise<Map<string, PublishedDocument>> {
  const documents = (await kv.get<DigestProgress>(key))?.value.documents;
  return new Map((Array.isArray(documents) ? documents : []).map((d) => [d.key, d]));
}

/**
 * The digest: documents updated in place and the leadership email, once per event. Unit
 * notices not published within the budget are left to the event's redelivery. When
 * something fails that a later attempt may fix (a temporary refusal, an API down), the claim
 * is released and the error thrown, so Pub/Sub redelivers the event; documents are updated in
 * place and the ledger keeps what already went out from going twice. A permanent refusal is
 * recorded in the ledger and returned in the result, and the event is acknowledged: Pub/Sub
 * would otherwise redeliver it for 7 days, republishing every document each time.
 */
export async function digest(config: Config, ports: CloudPorts, eventId: string | null, options: { budgetMs?: number } = {}): Promise<ReportResult | "duplicate"> {
  const deadline = ports.clock.now().getTime() + (options.budgetMs ?? DIGEST_PUBLISH_BUDGET_MS);
  const claim = eventId ? STATE_KEYS.event(eventId) : null;
  if (claim && !(await claimOnce(ports.kv, claim))) return "duplicate";
  try {
    const wards = activeWards(config.wards, localDate(ports.clock.now()));
    const period = currentPeriod(config.schedule.period, ports.clock.now());
    const runs = wardRunsOf(wards, config.catalogues, await readWardStatesIndexed(wards, ports.kv, { refresh: false }), period);
    const run = await summariseTown(runs, config.catalogues, { state: ports.state, clock: ports.clock }, { periodKind: config.schedule.period });
    const progress = eventId ? STATE_KEYS.digestProgress(eventId) : null;
    const done = progress ? await publishedBefore(ports.kv, progress) : new Map<string, PublishedDocument>();
    const result = await publishReport(config, run, { runtime: "google", ...(await ports.publish()), state: ports.state, clock: ports.clock }, { deadline, done });
    const pending = undelivered(result.delivery);
    if (pending.length) throw new TieuchiError(`Còn ${pending.length} thư chưa gửi được, chờ Pub/Sub gửi lại sự kiện: ${pending.join("; ")}`);
    if (progress && result.deferred.length) {
      // The digest and the town reports went out; the redelivery publishes the notices left, not those done.
      await updateJson<DigestProgress>(ports.kv, progress, (earlier) => ({ documents: [...new Map([...(earlier?.documents ?? []), ...result.documents].map((d) => [d.key, d])).values()] }));
      throw new TieuchiError(`Còn ${result.deferred.length} thông báo của đơn vị chưa đăng trong lượt này (hạn mức ghi của Google Docs), chờ Pub/Sub gửi lại sự kiện để đăng tiếp`);
    }
    return result;
  } catch (error) {
    if (claim) await ports.kv.delete(claim);
    throw error;
  }
}
