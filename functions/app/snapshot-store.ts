/**
 * The snapshot history over any KeyValueStore (Cloud Storage in the cloud, the workspace's
 * file store on a laptop): one snapshot per period under "snapshots/<period>.json". A snapshot
 * that cannot be read (not JSON, wrong shape) is moved aside to "snapshots-damaged/", with one
 * Vietnamese line naming it, and the rest of the history carries on without it.
 */
import type { Snapshot } from "../core/aggregate-town.js";
import { samePeriodKind } from "../core/period.js";
import { periodLabel } from "../core/vi-format.js";
import { type Clock, type KeyValueStore, type SnapshotDetail, type StateStore, type StoredSnapshot, systemClock, type Versioned } from "../ports.js";
import { StateDamagedError, StateStoreError } from "../state-errors.js";
import { closureKey, closureOf, isPeriodClosed, snapshotHash } from "./closure-record.js";

const SNAPSHOTS = "snapshots/";
const DAMAGED = "snapshots-damaged/";
const MAX_ATTEMPTS = 20;

/** The store key of a snapshot period. */
export const snapshotKey = (period: string): string => `${SNAPSHOTS}${period}.json`;

/** Where a damaged snapshot of `period` is kept, stamped with the instant it was moved. */
export const damagedSnapshotKey = (period: string, at: Date): string => `${DAMAGED}${period}-${at.toISOString().replace(/[:.]/gu, "-")}.json`;

/** What is kept of a damaged snapshot: its old key, its text when the store could give it, and why. */
interface DamagedSnapshotRecord {
  key: string;
  raw: string | null;
  value: unknown;
  reason: string;
  movedAt: string;
}

export interface SnapshotStoreOptions {
  /** One line per damaged snapshot moved aside (the CLI prints it; the cloud logs it). */
  warn?: (line: string) => void;
  clock?: Clock;
}

const isCount = (n: unknown): boolean => typeof n === "number" && Number.isInteger(n) && n >= 0;

/** Whether a stored value has the shape of a snapshot of `period` (what history and trends rely on). */
function isSnapshotOf(value: unknown, period: string): value is StoredSnapshot {
  if (typeof value !== "object" || value === null) return false;
  const s = value as Partial<Snapshot>;
  return (
    s.period === period &&
    typeof s.generatedAt === "string" &&
    Array.isArray(s.programmes) &&
    s.programmes.every(
      (p) =>
        typeof p === "object" &&
        p !== null &&
        typeof p.id === "string" &&
        Array.isArray(p.wards) &&
        p.wards.every((w) => typeof w === "object" && w !== null && typeof w.id === "string" && isCount(w.met) && isCount(w.total) && typeof w.recognised === "boolean"),
    ) &&
    isDetailOf((value as { detail?: unknown }).detail, period)
  );
}

/** The optional detail (what a re-rendering needs): absent, or a town summary of the same period and its wards. */
function isDetailOf(detail: unknown, period: string): boolean {
  if (detail === undefined) return true;
  const d = detail as Partial<SnapshotDetail> | null;
  return typeof d === "object" && d !== null && d.summary?.period === period && Array.isArray(d.summary.programmes) && Array.isArray(d.wards) && d.wards.every((w) => typeof w?.id === "string" && typeof w.outcome === "object" && Array.isArray(w.findings));
}

/** What the helpers below share: the store, the clock that stamps moved-aside copies, and where warnings go. */
interface Context {
  kv: KeyValueStore;
  clock: Clock;
  warn: (line: string) => void;
}

/** The periods with a snapshot key, oldest first. */
async function periodsIn(kv: KeyValueStore): Promise<string[]> {
  return (await kv.list(SNAPSHOTS))
    .map((key) => key.slice(SNAPSHOTS.length))
    .filter((name) => name.endsWith(".json") && !name.includes("/"))
    .map((name) => name.slice(0, -".json".length))
    .sort();
}

/** Keeps a damaged snapshot under "snapshots-damaged/", removes it from the history and says so in one line. */
async function moveAside(ctx: Context, period: string, found: { raw: string | null; value: unknown; location: string | null }, reason: string): Promise<void> {
  const at = ctx.clock.now();
  const to = damagedSnapshotKey(period, at);
  const record: DamagedSnapshotRecord = { key: snapshotKey(period), raw: found.raw, value: found.value, reason, movedAt: at.toISOString() };
  await ctx.kv.put(to, record, null);
  // Unless the running period's snapshot was saved afresh meanwhile by another run.
  const now = await ctx.kv.get<unknown>(snapshotKey(period)).catch(() => null);
  if (now === null || !isSnapshotOf(now.value, period)) await ctx.kv.delete(snapshotKey(period));
  const where = found.location ? ` (${found.location})` : "";
  ctx.warn(`Cảnh báo: số liệu đã lưu của ${periodLabel(period)}${where} bị hỏng (${reason}); đã chuyển sang “${to}” để kiểm tra, các lần chạy tiếp tục mà không có kỳ này.`);
}

