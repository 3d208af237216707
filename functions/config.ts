/**
 * Configuration: the only reader of process.env and the config file. `parseConfig` is pure
 * (text + env in, config or every problem out); `readConfig` adds the file system.
 */
import { readFile } from "node:fs/promises";
import { dirname, isAbsolute, join, resolve } from "node:path";
import type { z } from "zod";
import { type Catalogue, type ParseResult, type SchemaProblem, parseCatalogue, parseYamlText } from "../sheets-schema/catalogue.js";
import { foldKey } from "../sheets-schema/text.js";
import { crossCheckConfig } from "./config-checks.js";
import { SAMPLE_FROM } from "./config-fields.js";
import { withLines } from "./config-lines.js";
import { configErrorMap, configProblemsFromZod, configSchema } from "./config-schema.js";
import { CHECK_TAB, GUIDE_TAB, SUMMARY_TAB } from "../sheets-schema/layout.js";
import { ConfigError } from "./errors.js";
import { packageRoot } from "./package-root.js";

export type RawConfig = z.output<typeof configSchema>;
export type WardConfig = RawConfig["wards"][number];

/** The configuration with its catalogues loaded and environment overrides applied. */
export interface Config extends RawConfig {
  /** Directory of the config file; relative paths resolve against it. */
  baseDir: string;
  catalogues: Catalogue[];
  smtpUrl: string | null;
}

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Parse config text with its environment. Pure: every problem (fields, unknown keys, checks
 * across entries, SMTP settings) is listed with its path in one pass. `baseDir` (the config's
 * folder) is used only to compare the wards' workbook files.
 *
 * @example parseConfigText("agency: …", { TIEUCHI_SMTP_URL: "smtp://127.0.0.1:2525" })
 */
export function parseConfigText(source: string, env: Env, options: { baseDir?: string } = {}): ParseResult<RawConfig & { smtpUrl: string | null }> {
  const yaml = parseYamlText(source);
  if (!yaml.success) return yaml;
  const result = configSchema.safeParse(yaml.data ?? {}, { error: configErrorMap });
  const problems: SchemaProblem[] = [...(result.success ? [] : configProblemsFromZod(result.error)), ...crossCheckConfig(yaml.data, options.baseDir ?? ".")];
  // An empty variable counts as unset (a common way to switch SMTP off in a shell).
  const fromEnv = env.TIEUCHI_SMTP_URL?.trim() || undefined;
  const configUrl = smtpUrlOf(yaml.data);
  const smtpUrl = fromEnv ?? configUrl ?? null;
  if (smtpUrl !== null && !/^smtps?:\/\//u.test(smtpUrl)) {
    problems.push({ path: fromEnv ? "env.TIEUCHI_SMTP_URL" : "smtp.url", message: `“${smtpUrl.replace(/\/\/[^/@]*@/u, "//…@")}” không phải địa chỉ máy chủ thư: cần dạng smtp://máy:cổng hoặc smtps://máy:cổng` });
  }
  if (smtpUrl !== null && !fromOf(yaml.data)) {
    problems.push({ path: "smtp.from", message: `bắt buộc khi đã cấu hình máy chủ thư: địa chỉ người gửi các thư, ví dụ '${SAMPLE_FROM}' (thay tên miền bằng tên miền thư của đơn vị)` });
  }
  if (configUrl && /^smtps?:\/\/[^/@]+@/u.test(configUrl)) {
    problems.push({ path: "smtp.url", message: "không ghi tên đăng nhập, mật khẩu vào tệp cấu hình; đặt cả địa chỉ vào biến môi trường TIEUCHI_SMTP_URL" });
  }
  if (!result.success || problems.length) return { success: false, problems: withLines(source, problems) };
  return { success: true, data: { ...result.data, smtpUrl } };
}

/** smtp.from as written (checked by the schema), or undefined. */
function fromOf(data: unknown): string | undefined {
  const smtp = typeof data === "object" && data !== null ? (data as { smtp?: unknown }).smtp : undefined;
  const from = typeof smtp === "object" && smtp !== null ? (smtp as { from?: unknown }).from : undefined;
  return typeof from === "string" && from.trim() ? from : undefined;
}

/** smtp.url as written, even when other fields are wrong (so its own problems are listed too). */
function smtpUrlOf(data: unknown): string | undefined {
  const smtp = typeof data === "object" && data !== null ? (data as { smtp?: unknown }).smtp : undefined;
  const url = typeof smtp === "object" && smtp !== null ? (smtp as { url?: unknown }).url : undefined;
  return typeof url === "string" && url.trim() ? url.trim() : undefined;
}

/** Why a file could not be read, in Vietnamese (never the bare errno code). */
function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === "ENOENT") return "không có tệp này (kiểm tra tên và đường dẫn)";
  if (code === "EACCES" || code === "EPERM") return "không có quyền đọc tệp này";
  if (code === "EISDIR") return "đây là một thư mục, không phải tệp";
  return `lỗi hệ thống khi đọc tệp${code ? ` (mã ${code})` : ""}`;
}

