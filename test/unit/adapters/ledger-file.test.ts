import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fileLedger } from "../../../functions/adapters/local/ledger-file.js";
import { TieuchiError } from "../../../functions/errors.js";

const entry = (n: number) => ({ sentAt: "2026-11-27T08:00:00.000Z", messageId: `<${n}@tieuchi.local>`, via: "smtp" });

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "tieuchi-ledger-"));
  file = join(dir, ".tieuchi", "sent.json");
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("fileLedger", () => {
  it("treats a missing file as an empty ledger", async () => {
    expect(await fileLedger(file).has("digest|a|W48|1")).toBe(false);
  });

  it("keeps a record on disk as soon as record resolves, for any later instance", async () => {
    await fileLedger(file).record("digest|a|W48|1", entry(1));

    expect(await fileLedger(file).has("digest|a|W48|1")).toBe(true);
    expect(await fileLedger(file).has("digest|a|W48|2")).toBe(false);
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual({ "digest|a|W48|1": entry(1) });
  });

  it("keeps every one of many concurrent records", async () => {
    const ledger = fileLedger(file);
    const other = fileLedger(file);
    const keys = Array.from({ length: 30 }, (_, i) => `ward|w${i}|W48|${i}`);
    await Promise.all(keys.map((key, i) => (i % 2 === 0 ? ledger : other).record(key, entry(i))));

    const stored = JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>;
    expect(Object.keys(stored).sort()).toEqual([...keys].sort());
  });

  it("refuses a corrupt file with a message naming it, and leaves it untouched", async () => {
    await fileLedger(file).record("digest|a|W48|1", entry(1));
    await writeFile(file, '{"digest|a|W48|1": {"sentAt": ');
    const ledger = fileLedger(file);

    const error = await ledger.has("digest|a|W48|1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TieuchiError);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toContain("bị hỏng");
    await expect(ledger.record("digest|b|W48|2", entry(2))).rejects.toThrow(file);
    expect(await readFile(file, "utf8")).toBe('{"digest|a|W48|1": {"sentAt": ');
  });

  it("refuses JSON that is not an object of entries", async () => {
    await fileLedger(file).record("x", entry(1));
    await writeFile(file, "[]");
    await expect(fileLedger(file).has("x")).rejects.toThrow(TieuchiError);
  });
});
