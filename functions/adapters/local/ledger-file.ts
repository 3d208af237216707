/**
 * The sent ledger as one JSON file ({ [key]: {sentAt, messageId, via} }). Each record is
 * on disk when `record` resolves, so a crash right after a send cannot lead to a resend.
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { TieuchiError } from "../../errors.js";
import type { Ledger } from "../../ports.js";
import { writeFileAtomic } from "./files.js";

type LedgerEntry = Parameters<Ledger["record"]>[1];
type LedgerEntries = Record<string, LedgerEntry>;

// Writes to one file are serialised per process (across ledger instances too): each is a
// read-modify-write, and two at once would lose an entry and share a temporary file name.
const pendingWrites = new Map<string, Promise<unknown>>();

async function readEntries(file: string): Promise<LedgerEntries> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return {};
    throw new TieuchiError(`Không đọc được sổ thư đã gửi ${file} (${code ?? "lỗi hệ thống"})`, { cause: error });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw corrupt(file, error);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) throw corrupt(file);
  return data as LedgerEntries;
}

// Never reset a damaged ledger: an empty one would send every message again.
function corrupt(file: string, cause?: unknown): TieuchiError {
  return new TieuchiError(
    `Sổ thư đã gửi ${file} bị hỏng (không phải JSON hợp lệ). Hãy khôi phục hoặc sửa tệp này; không xóa nó, vì khi đó mọi thư sẽ bị gửi lại.`,
    cause === undefined ? {} : { cause },
  );
}

/** Ledger kept in `file`; a missing file is an empty ledger, a corrupt one an error. */
export function fileLedger(file: string): Ledger {
  const path = resolve(file);
  return {
    has: async (key) => Object.hasOwn(await readEntries(path), key),
    record: (key, entry) => {
      const write = (pendingWrites.get(path) ?? Promise.resolve()).then(async () => {
        const entries = await readEntries(path);
        entries[key] = entry;
        await writeFileAtomic(path, `${JSON.stringify(entries, null, 2)}\n`);
      });
      const settled = write.catch(() => undefined);
      pendingWrites.set(path, settled);
      // Forget the file once idle, so the map does not grow with every ledger ever opened.
      void settled.then(() => {
        if (pendingWrites.get(path) === settled) pendingWrites.delete(path);
      });
      return write;
    },
  };
}