/** Directory of the built-in catalogues shipped with the package. */
export function builtinCatalogueDir(): string {
  return join(packageRoot(), "sheets-schema", "catalogues");
}

/** Where a catalogue reference points: "builtin:<id>" or a path relative to the config. */
export function catalogueFile(reference: string, baseDir: string): string {
  if (reference.startsWith("builtin:")) return join(builtinCatalogueDir(), `${reference.slice("builtin:".length)}.yaml`);
  return isAbsolute(reference) ? reference : resolve(baseDir, reference);
}

/** Read and validate a catalogue file; problems carry the config path and the file's own path. */
export async function readCatalogue(file: string, at: string): Promise<ParseResult<Catalogue>> {
  let source: string;
  try {
    source = await readFile(file, "utf8");
  } catch (error) {
    return { success: false, problems: [{ path: at, message: catalogueFailure(file, error) }] };
  }
  const parsed = parseCatalogue(source);
  if (parsed.success) return parsed;
  return { success: false, problems: parsed.problems.map((p) => ({ path: `${at} (${file}) ${p.path}`, message: p.message })) };
}

function catalogueFailure(file: string, error: unknown): string {
  const builtin = file.startsWith(builtinCatalogueDir()) && (error as NodeJS.ErrnoException | null)?.code === "ENOENT";
  if (!builtin) return `không đọc được bộ tiêu chí ${file}: ${readFailure(error)}`;
  const id = file.slice(builtinCatalogueDir().length + 1).replace(/\.yaml$/u, "");
  return `không có bộ tiêu chí có sẵn “builtin:${id}”; các bộ có sẵn: ${BUILTIN_CATALOGUES.map((c) => `builtin:${c}`).join(", ")} (hoặc đường dẫn tới tệp .yaml của bộ tiêu chí)`;
}

/** The catalogues shipped with the package, used when no config names any. */
export const BUILTIN_CATALOGUES = ["ca-phuong-dien-hinh", "phuong-bao-ve-antq"] as const;

/** Read the built-in catalogues; a broken one is a ConfigError listing every problem. */
export async function readBuiltinCatalogues(): Promise<Catalogue[]> {
  const results = await Promise.all(BUILTIN_CATALOGUES.map((id) => readCatalogue(catalogueFile(`builtin:${id}`, "."), `builtin:${id}`)));
  const problems = results.flatMap((r) => (r.success ? [] : r.problems));
  if (problems.length) throw new ConfigError("builtin", problems);
  return results.flatMap((r) => (r.success ? [r.data] : []));
}

/**
 * Read the config file and every catalogue it names. Throws one ConfigError listing every
 * problem (config and catalogues together) with its path.
 */
export async function readConfig(file: string, env: Env): Promise<Config> {
  let source: string;
  try {
    source = await readFile(file, "utf8");
  } catch (error) {
    throw new ConfigError(file, [{ path: "(tệp)", message: `không đọc được tệp cấu hình: ${readFailure(error)}` }]);
  }
  const baseDir = dirname(resolve(file));
  const parsed = parseConfigText(source, env, { baseDir });
  // Catalogues are checked even when the config itself has problems: one run lists everything.
  const references = parsed.success ? parsed.data.programmes.map((p, index) => ({ ...p, index })) : programmeReferences(source);
  const results = await Promise.all(references.map((p) => readCatalogue(catalogueFile(p.catalogue, baseDir), `programmes[${p.index}].catalogue`)));
  const problems = [...(parsed.success ? [] : parsed.problems), ...results.flatMap((r) => (r.success ? [] : r.problems))];
  const catalogues = results.flatMap((r) => (r.success ? [r.data] : []));
  references.forEach((p, i) => {
    if (results[i]?.success && !catalogues.some((c) => c.id === p.id)) {
      problems.push({ path: `programmes[${p.index}].id`, message: `"${p.id}" không khớp với id trong tệp bộ tiêu chí` });
    }
  });
  problems.push(...tabTitleClashes(catalogues, references));
  if (!parsed.success || problems.length) throw new ConfigError(file, problems);
  return { ...parsed.data, baseDir, catalogues };
}

/** Two programmes on one tab, or a programme on a tab the service owns, would corrupt workbooks. */
function tabTitleClashes(catalogues: readonly Catalogue[], references: ReadonlyArray<{ id: string; index: number }>): SchemaProblem[] {
  const reserved = new Set([GUIDE_TAB, CHECK_TAB, SUMMARY_TAB].map(foldKey));
  const seen = new Set<string>();
  return catalogues.flatMap((c) => {
    const key = foldKey(c.tabTitle);
    const at = `programmes[${references.find((r) => r.id === c.id)?.index ?? 0}].catalogue`;
    const clash = reserved.has(key) ? "trùng tên trang tính dành riêng cho hệ thống" : seen.has(key) ? "trùng tên trang tính của đề án khác" : null;
    seen.add(key);
    return clash ? [{ path: `${at} tabTitle`, message: `“${c.tabTitle}” ${clash}` }] : [];
  });
}

