/**
 * Two real processes racing on one key of the file store: the lock must hold across
 * processes, not only inside one event loop.
 */
import { execFile, spawn } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { encodeKey, fileKeyValueStore } from "../../functions/adapters/local/file-kv.js";
import { STALE_LOCK_MS } from "../../functions/adapters/local/file-lock.js";

const run = promisify(execFile);
const loader = fileURLToPath(new URL("../fakes/ts-child/register.mjs", import.meta.url));
const child = fileURLToPath(new URL("./file-kv-child.ts", import.meta.url));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "tieuchi-file-kv-race-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("file store across processes", () => {
  it("lets exactly one process win each compare-and-set round and loses no increment", async () => {
    const rounds = 60;
    const key = "claims/counter";
    const startAt = Date.now() + 1_500; // both children loaded and waiting by then
    const children = await Promise.all(
      [1, 2].map(() => run(process.execPath, ["--import", loader, child, "race", dir, key, String(rounds), String(startAt)], { timeout: 60_000 })),
    );
    const results = children.map((c) => JSON.parse(c.stdout) as { wins: Array<string | null>; conflicts: number });

    expect((await fileKeyValueStore(dir).get<number>(key))?.value).toBe(2 * rounds);
    const replaced = results.flatMap((r) => r.wins);
    // Every stored version was replaced by exactly one writer: no two processes won the same round.
    expect(replaced).toHaveLength(2 * rounds);
    expect(new Set(replaced).size).toBe(2 * rounds);
    expect(results.every((r) => r.wins.length === rounds)).toBe(true);
    // Nothing left behind: no temporary file, no lock.
    expect(await readdir(dir)).toEqual([encodeKey(key)]);
  }, 90_000);

  it("takes over the lock of a process killed while holding it, once the lock is stale", async () => {
    const kv = fileKeyValueStore(dir);
    const version = await kv.put("k", 1, null);
    const holder = spawn(process.execPath, ["--import", loader, child, "hold", dir, "k"], { stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((resolve, reject) => {
      holder.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("held") && resolve());
      holder.once("exit", () => reject(new Error("the holder exited before taking the lock")));
    });
    holder.kill("SIGKILL");
    const killedAt = Date.now();

    expect(await kv.put("k", 2, version)).not.toBeNull();
    const waited = Date.now() - killedAt;
    expect(waited).toBeLessThan(STALE_LOCK_MS + 10_000);
    expect((await kv.get<number>("k"))?.value).toBe(2);
    expect(await readdir(dir)).toEqual([encodeKey("k")]);
  }, 60_000);
});

