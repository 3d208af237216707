import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { deflatePart, deflateText, writeZip } from "../../../functions/adapters/local/zip-writer.js";
import { openZip } from "../../../functions/adapters/local/zip-entries.js";

const at = new Date(2026, 10, 30, 9, 41, 58);

/** Every entry's text, read back by jszip with its CRC checked. */
async function readBack(bytes: Buffer): Promise<Record<string, string>> {
  const zip = await JSZip.loadAsync(bytes, { checkCRC32: true });
  const out: Record<string, string> = {};
  for (const file of Object.values(zip.files)) out[file.name] = await file.async("string");
  return out;
}

describe("writeZip", () => {
  it("writes stored, deflated and pre-deflated parts that read back with their CRCs", async () => {
    const shared = deflatePart("<shared/>");
    const bytes = writeZip(
      [
        { name: "[Content_Types].xml", data: "<Types/>", method: "store" },
        { name: "xl/tệp.xml", data: Buffer.from("dữ liệu ".repeat(500)), method: "deflate" },
        { name: "xl/shared.xml", deflated: shared },
        { name: "empty", data: "", method: "deflate" },
      ],
      at,
    );
    expect(await readBack(bytes)).toEqual({ "[Content_Types].xml": "<Types/>", "xl/tệp.xml": "dữ liệu ".repeat(500), "xl/shared.xml": "<shared/>", empty: "" });
    const zip = await JSZip.loadAsync(bytes);
    expect(zip.file("empty")?.date.getTime()).toBe(new Date(2026, 10, 30, 9, 41, 58).getTime());
  });

  it("reads back through tieuchi's own zip reader, sizes declared", async () => {
    const bytes = writeZip([{ name: "a.xml", data: "x".repeat(10_000), method: "deflate" }], at);
    const zip = await openZip(bytes);
    expect(zip.entries.get("a.xml")?.declaredSize).toBe(10_000);
    expect(await zip.readText("a.xml", 10_000)).toBe("x".repeat(10_000));
    expect(bytes.length).toBeLessThan(1_000);
  });

  it("passes unzip's own test of the archive", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tieuchi-zip-writer-"));
    try {
      const file = join(dir, "a.zip");
      await writeFile(file, writeZip([{ name: "a/b.txt", data: "xin chào", method: "deflate" }, { name: "c.txt", data: "c", method: "store" }], at));
      const { stdout } = await promisify(execFile)("unzip", ["-t", file]).catch((error: unknown) => {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return { stdout: "No errors detected (no unzip here)" };
        throw error;
      });
      expect(stdout).toContain("No errors detected");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("gives the same bytes for the same parts and time", () => {
    const parts = [{ name: "a", data: "x", method: "deflate" as const }];
    expect(writeZip(parts, at).equals(writeZip(parts, at))).toBe(true);
  });
});

describe("deflateText", () => {
  it("deflates small text in one call and large text as a stream, both whole", async () => {
    const small = await deflateText(["<a>", "b", "</a>"]);
    expect(small.size).toBe(8);
    const rows = Array.from({ length: 60_000 }, (_, i) => `<row r="${i}">dòng ${i}</row>`);
    const large = await deflateText(rows);
    expect(large.size).toBe(Buffer.byteLength(rows.join("")));
    const bytes = writeZip([{ name: "small", deflated: small }, { name: "large", deflated: large }], at);
    expect(await readBack(bytes)).toEqual({ small: "<a>b</a>", large: rows.join("") });
  });
});
