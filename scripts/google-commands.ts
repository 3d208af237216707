/**
 * `tieuchi provision`, `tieuchi watch` and `tieuchi close|reopen --google`: operations against Google from a laptop, as the
 * identity googleAuthFromEnv chooses (a user through TIEUCHI_OAUTH_REFRESH_TOKEN, else
 * Application Default Credentials; an emulator with TIEUCHI_GOOGLE_ROOT_URL and
 * TIEUCHI_GOOGLE_ACCESS_TOKEN). State goes to the bucket in TIEUCHI_STATE_BUCKET.
 */
import { activeWards, type Config } from "../functions/config.js";
import { type UnitKind, unitKindOf, unitLabel, unitsNoun } from "../functions/core/organisation.js";
import { localDate } from "../functions/core/period.js";
import { sentenceCase } from "../functions/core/vi-format.js";
import { ConfigError } from "../functions/errors.js";
import type { Clock } from "../functions/ports.js";
import { readRegistry } from "../functions/app/cloud-ward.js";
import { CHANGES_CHANNEL_RENEW_BEFORE_MS, CHANGES_CHANNEL_TTL_MS, renewChangesChannel, retireFileChannels } from "../functions/app/changes-channel.js";
import { createGoogleClients, googleAuthFromEnv, type GoogleAuthSetup, type GoogleClients } from "../functions/adapters/google/clients.js";
import { googleWardFolder } from "../functions/adapters/google/changed-files.js";
import { googleChangeFeed } from "../functions/adapters/google/changes.js";
import { gcsKeyValueStore } from "../functions/adapters/google/gcs-store.js";
import { googleWardSpreadsheets } from "../functions/adapters/google/provision.js";
import { googlePeriodLocks } from "../functions/adapters/google/period-locks.js";
import { handleCloseRequest, wardNamer } from "../functions/app/cloud-close.js";
import { officeOf } from "../functions/app/review-messages.js";
import { provisionWards, type WardProvisionOutcome } from "../functions/app/provision-wards.js";
import type { CliContext, Io } from "./cli-io.js";

function google(config: Config): NonNullable<Config["google"]> {
  if (!config.google) throw new ConfigError("tieuchi.config.yaml", [{ path: "google", message: "cần mục google (wardsFolderId, reportsFolderId, …) để làm việc với Google Sheets" }]);
  return config.google;
}

function requiredEnv(ctx: CliContext, names: readonly string[]): Record<string, string> {
  const missing = names.filter((n) => !ctx.env[n]?.trim());
  if (missing.length) throw new ConfigError("môi trường", missing.map((n) => ({ path: `env.${n}`, message: "chưa đặt biến môi trường này" })));
  return Object.fromEntries(names.map((n) => [n, ctx.env[n]!.trim()]));
}

function connect(ctx: CliContext): { clients: GoogleClients; setup: GoogleAuthSetup } {
  const setup = googleAuthFromEnv(ctx.env);
  return { clients: createGoogleClients({ auth: setup.google, ...(setup.rootUrl ? { rootUrl: setup.rootUrl } : {}) }), setup };
}

function stateStore(ctx: CliContext, setup: GoogleAuthSetup) {
  const { TIEUCHI_STATE_BUCKET: bucket } = requiredEnv(ctx, ["TIEUCHI_STATE_BUCKET"]);
  return gcsKeyValueStore({ auth: setup.state as never, bucket: bucket!, ...(setup.rootUrl ? { rootUrl: setup.rootUrl } : {}) });
}

const IDENTITY_LINES: Readonly<Record<GoogleAuthSetup["mode"], string>> = {
  serviceAccount: "Làm việc với Google bằng tài khoản dịch vụ (Application Default Credentials); thư mục các phường cần nằm trong bộ nhớ dùng chung.",
  user: "Làm việc với Google thay mặt tài khoản người dùng (TIEUCHI_OAUTH_REFRESH_TOKEN); bảng tính nằm trong Drive của tài khoản đó.",
  emulator: "Làm việc với máy chủ Google giả lập (TIEUCHI_GOOGLE_ROOT_URL).",
};

