/**
 * Ward processing for the cloud runtime: a ward is read once per change, skipped when the
 * hash of its input tabs is unchanged (the service's own Kiểm tra writes change the file but
 * not this hash), and its result is kept in durable state, so the town picture is aggregated
 * from state without reading any sheet again. A failure on one ward is recorded in its state
 * and never stops the others.
 */
import type { Catalogue } from "../../sheets-schema/catalogue.js";
import type { WardConfig } from "../config.js";
import { sha256Hex } from "../hashing.js";
import type { Clock, FeedbackSink, KeyValueStore, SheetSource, WardFile } from "../ports.js";
import { findingsFingerprint } from "./content-keys.js"; // H7: hash of finding data, not wording
import { inputHash as inputHashOf } from "./input-hash.js";
import { decideWardState, type InputVersion, isNewerThan, laterOf, type WardFailure, type WardState } from "./ward-state.js";
import { emptyRun, readWard, type WardRun } from "./run-town.js";
import { type CloudReview, isReviewStale, reviewWardRun, runOfState } from "./cloud-review.js";

/** Object names stay short and safe (Cloud Storage allows 1024 bytes): ids are hashed. */
const safeName = (id: string): string => (/^[A-Za-z0-9_-]{1,100}$/u.test(id) ? id : sha256Hex(id));

/** Where each piece of cloud state lives in the key/value store. */
export const STATE_KEYS = {
  registry: "registry/wards.json",
  ward: (wardId: string) => `wards/${wardId}.json`,
  /** The changes feed: page token, wards still to handle, the lease of the pass running. */
  feed: "changes/feed.json",
  /** The push channel on the changes feed. */
  changesChannel: "changes/channel.json",
  /** Per-file channels of earlier versions, retired by the sweep. */
  fileChannelsPrefix: "channels/",
  /** Once-only claims; a bucket lifecycle rule deletes what is under "claims/" after 30 days. */
  event: (eventId: string) => `claims/events/${safeName(eventId)}`,
  /** The notices a digest event's earlier deliveries published (under "claims/": deleted after 30 days too). */
  digestProgress: (eventId: string) => `claims/digest-progress/${safeName(eventId)}.json`,
} as const;

/** A ward's spreadsheet as recorded by provisioning. */
export interface WardRegistration {
  spreadsheetId: string;
  checkSheetId: number | null;
}

export type WardRegistry = Record<string, WardRegistration>;

export type { WardFailure, WardState } from "./ward-state.js";

export interface CloudWardPorts {
  sheets: SheetSource;
  feedback: FeedbackSink;
  kv: KeyValueStore;
  clock: Clock;
  /** The appraisal cycle (issue 12): absent, no review is stepped. */
  review?: CloudReview;
}

/** "superseded": a read that started later has already recorded its result; this one wrote nothing. */
export type WardStatus = "processed" | "unchanged" | "failed" | "superseded";

export interface WardResult {
  status: WardStatus;
  state: WardState;
  /** A "failed" one a later attempt may fix (a read or write that did not go through), not bad data. */
  transient?: boolean;
}

/**
 * Drive dates our own Kiểm tra write a little after we note it done (clocks differ, and the
 * fake's clock ticks per edit): a change by the service itself within this margin is ours.
 */
const OWN_WRITE_MARGIN_MS = 60_000;

export async function readRegistry(kv: KeyValueStore): Promise<WardRegistry> {
  return (await kv.get<WardRegistry>(STATE_KEYS.registry))?.value ?? {};
}

/**
 * The registry as an instance reads it while handling calls: read once, kept for `ttlMs`
 * (a ward's read and its Kiểm tra write both need it), and dropped when this instance
 * changes it. Provisioning elsewhere is seen within `ttlMs`.
 */
export function registryCache(kv: KeyValueStore, clock: Clock, ttlMs = 60_000): { get(): Promise<WardRegistry>; invalidate(): void } {
  let cached: { at: number; registry: Promise<WardRegistry> } | null = null;
  return {
    get: () => {
      const now = clock.now().getTime();
      if (!cached || now - cached.at > ttlMs) {
        const registry = readRegistry(kv);
        cached = { at: now, registry };
        registry.catch(() => (cached = null));
      }
      return cached.registry;
    },
    invalidate: () => {
      cached = null;
    },
  };
}

/** Every ward's recorded state, read once for a whole sweep or digest. */
export async function readWardStates(wards: readonly WardConfig[], kv: KeyValueStore): Promise<Map<string, WardState | null>> {
  const states = await Promise.all(wards.map(async (w) => [w.id, (await kv.get<WardState>(STATE_KEYS.ward(w.id)))?.value ?? null] as const));
  return new Map(states);
}

