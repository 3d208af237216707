import { copyFile, mkdir, mkdtemp, rm, utimes } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cachedSheetSource } from "../../../functions/adapters/local/cached-sheet-source.js";
import { SheetsReadError } from "../../../functions/errors.js";
import { corpusFile } from "../../fixtures/corpus-manifest.js";

let dir: string;
const ward = { id: "nghi-thu", name: "Nghi Thu", aliases: [], contacts: [] };
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "tieuchi-cached-"));
  await mkdir(join(dir, "wards"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("cachedSheetSource", () => {
  it("parses an unreadable file once until it changes, and gives the same reason each time", async () => {
    const file = join(dir, "wards", "nghi-thu.xlsx");
    await copyFile(corpusFile("old-format.xlsx"), file);
    const source = cachedSheetSource({ baseDir: dir });
    const first = await source.read(ward).catch((e: unknown) => e);
    const second = await source.read(ward).catch((e: unknown) => e);
    expect(first).toBeInstanceOf(SheetsReadError);
    expect(second).toBe(first);
    expect((first as SheetsReadError).message).toMatch(/^Không đọc được tệp wards\/nghi-thu\.xlsx: đây là tệp Excel cũ/u);
    expect(source.reads).toBe(1);
    await copyFile(corpusFile("lo-plain.xlsx"), file);
    const later = new Date(Date.now() + 5_000);
    await utimes(file, later, later);
    expect((await source.read(ward))?.sheets).toHaveLength(3);
    expect(source.reads).toBe(2);
  });
});
