import { copyFile, mkdtemp, readFile, readdir, rm, stat, unlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { initWorkspace } from "../../../functions/adapters/local/init-workspace.js";
import { localParseCache } from "../../../functions/adapters/local/parse-cache.js";
import { localFeedbackSink, localSummarySink, workspacePaths } from "../../../functions/adapters/local/workspace.js";
import { kvStateStore } from "../../../functions/app/kv-state.js";
import { runTown } from "../../../functions/app/run-town.js";
import { type Config, readConfig } from "../../../functions/config.js";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { manualClock } from "../../fakes/clock.js";
import { memoryKeyValueStore } from "../../fakes/memory-kv.js";

const clock = manualClock("2026-11-25T02:00:00.000Z");
let dir: string;
let config: Config;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "tieuchi-parse-cache-"));
  await initWorkspace(dir, clock);
  config = await readConfig(workspacePaths(dir).config, {});
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** One `tieuchi run` as a fresh process makes it (a new cache object over the same folder). */
async function run(cache = localParseCache(config, config.catalogues), catalogues: readonly Catalogue[] = config.catalogues) {
  const result = await runTown(config.wards, catalogues, {
    sheets: cache,
    cache,
    feedback: localFeedbackSink(config, catalogues),
    summary: localSummarySink(dir),
    state: kvStateStore(memoryKeyValueStore(), { warn: () => undefined, clock }),
    clock,
  });
  return { result, stats: { ...cache.stats }, ward: (id: string) => result.wards.find((w) => w.ward.id === id)! };
}

const wardFile = (id: string): string => join(dir, "wards", `${id}.xlsx`);
const feedbackFile = (id: string, ext = "txt"): string => join(workspacePaths(dir).feedback, `${id}.${ext}`);
const entryFile = (id: string): string => join(workspacePaths(dir).state, "parse-cache", `${id}.json`);

