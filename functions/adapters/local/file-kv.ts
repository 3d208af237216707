/**
 * KeyValueStore in a directory of the workspace (`.tieuchi/kv/`), the local twin of the Cloud
 * Storage one: each key one JSON file `{"version", "value"}`; compare-and-set under a lock
 * that holds across processes on this machine; every write atomic (unique temporary file,
 * fsync, rename, fsync of the directory). Reads take no lock: a rename is atomic, so a reader
 * sees the old file or the new one, never half of one.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, readdir, unlink } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { KeyValueStore, Versioned } from "../../ports.js";
import { StateDamagedError, StateStoreError } from "../../state-errors.js";
import { withFileLock } from "./file-lock.js";
import { syncDirectory, writeFileAtomic } from "./files.js";

const SUFFIX = ".json";
/** How put starts every file: the version (generation-hex, see nextVersion) before the value. */
const OWN_HEAD = /^\{"version":"([0-9]+-[0-9a-f]+)","value":/u;
// Leaves room under the usual 255-byte name limit for ".lock" and the temporary suffix.
const MAX_NAME_BYTES = 200;
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/u;

/** What each file holds. */
interface StoredObject {
  version: string;
  value: unknown;
}

export interface FileKeyValueStore extends KeyValueStore {
  readonly dir: string;
  /** The file holding `key` (for messages and tests). */
  fileOf(key: string): string;
  /** The lock taken around each change of `key` (a directory while held). */
  lockOf(key: string): string;
}

const hex = (byte: number): string => `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;

/**
 * The file name of a key: lower-case letters, digits, "-" and "_" kept, every other byte of its
 * UTF-8 (including "/", "." and upper case, so case-insensitive disks never merge two keys) as
 * %XX. Reversible by decodeFileName.
 */
export function encodeKey(key: string): string {
  const bytes = Buffer.from(key, "utf8");
  let name = "";
  for (const byte of bytes) {
    const char = String.fromCharCode(byte);
    name += /^[a-z0-9_-]$/u.test(char) ? char : hex(byte);
  }
  // Windows reserves device names whatever their extension.
  if (WINDOWS_DEVICE.test(name)) name = hex(bytes[0]!) + name.slice(1);
  if (name === "" || Buffer.byteLength(name) > MAX_NAME_BYTES) {
    throw new StateStoreError("put", key, name === "" ? "khóa rỗng" : "khóa quá dài để làm tên tệp");
  }
  return name + SUFFIX;
}

/** The key of one of our file names, or null for any other file (temporary, lock, stray). */
export function decodeFileName(name: string): string | null {
  if (!name.endsWith(SUFFIX) || name.startsWith(".")) return null;
  let key: string;
  try {
    key = decodeURIComponent(name.slice(0, -SUFFIX.length));
  } catch {
    return null;
  }
  try {
    return encodeKey(key) === name ? key : null;
  } catch {
    return null;
  }
}

const isStoredObject = (data: unknown): data is StoredObject =>
  typeof data === "object" && data !== null && !Array.isArray(data) && typeof (data as StoredObject).version === "string" && Object.hasOwn(data, "value");

const errnoCode = (error: unknown): string => (error as NodeJS.ErrnoException).code ?? "không rõ";

/** `dir` is created on the first write; reading or listing a missing one finds nothing. */
export function fileKeyValueStore(directory: string): FileKeyValueStore {
  const dir = resolve(directory);
  const fileOf = (key: string): string => join(dir, encodeKey(key));
  const lockOf = (key: string): string => `${fileOf(key).slice(0, -SUFFIX.length)}.lock`;

  const read = async (key: string): Promise<StoredObject | null> => {
    const file = fileOf(key);
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (error) {
      if (errnoCode(error) === "ENOENT") return null;
      throw new StateStoreError("get", key, `không đọc được tệp ${file} (${errnoCode(error)})`, { cause: error });
    }
    const raw = bytes.toString("utf8");
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch (error) {
      throw new StateDamagedError(key, file, raw, "không phải JSON hợp lệ", { cause: error });
    }
    if (!isStoredObject(data)) throw new StateDamagedError(key, file, raw, "không đúng cấu trúc {version, value}");
    return data;
  };

  /**
   * The stored version of `key` for a compare-and-set: taken from the head of the file as put writes it, so a
   * 3 MB snapshot is not parsed only to be replaced; any other file is read in full (and a damaged one refused).
   */
  const versionOf = async (key: string): Promise<string | null> => {
    const bytes = await readFile(fileOf(key)).catch((error: unknown) => (errnoCode(error) === "ENOENT" ? null : undefined));
    if (bytes === null) return null;
    const head = bytes === undefined ? null : OWN_HEAD.exec(bytes.subarray(0, 80).toString("latin1"));
    const tail = bytes?.subarray(-2).toString("latin1");
    return head && tail === "}\n" ? head[1]! : ((await read(key))?.version ?? null);
  };

  const ensureDir = async (operation: "put" | "delete", key: string): Promise<void> => {
    try {
      await mkdir(dir, { recursive: true });
    } catch (error) {
      throw new StateStoreError(operation, key, `không tạo được thư mục ${dir} (${errnoCode(error)})`, { cause: error });
    }
  };

  return {
    dir,
    fileOf,
    lockOf,
    get: async <T>(key: string): Promise<Versioned<T> | null> => {
      const stored = await read(key);
      return stored === null ? null : { value: stored.value as T, version: stored.version };
    },
    put: async (key, value, ifVersion) => {
      const text = JSON.stringify(value);
      if (text === undefined) throw new TypeError(`not JSON-serialisable: ${key}`);
      await ensureDir("put", key);
      return withFileLock(lockOf(key), key, async (isCompromised) => {
        const current = await versionOf(key);
        if (current !== ifVersion) return null;
        const version = nextVersion(current);
        if (isCompromised()) throw new StateStoreError("put", key, "mất khóa trong khi ghi (máy quá bận); hãy chạy lại");
        try {
          await writeFileAtomic(fileOf(key), `{"version":${JSON.stringify(version)},"value":${text}}\n`);
        } catch (error) {
          throw new StateStoreError("put", key, `không ghi được tệp ${fileOf(key)} (${errnoCode(error)})`, { cause: error });
        }
        return version;
      });
    },
    list: async (prefix) => {
      let names: string[];
      try {
        names = await readdir(dir);
      } catch (error) {
        if (errnoCode(error) === "ENOENT") return [];
        throw new StateStoreError("list", prefix, `không liệt kê được thư mục ${dir} (${errnoCode(error)})`, { cause: error });
      }
      return names
        .map(decodeFileName)
        .filter((key): key is string => key !== null && key.startsWith(prefix))
        .sort();
    },
    delete: async (key) => {
      const file = fileOf(key);
      await ensureDir("delete", key);
      await withFileLock(lockOf(key), key, async () => {
        try {
          await unlink(file);
        } catch (error) {
          if (errnoCode(error) === "ENOENT") return;
          throw new StateStoreError("delete", key, `không xóa được tệp ${file} (${errnoCode(error)})`, { cause: error });
        }
        await syncDirectory(dir);
      });
    },
  };
}

/**
 * A generation counter (readable, increasing per key) plus a random part: a key deleted and
 * created again restarts its counter, and a stale version must never match the new object.
 */
function nextVersion(previous: string | null): string {
  const generation = previous === null ? 0 : Number.parseInt(previous, 10) || 0;
  return `${generation + 1}-${randomBytes(4).toString("hex")}`;
}