/** One ward's lines; an error already printed for an earlier ward (a wrong folder fails them all) is referred to, not repeated. */
function printOutcome(o: WardProvisionOutcome, io: Io, firstWith: Map<string, string>, kind: UnitKind): void {
  const mark = o.error ? "✗" : o.refused.length ? "⚠" : "✓";
  const unit = unitLabel({ name: o.wardName, kind });
  io.out(`${mark} ${sentenceCase(unit)}${o.registration ? ` — https://docs.google.com/spreadsheets/d/${o.registration.spreadsheetId}/edit` : ""}`);
  const nothing = o.actions.length === 0 && o.refused.length === 0 && !o.error;
  (nothing ? ["Không có gì cần thay đổi."] : o.actions).forEach((a) => io.out(`    ${a}`));
  o.refused.forEach((r) => io.out(`    Chưa chia sẻ được cho ${r.email}: ${r.reason}.`));
  if (!o.error) return;
  const earlier = firstWith.get(o.error);
  io.out(earlier ? `    Lỗi: như ${earlier} ở trên.` : `    Lỗi: ${o.error}`);
  if (!earlier) firstWith.set(o.error, unit);
}

export async function commandProvision(config: Config, ctx: CliContext, io: Io, clock: Clock): Promise<number> {
  const { wardsFolderId } = google(config);
  const { clients, setup } = connect(ctx);
  const kv = stateStore(ctx, setup);
  io.out(IDENTITY_LINES[setup.mode]);
  const spreadsheets = googleWardSpreadsheets(clients, { catalogues: config.catalogues, folderId: wardsFolderId, appraisers: config.review.appraisers });
  const wards = activeWards(config.wards, localDate(clock.now()));
  const outcomes = await provisionWards({ spreadsheets, kv, clock }, wards);
  const firstWith = new Map<string, string>();
  const kinds = new Map(wards.map((w) => [w.id, unitKindOf(w)]));
  outcomes.forEach((o) => printOutcome(o, io, firstWith, kinds.get(o.wardId) ?? "phường"));
  const noun = unitsNoun(kinds.values());
  const failed = outcomes.filter((o) => o.error).length;
  const refused = outcomes.reduce((n, o) => n + o.refused.length, 0);
  io.out(`Kết quả: ${outcomes.length - failed}/${outcomes.length} ${noun} có bảng tính sẵn sàng${failed ? `, ${failed} ${noun} lỗi (chạy lại sau khi khắc phục)` : ""}${refused ? `, ${refused} địa chỉ chưa chia sẻ được (chia sẻ tay hoặc sửa chính sách rồi chạy lại)` : ""}.`);
  return failed || refused ? 1 : 0;
}

export async function commandWatch(config: Config, ctx: CliContext, io: Io, clock: Clock): Promise<number> {
  const { webhookUrl, wardsFolderId } = google(config);
  if (!webhookUrl) throw new ConfigError("tieuchi.config.yaml", [{ path: "google.webhookUrl", message: "cần địa chỉ của hàm sheetsWebhook (in ra sau khi triển khai)" }]);
  const { TIEUCHI_CHANNEL_TOKEN: token } = requiredEnv(ctx, ["TIEUCHI_CHANNEL_TOKEN"]);
  const { clients, setup } = connect(ctx);
  const kv = stateStore(ctx, setup);
  const wards = activeWards(config.wards, localDate(clock.now()));
  const registry = await readRegistry(kv);
  const unregistered = wards.filter((w) => !registry[w.id]).map((w) => w.name);
  const ports = { kv, clock, changes: googleChangeFeed(clients), folder: googleWardFolder(clients, wardsFolderId) };
  const settings = { webhookUrl, wardsFolderId, channelToken: token!, renewBeforeMs: CHANGES_CHANNEL_RENEW_BEFORE_MS, channelTtlMs: CHANGES_CHANNEL_TTL_MS };
  // One channel on the drive's changes feed covers every ward; per-file channels of earlier versions are closed.
  await renewChangesChannel(ports, settings, { force: true });
  const retired = await retireFileChannels(ports);
  io.out(`Đã mở kênh theo dõi các thay đổi trên Google Drive (cho cả ${wards.length - unregistered.length} phường).`);
  if (retired) io.out(`Đã đóng ${retired} kênh theo dõi từng tệp của phiên bản cũ.`);
  if (unregistered.length) io.out(`Chưa có bảng tính (chạy “tieuchi provision” trước): ${unregistered.join(", ")}.`);
  io.out("Kênh hết hạn sau bảy ngày; hàm sweep tự gia hạn trước một ngày.");
  return unregistered.length ? 1 : 0;
}

/** What `tieuchi close --google` / `reopen --google` is asked. */
export interface GoogleCloseOptions {
  action: "close" | "reopen";
  period: string | undefined;
  reason: string | undefined;
  /** Who closes: the OS user running the command. */
  by: string;
}

/**
 * `tieuchi close --google` and `reopen --google`: the close function's use case from a laptop, over the state bucket
 * (the cloud's closing record and registry) and the ward spreadsheets. Exit 0 when done, 1 when a ward is not done yet
 * (run it again), 2 when refused (no stored figures yet, or a missing period or reason).
 */
export async function commandCloseGoogle(config: Config, options: GoogleCloseOptions, ctx: CliContext, io: Io, clock: Clock): Promise<number> {
  const { clients, setup } = connect(ctx);
  const kv = stateStore(ctx, setup);
  io.out(IDENTITY_LINES[setup.mode]);
  const ports = { kv, clock, locks: googlePeriodLocks(clients, { catalogues: config.catalogues }), registry: () => readRegistry(kv) };
  const body = { action: options.action, period: options.period, reason: options.reason };
  const answer = await handleCloseRequest(body, ports, { office: officeOf(config), caller: options.by, wardName: wardNamer(config.wards) });
  io.out(answer.body);
  return answer.status === 200 ? 0 : answer.status === 500 ? 1 : 2;
}