describe("the local parse cache", () => {
  it("serves a second run from the cache: no workbook parsed, the same outcomes and findings", async () => {
    const first = await run();
    expect(first.stats).toMatchObject({ parsed: 7, recalled: 0 });
    const second = await run();
    expect(second.stats).toMatchObject({ parsed: 0, recalled: 7 });
    expect(second.result.wards.map((w) => [w.outcome, w.findings])).toEqual(first.result.wards.map((w) => [w.outcome, w.findings]));
    expect(second.result.summary.programmes).toEqual(first.result.summary.programmes);
  });

  it("carries what the review cycle steps with: a recalled run steps it as the read one did", async () => {
    const kv = memoryKeyValueStore();
    const review = { kv };
    const withReview = async () => {
      const cache = localParseCache(config, config.catalogues);
      const result = await runTown(config.wards, config.catalogues, { sheets: cache, cache, feedback: localFeedbackSink(config, config.catalogues), summary: localSummarySink(dir), state: kvStateStore(memoryKeyValueStore(), { warn: () => undefined, clock }), clock, review });
      return { result, stats: { ...cache.stats } };
    };
    const first = await withReview();
    const second = await withReview();
    expect(second.stats).toMatchObject({ parsed: 0, recalled: 7 });
    expect(second.result.wards.map((w) => w.sheet)).toEqual(first.result.wards.map((w) => w.sheet));
    expect(second.result.wards.map((w) => w.outcome.review)).toEqual(first.result.wards.map((w) => w.outcome.review));
    expect(second.result.wards.find((w) => w.ward.id === "thu-thuy")?.outcome.review?.[0]?.state).toBe("submitted");
    // Stepped again from the cache, nothing moved: no event, the same records.
    expect(second.result.wards.flatMap((w) => w.events ?? [])).toEqual([]);
  });

  it("reads again only the ward whose file content changed, and rewrites only its feedback", async () => {
    await run();
    // Markers in every feedback file: a ward served from the cache must leave its file alone.
    for (const w of config.wards) await writeFile(feedbackFile(w.id), "unchanged marker");
    await copyFile(wardFile("nghi-hai"), wardFile("nghi-thu")); // Nghi Thu's file now holds Nghi Hải's workbook
    const second = await run();
    expect(second.stats).toMatchObject({ parsed: 1, recalled: 6 });
    expect(second.ward("nghi-thu").findings.map((f) => f.code)).toContain("ward-mismatch");
    expect(await readFile(feedbackFile("nghi-thu"), "utf8")).not.toBe("unchanged marker");
    for (const w of config.wards.filter((x) => x.id !== "nghi-thu")) expect(await readFile(feedbackFile(w.id), "utf8")).toBe("unchanged marker");
  });

  it("keys by content, not by the file's times: a save with the same bytes is a hit", async () => {
    await run();
    const bytes = await readFile(wardFile("nghi-tan"));
    await writeFile(wardFile("nghi-tan"), bytes);
    expect((await run()).stats).toMatchObject({ parsed: 0, recalled: 7 });
  });

  it("misses every ward when the catalogues change (another criterion text), and when a ward's config changes", async () => {
    await run();
    const changed = config.catalogues.map((c, i) => (i === 0 ? { ...c, criteria: c.criteria.map((cr, j) => (j === 0 ? { ...cr, text: `${cr.text} (sửa đổi)` } : cr)) } : c));
    expect((await run(localParseCache(config, changed), changed)).stats).toMatchObject({ parsed: 7, recalled: 0 });
    config = { ...config, wards: config.wards.map((w) => (w.id === "nghi-hoa" ? { ...w, aliases: [...w.aliases, "Phường Nghi Hoà cũ"] } : w)) };
    expect((await run(localParseCache(config, changed), changed)).stats).toMatchObject({ parsed: 1, recalled: 6 });
  });

  it("forgets a removed file: the ward is missing, not served from the cache, and its entry goes", async () => {
    await run();
    expect((await stat(entryFile("nghi-thuy"))).isFile()).toBe(true);
    await unlink(wardFile("nghi-thuy"));
    const second = await run();
    expect(second.ward("nghi-thuy").outcome.status).toBe("missing");
    expect(second.stats).toMatchObject({ parsed: 1, recalled: 6 }); // the source was asked and said "no file"
    await expect(stat(entryFile("nghi-thuy"))).rejects.toThrow();
  });

  it("ignores a damaged or foreign cache file (a miss, then written afresh) and a feedback file gone", async () => {
    const first = await run();
    await writeFile(entryFile("nghi-huong"), "{ not json");
    await writeFile(entryFile("thu-thuy"), JSON.stringify({ format: 999, key: "x", run: {} }));
    await unlink(feedbackFile("nghi-tan", "xlsx"));
    const second = await run();
    expect(second.stats).toMatchObject({ parsed: 3, recalled: 4 });
    expect(second.ward("nghi-huong").outcome).toEqual(first.ward("nghi-huong").outcome);
    expect((await stat(feedbackFile("nghi-tan", "xlsx"))).size).toBeGreaterThan(0);
    expect((await run()).stats).toMatchObject({ parsed: 0, recalled: 7 });
  });

  it("takes a zero-length or torn entry (written without fsync, cut by a power loss) for a miss: that ward is read again", async () => {
    const first = await run();
    const entry = await readFile(entryFile("nghi-hoa"), "utf8");
    await writeFile(entryFile("nghi-hoa"), "");
    await writeFile(entryFile("nghi-thu"), entry.slice(0, Math.floor(entry.length / 2)));
    const second = await run();
    expect(second.stats).toMatchObject({ parsed: 2, recalled: 5 });
    expect(second.ward("nghi-hoa").outcome).toEqual(first.ward("nghi-hoa").outcome);
    expect(second.ward("nghi-thu").findings).toEqual(first.ward("nghi-thu").findings);
    const rewritten = JSON.parse(await readFile(entryFile("nghi-hoa"), "utf8")) as { key: string; run: unknown };
    expect({ key: rewritten.key, run: rewritten.run }).toEqual((({ key, run: r }) => ({ key, run: r }))(JSON.parse(entry) as typeof rewritten));
    expect((await run()).stats).toMatchObject({ parsed: 0, recalled: 7 });
  });

  it("keeps each ward's run as it was before this run's recall, for the trail's baseline", async () => {
    const cache = localParseCache(config, config.catalogues);
    expect(cache.previousRun("nghi-hoa")).toBeNull();
    const first = await run(cache);
    expect(cache.previousRun("nghi-hoa")).toBeNull(); // nothing cached before the first run
    const second = await run(localParseCache(config, config.catalogues));
    expect(second.stats.recalled).toBe(7);
    const again = localParseCache(config, config.catalogues);
    await run(again);
    expect(again.previousRun("nghi-hoa")?.outcome).toEqual(first.ward("nghi-hoa").outcome);
    expect(again.previousRun("nghi-hoa")?.sheet?.criteria).toEqual(first.ward("nghi-hoa").sheet?.criteria);
  });

  it("remembers an unreadable file: a broken workbook is parsed once, its reason kept", async () => {
    await writeFile(wardFile("nghi-hai"), "PK\u0003\u0004 not really a zip");
    const first = await run();
    expect(first.ward("nghi-hai").outcome.status).toBe("unreadable");
    const second = await run();
    expect(second.stats).toMatchObject({ parsed: 0, recalled: 7 });
    expect(second.ward("nghi-hai").outcome).toEqual(first.ward("nghi-hai").outcome);
  });

  it("under one process (start), an unchanged file costs no read at all: its hash is kept by stat", async () => {
    const cache = localParseCache(config, config.catalogues);
    await run(cache);
    await run(cache);
    expect(cache.stats).toMatchObject({ parsed: 7, recalled: 7 });
  });

  it("trusts a file's stat only once its last change is older than the hashing by the margin: recent files are hashed again", async () => {
    await run();
    expect((await run()).stats).toMatchObject({ recalled: 7, hashed: 7 }); // written just now: within the default margin
    const vouched = await run(localParseCache(config, config.catalogues, undefined, { statMarginMs: 0 }));
    expect(vouched.stats).toMatchObject({ parsed: 0, recalled: 7, hashed: 0 });
  });

  it("sees an edit that keeps the size and sets the mtime back (ctime is in the stamp)", async () => {
    const first = await run();
    const file = wardFile("nghi-hoa");
    const before = await stat(file);
    const bytes = await readFile(file);
    bytes[bytes.length - 30] = bytes[bytes.length - 30]! ^ 0xff; // same size, other bytes (a damaged zip directory)
    await writeFile(file, bytes);
    await utimes(file, before.atime, before.mtime);
    const second = await run(localParseCache(config, config.catalogues, undefined, { statMarginMs: 0 }));
    expect(second.stats).toMatchObject({ parsed: 1, recalled: 6, hashed: 1 });
    expect(second.ward("nghi-tan").outcome).toEqual(first.ward("nghi-tan").outcome);
  });

  it("keeps every entry in one pack past the loose limit; later changes go loose, and a loose file of an older pack is ignored", async () => {
    const cacheDir = join(workspacePaths(dir).state, "parse-cache");
    const limited = () => localParseCache(config, config.catalogues, undefined, { looseLimit: 2, statMarginMs: 0 });
    await run(limited());
    expect(await readdir(cacheDir)).toEqual([".pack.json"]);
    const packed = await readFile(join(cacheDir, ".pack.json"), "utf8");
    const stale = JSON.parse(packed) as { wards: Record<string, object> };
    // Written a ward at a time, it is still exactly JSON.stringify of the pack.
    expect(JSON.stringify(stale)).toBe(packed);
    expect(Object.keys(stale.wards)).toHaveLength(7);
    await copyFile(wardFile("nghi-hai"), wardFile("nghi-thu"));
    expect((await run(limited())).stats).toMatchObject({ parsed: 1, recalled: 6 });
    expect((await readdir(cacheDir)).sort()).toEqual([".pack.json", "nghi-thu.json"]);
    // A loose entry left from before this pack (a run cut after writing the pack) does not override it.
    await writeFile(entryFile("nghi-tan"), JSON.stringify({ ...stale.wards["nghi-tan"], key: "0:0", pack: "older" }));
    expect((await run(limited())).stats).toMatchObject({ parsed: 0, recalled: 7 });
  });

  it("remembers which period's trail holds a ward's reading, across processes, until the entry changes", async () => {
    const cache = localParseCache(config, config.catalogues);
    await run(cache);
    cache.markTrailed(["nghi-hoa", "nghi-thu"], "2026-W48");
    await cache.settle();
    const next = localParseCache(config, config.catalogues);
    await copyFile(wardFile("nghi-hai"), wardFile("nghi-thu"));
    await run(next);
    expect([next.trailedIn("nghi-hoa"), next.trailedIn("nghi-thu"), next.trailedIn("nghi-hai")]).toEqual(["2026-W48", null, null]);
  });
});
