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
  /** Every stored snapshot, oldest period first. */
  listSnapshots(): Promise<Snapshot[]>;
}

/** The only source of the current instant. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A file attached to a message; with `cid`, shown inline in the HTML (<img src="cid:…">). */
export interface MailAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
  cid?: string;
}

/** One email, ready to send. `key` is its idempotency key; the Message-ID derives from it. */
export interface MailMessage {
  /** kind + recipient + period + content hash, e.g. "digest|lanhdao@…|2026-W48|3f2a…". */
  key: string;
  to: string[];
  cc: string[];
  subject: string;
  text: string;
  html: string;
  attachments: MailAttachment[];
}

/** Where a message went: an SMTP server (with its id), or a file in the outbox. */
export interface DeliveryReceipt {
  messageId: string;
  /** "smtp" or the path of the .eml file written. */
  via: string;
  /** Recipients the server refused while it accepted the others (the message still counts as sent). */
  rejected?: string[];
}

/** Sends one message. Throws DeliveryError when the server refuses or cannot be reached. */
export interface Mailer {
  readonly kind: "smtp" | "outbox";
  send(message: MailMessage): Promise<DeliveryReceipt>;
  close(): Promise<void>;
}

/** Record of what went out, by idempotency key: consulted before and written right after a send. */
export interface Ledger {
  has(key: string): Promise<boolean>;
  record(key: string, entry: { sentAt: string; messageId: string; via: string }): Promise<void>;
}

/** A generated document (HTML), published under a stable name per programme/ward and period. */
export interface DocumentToPublish {
  /** Stable key, e.g. "town/ca-phuong-dien-hinh/2026-W48". */
  key: string;
  /** File-safe base name, e.g. "bao-cao-ca-phuong-dien-hinh". */
  name: string;
  title: string;
  html: string;
}

/** Where documents go: local HTML/PDF files, or Google Docs. Returns where to open each. */
export interface DocumentStore {
  publish(period: string, document: DocumentToPublish): Promise<{ location: string; pdf: string | null }>;
}

/** A value with the version it was read at (a Cloud Storage generation, say). */
export interface Versioned<T> {
  value: T;
  version: string;
}

/**
 * Durable key/value state with compare-and-set, safe across concurrent instances
 * (Cloud Storage objects with generation preconditions in the cloud).
 */
export interface KeyValueStore {
  get<T>(key: string): Promise<Versioned<T> | null>;
  /**
   * Write `value` if the stored version is `ifVersion` (null: only if the key does not exist).
   * Returns the new version, or null when the precondition failed (someone else wrote first).
   */
  put(key: string, value: unknown, ifVersion: string | null): Promise<string | null>;
  /** Keys under a prefix, sorted. */
  list(prefix: string): Promise<string[]>;
  delete(key: string): Promise<void>;
}

/** A ward spreadsheet as one Drive listing reports it: enough to tell whether it changed. */
export interface WardFile {
  id: string;
  name: string;
  version: string;
  modifiedTime: string;
}

/** Lists every ward spreadsheet with ONE call (Drive files.list over the wards folder). */
export interface WardFileLister {
  list(): Promise<WardFile[]>;
  /** One file's current version (one Drive files.get), or null when it is gone. */
  version(fileId: string): Promise<string | null>;
}

/** A push-notification channel on one file (Drive files.watch). */
export interface Channel {
  id: string;
  resourceId: string;
  /** Expiry, ms since epoch. */
  expiration: number;
}

/** Opens and closes push-notification channels. */
export interface ChannelApi {
  watch(fileId: string, channel: { id: string; address: string; token: string; expiration: number }): Promise<Channel>;
  stop(channel: { id: string; resourceId: string }): Promise<void>;
}
