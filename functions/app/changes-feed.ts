/**
 * Change detection over Drive's changes feed: a pass reads every change since the stored
 * page token and handles exactly the ward spreadsheets named there, with no folder listing
 * (one full listing a day is the safety net). A pass holds a lease on the feed state, taken
 * and released by compare-and-set, so overlapping sweeps and webhooks never handle a change
 * twice; the token moves only after the wards are handled, and a ward that failed stays
 * pending for the next pass, so no change is lost either.
 */
import { randomUUID } from "node:crypto";
import type { Catalogue } from "../../sheets-schema/catalogue.js";
import type { WardConfig } from "../config.js";
import type { ChangeFeed, WardFile, WardFolder } from "../ports.js";
import { StateStoreError } from "../state-errors.js";
import { type CloudWardPorts, needsRead, processWardIfChanged, recordRemoved, STATE_KEYS, type WardFailure, type WardRegistry, type WardState } from "./cloud-ward.js";
import { enqueueWards, type WardTaskQueue } from "./ward-tasks.js";

/** The feed as stored between passes. */
export interface FeedState {
  folderId: string;
  /** The shared drive of the wards folder (null: My Drive), asked once. */
  driveId: string | null;
  pageToken: string;
  /** Wards seen changed but not handled yet (failed, or left for a later pass). */
  pending: string[];
  lease: { id: string; until: number } | null;
  /** Set by a caller that found the lease held: the holder makes one more pass. */
  again: boolean;
  fullListingAt: string | null;
}

export interface FeedPorts extends CloudWardPorts {
  changes: ChangeFeed;
  folder: WardFolder;
  registry(): Promise<WardRegistry>;
  /** When set, wards to read are enqueued here (one task each) instead of read in the pass. */
  tasks?: WardTaskQueue | null;
}

export interface FeedOptions {
  folderId: string;
  leaseMs: number;
  fullListingEveryMs: number;
  /** Wards handled in one pass at most (a webhook must answer in time); the rest stay pending. */
  maxWards: number;
  /** Passes in all, when notifications arrive during ours. */
  maxPasses: number;
}

export interface FailedWard {
  wardId: string;
  stage: WardFailure["stage"];
  message: string;
}

export interface PassReport {
  /** Another pass held the lease; it was asked to run once more and will see these changes. */
  busy: boolean;
  /** Changes read from the feed (of any file). */
  changes: number;
  /** Files in the daily listing, or null when none was due. */
  listed: number | null;
  processed: string[];
  unchanged: string[];
  /** Changed by the service itself, or already covered by our last read: no Sheets read. */
  skipped: string[];
  failed: FailedWard[];
  removed: string[];
  /** Left for the next pass (more than maxWards changed). */
  deferred: string[];
  /** Enqueued for the worker (fan-out); alreadyQueued: the queue held that change already. */
  queued: string[];
  alreadyQueued: string[];
  /** Our lease ran out and another pass took over: it handles the same changes again. */
  leaseLost: boolean;
}

interface Candidate {
  ward: WardConfig;
  file: WardFile | null;
  removed: boolean;
  /** Pending from an earlier pass: read whatever the metadata says. */
  forced: boolean;
  /** Named by the daily listing: the service's own writes do not excuse a read. */
  strict: boolean;
}

const MAX_CAS_ATTEMPTS = 10;

export const emptyPassReport = (): PassReport => ({ busy: false, changes: 0, listed: null, processed: [], unchanged: [], skipped: [], failed: [], removed: [], deferred: [], queued: [], alreadyQueued: [], leaseLost: false });

/** A feed starting now: Drive's current start token, the folder's drive, a full listing due. */
type FeedStatePorts = Pick<FeedPorts, "kv" | "changes" | "folder">;

async function freshFeed(ports: FeedStatePorts, folderId: string, pending: string[]): Promise<FeedState> {
  const driveId = await ports.folder.driveId();
  const pageToken = await ports.changes.startPageToken(driveId);
  return { folderId, driveId, pageToken, pending, lease: null, again: false, fullListingAt: null };
}

/** The stored feed, created (or restarted for another folder) when needed. */
export async function ensureFeed(ports: FeedStatePorts, folderId: string): Promise<FeedState> {
  for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
    const current = await ports.kv.get<FeedState>(STATE_KEYS.feed);
    if (current && current.value.folderId === folderId) return current.value;
    const next = await freshFeed(ports, folderId, current?.value.pending ?? []);
    if ((await ports.kv.put(STATE_KEYS.feed, next, current?.version ?? null)) !== null) return next;
  }
  throw new StateStoreError("update", STATE_KEYS.feed, `bị ghi đồng thời liên tục, đã thử ${MAX_CAS_ATTEMPTS} lần mà chưa ghi được`);
}

