/**
 * The ports between use cases and the outside world. Use cases receive these; only a
 * runtime's composition root constructs the adapters behind them.
 */
import type { RawWorkbook } from "./core/cells.js";
import type { Snapshot, TownSummary, WardOutcome } from "./core/aggregate-town.js";
import type { DocumentView } from "./core/document-blocks.js";
import type { Finding } from "./core/findings.js";
import type { CriterionCells } from "./core/criterion-cells.js";
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
  /** The criteria cells as this run read them, so a warning can point at the changed cell. */
  cells?: readonly CriterionCells[];
}

/** Where findings go back to the ward: a feedback file, or the ward's own "Kiểm tra" tab. */
export interface FeedbackSink {
  write(feedback: WardFeedback): Promise<void>;
}

/** Where the town picture goes (summary files, or the "Tổng hợp" spreadsheet). */
export interface SummarySink {
  write(summary: TownSummary): Promise<void>;
}

/** Everything needed to render a period's report again without reading any workbook. */
export interface SnapshotDetail {
  summary: TownSummary;
  wards: Array<{ id: string; outcome: WardOutcome; findings: Finding[] }>;
}

/** A period's snapshot as stored; `detail` is absent in snapshots written before it existed. */
export interface StoredSnapshot extends Snapshot {
  detail?: SnapshotDetail;
}