/** A period's snapshot with its version; null when there is none, or it was damaged and moved aside. */
async function loadVersioned(ctx: Context, period: string): Promise<Versioned<StoredSnapshot> | null> {
  let stored: Versioned<unknown> | null;
  try {
    stored = await ctx.kv.get<unknown>(snapshotKey(period));
  } catch (error) {
    // Only damage moves a snapshot aside: a store that is merely unreachable fails the command.
    if (!(error instanceof StateDamagedError)) throw error;
    await moveAside(ctx, period, { raw: error.raw, value: null, location: error.location }, "không đọc được nội dung");
    return null;
  }
  if (stored === null) return null;
  if (isSnapshotOf(stored.value, period)) return { value: stored.value, version: stored.version };
  await moveAside(ctx, period, { raw: null, value: stored.value, location: null }, "nội dung không đúng cấu trúc");
  return null;
}

/**
 * StateStore over a KeyValueStore. Saving replaces the period's snapshot (the use cases save
 * only the period that is running: ended periods are never saved again, see summariseTown),
 * unless the period was closed with `tieuchi close`: then it reads as the copy frozen in the
 * closing record (closure-record.ts), and saving it changes nothing.
 */
export function kvStateStore(kv: KeyValueStore, options: SnapshotStoreOptions = {}): StateStore {
  const ctx: Context = { kv, clock: options.clock ?? systemClock, warn: options.warn ?? ((line: string) => console.warn(line)) };
  // A closed period stands at the copy frozen in its closing record, whatever a run saved after.
  const frozen = async (period: string): Promise<StoredSnapshot | null> => {
    const closure = await closureOf(kv, period);
    return closure?.closed && closure.frozen ? closure.frozen : null;
  };
  // A snapshot deleted between the listing and the read is simply left out.
  const written = new Map<string, string>(); // by key: the version of the snapshot this store last wrote
  const remember = (key: string, version: string | null): boolean => {
    if (version === null) written.delete(key);
    else written.set(key, version);
    return version !== null;
  };
  const load = async (period: string): Promise<StoredSnapshot | null> => (await frozen(period)) ?? (await loadVersioned(ctx, period))?.value ?? null;
  return {
    latestSnapshotBefore: async (period) => {
      // Weeks and months may coexist in the history: the previous period is one of the same kind.
      for (const older of (await periodsIn(kv)).filter((p) => samePeriodKind(p, period) && p < period).reverse()) {
        const snapshot = await load(older);
        if (snapshot !== null) return snapshot;
      }
      return null;
    },
    isClosed: async (period) => {
      const closure = await closureOf(kv, period);
      if (!closure?.closed) return false;
      // The frozen snapshot must still be the one closed: a changed state file is said, never hidden.
      const stored = closure.frozen ?? (await load(period));
      if (stored !== null && closure.hash !== null && snapshotHash(stored) !== closure.hash) {
        const file = closure.frozen ? closureKey(period) : snapshotKey(period);
        ctx.warn(`Cảnh báo: số liệu đã lưu của ${periodLabel(period)} không còn khớp mã số liệu lúc chốt (${closure.hash.slice(0, 12)}…): tệp trạng thái “${file}” đã bị sửa sau khi chốt kỳ.`);
      }
      return true;
    },
    listSnapshots: async () => (await Promise.all((await periodsIn(kv)).map(load))).filter((s): s is StoredSnapshot => s !== null),
    saveSnapshot: async (snapshot) => {
      // A closed period's snapshot is frozen (period-close.ts): a run of it changes nothing stored.
      if (await isPeriodClosed(kv, snapshot.period)) return;
      const key = snapshotKey(snapshot.period);
      // Still the version this store wrote last (each rerun of `start`): it is ours and whole, no need to read 3 MB to replace it.
      const ours = written.get(key);
      if (ours !== undefined && remember(key, await kv.put(key, snapshot, ours))) return;
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        // A damaged snapshot of the running period is kept aside too before the new one replaces it.
        const version = (await loadVersioned(ctx, snapshot.period))?.version ?? null;
        if (remember(key, await kv.put(key, snapshot, version))) return;
      }
      throw new StateStoreError("update", key, `bị ghi đồng thời liên tục, đã thử ${MAX_ATTEMPTS} lần mà chưa ghi được`);
    },
  };
}
