/**
 * Ward processing for the cloud runtime: a ward is read once per change, skipped when the
 * hash of its input tabs is unchanged (the service's own Kiểm tra writes bump the file's
 * version but not this hash), and its result is kept in durable state, so the town picture
 * is aggregated from state without reading any sheet again.
 */
import type { Catalogue } from "../../sheets-schema/catalogue.js";
import type { WardOutcome } from "../core/aggregate-town.js";
import type { Finding } from "../core/findings.js";
import type { WardConfig } from "../config.js";
import { sha256Hex } from "../hashing.js";
import type { Clock, FeedbackSink, KeyValueStore, SheetSource } from "../ports.js";
import { inputHash as inputHashOf } from "./input-hash.js";
import { updateJson } from "./kv-state.js";
import { emptyRun, readWard, type WardRun } from "./run-town.js";

/** Where each piece of cloud state lives in the key/value store. */
export const STATE_KEYS = {
  registry: "registry/wards.json",
  ward: (wardId: string) => `wards/${wardId}.json`,
  channel: (channelId: string) => `channels/${channelId}.json`,
  channelsPrefix: "channels/",
  notification: (channelId: string, messageNumber: string) => `claims/notifications/${channelId}/${messageNumber}`,
  event: (eventId: string) => `claims/events/${eventId}`,
} as const;

/** A ward's spreadsheet as recorded by provisioning. */
export interface WardRegistration {
  spreadsheetId: string;
  checkSheetId: number | null;
}

export type WardRegistry = Record<string, WardRegistration>;

/** What the service remembers about a ward between invocations. */
export interface WardState {
  fileVersion: string | null;
  inputHash: string | null;
  processedAt: string;
  outcome: WardOutcome;
  findings: Finding[];
  findingsHash: string;
  /** When the findings last changed: ward feedback emails wait until staff have stopped editing. */
  findingsChangedAt: string;
}

export interface CloudWardPorts {
  sheets: SheetSource;
  feedback: FeedbackSink;
  kv: KeyValueStore;
  clock: Clock;
  /**
   * The ward file's version after our own Kiểm tra write, so the next sweep does not read a
   * ward whose only change was ours (one Drive get saves one Sheets read, the scarcer quota).
   */
  versionOf?(ward: WardConfig): Promise<string | null>;
}

export async function readRegistry(kv: KeyValueStore): Promise<WardRegistry> {
  return (await kv.get<WardRegistry>(STATE_KEYS.registry))?.value ?? {};
}

/**
 * The registry as an instance reads it while handling calls: read once, kept for `ttlMs`
 * (a ward's read, its Kiểm tra write and the version check all need it), and dropped when
 * this instance changes it. Provisioning elsewhere is seen within `ttlMs`.
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
 * Read one ward (one batch read) and, if its input changed, validate it, write its Kiểm tra
 * tab and record the result. `previous` is the ward's state when the caller already read it.
 * Returns whether it was processed, and the state now recorded.
 */
export async function processWardIfChanged(
  ward: WardConfig,
  catalogues: readonly Catalogue[],
  ports: CloudWardPorts,
  options: { fileVersion?: string | null; previous?: WardState | null } = {},
): Promise<{ status: "processed" | "unchanged"; state: WardState }> {
  const now = ports.clock.now().toISOString();
  const fileVersion = options.fileVersion ?? null;
  const { workbook, run } = await readWard(ward, catalogues, ports.sheets);
  const inputHash = workbook ? inputHashOf(workbook) : null;
  const previous = options.previous !== undefined ? options.previous : ((await ports.kv.get<WardState>(STATE_KEYS.ward(ward.id)))?.value ?? null);
  if (previous && workbook && previous.inputHash === inputHash) {
    if (fileVersion === null || previous.fileVersion === fileVersion) return { status: "unchanged", state: previous };
    return { status: "unchanged", state: await updateJson<WardState>(ports.kv, STATE_KEYS.ward(ward.id), (s) => ({ ...(s ?? previous), fileVersion })) };
  }
  const { outcome, findings } = run;
  if (workbook) await ports.feedback.write({ ward, outcome, findings, checkedAt: ports.clock.now() });
  const versionAfter = workbook && ports.versionOf ? await ports.versionOf(ward) : fileVersion;
  const findingsHash = sha256Hex(JSON.stringify(findings));
  const state = await updateJson<WardState>(ports.kv, STATE_KEYS.ward(ward.id), (current) => ({
    fileVersion: versionAfter,
    inputHash,
    processedAt: now,
    outcome,
    findings,
    findingsHash,
    findingsChangedAt: current && current.findingsHash === findingsHash ? current.findingsChangedAt : now,
  }));
  return { status: "processed", state };
}

/** The town run as recorded in state: every ward's last result, no sheet read. */
export function townRunOf(wards: readonly WardConfig[], catalogues: readonly Catalogue[], states: ReadonlyMap<string, WardState | null>): WardRun[] {
  return wards.map((ward) => {
    const state = states.get(ward.id);
    return state ? { ward, outcome: state.outcome, findings: state.findings } : emptyRun(ward, catalogues);
  });
}
