/**
 * A fingerprint of the code that turns a workbook into findings and scores: the modules of
 * functions/core and sheets-schema as installed (compiled or source), and the package version.
 * Any change to them gives another fingerprint, so the parse cache never serves a result the
 * code of today would not compute.
 */
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sha256Hex } from "../../hashing.js";
import { packageRoot } from "../../package-root.js";

let cached: Promise<string> | undefined;

async function moduleTexts(dir: string): Promise<string[]> {
  const names = (await readdir(dir).catch(() => [])).filter((n) => /\.(?:js|ts)$/u.test(n) && !n.endsWith(".d.ts")).sort();
  return Promise.all(names.map(async (n) => `${n}\n${await readFile(join(dir, n), "utf8")}`));
}

/** The fingerprint of the evaluating code (worked out once per process). */
export function evaluationCodeVersion(): Promise<string> {
  cached ??= (async () => {
    const here = fileURLToPath(new URL(".", import.meta.url));
    const dirs = [join(here, "..", "..", "core"), join(here, "..", "..", "..", "sheets-schema")];
    const pkg = await readFile(join(packageRoot(), "package.json"), "utf8");
    const version = (JSON.parse(pkg) as { version?: string }).version ?? "";
    const texts = (await Promise.all(dirs.map(moduleTexts))).flat();
    return sha256Hex([version, ...texts].join("\n\0"));
  })();
  return cached;
}