/** Durable state that outlives one run: snapshots per period, hashes, the sent ledger. */
export interface StateStore {
  latestSnapshotBefore(period: string): Promise<StoredSnapshot | null>;
  saveSnapshot(snapshot: StoredSnapshot): Promise<void>;
  /** Every stored snapshot, oldest period first. */
  listSnapshots(): Promise<StoredSnapshot[]>;
  /** Whether the period was closed (`tieuchi close`): its snapshot is then frozen. */
  isClosed?(period: string): Promise<boolean>;
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

/**
 * One message's entry in the ledger, by idempotency key. Times in ms since the epoch.
 * - sending: claimed by `holder` until `until`; another sender skips it until then (or until the holder is known dead).
 * - sent: the server accepted it (250).
 * - failed: refused for good (a permanent 5xx); not retried, since only changed content (a new key) could fare better.
 * - retry: refused for now (4xx, no connection); tried again from `retryAt`.
 */
export type LedgerEntry =
  | { status: "sending"; holder: string; until: number; attempts: number }
  | { status: "sent"; sentAt: string; messageId: string; via: string }
  | { status: "failed"; failedAt: string; reason: string; code: number | null; attempts: number }
  | { status: "retry"; retryAt: number; reason: string; attempts: number };

/** What went out, is going out or was refused, by idempotency key; every change by compare-and-set. */
export interface Ledger {
  /**
   * `decide` gets the key's entry (null when none) and returns the next one, or null to leave it.
   * On a concurrent change it runs again on the fresh entry, so it must be pure. Returns the
   * entry in force afterwards and whether this call wrote it.
   */
  update(key: string, decide: (current: LedgerEntry | null) => LedgerEntry | null): Promise<{ entry: LedgerEntry | null; written: boolean }>;
}

/**
 * A document to publish, as data: the store's adapter renders it (HTML/PDF and DOCX locally, a
 * Google Doc converted from the DOCX in the cloud), so the use case needs no template or chart library.
 */
export interface DocumentToPublish {
  /** Stable key, e.g. "town/ca-phuong-dien-hinh/2026-11". */
  key: string;
  /** File-safe base name, e.g. "bao-cao-ca-phuong-dien-hinh". */
  name: string;
  /** "Báo cáo CA phường kiểu mẫu (tháng 11/2026)": the Google Doc's name and the HTML page title. */
  title: string;
  view: DocumentView;
}

/** Where a published document can be opened: the main location plus the local PDF and DOCX files, if any. */
export interface PublishedFiles {
  location: string;
  pdf: string | null;
  /** The editable .docx beside the HTML (local store); absent or null: none. */
  docx?: string | null;
}

/** Where documents go: local HTML/PDF/DOCX files, or Google Docs. Returns where to open each. */
export interface DocumentStore {
  publish(period: string, document: DocumentToPublish): Promise<PublishedFiles>;
  /** Releases what publishing held (the local store's Chromium); publishing again starts it anew. */
  close?(): Promise<void>;
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

/** Who last changed a file, as Drive reports it; `me` when it was the service's own identity. */
export interface FileModifier {
  me: boolean;
  email: string | null;
  /** Drive's displayName, when asked for. */
  name?: string | null;
}

/**
 * The locks on ward spreadsheets while a period is closed (Google Sheets: protected ranges whose
 * only editors are the supervising office and the service; the local workbooks have none).
 */
export interface PeriodLocks {
  /** Protects every programme tab of the spreadsheet for `editors`, named for `period`; a tab already locked stays as it is. Returns the tabs locked now. */
  lock(spreadsheetId: string, period: string, editors: readonly string[]): Promise<string[]>;
  /** Removes exactly the protections named for `period`; returns the tabs unlocked. */
  unlock(spreadsheetId: string, period: string): Promise<string[]>;
}

/** A ward spreadsheet as Drive's metadata reports it: enough to tell whether it may have changed. */
export interface WardFile {
  id: string;
  name: string;
  version: string;
  modifiedTime: string;
  lastModifyingUser: FileModifier | null;
}

/** The wards folder: where it lives, and every spreadsheet in it (the daily safety net). */
export interface WardFolder {
  /** The shared drive holding the folder, or null for a user's My Drive (one files.get). */
  driveId(): Promise<string | null>;
  /** Every live spreadsheet in the folder (one files.list per 1000). */
  list(driveId: string | null): Promise<WardFile[]>;
}

/** One entry of Drive's changes feed. */
export interface FileChange {
  fileId: string;
  /** Deleted, trashed, or no longer visible to the service. */
  removed: boolean;
  /** The file as Drive reports it now; null when removed. */
  file: WardFile | null;
}

/** Everything since a page token, and the token to start from next time. */
export interface ChangeBatch {
  changes: FileChange[];
  nextPageToken: string;
}

/** A push-notification channel (Drive changes.watch). */
export interface Channel {
  id: string;
  resourceId: string;
  /** Expiry, ms since epoch. */
  expiration: number;
}

/** What a new channel asks for. */
export interface ChannelRequest {
  id: string;
  address: string;
  token: string;
  expiration: number;
}

/**
 * Drive's changes feed over the wards' drive (a shared drive by id, or the user's My Drive
 * when `driveId` is null): page tokens, the changes since one, and one push channel on it.
 */
export interface ChangeFeed {
  startPageToken(driveId: string | null): Promise<string>;
  list(pageToken: string, driveId: string | null): Promise<ChangeBatch>;
  watch(pageToken: string, driveId: string | null, channel: ChannelRequest): Promise<Channel>;
  /** Closes a channel; one already expired or stopped counts as closed. */
  stop(channel: { id: string; resourceId: string }): Promise<void>;
}

/** A Drive push notification, decoded from its headers by the adapter that received it. */
export interface PushNotification {
  channelId: string;
  resourceId: string | null;
  /** "sync" when a channel opens; "change" on a changes channel ("update" etc. on a file channel). */
  resourceState: "sync" | "change" | "add" | "remove" | "update" | "trash" | "untrash";
  /** Increases per channel (1 is the "sync" message): a positive safe integer. */
  messageNumber: number;
  token: string | undefined;
}

/** What provisioning did to a ward spreadsheet, one Vietnamese line each, and the id of its Kiểm tra tab. */
export interface BuiltSpreadsheet {
  checkSheetId: number;
  actions: string[];
}

/** Sharing with a ward's contacts: what was done, and the contacts the domain's policy refused (reason in Vietnamese). */
export interface ShareResult {
  actions: string[];
  refused: Array<{ email: string; reason: string }>;
}

/**
 * Ward spreadsheets in the wards folder (Google Drive + Sheets). Creation is split so that
 * the use case can record the id BEFORE the file exists: reserve, record, create, build.
 */
export interface WardSpreadsheets {
  /** A file id for a new spreadsheet (nothing is created yet). */
  reserveId(): Promise<string>;
  /** Create the empty spreadsheet with that id in the wards folder; "exists" when an earlier attempt already did. */
  createFile(id: string, ward: WardConfig): Promise<"created" | "exists">;
  /** Build a blank spreadsheet from the plan, or repair one to it; null when there is no such file. */
  build(id: string, ward: WardConfig): Promise<BuiltSpreadsheet | null>;
  /** Edit rights for every contact without one yet. */
  share(id: string, ward: WardConfig): Promise<ShareResult>;
}
