/**
 * Google's request quotas, enforced on the injected clock, each in a rolling 60 s window (so a refusal is
 * always over within a minute: the product's 95 s retry schedule is built on that). Refused requests
 * consume nothing, as on Google.
 * - Sheets: 60 read and 60 write requests per minute per identity ("per user"), 300 of each per project.
 *   Refused with 429 RESOURCE_EXHAUSTED.
 * - Docs (Google Docs API usage limits): 300 read and 60 write requests per minute per user, 3,000 reads
 *   and 600 writes per project. Reads are GETs; create and batchUpdate are writes. 429 RESOURCE_EXHAUSTED.
 * - Drive (usage limits of projects that used the Drive API before May 2026): 12,000 queries per minute
 *   per user and per project, every method counted. Refused as Drive documents it: 403 with
 *   userRateLimitExceeded (per user) or rateLimitExceeded (per project), domain usageLimits.
 * - Cloud Storage: one mutation (create, update, delete) per second per object name. Google documents no
 *   burst, so none is allowed: a second write of the same name within 1 s of the last one is refused.
 */
import type { Now } from "./common.js";
import { type QuotaScope, type SheetsQuotaKind, docsQuotaExceeded, driveRateLimitExceeded, objectMutationRateExceeded, sheetsQuotaExceeded } from "./front-end-errors.js";

export interface SheetsQuotaLimits {
  readPerMinutePerUser: number;
  writePerMinutePerUser: number;
  readPerMinutePerProject: number;
  writePerMinutePerProject: number;
}

/** The Docs API's limits have the same four numbers. */
export type DocsQuotaLimits = SheetsQuotaLimits;

export interface DriveQuotaLimits {
  queriesPerMinutePerUser: number;
  queriesPerMinutePerProject: number;
}

export const googleSheetsLimits: Readonly<SheetsQuotaLimits> = { readPerMinutePerUser: 60, writePerMinutePerUser: 60, readPerMinutePerProject: 300, writePerMinutePerProject: 300 };
const googleDocsLimits: Readonly<DocsQuotaLimits> = { readPerMinutePerUser: 300, writePerMinutePerUser: 60, readPerMinutePerProject: 3000, writePerMinutePerProject: 600 };
const googleDriveLimits: Readonly<DriveQuotaLimits> = { queriesPerMinutePerUser: 12_000, queriesPerMinutePerProject: 12_000 };

export interface QuotaOptions {
  /** Sheets per-minute limits (defaults: Google's); `false` turns Sheets quotas off. */
  sheets?: Partial<SheetsQuotaLimits> | false;
  /** Docs per-minute limits (defaults: Google's); `false` turns them off. */
  docs?: Partial<DocsQuotaLimits> | false;
  /** Drive per-minute limits (defaults: Google's); `false` turns them off. */
  drive?: Partial<DriveQuotaLimits> | false;
  /** Least time between two mutations of one object name (default 1000 ms); `false` turns it off. */
  storageMutationIntervalMs?: number | false;
}

/** A refused request, for tests to assert on. */
export interface QuotaRefusal {
  api: "sheets" | "docs" | "drive" | "storage";
  /** "ReadRequestsPerMinutePerUser", …, "QueriesPerMinutePerUser", or "ObjectMutationsPerSecond". */
  limit: string;
  /** The identity's email (Sheets, Docs, Drive) or "bucket/name" (Storage). */
  subject: string;
  atMs: number;
}

export interface SheetsUsage {
  read: number;
  write: number;
}

/** A per-minute API and the kind of request ("query" for Drive, which counts every request alike). */
type MinuteApi = "sheets" | "docs" | "drive";
type MinuteKind = SheetsQuotaKind | "query";

const WINDOW_MS = 60_000;

export class FakeQuotas {
  readonly sheetsLimits: SheetsQuotaLimits | null;
  readonly docsLimits: DocsQuotaLimits | null;
  readonly driveLimits: DriveQuotaLimits | null;
  readonly storageMutationIntervalMs: number | null;
  /** Every refusal since the start (or the last reset). */
  readonly refusals: QuotaRefusal[] = [];
  private readonly calls = new Map<string, number[]>();
  private readonly lastMutation = new Map<string, number>();

