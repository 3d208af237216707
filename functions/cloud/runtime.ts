/**
 * The cloud composition root: the only place that builds Google adapters. Loaded by
 * functions/index.ts on the first invocation of an instance and kept for the next ones.
 */
import { type CloudEnv, type Config, parseCloudEnv, processEnv, readConfig } from "../config.js";
import { ConfigError } from "../errors.js";
import { packageRoot } from "../package-root.js";
import { systemClock } from "../ports.js";
import { type CloudPorts, type CloudSettings, type HttpAnswer, digest, handleNotification, isValidToken, sweep } from "../app/cloud-handlers.js";
import type { SendReport } from "../app/send-mail.js";
import { CHANGES_CHANNEL_RENEW_BEFORE_MS, CHANGES_CHANNEL_TTL_MS } from "../app/changes-channel.js";
import { registryCache, STATE_KEYS, type WardRegistry } from "../app/cloud-ward.js";
import { kvLedger, kvStateStore, updateJson } from "../app/kv-state.js";
import { createGoogleClients, defaultAuth, googleAuthFromEnv, type GoogleClients } from "../adapters/google/clients.js";
import { cloudTasksQueue } from "../adapters/google/tasks-queue.js";
import { parseWardQueueEnv } from "../adapters/google/tasks-queue-env.js";
import type { WardTaskQueue } from "../app/ward-tasks.js";
import { sharedDispatchSlots } from "../app/dispatch-slots.js";
import { handleWardTask, type WorkerAnswer } from "../app/ward-worker.js";
import { googleWardFolder, lastModifierOf } from "../adapters/google/changed-files.js";
import { modifierName } from "../app/cloud-review.js";
import { googleChangeFeed } from "../adapters/google/changes.js";
import { googleCheckTab } from "../adapters/google/check-tab.js";
import { decodePushHeaders } from "../adapters/google/push-headers.js";
import type { RetryOptions } from "../adapters/google/retry.js";
import { googleDocumentStore } from "../adapters/google/document-store.js";
import { gcsKeyValueStore } from "../adapters/google/gcs-store.js";
import { googleSheetSource } from "../adapters/google/sheet-source.js";
import { googleTownSummary } from "../adapters/google/town-summary.js";
import { unitIndexOf } from "../core/chart-selection.js";
import { digestFiles } from "../adapters/mail/digest-files.js";
import { timeBudget } from "./time-budget.js";
import { taskSpacingMs } from "./quota-pacing.js";
import type { KeyValueStore, Mailer, PeriodLocks } from "../ports.js";
import { googlePeriodLocks } from "../adapters/google/period-locks.js";
import { handleCloseRequest, wardNamer } from "../app/cloud-close.js";
import { callerEmail } from "../app/caller-identity.js";
import { officeOf } from "../app/review-messages.js";

const MINUTE = 60_000;
type WardQueueSettings = Extract<ReturnType<typeof parseWardQueueEnv>, { success: true }>["data"];
const DAY = 24 * 60 * MINUTE;

interface Context {
  config: Config;
  ports: CloudPorts;
  /** The period locks on the ward spreadsheets (the close function). */
  locks: PeriodLocks;
  /** The same ports with a short retry budget: Drive wants a push answered fast and retries it itself. */
  webhookPorts: CloudPorts;
  settings: CloudSettings;
}

/** A few seconds of backoff at most for the webhook; the sweep catches what it gives up on. */
const WEBHOOK_RETRY = { maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 2_000 };

/**
 * The webhook's whole answer fits in this, well inside the function's 60 s timeout: past it
 * the webhook answers 503 and Drive retries. Each state request gets at most 5 s of it.
 */
const WEBHOOK_BUDGET_MS = 20_000;
const WEBHOOK_STATE_REQUEST_MS = 5_000;
const webhookBudget = timeBudget();

async function mailerFor(config: Config): Promise<Mailer | null> {
  if (!config.smtpUrl) return null; // no outbox in the cloud: without SMTP, nothing is sent
  const { createSmtpMailer } = await import("../adapters/mail/smtp-mailer.js");
  return createSmtpMailer({ url: config.smtpUrl, from: config.smtp?.from ?? "tieuchi <tieuchi@localhost>" });
}

/** Config and environment, every problem listed at once. */
async function loadSettings(): Promise<{ config: Config; google: NonNullable<Config["google"]>; cloud: CloudEnv; queue: WardQueueSettings | null }> {
  const env = processEnv();
  const cloud = parseCloudEnv(env, packageRoot());
  const queue = parseWardQueueEnv(env);
  const problems = [...(cloud.success ? [] : cloud.problems), ...(queue.success ? [] : queue.problems)];
  if (!cloud.success || !queue.success) throw new ConfigError("môi trường", problems);
  const config = await readConfig(cloud.data.configFile, env);
  if (!config.google) throw new ConfigError(cloud.data.configFile, [{ path: "google", message: "bắt buộc khi chạy trên Google Cloud" }]);
  return { config, google: config.google, cloud: cloud.data, queue: queue.data };
}

