import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isTempName, removeStaleTempFiles, STALE_TEMP_MS, writeFileAtomic } from "../../../functions/adapters/local/files.js";
import { ageFile } from "../../fakes/file-times.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "tieuchi-files-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const aged = ageFile;

describe("writeFileAtomic", () => {
  it("survives many concurrent writes of one file in one process: one whole content wins, no temporary file is left", async () => {
    const file = join(dir, "out", "kiem-tra", "nghi-hoa.txt");
    const contents = Array.from({ length: 40 }, (_, i) => `nội dung ${i}\n`.repeat(200));
    await Promise.all(contents.map((c) => writeFileAtomic(file, c)));
    expect(contents).toContain(await readFile(file, "utf8"));
    expect(await readdir(join(dir, "out", "kiem-tra"))).toEqual(["nghi-hoa.txt"]);
  });

  it("writes text given in pieces as their concatenation, across the writes it gathers them into", async () => {
    const file = join(dir, "pack.json");
    const pieces = Array.from({ length: 3_000 }, (_, i) => `"phường ${i}":${"x".repeat(i % 997)},`);
    for (const durable of [true, false]) {
      await writeFileAtomic(file, { chunks: pieces }, { durable });
      expect(await readFile(file, "utf8")).toBe(pieces.join(""));
    }
    await writeFileAtomic(file, { chunks: [] }, { durable: false });
    expect(await readFile(file, "utf8")).toBe("");
    expect(await readdir(dir)).toEqual(["pack.json"]);
  });

  it("writes bytes as given and replaces the previous content", async () => {
    const file = join(dir, "a.bin");
    await writeFileAtomic(file, Buffer.from([1, 2, 3]));
    await writeFileAtomic(file, Buffer.from([4]));
    expect([...(await readFile(file))]).toEqual([4]);
  });
});

describe("writeFileAtomic of a small output (durable: false)", () => {
  it("creates missing folders, replaces the previous content, and leaves no temporary file", async () => {
    const file = join(dir, "out", "kiem-tra", "a.csv");
    await writeFileAtomic(file, "một", { durable: false });
    await writeFileAtomic(file, Buffer.from("hai"), { durable: false });
    expect(await readFile(file, "utf8")).toBe("hai");
    expect(await readdir(join(dir, "out", "kiem-tra"))).toEqual(["a.csv"]);
  });

  it("fails on a target it cannot replace, its temporary file removed", async () => {
    const target = join(dir, "taken");
    await mkdir(join(target, "inside"), { recursive: true });
    await expect(writeFileAtomic(target, "x", { durable: false })).rejects.toThrow();
    expect(await readdir(dir)).toEqual(["taken"]);
  });
});

describe("removeStaleTempFiles", () => {
  it("removes only our own temporary names older than a minute, in nested directories", async () => {
    await mkdir(join(dir, "out", "reports", "2026-W48"), { recursive: true });
    const files = {
      oldOurs: join(dir, "out", "summary.txt.4242.0123456789ab.tmp"),
      oldEarlierRelease: join(dir, "out", "reports", "2026-W48", "bao-cao.html.977.tmp"),
      fresh: join(dir, "out", "summary.csv.4242.ba9876543210.tmp"),
      foreign: join(dir, "out", "ghi-chu.tmp"),
      foreignPattern: join(dir, "out", "x.txt.abc.tmp"),
      output: join(dir, "out", "summary.txt"),
    };
    for (const file of Object.values(files)) await writeFile(file, "x");
    for (const file of [files.oldOurs, files.oldEarlierRelease, files.foreign, files.foreignPattern, files.output]) await aged(file, STALE_TEMP_MS + 5_000);

    const removed = await removeStaleTempFiles([join(dir, "out"), join(dir, "missing")]);

    expect(removed.sort()).toEqual([files.oldEarlierRelease, files.oldOurs].sort());
    expect((await readdir(join(dir, "out"))).sort()).toEqual(["ghi-chu.tmp", "reports", "summary.csv.4242.ba9876543210.tmp", "summary.txt", "x.txt.abc.tmp"]);
  });

  it("stays in the directory itself when not recursive", async () => {
    await mkdir(join(dir, "wards"));
    const top = join(dir, "tieuchi.config.yaml.12.0123456789ab.tmp");
    const below = join(dir, "wards", "a.xlsx.12.0123456789ab.tmp");
    for (const file of [top, below]) {
      await writeFile(file, "x");
      await aged(file, STALE_TEMP_MS * 2);
    }
    expect(await removeStaleTempFiles([dir], { recursive: false })).toEqual([top]);
  });

  it("recognises the temporary names writeFileAtomic gives", () => {
    expect(isTempName("summary.txt.123.0123456789ab.tmp")).toBe(true);
    expect(isTempName("summary.txt.123.tmp")).toBe(true);
    expect(isTempName("summary.txt")).toBe(false);
    expect(isTempName("ban-nhap.tmp")).toBe(false);
  });
});
