/**
 * The ports between use cases and the outside world. Use cases receive these; only a
 * runtime's composition root constructs the adapters behind them.
 */
import type { RawWorkbook } from "./core/cells.js";
import type { Snapshot, TownSummary, WardOutcome } from "./core/aggregate-town.js";
import type { Finding } from "./core/findings.js";
import type { WardConfig } from "./config.js";

/** Where ward workbooks are read from (local .xlsx files, or Google Sheets). */
export interface SheetSource {
  /**
   * The ward's workbook, or null when the ward has none yet. Throws SheetsReadError when
   * it exists but cannot be read.
   */
  read(ward: WardConfig): Promise<RawWorkbook | null>;
}

/** One ward's validation result, as handed to staff. */
export interface WardFeedback {
  ward: WardConfig;
  outcome: WardOutcome;
  findings: readonly Finding[];
  checkedAt: Date;
}

/** Where findings go back to the ward: a feedback file, or the ward's own "Kiểm tra" tab. */
export interface FeedbackSink {
  write(feedback: WardFeedback): Promise<void>;
}

/** Where the town picture goes (summary files, or the "Tổng hợp" spreadsheet). */
export interface SummarySink {
  write(summary: TownSummary): Promise<void>;
}

/** Durable state that outlives one run: snapshots per period, hashes, the sent ledger. */
export interface StateStore {
  latestSnapshotBefore(period: string): Promise<Snapshot | null>;
  saveSnapshot(snapshot: Snapshot): Promise<void>;
}

/** The only source of the current instant. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