/** The ward-facing adapters (read, Kiểm tra) with a given retry budget. */
function wardAdapters(clients: GoogleClients, kv: KeyValueStore, registryOf: ReturnType<typeof registryCache>, config: Config, retry: RetryOptions): Pick<CloudPorts, "sheets" | "feedback"> {
  const registry = registryOf.get;
  const spreadsheetIdOf = async (ward: { id: string }) => (await registry())[ward.id]?.spreadsheetId ?? null;
  const recordCheckSheet = async (wardId: string, sheetId: number) => {
    await updateJson<WardRegistry>(kv, STATE_KEYS.registry, (r) => {
      const current = r?.[wardId];
      return current ? { ...r, [wardId]: { ...current, checkSheetId: sheetId } } : (r ?? {});
    });
    registryOf.invalidate();
  };
  return {
    sheets: googleSheetSource({ clients, catalogues: config.catalogues, spreadsheetIdOf, retry }),
    feedback: googleCheckTab({
      clients,
      catalogues: config.catalogues,
      spreadsheetIdOf,
      checkSheetIdOf: async (ward) => (await registry())[ward.id]?.checkSheetId ?? null,
      onCheckSheetCreated: (ward, sheetId) => recordCheckSheet(ward.id, sheetId),
      retry,
    }),
  };
}

/** The ward queue when the deployment has one (parseWardQueueEnv); without it the sweep reads changed wards itself. */
function wardQueueOf(settings: WardQueueSettings | null, setup: ReturnType<typeof googleAuthFromEnv>, rootUrl: { rootUrl?: string }, kv: KeyValueStore): WardTaskQueue | null {
  if (!settings) return null;
  const auth = setup.mode === "emulator" ? setup.state : defaultAuth(["https://www.googleapis.com/auth/cloud-platform"]);
  const now = (): number => systemClock.now().getTime();
  // The dispatch slots live in the state bucket, shared by the sweep's and the webhook's instances.
  return cloudTasksQueue({ auth: auth as never, ...settings, ...rootUrl, pace: { slots: sharedDispatchSlots(kv, { spacingMs: taskSpacingMs(), now }), now } });
}

async function buildContext(): Promise<Context> {
  const { config, google, cloud, queue } = await loadSettings();
  const setup = googleAuthFromEnv(processEnv());
  const { google: auth, state: stateAuth } = setup; // a user through OAuth, or the service account
  const rootUrl = cloud.googleRootUrl ? { rootUrl: cloud.googleRootUrl } : {};
  const clients = createGoogleClients({ auth, ...rootUrl });
  const kv = gcsKeyValueStore({ auth: stateAuth as never, bucket: cloud.stateBucket, ...rootUrl });
  const registry = registryCache(kv, systemClock);
  const ports: CloudPorts = {
    clock: systemClock,
    kv,
    tasks: wardQueueOf(queue, setup, rootUrl, kv),
    ...wardAdapters(clients, kv, registry, config, {}),
    registry: registry.get,
    changes: googleChangeFeed(clients),
    folder: googleWardFolder(clients, google.wardsFolderId),
    review: {
      periodKind: config.schedule.period,
      // Asked only when a submission or an appraisal is recorded and the change came without Drive's metadata (the ward queue).
      modifiedBy: async (ward) => {
        const id = (await registry.get())[ward.id]?.spreadsheetId;
        return id ? modifierName(await lastModifierOf(clients, id)) : null;
      },
    },
    summary: google.townSpreadsheetId ? googleTownSummary({ clients, spreadsheetId: google.townSpreadsheetId, units: unitIndexOf(config.wards) }) : { write: async () => undefined },
    state: kvStateStore(kv),
    publish: once(async () => {
      const mailer = await mailerFor(config);
      return {
        documents: googleDocumentStore({ clients, folderId: google.reportsFolderId }),
        // Handlebars loads only when something is published: the worker and webhook cold starts skip it.
        templates: await (await import("../render/templates.js")).loadTemplates(),
        mail: mailer ? { mailer, ledger: kvLedger(kv) } : null,
        // Sequence numbers (reports.numbering: sequence) are allocated once per document key in the state bucket.
        numbers: kv,
        // The ward notices' history (changes and review steps) from the trail the ward reads recorded.
        trail: kv,
        // The digest's charts and .xlsx table; the reports are linked Google Docs, never read as files.
        digestFiles: digestFiles({ readLocalFiles: false }),
      };
    }),
  };
  const settings: CloudSettings = {
    channelToken: cloud.channelToken,
    webhookUrl: google.webhookUrl ?? null,
    feedbackDebounceMs: google.feedbackDebounceMinutes * MINUTE,
    wardsFolderId: google.wardsFolderId,
    renewBeforeMs: CHANGES_CHANNEL_RENEW_BEFORE_MS,
    channelTtlMs: CHANGES_CHANNEL_TTL_MS,
    sweepFeed: { leaseMs: 10 * MINUTE, fullListingEveryMs: DAY, maxWards: Number.MAX_SAFE_INTEGER, maxPasses: 2 },
    // The webhook answers within its timeout: a few wards per call, the rest left to the next pass.
    webhookFeed: { leaseMs: 2 * MINUTE, fullListingEveryMs: DAY, maxWards: 10, maxPasses: 1 },
  };
  // The webhook's state calls share its time budget: no request, no retry outlives it.
  const webhookKv = gcsKeyValueStore({ auth: stateAuth as never, bucket: cloud.stateBucket, ...rootUrl, retry: WEBHOOK_RETRY, timeoutMs: WEBHOOK_STATE_REQUEST_MS, deadline: webhookBudget.deadline });
  const webhookRegistry = registryCache(webhookKv, systemClock);
  const webhookPorts: CloudPorts = {
    ...ports,
    kv: webhookKv,
    registry: webhookRegistry.get,
    state: kvStateStore(webhookKv),
    ...wardAdapters(clients, webhookKv, webhookRegistry, config, WEBHOOK_RETRY),
    changes: googleChangeFeed(clients, WEBHOOK_RETRY),
    folder: googleWardFolder(clients, google.wardsFolderId, WEBHOOK_RETRY),
  };
  return { config, ports, webhookPorts, settings, locks: googlePeriodLocks(clients, { catalogues: config.catalogues }) };
}

