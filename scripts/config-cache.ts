/**
 * The parsed config remembered across runs (.tieuchi/config-cache.json): in a fresh process,
 * parsing a 700-ward config and its catalogues is most of a run with nothing changed (~0.5–1 s
 * cold). Kept only for configs whose catalogues are all built in, keyed by the config's text, the
 * environment it reads (TIEUCHI_SMTP_URL), its path and a fingerprint of the parsing code and the
 * built-in catalogues; anything else is parsed as always. A damaged cache file is a miss.
 */
import { readFile, readdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Config, type Env, readConfig } from "../functions/config.js";
import { sha256Hex } from "../functions/hashing.js";
import { packageRoot } from "../functions/package-root.js";
import { evaluationCodeVersion } from "../functions/adapters/local/code-version.js";
import { writeFileAtomic } from "../functions/adapters/local/files.js";

const FORMAT = 1;

let fingerprint: Promise<string> | undefined;

/** The code that turns config text into a Config (config*.ts, core and sheets-schema), the built-in catalogues and package.json (pinned dependencies). */
function parsingCodeVersion(): Promise<string> {
  fingerprint ??= (async () => {
    const functions = fileURLToPath(new URL("../functions/", import.meta.url));
    const builtin = join(packageRoot(), "sheets-schema", "catalogues");
    const own = (await readdir(functions)).filter((n) => /^(config.*|errors|package-root)\.(js|ts)$/u.test(n)).sort().map((n) => join(functions, n));
    const catalogues = (await readdir(builtin).catch(() => [])).filter((n) => n.endsWith(".yaml")).sort().map((n) => join(builtin, n));
    const texts = await Promise.all([...own, ...catalogues, join(packageRoot(), "package.json")].map(async (f) => `${f}\n${await readFile(f, "utf8")}`));
    return sha256Hex([await evaluationCodeVersion(), ...texts].join("\n\0"));
  })();
  return fingerprint;
}

interface CachedConfig {
  format: number;
  key: string;
  config: Config;
}

/**
 * readConfig, served from `cacheFile` when the config's text, environment and parsing code are as when it was parsed;
 * `readOnly` (a dry run) writes no cache. Throws as readConfig does.
 */
export async function readConfigRemembered(file: string, env: Env, cacheFile: string, options: { readOnly?: boolean } = {}): Promise<Config> {
  const source = await readFile(file, "utf8").catch(() => null);
  if (source === null) return readConfig(file, env); // says why, in its words
  const key = sha256Hex([await parsingCodeVersion(), resolve(file), env.TIEUCHI_SMTP_URL ?? "\0unset", source].join("\n\0"));
  const cached = await readFile(cacheFile, "utf8").then((t) => JSON.parse(t) as Partial<CachedConfig>, () => null).catch(() => null);
  if (cached?.format === FORMAT && cached.key === key && typeof cached.config === "object") return cached.config;
  const config = await readConfig(file, env);
  // Read again: the text parsed must be the text keyed (a save during the parse is parsed next time).
  const now = await readFile(file, "utf8").catch(() => null);
  if (!options.readOnly && now === source && config.programmes.every((p) => p.catalogue.startsWith("builtin:"))) {
    await writeFileAtomic(cacheFile, JSON.stringify({ format: FORMAT, key, config } satisfies CachedConfig), { durable: false }).catch(() => undefined);
  }
  return config;
}