/** The well-formed programme references of a config that failed validation elsewhere. */
function programmeReferences(source: string): Array<{ id: string; catalogue: string; index: number }> {
  const yaml = parseYamlText(source);
  const list = yaml.success && typeof yaml.data === "object" && yaml.data !== null ? (yaml.data as { programmes?: unknown }).programmes : undefined;
  if (!Array.isArray(list)) return [];
  return list
    .map((p: unknown, index) => {
      const item = (typeof p === "object" && p !== null ? p : {}) as { id?: unknown; catalogue?: unknown };
      return { id: String(item.id ?? ""), catalogue: typeof item.catalogue === "string" ? item.catalogue : "", index };
    })
    .filter((p) => p.catalogue !== "");
}

/** The workbook path of a ward: its `file`, else wards/<id>.xlsx, relative to the config. */
export function wardFile(config: Pick<Config, "baseDir">, ward: WardConfig): string {
  return resolve(config.baseDir, ward.file ?? join("wards", `${ward.id}.xlsx`));
}

/** Wards in force on a date (YYYY-MM-DD): the organisation changes over time. */
export function activeWards(wards: readonly WardConfig[], date: string): WardConfig[] {
  return wards.filter((w) => (!w.effectiveFrom || w.effectiveFrom <= date) && (!w.effectiveTo || date <= w.effectiveTo));
}

/** The process environment: config.ts is the only module that touches it. */
export function processEnv(): Env {
  return process.env;
}

/** Settings of the cloud runtime that come from the environment (secrets from Secret Manager). */
export interface CloudEnv {
  configFile: string;
  stateBucket: string;
  channelToken: string;
  /** A Google API emulator or fake (tests); null in production. */
  googleRootUrl: string | null;
}

/** Read the cloud settings, listing every missing variable at once. */
export function parseCloudEnv(env: Env, root: string): ParseResult<CloudEnv> {
  const problems: SchemaProblem[] = [];
  const required = (name: string): string => {
    const value = env[name]?.trim();
    if (!value) problems.push({ path: `env.${name}`, message: "bắt buộc trong môi trường Cloud Functions" });
    return value ?? "";
  };
  const data: CloudEnv = {
    configFile: resolve(root, env.TIEUCHI_CONFIG?.trim() || "tieuchi.config.yaml"),
    stateBucket: required("TIEUCHI_STATE_BUCKET"),
    channelToken: required("TIEUCHI_CHANNEL_TOKEN"),
    googleRootUrl: env.TIEUCHI_GOOGLE_ROOT_URL?.trim() || null,
  };
  return problems.length ? { success: false, problems } : { success: true, data };
}

/** Who the service is towards Google, from the environment (both runtimes). */
export interface GoogleAuthEnv {
  /** A Google API emulator or fake (tests); null in production. */
  rootUrl: string | null;
  /** A fixed access token for that emulator. */
  accessToken: string | null;
  /** Acting as a Google user (a plain Gmail account): the refresh token `tieuchi auth login` printed, and the OAuth client. */
  user: { clientId: string; clientSecret: string; refreshToken: string } | null;
}

/** The OAuth client of type "Desktop app" (`tieuchi auth login` and the user setup), every missing variable listed. */
export function parseOAuthClientEnv(env: Env, why: string): ParseResult<{ clientId: string; clientSecret: string }> {
  const names = ["TIEUCHI_OAUTH_CLIENT_ID", "TIEUCHI_OAUTH_CLIENT_SECRET"] as const;
  const missing = names.filter((n) => !env[n]?.trim());
  if (missing.length) return { success: false, problems: missing.map((n) => ({ path: `env.${n}`, message: why })) };
  return { success: true, data: { clientId: env.TIEUCHI_OAUTH_CLIENT_ID!.trim(), clientSecret: env.TIEUCHI_OAUTH_CLIENT_SECRET!.trim() } };
}

/** Read the Google identity settings: a fixed token, a user's refresh token (with its OAuth client), or neither (ADC). */
export function parseGoogleAuthEnv(env: Env): ParseResult<GoogleAuthEnv> {
  const refreshToken = env.TIEUCHI_OAUTH_REFRESH_TOKEN?.trim() || null;
  const base = { rootUrl: env.TIEUCHI_GOOGLE_ROOT_URL?.trim() || null, accessToken: env.TIEUCHI_GOOGLE_ACCESS_TOKEN?.trim() || null };
  if (!refreshToken) return { success: true, data: { ...base, user: null } };
  const client = parseOAuthClientEnv(env, "cần khi đặt TIEUCHI_OAUTH_REFRESH_TOKEN: mã và khóa bí mật của OAuth client loại “Ứng dụng dành cho máy tính” (Desktop app)");
  if (!client.success) return client;
  return { success: true, data: { ...base, user: { ...client.data, refreshToken } } };
}