/** A lazy value: built on first call, the same promise after; a failure is retried next time. */
function once<T>(build: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= build().catch((error: unknown) => {
      value = undefined;
      throw error;
    });
    return value;
  };
}

/** The context of this instance, built once; a failed build is retried on the next call. */
const getContext = once(buildContext);

export async function onNotification(headers: Readonly<Record<string, string | string[] | undefined>>): Promise<HttpAnswer> {
  // Refuse a wrong or missing token before anything else is built: fast, and closed even
  // when the instance is misconfigured (no token set means every token is wrong).
  const given = headers["x-goog-channel-token"];
  if (!isValidToken(Array.isArray(given) ? given[0] : given, processEnv().TIEUCHI_CHANNEL_TOKEN?.trim() ?? "")) return { status: 403, body: "forbidden" };
  const decoded = decodePushHeaders(headers);
  if (!decoded.ok) return { status: decoded.status, body: decoded.reason };
  const { config, webhookPorts, settings } = await getContext();
  return webhookBudget.within(WEBHOOK_BUDGET_MS, () => handleNotification(decoded.notification, config, webhookPorts, settings));
}

/** Permanent refusals go to the logs once, when they happen (Cloud Logging reads `severity` from JSON lines). */
function logRefusals(delivery: SendReport | null | undefined): void {
  for (const f of delivery?.failed.filter((x) => x.permanent) ?? []) {
    console.error(JSON.stringify({ severity: "ERROR", message: `Máy chủ thư từ chối hẳn, không gửi lại cho đến khi nội dung thay đổi: ${f.error}`, key: f.key }));
  }
}

/** One ward task from the queue (the body as the framework parsed it). */
export async function onWardTask(body: unknown): Promise<WorkerAnswer> {
  const { config, ports } = await getContext();
  return handleWardTask(body, config, ports);
}

export async function onSweep(_eventId: string | null): Promise<void> {
  const { config, ports, settings, locks } = await getContext();
  logRefusals((await sweep(config, { ...ports, locks }, settings)).delivery);
}

export async function onSweepHttp(): Promise<HttpAnswer> {
  const { config, ports, settings, locks } = await getContext();
  const report = await sweep(config, { ...ports, locks }, settings);
  logRefusals(report.delivery);
  return { status: 200, body: JSON.stringify(report) };
}

/** A close or reopen of a period, from the private close function (JSON body: action, period, reason; who: the identity token). */
export async function onClosePeriod(body: unknown, authorization: string | undefined): Promise<HttpAnswer> {
  const { config, ports, locks } = await getContext();
  const context = { office: officeOf(config), caller: callerEmail(authorization), wardName: wardNamer(config.wards) };
  return handleCloseRequest(body, { kv: ports.kv, locks, clock: ports.clock, registry: ports.registry, warn: (message) => console.error(JSON.stringify({ severity: "WARNING", message })) }, context);
}

export async function onDigest(eventId: string | null): Promise<void> {
  const { config, ports } = await getContext();
  const result = await digest(config, ports, eventId);
  if (result !== "duplicate") logRefusals(result.delivery);
}