/** Takes the lease, or asks its holder for one more pass and returns null. */
async function takeLease(ports: FeedPorts, options: FeedOptions, leaseId: string): Promise<FeedState | null> {
  for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
    const now = ports.clock.now().getTime();
    const current = await ports.kv.get<FeedState>(STATE_KEYS.feed);
    const held = current?.value.lease && current.value.lease.until > now ? current.value : null;
    if (held && current) {
      if (held.again || (await ports.kv.put(STATE_KEYS.feed, { ...held, again: true }, current.version)) !== null) return null;
      continue;
    }
    const base = current && current.value.folderId === options.folderId ? current.value : await freshFeed(ports, options.folderId, current?.value.pending ?? []);
    const next: FeedState = { ...base, lease: { id: leaseId, until: now + options.leaseMs }, again: false };
    if ((await ports.kv.put(STATE_KEYS.feed, next, current?.version ?? null)) !== null) return next;
  }
  throw new StateStoreError("update", STATE_KEYS.feed, `bị ghi đồng thời liên tục, đã thử ${MAX_CAS_ATTEMPTS} lần mà chưa ghi được`);
}

type Release = { kind: "done" } | { kind: "lost" } | { kind: "again"; state: FeedState };

/**
 * Stores the pass's result and releases the lease, unless it is no longer ours. When another
 * caller asked for one more pass meanwhile (and passes remain), keeps the lease for it.
 */
async function release(ports: FeedPorts, leaseId: string, result: Partial<FeedState>, options: FeedOptions, passesLeft: boolean): Promise<Release> {
  for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
    const current = await ports.kv.get<FeedState>(STATE_KEYS.feed);
    if (!current || current.value.lease?.id !== leaseId) return { kind: "lost" };
    const again = current.value.again && passesLeft;
    const lease = again ? { id: leaseId, until: ports.clock.now().getTime() + options.leaseMs } : null;
    const next: FeedState = { ...current.value, ...result, again: false, lease };
    if ((await ports.kv.put(STATE_KEYS.feed, next, current.version)) !== null) return again ? { kind: "again", state: next } : { kind: "done" };
  }
  throw new StateStoreError("update", STATE_KEYS.feed, `bị ghi đồng thời liên tục, đã thử ${MAX_CAS_ATTEMPTS} lần mà chưa ghi được`);
}

/** The wards a pass must look at: pending ones first, then those the feed (or listing) names. */
async function candidatesOf(feed: FeedState, wards: readonly WardConfig[], ports: FeedPorts, listing: WardFile[] | null): Promise<{ candidates: Candidate[]; changes: number; nextPageToken: string }> {
  const registry = await ports.registry();
  const wardOfFile = new Map(wards.flatMap((w) => (registry[w.id] ? [[registry[w.id]!.spreadsheetId, w] as const] : [])));
  const found = new Map<string, Candidate>();
  for (const id of feed.pending) {
    const ward = wards.find((w) => w.id === id);
    if (ward) found.set(id, { ward, file: null, removed: false, forced: true, strict: false });
  }
  const batch = await ports.changes.list(feed.pageToken, feed.driveId);
  const seen = [...batch.changes.map((c) => ({ ...c, strict: false })), ...(listing ?? []).map((file) => ({ fileId: file.id, file, removed: false, strict: true }))];
  for (const change of seen) {
    const ward = wardOfFile.get(change.fileId);
    if (!ward) continue; // not a ward spreadsheet: the feed covers the whole drive
    const earlier = found.get(ward.id);
    found.set(ward.id, { ward, file: change.file, removed: change.removed, forced: earlier?.forced ?? false, strict: change.strict || (earlier?.strict ?? false) });
  }
  return { candidates: [...found.values()], changes: batch.changes.length, nextPageToken: batch.nextPageToken };
}

/** Handles one candidate ward and notes the outcome in the report; returns its state now. */
async function handleCandidate(candidate: Candidate, catalogues: readonly Catalogue[], ports: FeedPorts, report: PassReport): Promise<WardState> {
  const { ward } = candidate;
  if (candidate.removed) {
    report.removed.push(ward.id);
    return (await recordRemoved(ward, catalogues, ports)).state;
  }
  const result = await processWardIfChanged(ward, catalogues, ports, { file: candidate.file });
  if (result.status === "failed") {
    const failure = result.state.lastError;
    report.failed.push({ wardId: ward.id, stage: failure?.stage ?? "read", message: failure?.message ?? "" });
  } else if (result.status === "superseded") report.skipped.push(ward.id); // a newer read already recorded its result
  else report[result.status].push(ward.id);
  return result.state;
}

