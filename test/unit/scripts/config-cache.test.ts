import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readConfig } from "../../../functions/config.js";
import { ConfigError } from "../../../functions/errors.js";
import { initWorkspace } from "../../../functions/adapters/local/init-workspace.js";
import { workspacePaths } from "../../../functions/adapters/local/workspace.js";
import { readConfigRemembered } from "../../../scripts/config-cache.js";
import { manualClock } from "../../fakes/clock.js";

let dir: string;
let file: string;
let cache: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "tieuchi-config-cache-"));
  await initWorkspace(dir, manualClock("2026-11-25T02:00:00.000Z"));
  file = workspacePaths(dir).config;
  cache = join(dir, ".tieuchi", "config-cache.json");
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** Mark the remembered config, so a result served from the cache can be told from a parse. */
async function markCache(): Promise<void> {
  const stored = JSON.parse(await readFile(cache, "utf8")) as { config: { agency: { place: string } } };
  stored.config.agency.place = "ĐÃ NHỚ";
  await writeFile(cache, JSON.stringify(stored));
}

describe("the remembered config", () => {
  it("equals a parse, is served while the text and environment are the same, and is parsed again when either changes", async () => {
    expect(await readConfigRemembered(file, {}, cache)).toEqual(await readConfig(file, {}));
    await markCache();
    expect((await readConfigRemembered(file, {}, cache)).agency.place).toBe("ĐÃ NHỚ");
    expect((await readConfigRemembered(file, { TIEUCHI_SMTP_URL: "smtp://127.0.0.1:2525" }, cache)).agency.place).not.toBe("ĐÃ NHỚ");
    await markCache();
    await writeFile(file, `${await readFile(file, "utf8")}\n# một dòng ghi chú\n`);
    expect((await readConfigRemembered(file, {}, cache)).agency.place).not.toBe("ĐÃ NHỚ");
  });

  it("writes nothing in a dry run, nor for a config naming its own catalogue file, and still reports a broken config", async () => {
    await readConfigRemembered(file, {}, cache, { readOnly: true });
    await expect(stat(cache)).rejects.toThrow();
    const text = await readFile(file, "utf8");
    const own = join(dir, "own.yaml");
    await writeFile(own, await readFile(join(process.cwd(), "sheets-schema", "catalogues", "phuong-bao-ve-antq.yaml"), "utf8"));
    await writeFile(file, text.replace("builtin:phuong-bao-ve-antq", own));
    expect((await readConfigRemembered(file, {}, cache)).catalogues.length).toBeGreaterThan(0);
    await expect(stat(cache)).rejects.toThrow();
    await writeFile(file, "agency: [");
    await expect(readConfigRemembered(file, {}, cache)).rejects.toBeInstanceOf(ConfigError);
  });
});
