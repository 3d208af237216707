/**
 * In-memory ports for the changes-feed use cases: a drive whose changes feed is a log with
 * positional page tokens, ward sheets that count their reads, and a Kiểm tra sink whose
 * writes show up in the feed as the service's own edits (as they do on Drive).
 */
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import type { RawWorkbook } from "../../../functions/core/cells.js";
import type { WardConfig } from "../../../functions/config.js";
import type { FeedOptions, FeedPorts } from "../../../functions/app/changes-feed.js";
import { STATE_KEYS } from "../../../functions/app/cloud-ward.js";
import type { ChangeFeed, FileChange, WardFile, WardFolder } from "../../../functions/ports.js";
import { SAMPLE_WARDS } from "../../../functions/adapters/local/sample-town.js";
import { type MemoryKeyValueStore, memoryKeyValueStore } from "../../fakes/memory-kv.js";
import { type ManualClock, manualClock } from "../../fakes/clock.js";
import { cellOf, sampleWorkbook, withCell } from "../../fixtures/workbooks.js";

export const WARDS: WardConfig[] = SAMPLE_WARDS.map((w) => ({ id: w.id, name: w.name, aliases: [...w.aliases], contacts: [] }));
/** The first programme tab, as the plan titles it. */
const TAB1 = "CA phường kiểu mẫu";
export const fileOf = (wardId: string): string => `sheet-${wardId}`;

export const FEED_OPTIONS: FeedOptions = { folderId: "wards-folder", leaseMs: 600_000, fullListingEveryMs: 86_400_000, maxWards: 100, maxPasses: 2 };

export interface MemoryWorld {
  clock: ManualClock;
  kv: MemoryKeyValueStore;
  ports: FeedPorts;
  /** Sheets reads per ward. */
  reads: Map<string, number>;
  writes: string[];
  listings: number;
  changesLists: number;
  /** A staff edit: the ward's input changes and Drive logs a change. */
  staffEdit(wardId: string, a1?: string, value?: string): void;
  removeFile(wardId: string): void;
  /** A change of a file that is not a ward spreadsheet. */
  otherFileEdit(): void;
  failRead: Set<string>;
  failWrite: Set<string>;
}

export async function memoryWorld(catalogues: readonly Catalogue[], start = "2026-12-01T02:00:00Z"): Promise<MemoryWorld> {
  const clock = manualClock(start);
  const kv = memoryKeyValueStore();
  await kv.put(STATE_KEYS.registry, Object.fromEntries(WARDS.map((w) => [w.id, { spreadsheetId: fileOf(w.id), checkSheetId: 1 }])), null);
  const workbooks = new Map<string, RawWorkbook>(WARDS.map((w) => [w.id, sampleWorkbook(catalogues, w.id)]));
  const files = new Map<string, WardFile>(WARDS.map((w) => [fileOf(w.id), { id: fileOf(w.id), name: w.name, version: "1", modifiedTime: clock.now().toISOString(), lastModifyingUser: { me: false, email: "staff@example" } }]));
  const log: FileChange[] = [];
  const world: MemoryWorld = {
    clock,
    kv,
    reads: new Map(),
    writes: [],
    listings: 0,
    changesLists: 0,
    failRead: new Set(),
    failWrite: new Set(),
    staffEdit: (wardId, a1, value = `sửa lúc ${clock.now().toISOString()}`) => {
      const workbook = workbooks.get(wardId)!;
      workbooks.set(wardId, withCell(workbook, TAB1, a1 ?? cellOf(workbook, TAB1, "TC01", "H"), value));
      touch(fileOf(wardId), false);
    },
    removeFile: (wardId) => {
      files.delete(fileOf(wardId));
      log.push({ fileId: fileOf(wardId), removed: true, file: null });
    },
    otherFileEdit: () => log.push({ fileId: "not-a-ward", removed: false, file: { id: "not-a-ward", name: "Ghi chú", version: "1", modifiedTime: clock.now().toISOString(), lastModifyingUser: null } }),
    ports: null as never,
  };
  function touch(fileId: string, me: boolean): void {
    const file = files.get(fileId)!;
    const next: WardFile = { ...file, version: String(Number(file.version) + 1), modifiedTime: clock.now().toISOString(), lastModifyingUser: { me, email: me ? "service@example" : "staff@example" } };
    files.set(fileId, next);
    log.push({ fileId, removed: false, file: next });
  }
  const changes: ChangeFeed = {
    startPageToken: async () => String(log.length),
    list: async (token) => {
      world.changesLists++;
      return { changes: log.slice(Number(token)).map((c) => ({ ...c, file: c.file && (files.get(c.fileId) ?? c.file) })), nextPageToken: String(log.length) };
    },
    watch: async (_token, _driveId, channel) => ({ id: channel.id, resourceId: "changes-resource", expiration: channel.expiration }),
    stop: async () => undefined,
  };
  const folder: WardFolder = {
    driveId: async () => "shared-drive",
    list: async () => {
      world.listings++;
      return [...files.values()];
    },
  };
  world.ports = {
    kv,
    clock,
    changes,
    folder,
    registry: async () => (await kv.get<Record<string, { spreadsheetId: string; checkSheetId: number }>>(STATE_KEYS.registry))?.value ?? {},
    sheets: {
      read: async (ward) => {
        world.reads.set(ward.id, (world.reads.get(ward.id) ?? 0) + 1);
        if (world.failRead.has(ward.id)) throw new Error(`Google Sheets trả lỗi 500 cho ${ward.name}`);
        return workbooks.get(ward.id) ?? null;
      },
    },
    feedback: {
      write: async ({ ward }) => {
        if (world.failWrite.has(ward.id)) throw new Error(`Không ghi được trang Kiểm tra của ${ward.name}`);
        world.writes.push(ward.id);
        touch(fileOf(ward.id), true);
      },
    },
  };
  return world;
}

export const totalReads = (world: MemoryWorld): number => [...world.reads.values()].reduce((a, b) => a + b, 0);
