import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decodeFileName, encodeKey, fileKeyValueStore } from "../../../functions/adapters/local/file-kv.js";
import { updateJson } from "../../../functions/app/kv-state.js";
import type { KeyValueStore } from "../../../functions/ports.js";
import { StateDamagedError, StateStoreError } from "../../../functions/state-errors.js";
import { memoryKeyValueStore } from "../../fakes/memory-kv.js";
import { ageFile } from "../../fakes/file-times.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "tieuchi-file-kv-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** The same script against any store: what the port promises, observed as data. */
async function contract(kv: KeyValueStore): Promise<unknown[]> {
  const seen: unknown[] = [];
  seen.push(await kv.get("a"), await kv.list(""));
  const v1 = await kv.put("a", { n: 1 }, null);
  seen.push(v1 !== null, await kv.put("a", { n: 2 }, null), (await kv.get("a"))?.value);
  const v2 = await kv.put("a", { n: 2 }, v1);
  seen.push(v2 !== null && v2 !== v1, await kv.put("a", { n: 3 }, v1), (await kv.get("a"))?.value);
  await kv.put("b/c", [1, "x"], null);
  seen.push(await kv.list(""), await kv.list("b/"), await kv.list("zz"));
  await kv.delete("a");
  await kv.delete("a");
  seen.push(await kv.get("a"), await kv.list(""), await kv.put("a", 5, v2));
  return seen;
}

describe("fileKeyValueStore", () => {
  it("keeps the port's promises exactly like the reference in-memory store", async () => {
    expect(await contract(fileKeyValueStore(join(dir, "kv")))).toEqual(await contract(memoryKeyValueStore()));
  });

  it("never gives a deleted-then-recreated key a version seen before", async () => {
    const kv = fileKeyValueStore(dir);
    const first = await kv.put("k", 1, null);
    await kv.delete("k");
    const again = await kv.put("k", 1, null);
    expect(again).not.toBe(first);
    expect(await kv.put("k", 2, first)).toBeNull();
  });

  it("lets exactly one of many concurrent writers from one version win", async () => {
    const kv = fileKeyValueStore(dir);
    const base = await kv.put("k", 0, null);
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => kv.put("k", i + 1, base)));
    expect(results.filter((r) => r !== null)).toHaveLength(1);
  });

  it("loses no update over concurrent read-modify-write increments, and leaves no temporary or lock file", async () => {
    const kv = fileKeyValueStore(dir);
    await Promise.all(Array.from({ length: 30 }, () => updateJson<number>(kv, "counter", (n) => (n ?? 0) + 1, { maxAttempts: 200 })));
    expect((await kv.get<number>("counter"))?.value).toBe(30);
    expect(await readdir(dir)).toEqual([encodeKey("counter")]);
  });

  it("maps keys with '/', dots, upper case, Vietnamese and '%' to safe file names and lists the original keys sorted", async () => {
    const kv = fileKeyValueStore(dir);
    const keys = ["snapshots/2026-W48.json", "ledger/ab.json", "A", "a", "Phường Nghi Hòa/x y", "100%", "con", "../escape", ".hidden"];
    for (const key of keys) await kv.put(key, key, null);
    expect(await kv.list("")).toEqual([...keys].sort());
    expect(await kv.list("snapshots/")).toEqual(["snapshots/2026-W48.json"]);
    const names = await readdir(dir);
    expect(names).toHaveLength(keys.length);
    // Lower case, digits, "-", "_", "%XX" and the suffix only: no separator, no case clash, no device name.
    for (const name of names) expect(name).toMatch(/^(?!con\.|nul\.)([a-z0-9_-]|%[0-9A-F]{2})+\.json$/u);
    for (const key of keys) expect((await kv.get<string>(key))?.value).toBe(key);
  });

  it("decodes every key it encodes, and nothing else", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", minLength: 1, maxLength: 60 }), (key) => {
        expect(decodeFileName(encodeKey(key))).toBe(key);
      }),
    );
    for (const stray of ["x.json.123.abcdef012345.tmp", "x.lock", ".x.json", "Readme.json", "a%2f.json", "notes.txt"]) expect(decodeFileName(stray)).toBeNull();
  });

  it("refuses an empty or overlong key with a StateStoreError", async () => {
    const kv = fileKeyValueStore(dir);
    await expect(kv.put("", 1, null)).rejects.toBeInstanceOf(StateStoreError);
    await expect(kv.put("X".repeat(80), 1, null)).rejects.toThrow("khóa quá dài");
  });

  it("ignores temporary, lock and stray files when listing", async () => {
    const kv = fileKeyValueStore(dir);
    await kv.put("k", 1, null);
    await writeFile(join(dir, `${encodeKey("k")}.123.abcdef012345.tmp`), "{");
    await writeFile(join(dir, "notes.txt"), "");
    await mkdir(join(dir, "k.lock"));
    expect(await kv.list("")).toEqual(["k"]);
  });

  it.each([
    ["not JSON", "{\"version\":\"1-aa\",\"value\":", "không phải JSON hợp lệ"],
    ["the wrong shape", "{\"n\":1}", "không đúng cấu trúc"],
  ])("names a file holding %s: get and put throw StateDamagedError with its path and text; delete still works", async (_, text, problem) => {
    const kv = fileKeyValueStore(dir);
    await writeFile(kv.fileOf("snapshots/2026-W40.json"), text);
    const error = await kv.get("snapshots/2026-W40.json").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateDamagedError);
    expect(error).toMatchObject({ key: "snapshots/2026-W40.json", location: kv.fileOf("snapshots/2026-W40.json"), raw: text });
    expect((error as Error).message).toContain(kv.fileOf("snapshots/2026-W40.json"));
    expect((error as Error).message).toContain(problem);
    expect((error as Error).message).toContain("Hãy khôi phục");
    await expect(kv.put("snapshots/2026-W40.json", {}, null)).rejects.toBeInstanceOf(StateDamagedError);
    await kv.delete("snapshots/2026-W40.json");
    expect(await kv.get("snapshots/2026-W40.json")).toBeNull();
  });

  it("takes over a lock left by a killed process once it is stale", async () => {
    const kv = fileKeyValueStore(dir);
    await kv.put("k", 1, null);
    const lock = kv.lockOf("k");
    await mkdir(lock);
    await ageFile(lock, 60_000);
    const current = await kv.get<number>("k");
    expect(await kv.put("k", 2, current!.version)).not.toBeNull();
    expect((await kv.get<number>("k"))?.value).toBe(2);
  });

  it("reads nothing and creates nothing for a missing directory", async () => {
    const kv = fileKeyValueStore(join(dir, "missing"));
    expect(await kv.get("k")).toBeNull();
    expect(await kv.list("")).toEqual([]);
    expect(await readdir(dir)).toEqual([]);
  });
});
