/**
 * The cloud composition root: the only place that builds Google adapters. Loaded by
 * functions/index.ts on the first invocation of an instance and kept for the next ones.
 */
import { type CloudEnv, type Config, parseCloudEnv, processEnv, readConfig } from "../config.js";
import { ConfigError } from "../errors.js";
import { packageRoot } from "../package-root.js";
import { systemClock } from "../ports.js";
import { type CloudPorts, type CloudSettings, type HttpAnswer, digest, handleNotification, isValidToken, sweep } from "../app/cloud-handlers.js";
import { registryCache, STATE_KEYS, type WardRegistry } from "../app/cloud-ward.js";
import { kvLedger, kvStateStore, updateJson } from "../app/kv-state.js";
import { createGoogleClients, serviceAuth, type GoogleClients } from "../adapters/google/clients.js";
import { googleWardFileLister } from "../adapters/google/changed-files.js";
import { googleCheckTab } from "../adapters/google/check-tab.js";
import { googleChannelApi } from "../adapters/google/channels.js";
import type { RetryOptions } from "../adapters/google/retry.js";
import { googleDocumentStore } from "../adapters/google/document-store.js";
import { gcsKeyValueStore } from "../adapters/google/gcs-store.js";
import { googleSheetSource } from "../adapters/google/sheet-source.js";
import { googleTownSummary } from "../adapters/google/town-summary.js";
import { loadTemplates } from "../render/templates.js";
import type { KeyValueStore, Mailer } from "../ports.js";

const MINUTE = 60_000;

interface Context {
  config: Config;
  ports: CloudPorts;
  /** The same ports with a short retry budget: Drive wants a push answered fast and retries it itself. */
  webhookPorts: CloudPorts;
  settings: CloudSettings;
}

/** A few seconds of backoff at most for the webhook; the sweep catches what it gives up on. */
const WEBHOOK_RETRY = { maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 2_000 };

async function mailerFor(config: Config): Promise<Mailer | null> {
  if (!config.smtpUrl) return null; // no outbox in the cloud: without SMTP, nothing is sent
  const { createSmtpMailer } = await import("../adapters/mail/smtp-mailer.js");
  return createSmtpMailer({ url: config.smtpUrl, from: config.smtp?.from ?? "tieuchi <tieuchi@localhost>" });
}

/** Config and environment, every problem listed at once. */
async function loadSettings(): Promise<{ config: Config; google: NonNullable<Config["google"]>; cloud: CloudEnv }> {
  const env = processEnv();
  const cloud = parseCloudEnv(env, packageRoot());
  if (!cloud.success) throw new ConfigError("môi trường", cloud.problems);
  const config = await readConfig(cloud.data.configFile, env);
  if (!config.google) throw new ConfigError(cloud.data.configFile, [{ path: "google", message: "bắt buộc khi chạy trên Google Cloud" }]);
  return { config, google: config.google, cloud: cloud.data };
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

async function buildContext(): Promise<Context> {
  const { config, google, cloud } = await loadSettings();
  const auth = serviceAuth(cloud.googleAccessToken);
  const rootUrl = cloud.googleRootUrl ? { rootUrl: cloud.googleRootUrl } : {};
  const clients = createGoogleClients({ auth, ...rootUrl });
  const kv = gcsKeyValueStore({ auth: auth as never, bucket: cloud.stateBucket, ...rootUrl });
  const files = googleWardFileLister(clients, google.wardsFolderId);
  const registry = registryCache(kv, systemClock);
  const ports: CloudPorts = {
    clock: systemClock,
    kv,
    ...wardAdapters(clients, kv, registry, config, {}),
    files,
    versionOf: async (ward) => {
      const id = (await registry.get())[ward.id]?.spreadsheetId;
      return id ? files.version(id) : null;
    },
    channels: googleChannelApi(clients),
    summary: google.townSpreadsheetId ? googleTownSummary({ clients, spreadsheetId: google.townSpreadsheetId }) : { write: async () => undefined },
    state: kvStateStore(kv),
    publish: once(async () => {
      const mailer = await mailerFor(config);
      return {
        documents: googleDocumentStore({ clients, folderId: google.reportsFolderId }),
        templates: await loadTemplates(),
        mail: mailer ? { mailer, ledger: kvLedger(kv) } : null,
      };
    }),
  };
  const settings: CloudSettings = {
    channelToken: cloud.channelToken,
    webhookUrl: google.webhookUrl ?? null,
    feedbackDebounceMs: google.feedbackDebounceMinutes * MINUTE,
    renewBeforeMs: 6 * 60 * MINUTE,
    channelTtlMs: 24 * 60 * MINUTE,
  };
  return { config, ports, webhookPorts: { ...ports, ...wardAdapters(clients, kv, registry, config, WEBHOOK_RETRY) }, settings };
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
  const { config, webhookPorts, settings } = await getContext();
  return handleNotification(headers, config, webhookPorts, settings);
}

export async function onSweep(_eventId: string | null): Promise<void> {
  const { config, ports, settings } = await getContext();
  await sweep(config, ports, settings);
}

export async function onSweepHttp(): Promise<HttpAnswer> {
  const { config, ports, settings } = await getContext();
  const report = await sweep(config, ports, settings);
  return { status: 200, body: JSON.stringify(report) };
}

export async function onDigest(eventId: string | null): Promise<void> {
  const { config, ports } = await getContext();
  await digest(config, ports, eventId);
}