  constructor(
    private readonly now: Now,
    private readonly projectNumber: string,
    options: QuotaOptions = {},
  ) {
    this.sheetsLimits = options.sheets === false ? null : { ...googleSheetsLimits, ...options.sheets };
    this.docsLimits = options.docs === false ? null : { ...googleDocsLimits, ...options.docs };
    this.driveLimits = options.drive === false ? null : { ...googleDriveLimits, ...options.drive };
    this.storageMutationIntervalMs = options.storageMutationIntervalMs === false ? null : (options.storageMutationIntervalMs ?? 1000);
  }

  /** Counts one Sheets request of `identity`, or throws the 429 Google would send. */
  admitSheets(identity: string, kind: SheetsQuotaKind): void {
    const limits = this.sheetsLimits;
    if (!limits) return;
    const [perUser, perProject] = kind === "read" ? [limits.readPerMinutePerUser, limits.readPerMinutePerProject] : [limits.writePerMinutePerUser, limits.writePerMinutePerProject];
    this.admit("sheets", kind, identity, perUser, perProject, (scope, limit) => sheetsQuotaExceeded(kind, scope, limit, this.projectNumber));
  }

  /** Counts one Docs request of `identity`, or throws the 429 Google would send. */
  admitDocs(identity: string, kind: SheetsQuotaKind): void {
    const limits = this.docsLimits;
    if (!limits) return;
    const [perUser, perProject] = kind === "read" ? [limits.readPerMinutePerUser, limits.readPerMinutePerProject] : [limits.writePerMinutePerUser, limits.writePerMinutePerProject];
    this.admit("docs", kind, identity, perUser, perProject, (scope, limit) => docsQuotaExceeded(kind, scope, limit, this.projectNumber));
  }

  /** Counts one Drive request of `identity`, or throws Drive's 403 rate-limit refusal. */
  admitDrive(identity: string): void {
    const limits = this.driveLimits;
    if (!limits) return;
    this.admit("drive", "query", identity, limits.queriesPerMinutePerUser, limits.queriesPerMinutePerProject, (scope) => driveRateLimitExceeded(scope, this.projectNumber));
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
    return { read: this.usage("sheets", "read", identity), write: this.usage("sheets", "write", identity) };
  }

  /** Docs requests counted in the last minute, for one identity or the whole project. */
  docsUsage(identity?: string): SheetsUsage {
    return { read: this.usage("docs", "read", identity), write: this.usage("docs", "write", identity) };
  }

  /** Forgets every count and refusal (a fresh minute for everyone). */
  reset(): void {
    this.calls.clear();
    this.lastMutation.clear();
    this.refusals.length = 0;
  }

  private usage(api: MinuteApi, kind: MinuteKind, identity: string | undefined): number {
    return this.recent(identity === undefined ? `${api}:${kind}:project` : `${api}:${kind}:user:${identity}`, this.now()).length;
  }

  /** Admits one request against its per-user and per-project windows, or records and throws the refusal. */
  private admit(api: MinuteApi, kind: MinuteKind, identity: string, perUser: number, perProject: number, refusal: (scope: QuotaScope, limit: number) => Error): void {
    const now = this.now();
    const user = this.recent(`${api}:${kind}:user:${identity}`, now);
    const project = this.recent(`${api}:${kind}:project`, now);
    for (const [scope, calls, limit] of [["user", user, perUser], ["project", project, perProject]] as const) {
      if (calls.length < limit) continue;
      const metric = kind === "query" ? "Queries" : kind === "read" ? "ReadRequests" : "WriteRequests";
      this.refusals.push({ api, limit: `${metric}PerMinutePer${scope === "user" ? "User" : "Project"}`, subject: identity, atMs: now });
      throw refusal(scope, limit);
    }
    user.push(now);
    project.push(now);
  }

  /** The timestamps still inside the rolling window (pruned in place). */
  private recent(key: string, now: number): number[] {
    let calls = this.calls.get(key);
    if (!calls) this.calls.set(key, (calls = []));
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
