/**
 * Use case: the report of a period. Process the wards, render the town report per
 * programme and the report of each ward, publish them, then send the digest, ward feedback
 * and due reminders, each exactly once (ledger). The same use case serves both runtimes.
 */
import { unitIndexOf } from "../core/chart-selection.js";
import { buildRunDocuments, numberRequests } from "../core/run-documents.js";
import type { DocumentSettings, NumberRequest } from "../core/document-frame.js";
import { localDate, periodDates, periodTense } from "../core/period.js";
import type { Runtime } from "../core/vocabulary.js";
import type { TemplateSet } from "../render/templates.js";
import type { Config, WardConfig } from "../config.js";
import type { Clock, DocumentStore, DocumentToPublish, KeyValueStore, MailMessage, StateStore } from "../ports.js";
import { allocateDocumentNumbers } from "./document-numbers.js";
import { mapLimit } from "./map-limit.js";
import { type DigestFiles, composeDigest, composeFeedback, composeReminders } from "./compose-messages.js";
import { composeReviewMessages } from "./review-messages.js";
import { trailsOf } from "./trail-store.js";
import { runTown, type TownPorts, type TownRun } from "./run-town.js";
import { storedRunOf } from "./stored-run.js";
import { type MailPorts, sendOnce, type SendReport } from "./send-mail.js";

/** What publishing a report needs, whatever produced the town run. */
export interface PublishPorts {
  state: Pick<StateStore, "listSnapshots">;
  clock: Clock;
  documents: DocumentStore;
  templates: TemplateSet;
  /** Null for a dry run: messages are composed, nothing is sent. */
  mail: MailPorts | null;
  /** Reads the PDFs and writes the ward table the digest attaches; absent: the digest attaches neither. */
  digestFiles?: DigestFiles;
  /** Which runtime's words to use ("Không đọc được tệp" locally, "… bảng tính" on Google); default local. */
  runtime?: Runtime;
  /** Where town staff find a ward's full list of findings (the local out/kiem-tra files); absent: nowhere. */
  fullListOf?: (wardId: string) => string | null;
  /** Where document numbers are kept in sequence mode (config reports.numbering); absent: numbers left blank. */
  numbers?: KeyValueStore;
  /** Where the trail of changes is kept (trail-store.ts): each ward notice lists its period's changes; absent: none. */
  trail?: KeyValueStore;
}

export interface ReportPorts extends TownPorts, PublishPorts {
  state: StateStore;
}

export interface PublishedDocument {
  key: string;
  title: string;
  location: string;
  pdf: string | null;
  docx: string | null;
}

export interface ReportResult {
  run: TownRun;
  documents: PublishedDocument[];
  /** Keys of the unit notices left unpublished when the publication's deadline passed (none without one). */
  deferred: string[];
  messages: MailMessage[];
  delivery: SendReport | null;
  /** When the figures of a closed period re-rendered from its snapshot were computed; null for a run of the current period. */
  archivedFrom: string | null;
}

/** Document numbers: none in blank mode (or without a store), else the stored sequence. */
async function numbersFor(ports: PublishPorts, requests: readonly NumberRequest[]): Promise<Map<string, number>> {
  return requests.length > 0 && ports.numbers ? allocateDocumentNumbers(ports.numbers, requests) : new Map();
}

/** The run's documents as data (DocumentViews): the town report per programme, then a notice per ward. */
async function documentsOf(run: TownRun, config: Config, ports: PublishPorts, issuedAt: Date): Promise<Array<DocumentToPublish & { notice: boolean }>> {
  const settings: DocumentSettings = { agency: config.agency, reports: config.reports };
  const history = await ports.state.listSnapshots();
  const numbers = await numbersFor(ports, numberRequests({ summary: run.summary, wardIds: run.wards.map((w) => w.ward.id), issuedAt, settings }));
  const trail = ports.trail ? await trailsOf(ports.trail, run.summary.period) : null;
  return buildRunDocuments({
    ...(trail ? { trailOf: trail } : {}),
    summary: run.summary, wards: run.wards, catalogues: config.catalogues, history, settings, issuedAt, numbers,
    units: unitIndexOf(config.wards), runtime: ports.runtime ?? "local", ...(ports.fullListOf ? { fullListOf: ports.fullListOf } : {}),
  }).map((d) => ({ key: d.key, name: d.name, title: d.title, view: d.view, notice: d.kind === "ward-notice" }));
}

/**
 * Documents in flight at once: enough to keep the local Chromium's two tabs busy while the next
 * pages render, and few enough for Docs/Drive's write quotas and to hold 4 documents in memory, not N.
 */
const PUBLISH_CONCURRENCY = 4;

