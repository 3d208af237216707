/**
 * `tieuchi provision` and `tieuchi watch`: operations against Google from a laptop, with
 * Application Default Credentials (or an emulator: TIEUCHI_GOOGLE_ROOT_URL and
 * TIEUCHI_GOOGLE_ACCESS_TOKEN). State goes to the bucket in TIEUCHI_STATE_BUCKET.
 */
import { activeWards, type Config } from "../functions/config.js";
import { localDate } from "../functions/core/period.js";
import { ConfigError } from "../functions/errors.js";
import type { Clock } from "../functions/ports.js";
import { readRegistry } from "../functions/app/cloud-ward.js";
import { renewChannels } from "../functions/app/cloud-handlers.js";
import { createGoogleClients, serviceAuth, type GoogleAuthClient, type GoogleClients } from "../functions/adapters/google/clients.js";
import { googleChannelApi } from "../functions/adapters/google/channels.js";
import { gcsKeyValueStore } from "../functions/adapters/google/gcs-store.js";
import { provisionAll } from "../functions/adapters/google/provision.js";
import type { CliContext, Io } from "./cli-io.js";

const DAY_MS = 24 * 60 * 60 * 1000;

function google(config: Config): NonNullable<Config["google"]> {
  if (!config.google) throw new ConfigError("tieuchi.config.yaml", [{ path: "google", message: "cần mục google (wardsFolderId, reportsFolderId, …) để làm việc với Google Sheets" }]);
  return config.google;
}

function requiredEnv(ctx: CliContext, names: readonly string[]): Record<string, string> {
  const missing = names.filter((n) => !ctx.env[n]?.trim());
  if (missing.length) throw new ConfigError("môi trường", missing.map((n) => ({ path: `env.${n}`, message: "chưa đặt biến môi trường này" })));
  return Object.fromEntries(names.map((n) => [n, ctx.env[n]!.trim()]));
}

function connect(ctx: CliContext): { clients: GoogleClients; auth: GoogleAuthClient; rootUrl: string | undefined } {
  const rootUrl = ctx.env.TIEUCHI_GOOGLE_ROOT_URL?.trim() || undefined;
  const auth = serviceAuth(ctx.env.TIEUCHI_GOOGLE_ACCESS_TOKEN?.trim() || null);
  return { clients: createGoogleClients({ auth, ...(rootUrl ? { rootUrl } : {}) }), auth, rootUrl };
}

function stateStore(ctx: CliContext, auth: GoogleAuthClient, rootUrl: string | undefined) {
  const { TIEUCHI_STATE_BUCKET: bucket } = requiredEnv(ctx, ["TIEUCHI_STATE_BUCKET"]);
  return gcsKeyValueStore({ auth: auth as never, bucket: bucket!, ...(rootUrl ? { rootUrl } : {}) });
}

export async function commandProvision(config: Config, ctx: CliContext, io: Io, clock: Clock): Promise<number> {
  const { wardsFolderId } = google(config);
  const { clients, auth, rootUrl } = connect(ctx);
  const kv = stateStore(ctx, auth, rootUrl);
  const outcomes = await provisionAll(clients, kv, { wards: activeWards(config.wards, localDate(clock.now())), catalogues: config.catalogues, folderId: wardsFolderId });
  for (const o of outcomes) {
    io.out(`${o.error ? "✗" : "✓"} Phường ${o.wardName}${o.registration ? ` — https://docs.google.com/spreadsheets/d/${o.registration.spreadsheetId}/edit` : ""}`);
    (o.actions.length ? o.actions : ["Không có gì cần thay đổi."]).forEach((a) => io.out(`    ${a}`));
    if (o.error) io.out(`    Lỗi: ${o.error}`);
  }
  return outcomes.some((o) => o.error) ? 1 : 0;
}

export async function commandWatch(config: Config, ctx: CliContext, io: Io, clock: Clock): Promise<number> {
  const { webhookUrl } = google(config);
  if (!webhookUrl) throw new ConfigError("tieuchi.config.yaml", [{ path: "google.webhookUrl", message: "cần địa chỉ của hàm sheetsWebhook (in ra sau khi triển khai)" }]);
  const { TIEUCHI_CHANNEL_TOKEN: token } = requiredEnv(ctx, ["TIEUCHI_CHANNEL_TOKEN"]);
  const { clients, auth, rootUrl } = connect(ctx);
  const kv = stateStore(ctx, auth, rootUrl);
  const wards = activeWards(config.wards, localDate(clock.now()));
  const registry = await readRegistry(kv);
  const unregistered = wards.filter((w) => !registry[w.id]).map((w) => w.name);
  // Renew every channel now (an "expires within a day" window covers them all).
  const renewed = await renewChannels(wards, registry, { kv, channels: googleChannelApi(clients) }, { webhookUrl, renewBeforeMs: 2 * DAY_MS, channelTtlMs: DAY_MS, channelToken: token! }, clock.now().getTime());
  io.out(`Đã mở kênh theo dõi cho ${renewed.length} phường: ${renewed.map((id) => wards.find((w) => w.id === id)?.name ?? id).join(", ") || "—"}.`);
  if (unregistered.length) io.out(`Chưa có bảng tính (chạy “tieuchi provision” trước): ${unregistered.join(", ")}.`);
  io.out("Các kênh hết hạn sau một ngày; hàm sweep tự gia hạn.");
  return unregistered.length ? 1 : 0;
}