/**
 * Whether a change Drive reports for a ward calls for a Sheets read (the scarce quota).
 * Drive's version and modifiedTime lag edits, so neither proves that nothing changed; they
 * only prove that an edit is already covered: dated before our last read, or (unless
 * `strict`) the service's own Kiểm tra write. Anything else is read, and the input hash decides.
 *
 * Drive coalesces a burst of edits into one change naming the last editor, so a staff edit
 * landing between our read and our write (about a second) hides behind our own; the daily
 * listing passes `strict` and re-reads such a ward within a day.
 */
export function needsRead(state: WardState | null, file: WardFile | null, strict = false): boolean {
  if (!state || state.lastError || !file) return true;
  const modified = Date.parse(file.modifiedTime);
  if (!Number.isFinite(modified)) return true;
  if (modified < Date.parse(state.processedAt)) return false;
  const wroteAt = state.wroteAt ? Date.parse(state.wroteAt) : Number.NaN;
  return strict || !(file.lastModifyingUser?.me === true && modified <= wroteAt + OWN_WRITE_MARGIN_MS);
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Records a failure of the read that started at `readAt`, keeping the ward's last good result
 * (or an "unreadable" one); a failure of an older read than the recorded one changes nothing.
 */
async function recordFailure(ward: WardConfig, catalogues: readonly Catalogue[], ports: CloudWardPorts, failure: WardFailure, readAt: string, run?: WardRun): Promise<WardResult> {
  return decideWardState<WardResult>(ports.kv, STATE_KEYS.ward(ward.id), (current) => {
    if (current && isNewerThan(current, readAt)) return { keep: true, result: { status: "superseded", state: current } };
    const fallback = run ?? (current ? { outcome: current.outcome, findings: current.findings } : emptyRun(ward, catalogues, "unreadable", failure.message));
    const findingsHash = findingsFingerprint(fallback.findings);
    const state: WardState = {
      inputHash: run ? null : (current?.inputHash ?? null),
      processedAt: current?.processedAt ?? failure.at,
      inputVersion: current?.inputVersion ?? null,
      wroteAt: current?.wroteAt ?? null,
      outcome: fallback.outcome,
      findings: fallback.findings,
      findingsHash,
      findingsChangedAt: current && current.findingsHash === findingsHash ? current.findingsChangedAt : failure.at,
      lastError: failure,
    };
    return { write: state, result: { status: "failed", state } };
  });
}

/** Records that a ward's file was deleted or trashed, keeping its last result. */
export function recordRemoved(ward: WardConfig, catalogues: readonly Catalogue[], ports: CloudWardPorts): Promise<WardResult> {
  const at = ports.clock.now().toISOString();
  const failure: WardFailure = { stage: "file", message: `Bảng tính của phường ${ward.name} đã bị xóa hoặc chuyển vào thùng rác`, at };
  return recordFailure(ward, catalogues, ports, failure, at);
}

/** What a read saw: when it started, the input's hash and Drive version, and the review cycle it stepped. */
interface ReadFacts {
  readAt: string;
  inputHash: string | null;
  inputVersion: InputVersion | null;
  review?: NonNullable<WardState["review"]>;
}

/** The state a read's result is recorded as, once its Kiểm tra tab is written. */
function resultState(current: WardState | null, run: WardRun, read: ReadFacts & { wroteAt: string | null }): WardState {
  const findingsHash = findingsFingerprint(run.findings);
  return {
    inputHash: read.inputHash,
    processedAt: read.readAt,
    inputVersion: read.inputVersion,
    wroteAt: read.wroteAt ?? current?.wroteAt ?? null,
    outcome: run.outcome,
    findings: run.findings,
    findingsHash,
    findingsChangedAt: current && current.findingsHash === findingsHash ? current.findingsChangedAt : read.readAt,
    lastError: null,
    ...(read.review ? { review: read.review } : {}),
  };
}

/** Kiểm tra writes of one handling at most: its own, and rewrites after a race with another read's. */
const MAX_TAB_WRITES = 4;

type AfterWrite = { kind: "recorded"; state: WardState } | { kind: "rewrite" } | { kind: "superseded"; newest: WardState };

/**
 * Writes the Kiểm tra tab of a read's result, then records the result (compare-and-set, one
 * state write as before, so a crash in between leaves the old result and the next pass writes
 * again). Writes of racing reads may land in any order, so after ours:
 * - a read that started later has recorded its result: ours may have landed after its write,
 *   so the tab is written again from that newest result, and ours is not recorded ("superseded");
 * - an older read's write finished after ours began (its wroteAt), so it may have landed last:
 *   ours is written again before it is recorded.
 */
async function writeAndRecord(ward: WardConfig, ports: CloudWardPorts, run: WardRun, read: ReadFacts): Promise<WardResult> {
  const key = STATE_KEYS.ward(ward.id);
  // What the tab shows: our result, or the newest recorded one (by the instant its read started).
  let shown: { readAt: string; outcome: WardRun["outcome"]; findings: WardRun["findings"] } = { readAt: read.readAt, ...run };
  for (let writes = 1; ; writes++) {
    const startedAt = ports.clock.now().toISOString();
    await ports.feedback.write({ ward, outcome: shown.outcome, findings: shown.findings, checkedAt: ports.clock.now() });
    const wroteAt = ports.clock.now().toISOString();
    const last = writes >= MAX_TAB_WRITES;
    const after = await decideWardState<AfterWrite>(ports.kv, key, (current) => {
      if (current && isNewerThan(current, read.readAt)) {
        if (!last && current.processedAt !== shown.readAt) return { keep: true, result: { kind: "superseded", newest: current } };
        const newest = { ...current, wroteAt: laterOf(current.wroteAt, wroteAt) };
        return { write: newest, result: { kind: "recorded", state: newest } };
      }
      if (!last && current?.wroteAt && Date.parse(current.wroteAt) > Date.parse(startedAt)) return { keep: true, result: { kind: "rewrite" } };
      const state = resultState(current, run, { ...read, wroteAt });
      return { write: state, result: { kind: "recorded", state } };
    });
    if (after.kind === "recorded") return { status: after.state.processedAt === read.readAt ? "processed" : "superseded", state: after.state };
    shown = after.kind === "superseded" ? { readAt: after.newest.processedAt, outcome: after.newest.outcome, findings: after.newest.findings } : { readAt: read.readAt, ...run };
  }
}

/**
 * Read one ward (one batch read) and, if its input changed or its last handling failed,
 * validate it, write its Kiểm tra tab and record the result. Order-safe: a result is never
 * recorded over one from a read that started later, and the tab never keeps an older read's
 * findings (see writeAndRecord); a read overtaken before it writes is "superseded" and writes
 * nothing. Never throws for the ward's own failures (read, Kiểm tra write): they are recorded
 * with status "failed". `file` is Drive's metadata of the spreadsheet when the caller has it.
 */
export async function processWardIfChanged(ward: WardConfig, catalogues: readonly Catalogue[], ports: CloudWardPorts, options: { file?: WardFile | null } = {}): Promise<WardResult> {
  const readAt = ports.clock.now().toISOString();
  const failed = async (stage: WardFailure["stage"], error: unknown, run?: WardRun, transient = true): Promise<WardResult> => ({
    ...(await recordFailure(ward, catalogues, ports, { stage, message: messageOf(error), at: ports.clock.now().toISOString() }, readAt, run)),
    transient,
  });
  let read: Awaited<ReturnType<typeof readWard>>;
  try {
    read = await readWard(ward, catalogues, ports.sheets);
  } catch (error) {
    return failed("read", error);
  }
  const { workbook, run } = read;
  if (run.outcome.status === "unreadable") return failed("read", run.outcome.reason, run, false);
  const inputHash = workbook ? inputHashOf(workbook) : null;
  const inputVersion = options.file ? { version: options.file.version, modifiedTime: options.file.modifiedTime } : null;
  const key = STATE_KEYS.ward(ward.id);
  const current = (await ports.kv.get<WardState>(key))?.value ?? null;
  if (current && isNewerThan(current, readAt)) return { status: "superseded", state: current };
  // An unchanged ward whose cycle was recorded for an earlier period is stepped (and its tab rewritten) in the new one.
  if ((current && !current.lastError && current.inputHash === inputHash && !isReviewStale(current, ports)) || !workbook) {
    // Nothing to write on the tab: only the record moves, and never back to an older read.
    return decideWardState<WardResult>(ports.kv, key, (now) => {
      if (now && isNewerThan(now, readAt)) return { keep: true, result: { status: "superseded", state: now } };
      const unchanged = now !== null && !now.lastError && now.inputHash === inputHash;
      const state = unchanged ? { ...now, processedAt: readAt, inputVersion: inputVersion ?? now.inputVersion ?? null } : resultState(now, run, { readAt, inputHash, inputVersion, wroteAt: null });
      return { write: state, result: { status: unchanged ? "unchanged" : "processed", state } };
    });
  }
  try {
    const reviewed = await reviewWardRun(run, catalogues, ports, { file: options.file ?? null, previous: current?.outcome ?? null });
    return await writeAndRecord(ward, ports, reviewed.run, { readAt, inputHash, inputVersion, ...(reviewed.recorded ? { review: reviewed.recorded } : {}) });
  } catch (error) {
    return failed("feedback", error, run);
  }
}

/** The ward runs as recorded in state: every ward's last result (with its review cycle of `period`), no sheet read. */
export function wardRunsOf(wards: readonly WardConfig[], catalogues: readonly Catalogue[], states: ReadonlyMap<string, WardState | null>, period: string | null = null): WardRun[] {
  return wards.map((ward) => {
    const state = states.get(ward.id);
    return state ? runOfState(ward, state, period) : emptyRun(ward, catalogues);
  });
}
