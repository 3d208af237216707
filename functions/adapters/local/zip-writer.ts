/**
 * A zip archive written in one go from parts already in memory: what an .xlsx package needs
 * (local headers, a central directory, no zip64, no encryption), with each part stored or
 * deflated by zlib and its CRC from zlib.crc32. No stream machinery per part: a feedback file
 * of a few kilobytes costs microseconds, where jszip or archiver cost a millisecond or more.
 */
import { once } from "node:events";
import { constants as zlibConstants, crc32, createDeflateRaw, deflateRawSync } from "node:zlib";

/** One part of the archive: its bytes, deflated (or stored as they are), or deflated already. */
export type ZipPart =
  | { name: string; data: Buffer | string; method: "store" | "deflate" }
  | { name: string; deflated: DeflatedPart };

/** A part deflated once and written into many archives (constant parts of a package). */
export interface DeflatedPart {
  readonly compressed: Buffer;
  readonly crc: number;
  readonly size: number;
}

/** Deflate bytes once, to be written into any number of archives. */
export function deflatePart(data: Buffer | string): DeflatedPart {
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  return { compressed: deflateRawSync(bytes), crc: crc32(bytes), size: bytes.length };
}

/** Text up to this many characters is deflated in one call; past it, as a stream, batch by batch. */
const ONE_CALL_TEXT = 1 << 20;
const BATCH_TEXT = 256 * 1024;

/**
 * Deflate text given in pieces (a part written row by row): in one call when it is small, else
 * through a zlib stream as the pieces come, so the whole text is never held at once.
 */
export async function deflateText(pieces: Iterable<string>): Promise<DeflatedPart> {
  const iterator = pieces[Symbol.iterator]();
  let head = "";
  for (let next = iterator.next(); !next.done; next = iterator.next()) {
    head += next.value;
    if (head.length > ONE_CALL_TEXT) return deflateStreamed(head, iterator);
  }
  return deflatePart(head);
}

async function deflateStreamed(first: string, rest: Iterator<string>): Promise<DeflatedPart> {
  const stream = createDeflateRaw({ level: zlibConstants.Z_DEFAULT_COMPRESSION });
  const out: Buffer[] = [];
  stream.on("data", (chunk: Buffer) => out.push(chunk));
  const ended = once(stream, "end");
  let crc = 0;
  let size = 0;
  const write = async (text: string): Promise<void> => {
    const bytes = Buffer.from(text, "utf8");
    crc = crc32(bytes, crc);
    size += bytes.length;
    if (!stream.write(bytes)) await once(stream, "drain");
  };
  await write(first);
  let batch = "";
  for (let next = rest.next(); !next.done; next = rest.next()) {
    batch += next.value;
    if (batch.length > BATCH_TEXT) {
      await write(batch);
      batch = "";
    }
  }
  if (batch) await write(batch);
  stream.end();
  await ended;
  return { compressed: Buffer.concat(out), crc, size };
}

const STORE = 0;
const DEFLATE = 8;
/** Bit 11: names are UTF-8. */
const UTF8_NAMES = 0x0800;
// Past these a zip needs zip64 records, which nothing written here ever needs.
const MAX_32 = 0xffffffff;
const MAX_ENTRIES = 0xffff;

interface Entry {
  name: Buffer;
  method: number;
  crc: number;
  size: number;
  body: Buffer;
  offset: number;
}

function entryOf(part: ZipPart): Omit<Entry, "offset"> {
  const name = Buffer.from(part.name, "utf8");
  if ("deflated" in part) return { name, method: DEFLATE, crc: part.deflated.crc, size: part.deflated.size, body: part.deflated.compressed };
  const bytes = typeof part.data === "string" ? Buffer.from(part.data, "utf8") : part.data;
  if (part.method === "store") return { name, method: STORE, crc: crc32(bytes), size: bytes.length, body: bytes };
  return { name, method: DEFLATE, crc: crc32(bytes), size: bytes.length, body: deflateRawSync(bytes) };
}

type DosStamp = { time: number; date: number };

/** MS-DOS date and time (local fields, as zip tools show them), 1980 at the earliest. */
function dosDateTime(at: Date): DosStamp {
  const year = Math.min(2107, Math.max(1980, at.getFullYear()));
  return {
    time: (at.getHours() << 11) | (at.getMinutes() << 5) | Math.floor(at.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((at.getMonth() + 1) << 5) | at.getDate(),
  };
}

/** The fields local and central headers share, from "version needed" (at 4 in a local header, 6 in a central one). */
function writeCommonFields(head: Buffer, at: number, entry: Entry, stamp: DosStamp): void {
  head.writeUInt16LE(20, at);
  head.writeUInt16LE(UTF8_NAMES, at + 2);
  head.writeUInt16LE(entry.method, at + 4);
  head.writeUInt16LE(stamp.time, at + 6);
  head.writeUInt16LE(stamp.date, at + 8);
  head.writeUInt32LE(entry.crc >>> 0, at + 10);
  head.writeUInt32LE(entry.body.length, at + 14);
  head.writeUInt32LE(entry.size, at + 18);
  head.writeUInt16LE(entry.name.length, at + 22);
}

function localHeader(entry: Entry, stamp: DosStamp): Buffer {
  const head = Buffer.alloc(30);
  head.writeUInt32LE(0x04034b50, 0);
  writeCommonFields(head, 4, entry, stamp);
  return head;
}

function centralHeader(entry: Entry, stamp: DosStamp): Buffer {
  const head = Buffer.alloc(46);
  head.writeUInt32LE(0x02014b50, 0);
  head.writeUInt16LE(20, 4); // made by
  writeCommonFields(head, 6, entry, stamp);
  head.writeUInt32LE(entry.offset, 42);
  return head;
}

/**
 * The bytes of a zip holding `parts` in order, every entry stamped `modified` (so the same
 * parts give the same bytes). Throws past what a zip without zip64 records can hold.
 */
export function writeZip(parts: readonly ZipPart[], modified: Date): Buffer {
  if (parts.length > MAX_ENTRIES) throw new Error(`zip: ${parts.length} entries, more than ${MAX_ENTRIES}`);
  const stamp = dosDateTime(modified);
  const chunks: Buffer[] = [];
  const entries: Entry[] = [];
  let offset = 0;
  for (const part of parts) {
    const entry = { ...entryOf(part), offset };
    if (entry.size > MAX_32 || entry.body.length > MAX_32 || offset > MAX_32) throw new Error(`zip: entry ${part.name} past 4 GiB`);
    const head = localHeader(entry, stamp);
    chunks.push(head, entry.name, entry.body);
    offset += head.length + entry.name.length + entry.body.length;
    entries.push(entry);
  }
  const directoryStart = offset;
  for (const entry of entries) {
    const head = centralHeader(entry, stamp);
    chunks.push(head, entry.name);
    offset += head.length + entry.name.length;
  }
  if (offset > MAX_32) throw new Error("zip: archive past 4 GiB");
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(offset - directoryStart, 12);
  end.writeUInt32LE(directoryStart, 16);
  chunks.push(end);
  return Buffer.concat(chunks, offset + end.length);
}
