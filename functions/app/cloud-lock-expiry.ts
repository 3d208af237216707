/**
 * A Google period lock is for the period it closes while that period is still running: once
 * the next period has begun the wards must type for it, so the sweep lifts the locks of every
 * ended period (the closed figures stay frozen in the closing record). Each lifted lock is
 * recorded with when and why ("mở khóa khi kỳ mới bắt đầu") under "locks-lifted/"; a ward whose
 * unlocking failed keeps its record and is tried again by the next sweep.
 */
import { periodTense } from "../core/period.js";
import type { Clock, KeyValueStore, PeriodLocks } from "../ports.js";
import { LOCKS, type WardLockRecord, liftedLockKey, lockOfKey } from "./period-lock-records.js";

/** Why a lock came off without a reopen, as recorded. */
export const LIFTED_REASON = "mở khóa khi kỳ mới bắt đầu";

/** Who lifts: the service itself, not a person. */
const SERVICE = "tieuchi (tự động)";

export interface LockExpiryReport {
  /** "<period>/<ward>" of each lock lifted now. */
  lifted: string[];
  /** "<period>/<ward>: <reason>" of each lock still on. */
  failed: string[];
}

async function liftOne(ports: { kv: KeyValueStore; locks: PeriodLocks }, key: string, period: string, ward: string, at: string): Promise<void> {
  const record = (await ports.kv.get<WardLockRecord>(key))?.value;
  if (record) {
    await ports.locks.unlock(record.spreadsheetId, period);
    await ports.kv.put(liftedLockKey(period, ward), { ...record, lifted: { at, by: SERVICE, reason: LIFTED_REASON } }, null);
  }
  await ports.kv.delete(key);
}

/**
 * Lift the locks of every period that has ended by the clock's now; the locks of the running
 * period stay. Idempotent: a lock already lifted has no record under "locks/" any more.
 *
 * @example await liftEndedLocks({ kv, locks, clock }) // → { lifted: ["2026-11/nghi-huong"], failed: [] }
 */
export async function liftEndedLocks(ports: { kv: KeyValueStore; locks: PeriodLocks; clock: Clock }): Promise<LockExpiryReport> {
  const now = ports.clock.now();
  const report: LockExpiryReport = { lifted: [], failed: [] };
  for (const key of (await ports.kv.list(LOCKS)).sort()) {
    const lock = lockOfKey(key);
    if (!lock || periodTense(lock.period, now) !== "closed") continue;
    try {
      await liftOne(ports, key, lock.period, lock.ward, now.toISOString());
      report.lifted.push(`${lock.period}/${lock.ward}`);
    } catch (error) {
      report.failed.push(`${lock.period}/${lock.ward}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return report;
}
