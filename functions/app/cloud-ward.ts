/**
 * Ward processing for the cloud runtime: a ward is read once per change, skipped when the
 * hash of its input tabs is unchanged (the service's own Kiểm tra writes bump the file's
 * version but not this hash), and its result is kept in durable state, so the town picture
 * is aggregated from state without reading any sheet again.
 */
import { createHash } from "node:crypto";
import type { Catalogue } from "../../sheets-schema/catalogue.js";
import type { WardOutcome } from "../core/aggregate-town.js";
import type { RawWorkbook } from "../core/cells.js";
import { evaluateWorkbook } from "../core/evaluate-ward.js";
import type { Finding } from "../core/findings.js";
import { emptyScore } from "../core/score-ward.js";
import type { WardConfig } from "../config.js";
import { SheetsReadError } from "../errors.js";
import type { Clock, FeedbackSink, KeyValueStore, SheetSource } from "../ports.js";
import { inputHash as hashInput } from "./input-hash.js";
import { updateJson } from "./kv-state.js";
import type { WardRun } from "./run-town.js";

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

const sha256 = (value: unknown): string => createHash("sha256").update(JSON.stringify(value)).digest("hex");

export async function readRegistry(kv: KeyValueStore): Promise<WardRegistry> {
  return (await kv.get<WardRegistry>(STATE_KEYS.registry))?.value ?? {};
}

async function readWorkbook(ward: WardConfig, sheets: SheetSource): Promise<{ workbook: RawWorkbook | null; outcome: WardOutcome | null }> {
  try {
    return { workbook: await sheets.read(ward), outcome: null };
  } catch (error) {
    if (!(error instanceof SheetsReadError)) throw error;
    return { workbook: null, outcome: { ward: { id: ward.id, name: ward.name }, status: "unreadable", reason: error.message, scores: [] } };
  }
}

/**
 * Read one ward (one batch read) and, if its input changed, validate it, write its Kiểm tra
 * tab and record the result. Returns whether it was processed.
 */
export async function processWardIfChanged(
  ward: WardConfig,
  catalogues: readonly Catalogue[],
  ports: CloudWardPorts,
  fileVersion: string | null = null,
): Promise<"processed" | "unchanged"> {
  const now = ports.clock.now().toISOString();
  const { workbook, outcome: failed } = await readWorkbook(ward, ports.sheets);
  const inputHash = workbook ? hashInput(workbook) : null;
  const previous = (await ports.kv.get<WardState>(STATE_KEYS.ward(ward.id)))?.value ?? null;
  if (previous && workbook && previous.inputHash === inputHash) {
    if (fileVersion !== null && previous.fileVersion !== fileVersion) await updateJson<WardState>(ports.kv, STATE_KEYS.ward(ward.id), (s) => ({ ...(s ?? previous), fileVersion }));
    return "unchanged";
  }
  const base = { id: ward.id, name: ward.name };
  const evaluation = workbook ? evaluateWorkbook(workbook, catalogues, ward) : null;
  const outcome: WardOutcome = failed
    ? { ...failed, scores: catalogues.map(emptyScore) }
    : evaluation
      ? { ward: base, status: "ok", reason: null, scores: evaluation.scores }
      : { ward: base, status: "missing", reason: null, scores: catalogues.map(emptyScore) };
  const findings = evaluation?.findings ?? [];
  if (workbook) await ports.feedback.write({ ward, outcome, findings, checkedAt: ports.clock.now() });
  const versionAfter = workbook && ports.versionOf ? await ports.versionOf(ward) : fileVersion;
  const findingsHash = sha256(findings);
  await updateJson<WardState>(ports.kv, STATE_KEYS.ward(ward.id), (current) => ({
    fileVersion: versionAfter,
    inputHash,
    processedAt: now,
    outcome,
    findings,
    findingsHash,
    findingsChangedAt: current && current.findingsHash === findingsHash ? current.findingsChangedAt : now,
  }));
  return "processed";
}

/** The town run as recorded in state: every ward's last result, no sheet read. */
export async function loadTownRun(wards: readonly WardConfig[], catalogues: readonly Catalogue[], kv: KeyValueStore): Promise<WardRun[]> {
  return Promise.all(
    wards.map(async (ward) => {
      const state = (await kv.get<WardState>(STATE_KEYS.ward(ward.id)))?.value;
      if (state) return { ward, outcome: state.outcome, findings: state.findings };
      return { ward, findings: [], outcome: { ward: { id: ward.id, name: ward.name }, status: "missing" as const, reason: null, scores: catalogues.map(emptyScore) } };
    }),
  );
}
