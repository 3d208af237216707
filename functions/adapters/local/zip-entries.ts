/**
 * The zip layer under the xlsx reader: open the central directory (jszip), know every entry's
 * declared size before inflating anything, and inflate only the entries asked for, counting
 * the bytes as they come out, since a header can lie about its size.
 */
import { inflateRawSync } from "node:zlib";
import JSZip from "jszip";
import { SHEET_LIMITS } from "../../core/sheet-limits.js";

/** Ceilings on what one workbook may cost; the defaults keep memory in the low hundreds of MB. */
export interface ReadLimits {
  /** Bytes of the file on disk. */
  fileBytes: number;
  /** Declared uncompressed bytes of every entry together (central directory). */
  declaredBytes: number;
  /** Uncompressed bytes actually inflated, over the parts tieuchi reads. */
  inflatedBytes: number;
  /** Rows on one tab (a ward's tab has fewer than a hundred). */
  rowsPerTab: number;
  /** Cells over the whole workbook. */
  cells: number;
}

export const DEFAULT_READ_LIMITS: ReadLimits = {
  // Pictures pasted as evidence are stored, not inflated: they cost file bytes only.
  fileBytes: 50 * 1024 * 1024,
  declaredBytes: 256 * 1024 * 1024,
  inflatedBytes: 48 * 1024 * 1024,
  rowsPerTab: SHEET_LIMITS.rowsPerTab,
  cells: SHEET_LIMITS.cells,
};

export interface ZipEntry {
  /** Entry name with any leading "/" removed (some writers store absolute names). */
  name: string;
  /** Uncompressed size from the central directory, or null when the library does not say. */
  declaredSize: number | null;
}

export interface ZipPackage {
  entries: ReadonlyMap<string, ZipEntry>;
  /** Sum of the declared sizes. */
  declaredTotal: number;
  /** Inflate one entry as UTF-8 text; rejects with ZipLimitError past `budget` bytes. */
  readText(name: string, budget: number): Promise<string>;
}

/** An entry inflated past the bytes allowed (its header lied, or the budget ran out). */
export class ZipLimitError extends Error {
  readonly entry: string;
  readonly inflated: number;
  constructor(entry: string, inflated: number) {
    super(`zip entry ${entry} inflated past ${inflated} bytes`);
    this.entry = entry;
    this.inflated = inflated;
  }
}

// jszip keeps the central directory's sizes on a field its typings do not declare.
function declaredSizeOf(file: JSZip.JSZipObject): number | null {
  const data = (file as unknown as { _data?: { uncompressedSize?: unknown } })._data;
  return typeof data?.uncompressedSize === "number" ? data.uncompressedSize : null;
}

/** Open a zip's central directory; inflates nothing. Throws what jszip throws on a broken zip. */
export async function openZip(data: Buffer): Promise<ZipPackage> {
  const zip = await JSZip.loadAsync(data, { checkCRC32: false, createFolders: false });
  const entries = new Map<string, ZipEntry>();
  const files = new Map<string, JSZip.JSZipObject>();
  let declaredTotal = 0;
  for (const file of Object.values(zip.files)) {
    if (file.dir) continue;
    const name = file.name.replace(/^\/+/, "");
    const declaredSize = declaredSizeOf(file);
    declaredTotal += declaredSize ?? 0;
    entries.set(name, { name, declaredSize });
    files.set(name, file);
  }
  return {
    entries,
    declaredTotal,
    readText: (name, budget) => {
      const file = files.get(name);
      if (!file) return Promise.reject(new Error(`zip entry ${name} not found`));
      try {
        const text = inflateNative(file, name, budget);
        return text === null ? inflateCounted(file, name, budget) : Promise.resolve(text);
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
  };
}

const STORED = "\x00\x00";
const DEFLATED = "\x08\x00";

/**
 * A stored or deflated entry inflated by zlib (native, several times faster than jszip's pako),
 * never past `budget` bytes whatever the header says; null for a method only jszip knows.
 */
function inflateNative(file: JSZip.JSZipObject, name: string, budget: number): string | null {
  const data = (file as unknown as { _data?: { compression?: { magic?: unknown }; compressedContent?: unknown } })._data;
  const content = data?.compressedContent;
  const method = data?.compression?.magic;
  if (!(content instanceof Uint8Array) || (method !== STORED && method !== DEFLATED)) return null;
  let bytes: Buffer;
  try {
    bytes = method === STORED ? Buffer.from(content.buffer, content.byteOffset, content.byteLength) : inflateRawSync(content, { maxOutputLength: Math.max(1, budget) });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") throw new ZipLimitError(name, budget + 1);
    throw error;
  }
  if (bytes.length > budget) throw new ZipLimitError(name, bytes.length);
  return bytes.toString("utf8");
}

function inflateCounted(file: JSZip.JSZipObject, name: string, budget: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const stream = file.nodeStream("nodebuffer") as NodeJS.ReadableStream & { destroy?: () => void };
    stream.on("data", (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > budget) {
        done = true;
        stream.pause();
        stream.destroy?.();
        reject(new ZipLimitError(name, size));
        return;
      }
      chunks.push(chunk);
    });
    stream.on("error", (error: Error) => {
      if (!done) reject(error);
      done = true;
    });
    stream.on("end", () => {
      if (!done) resolve(Buffer.concat(chunks, size).toString("utf8"));
      done = true;
    });
  });
}