const isListingDue = (feed: FeedState, now: Date, options: FeedOptions): boolean => !feed.fullListingAt || now.getTime() - Date.parse(feed.fullListingAt) >= options.fullListingEveryMs;

/** A ward's state: as the caller read it, or from the store. */
async function stateOf(wardId: string, states: ReadonlyMap<string, WardState | null>, ports: FeedPorts): Promise<WardState | null> {
  return states.has(wardId) ? (states.get(wardId) ?? null) : ((await ports.kv.get<WardState>(STATE_KEYS.ward(wardId)))?.value ?? null);
}

/**
 * The report of a pass that would only skip (nothing pending, no listing due, every ward
 * change already covered), or null. Such a pass writes nothing: Drive repeats its pushes, and
 * Cloud Storage takes one write per second on the feed's object.
 */
async function idleReport(wards: readonly WardConfig[], ports: FeedPorts, options: FeedOptions, states: ReadonlyMap<string, WardState | null>): Promise<PassReport | null> {
  const feed = (await ports.kv.get<FeedState>(STATE_KEYS.feed))?.value;
  if (!feed || feed.folderId !== options.folderId || feed.pending.length > 0 || isListingDue(feed, ports.clock.now(), options)) return null;
  const { candidates, changes } = await candidatesOf(feed, wards, ports, null);
  for (const c of candidates) if (c.removed || needsRead(await stateOf(c.ward.id, states, ports), c.file, c.strict)) return null;
  return { ...emptyPassReport(), changes, skipped: candidates.map((c) => c.ward.id) };
}

/** One pass from the feed's token: returns what to store once it is done. */
async function onePass(feed: FeedState, wards: readonly WardConfig[], catalogues: readonly Catalogue[], ports: FeedPorts, options: FeedOptions, states: Map<string, WardState | null>, report: PassReport): Promise<Partial<FeedState>> {
  const now = ports.clock.now();
  const listing = isListingDue(feed, now, options) ? await ports.folder.list(feed.driveId) : null;
  const { candidates, changes, nextPageToken } = await candidatesOf(feed, wards, ports, listing);
  report.changes += changes;
  if (listing) report.listed = listing.length;
  const pending: string[] = [];
  const toQueue: Array<Candidate & { recheck: boolean }> = [];
  let handled = 0;
  for (const candidate of candidates) {
    const id = candidate.ward.id;
    const known = await stateOf(id, states, ports);
    if (!candidate.forced && !candidate.removed && !needsRead(known, candidate.file, candidate.strict)) {
      report.skipped.push(id);
      continue;
    }
    if (ports.tasks && !candidate.removed) {
      // Read only because the daily listing is strict (the feed names no change but our own write): a re-check.
      toQueue.push({ ...candidate, recheck: candidate.strict && !candidate.forced && !needsRead(known, candidate.file) });
      continue;
    }
    if (handled++ >= options.maxWards) {
      report.deferred.push(id);
      pending.push(id);
      continue;
    }
    const state = await handleCandidate(candidate, catalogues, ports, report);
    states.set(id, state);
    if (state.lastError && state.lastError.stage !== "file") pending.push(id);
  }
  if (ports.tasks) {
    const enqueued = await enqueueWards(ports.tasks, toQueue.map((c) => ({ wardId: c.ward.id, file: c.file, recheck: c.recheck })), now.toISOString());
    report.queued.push(...enqueued.queued);
    report.alreadyQueued.push(...enqueued.duplicate);
  }
  return { pageToken: nextPageToken, pending, ...(listing ? { fullListingAt: now.toISOString() } : {}) };
}

/**
 * Handles every change since the stored page token, under the feed's lease. `states` holds
 * the ward states the caller already read (the sweep reads them all) and is updated in place.
 */
export async function runChanges(wards: readonly WardConfig[], catalogues: readonly Catalogue[], ports: FeedPorts, options: FeedOptions, states = new Map<string, WardState | null>()): Promise<PassReport> {
  const idle = await idleReport(wards, ports, options, states);
  if (idle) return idle;
  const report = emptyPassReport();
  const leaseId = randomUUID();
  let feed = await takeLease(ports, options, leaseId);
  if (!feed) return { ...report, busy: true };
  for (let pass = 1; ; pass++) {
    let result: Partial<FeedState>;
    try {
      result = await onePass(feed, wards, catalogues, ports, options, states, report);
    } catch (error) {
      // Nothing is advanced: the next pass starts from the same token (the input hash makes a repeat harmless).
      await release(ports, leaseId, {}, options, false).catch(() => undefined);
      throw error;
    }
    const released = await release(ports, leaseId, result, options, pass < options.maxPasses);
    if (released.kind === "lost") report.leaseLost = true;
    if (released.kind !== "again") return report;
    feed = released.state;
  }
}
