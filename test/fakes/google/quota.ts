/**
 * Google's request quotas, enforced on the injected clock:
 * - Sheets: 60 read and 60 write requests per minute per identity ("per user"), 300 of each per minute per
 *   project. A rolling 60 s window, so a refusal is always over within a minute (the product's 95 s retry
 *   schedule is built on that). Refused requests consume nothing, as on Google.
 * - Cloud Storage: one mutation (create, update, delete) per second per object name. Google documents no
 *   burst, so none is allowed: a second write of the same name within 1 s of the last one is refused.
 */
import type { Now } from "./common.js";
import { type QuotaScope, type SheetsQuotaKind, objectMutationRateExceeded, sheetsQuotaExceeded } from "./front-end-errors.js";

export interface SheetsQuotaLimits {
  readPerMinutePerUser: number;
  writePerMinutePerUser: number;
  readPerMinutePerProject: number;
  writePerMinutePerProject: number;
}

export const googleSheetsLimits: Readonly<SheetsQuotaLimits> = { readPerMinutePerUser: 60, writePerMinutePerUser: 60, readPerMinutePerProject: 300, writePerMinutePerProject: 300 };

export interface QuotaOptions {
  /** Sheets per-minute limits (defaults: Google's); `false` turns Sheets quotas off. */
  sheets?: Partial<SheetsQuotaLimits> | false;
  /** Least time between two mutations of one object name (default 1000 ms); `false` turns it off. */
  storageMutationIntervalMs?: number | false;
}

/** A refused request, for tests to assert on. */
export interface QuotaRefusal {
  api: "sheets" | "storage";
  /** "ReadRequestsPerMinutePerUser", …, or "ObjectMutationsPerSecond". */
  limit: string;
  /** The identity's email (Sheets) or "bucket/name" (Storage). */
  subject: string;
  atMs: number;
}

export interface SheetsUsage {
  read: number;
  write: number;
}

const WINDOW_MS = 60_000;

export class FakeQuotas {
  readonly sheetsLimits: SheetsQuotaLimits | null;
  readonly storageMutationIntervalMs: number | null;
  /** Every refusal since the start (or the last reset). */
  readonly refusals: QuotaRefusal[] = [];
  private readonly sheetsCalls = new Map<string, number[]>();
  private readonly lastMutation = new Map<string, number>();

  constructor(
    private readonly now: Now,
    private readonly projectNumber: string,
    options: QuotaOptions = {},
  ) {
    this.sheetsLimits = options.sheets === false ? null : { ...googleSheetsLimits, ...options.sheets };
    this.storageMutationIntervalMs = options.storageMutationIntervalMs === false ? null : (options.storageMutationIntervalMs ?? 1000);
  }

  /** Counts one Sheets request of `identity`, or throws the 429 Google would send. */
  admitSheets(identity: string, kind: SheetsQuotaKind): void {
    if (!this.sheetsLimits) return;
    const now = this.now();
    const userKey = `${kind}:user:${identity}`;
    const projectKey = `${kind}:project`;
    const perUser = kind === "read" ? this.sheetsLimits.readPerMinutePerUser : this.sheetsLimits.writePerMinutePerUser;
    const perProject = kind === "read" ? this.sheetsLimits.readPerMinutePerProject : this.sheetsLimits.writePerMinutePerProject;
    this.refuseIfFull("user", kind, identity, this.recent(userKey, now), perUser, now);
    this.refuseIfFull("project", kind, identity, this.recent(projectKey, now), perProject, now);
    this.recent(userKey, now).push(now);
    this.recent(projectKey, now).push(now);
  }

  /** Throws Cloud Storage's 429 when `bucket/name` was mutated less than the interval ago. */
  checkObjectMutation(bucket: string, name: string): void {
    if (this.storageMutationIntervalMs === null) return;
    const now = this.now();
    const last = this.lastMutation.get(`${bucket}/${name}`);
    if (last !== undefined && now - last < this.storageMutationIntervalMs) {
      this.refusals.push({ api: "storage", limit: "ObjectMutationsPerSecond", subject: `${bucket}/${name}`, atMs: now });
      throw objectMutationRateExceeded(bucket, name);
    }
  }

  /** Records an applied mutation of `bucket/name` (refused or failed requests mutate nothing). */
  recordObjectMutation(bucket: string, name: string): void {
    this.lastMutation.set(`${bucket}/${name}`, this.now());
  }

  /** Sheets requests counted in the last minute, for one identity (by email) or the whole project. */
  sheetsUsage(identity?: string): SheetsUsage {
    const now = this.now();
    const key = (kind: SheetsQuotaKind): string => (identity === undefined ? `${kind}:project` : `${kind}:user:${identity}`);
    return { read: this.recent(key("read"), now).length, write: this.recent(key("write"), now).length };
  }

  /** Forgets every count and refusal (a fresh minute for everyone). */
  reset(): void {
    this.sheetsCalls.clear();
    this.lastMutation.clear();
    this.refusals.length = 0;
  }

  private refuseIfFull(scope: QuotaScope, kind: SheetsQuotaKind, identity: string, calls: number[], limit: number, now: number): void {
    if (calls.length < limit) return;
    const error = sheetsQuotaExceeded(kind, scope, limit, this.projectNumber);
    const limitId = `${kind === "read" ? "Read" : "Write"}RequestsPerMinutePer${scope === "user" ? "User" : "Project"}`;
    this.refusals.push({ api: "sheets", limit: limitId, subject: identity, atMs: now });
    throw error;
  }

  /** The timestamps still inside the rolling window (pruned in place). */
  private recent(key: string, now: number): number[] {
    let calls = this.sheetsCalls.get(key);
    if (!calls) this.sheetsCalls.set(key, (calls = []));
    let drop = 0;
    while (drop < calls.length && (calls[drop] ?? 0) <= now - WINDOW_MS) drop++;
    if (drop > 0) calls.splice(0, drop);
    return calls;
  }
}

/** Which Sheets quota a request draws on: reads are GETs and the getByDataFilter POSTs, everything else writes. */
export function sheetsQuotaKind(method: string, path: string): SheetsQuotaKind {
  if (method === "GET") return "read";
  return /:(getByDataFilter|batchGetByDataFilter)$/.test(path) ? "read" : "write";
}