/** `deadline`: no unit notice starts after it; `done`: documents an earlier delivery of the same digest published, by key. */
interface PublishLimits {
  deadline?: number | undefined;
  done?: ReadonlyMap<string, PublishedDocument> | undefined;
}

type Publication = { status: "fulfilled"; value: PublishedDocument } | { status: "rejected"; reason: unknown } | { status: "deferred"; key: string };

/**
 * Publishes the town-level documents, then the unit notices; a notice not started by `deadline`
 * (ms since the epoch) is left for a later publication (its key in `deferred`). Town documents
 * always go out: the digest links them.
 */
async function publishDocuments(run: TownRun, config: Config, ports: PublishPorts, issuedAt: Date, limits: PublishLimits): Promise<{ published: PublishedDocument[]; deferred: string[] }> {
  const { deadline, done } = limits;
  const documents = await documentsOf(run, config, ports, issuedAt);
  // Every publish settles before the store closes, so a failed document leaves no renderer behind.
  const settled = await mapLimit(documents, PUBLISH_CONCURRENCY, async ({ notice, ...d }): Promise<Publication> => {
    const earlier = done?.get(d.key);
    if (earlier) return { status: "fulfilled", value: earlier };
    if (notice && deadline !== undefined && ports.clock.now().getTime() >= deadline) return { status: "deferred", key: d.key };
    try {
      const files = await ports.documents.publish(run.summary.period, d);
      return { status: "fulfilled", value: { key: d.key, title: d.title, location: files.location, pdf: files.pdf, docx: files.docx ?? null } };
    } catch (reason) {
      return { status: "rejected", reason };
    }
  });
  await ports.documents.close?.();
  const failed = settled.find((r) => r.status === "rejected");
  if (failed) throw failed.reason;
  return {
    published: settled.flatMap((r) => (r.status === "fulfilled" ? [r.value] : [])),
    deferred: settled.flatMap((r) => (r.status === "deferred" ? [r.key] : [])),
  };
}

/**
 * Produce and deliver the report of a period: process the wards, then publish.
 *
 * @example await produceReport(config, wards, ports, { period: "2026-11" })
 */
export async function produceReport(config: Config, wards: readonly WardConfig[], ports: ReportPorts, options: { period?: string } = {}): Promise<ReportResult> {
  const now = ports.clock.now();
  // An ended period, or one closed with `tieuchi close` while still running, is rendered from its snapshot.
  const frozen = options.period !== undefined && periodDates(options.period) !== null && (periodTense(options.period, now) === "closed" || (await ports.state.isClosed?.(options.period)) === true);
  if (options.period !== undefined && frozen) {
    const stored = await storedRunOf(config, options.period, ports.state);
    return publishReport(config, stored.run, ports, { archived: stored.generatedAt });
  }
  return publishReport(config, await runTown(wards, config.catalogues, ports, options), ports);
}

/**
 * Publish the documents of a town run and send its messages, each exactly once. A run of a
 * closed period rebuilt from its snapshot (`archived`: when it was computed) republishes the
 * documents as they were issued then and sends nothing: its feedback and reminders are history.
 * With a `deadline`, unit notices not started by then are returned in `deferred`; the cloud
 * digest publishes them on its next delivery, passing the documents published before as `done`
 * (neither rendered nor looked up again; returned as they were published).
 */
export async function publishReport(config: Config, run: TownRun, ports: PublishPorts, options: PublishLimits & { archived?: Date } = {}): Promise<ReportResult> {
  const issuedAt = options.archived ?? ports.clock.now();
  const { published: documents, deferred } = await publishDocuments(run, config, ports, issuedAt, options);
  if (options.archived) return { run, documents, deferred, messages: [], delivery: null, archivedFrom: options.archived.toISOString() };
  // Town reports go to the digest as attachments (local PDFs) or https links (Google Docs), never file:// paths.
  const sources = documents.filter((d) => d.key.startsWith("town/")).map((d) => ({ programmeId: d.key.split("/")[1]!, title: d.title, location: d.location, pdf: d.pdf, docx: d.docx }));
  const digest = await composeDigest(run, config, ports.templates, { documents: sources, files: ports.digestFiles ?? null, runtime: ports.runtime ?? "local" });
  const messages = [
    ...(digest ? [digest] : []),
    ...composeFeedback(run, config, ports.templates),
    ...composeReminders(run, config, ports.templates, localDate(issuedAt), ports.runtime ?? "local"),
    ...composeReviewMessages(run, config, ports.templates),
  ];
  const delivery = ports.mail ? await sendOnce(messages, { ...ports.mail, clock: ports.clock }) : null;
  return { run, documents, deferred, messages, delivery, archivedFrom: null };
}
