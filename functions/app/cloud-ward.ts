/**
 * Ward processing for the cloud runtime: a ward is read once per change, skipped when the
 * hash of its input tabs is unchanged (the service's own Kiểm tra writes change the file but
 * not this hash), and its result is kept in durable state, so the town picture is aggregated
 * from state without reading any sheet again. A failure on one ward is recorded in its state
 * and never stops the others.
 */
import type { Catalogue } from "../../sheets-schema/catalogue.js";
import type { WardOutcome } from "../core/aggregate-town.js";
import type { Finding } from "../core/findings.js";
import type { WardConfig } from "../config.js";
import { sha256Hex } from "../hashing.js";
import type { Clock, FeedbackSink, KeyValueStore, SheetSource, WardFile } from "../ports.js";
import { inputHash as inputHashOf } from "./input-hash.js";
import { updateJson } from "./kv-state.js";
import { emptyRun, readWard, type WardRun } from "./run-town.js";

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
} as const;

/** A ward's spreadsheet as recorded by provisioning. */
export interface WardRegistration {
  spreadsheetId: string;
  checkSheetId: number | null;
}

export type WardRegistry = Record<string, WardRegistration>;

/** A failure on one ward, kept in its state until the ward is next handled without one. */
export interface WardFailure {
  stage: "read" | "feedback" | "file";
  message: string;
  at: string;
}

/** What the service remembers about a ward between invocations. */
export interface WardState {
  inputHash: string | null;
  /** When the service last started reading the ward: edits Drive dates earlier were in that read. */
  processedAt: string;
  /** When the service's own Kiểm tra write last finished. */
  wroteAt?: string | null;
  outcome: WardOutcome;
  findings: Finding[];
  findingsHash: string;
  /** When the findings last changed: ward feedback emails wait until staff have stopped editing. */
  findingsChangedAt: string;
  lastError?: WardFailure | null;
}

export interface CloudWardPorts {
  sheets: SheetSource;
  feedback: FeedbackSink;
  kv: KeyValueStore;
  clock: Clock;
}

export type WardStatus = "processed" | "unchanged" | "failed";

export interface WardResult {
  status: WardStatus;
  state: WardState;
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

/** Records a failure on the ward, keeping its last good result (or an "unreadable" one). */
async function recordFailure(ward: WardConfig, catalogues: readonly Catalogue[], ports: CloudWardPorts, failure: WardFailure, run?: WardRun): Promise<WardResult> {
  const state = await updateJson<WardState>(ports.kv, STATE_KEYS.ward(ward.id), (current) => {
    const fallback = run ?? (current ? { outcome: current.outcome, findings: current.findings } : emptyRun(ward, catalogues, "unreadable", failure.message));
    const findingsHash = sha256Hex(JSON.stringify(fallback.findings));
    return {
      inputHash: run ? null : (current?.inputHash ?? null),
      processedAt: current?.processedAt ?? failure.at,
      wroteAt: current?.wroteAt ?? null,
      outcome: fallback.outcome,
      findings: fallback.findings,
      findingsHash,
      findingsChangedAt: current && current.findingsHash === findingsHash ? current.findingsChangedAt : failure.at,
      lastError: failure,
    };
  });
  return { status: "failed", state };
}

/** Records that a ward's file was deleted or trashed, keeping its last result. */
export function recordRemoved(ward: WardConfig, catalogues: readonly Catalogue[], ports: CloudWardPorts): Promise<WardResult> {
  const failure: WardFailure = { stage: "file", message: `Bảng tính của phường ${ward.name} đã bị xóa hoặc chuyển vào thùng rác`, at: ports.clock.now().toISOString() };
  return recordFailure(ward, catalogues, ports, failure);
}

/**
 * Read one ward (one batch read) and, if its input changed or its last handling failed,
 * validate it, write its Kiểm tra tab and record the result. Never throws for the ward's own
 * failures (read, Kiểm tra write): they are recorded in its state with status "failed".
 */
export async function processWardIfChanged(ward: WardConfig, catalogues: readonly Catalogue[], ports: CloudWardPorts, previous: WardState | null): Promise<WardResult> {
  const processedAt = ports.clock.now().toISOString();
  const failed = (stage: WardFailure["stage"], error: unknown, run?: WardRun) => recordFailure(ward, catalogues, ports, { stage, message: messageOf(error), at: ports.clock.now().toISOString() }, run);
  let read: Awaited<ReturnType<typeof readWard>>;
  try {
    read = await readWard(ward, catalogues, ports.sheets);
  } catch (error) {
    return failed("read", error);
  }
  const { workbook, run } = read;
  if (run.outcome.status === "unreadable") return failed("read", run.outcome.reason, run);
  const inputHash = workbook ? inputHashOf(workbook) : null;
  if (previous && !previous.lastError && previous.inputHash === inputHash) {
    return { status: "unchanged", state: await updateJson<WardState>(ports.kv, STATE_KEYS.ward(ward.id), (s) => ({ ...(s ?? previous), processedAt })) };
  }
  try {
    if (workbook) await ports.feedback.write({ ward, outcome: run.outcome, findings: run.findings, checkedAt: ports.clock.now() });
  } catch (error) {
    return failed("feedback", error, run);
  }
  const wroteAt = workbook ? ports.clock.now().toISOString() : null;
  const findingsHash = sha256Hex(JSON.stringify(run.findings));
  const state = await updateJson<WardState>(ports.kv, STATE_KEYS.ward(ward.id), (current) => ({
    inputHash,
    processedAt,
    wroteAt: wroteAt ?? current?.wroteAt ?? null,
    outcome: run.outcome,
    findings: run.findings,
    findingsHash,
    findingsChangedAt: current && current.findingsHash === findingsHash ? current.findingsChangedAt : processedAt,
    lastError: null,
  }));
  return { status: "processed", state };
}

/** The ward runs as recorded in state: every ward's last result, no sheet read. */
export function wardRunsOf(wards: readonly WardConfig[], catalogues: readonly Catalogue[], states: ReadonlyMap<string, WardState | null>): WardRun[] {
  return wards.map((ward) => {
    const state = states.get(ward.id);
    return state ? { ward, outcome: state.outcome, findings: state.findings } : emptyRun(ward, catalogues);
  });
}
