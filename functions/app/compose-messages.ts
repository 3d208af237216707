/**
 * Compose the emails of a report run: the leadership digest (one PNG chart per programme
 * inline by CID, the town reports and the ward table attached), ward feedback and deadline
 * reminders. Each message carries its
 * idempotency key: kind | recipients | period | content hash, the hash over data only
 * (content-keys.ts): never a rendered sentence, a link or a path.
 */
import { type DigestDocument, type DigestView, buildDigestView } from "../core/digest-view.js";
import { buildFeedbackView } from "../core/email-views.js";
import type { ChartSpec } from "../core/document-blocks.js";
import type { OutputTable } from "../core/output-table.js";
import { summaryTable } from "../core/town-output.js";
import { numberVi } from "../core/vi-format.js";
import type { Runtime } from "../core/vocabulary.js";
import { type UnitIndex, selectDigestChart, unitIndexOf } from "../core/chart-selection.js";
import { MAX_EMAIL_BYTES, MAX_LISTED_FINDINGS } from "../core/output-bounds.js";
import type { TemplateSet } from "../render/templates.js";
import type { Config } from "../config.js";
import type { MailAttachment, MailMessage } from "../ports.js";
import { digestKeyContent, findingsFingerprint } from "./content-keys.js";
import { message, programmeNames } from "./mail-message.js";
import { wireSize } from "./mail-size.js";
import type { TownRun } from "./run-town.js";

export type MessageConfig = Pick<Config, "agency" | "recipients" | "schedule" | "catalogues" | "wards" | "review"> & Partial<Pick<Config, "google">>;

const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";



/** The digest stays under this many bytes on the wire at any number of wards (phones on mobile data). */
export const DIGEST_MAX_BYTES = 1_000_000;

/** Files the digest attaches, from the runtime (app/ reads no file and imports no chart or spreadsheet library). */
export interface DigestFiles {
  /** A chart as PNG (mail clients drop SVG). */
  chartPng(spec: ChartSpec): Promise<Buffer>;
  /** The bytes of a published file (a PDF or .docx); null when it cannot be read. */
  readFile(location: string): Promise<Buffer | null>;
  /** A table as an .xlsx workbook. */
  tableXlsx(table: OutputTable, created: Date): Promise<Buffer>;
}

/** A town report as published, for the digest to link or attach. */
export interface DigestSource {
  programmeId: string;
  title: string;
  /** A local path or a URL (a Google Doc). */
  location: string;
  /** The local PDF beside it, when one was printed. */
  pdf: string | null;
  /** The local .docx beside it, attached when there is no PDF. */
  docx?: string | null;
}

export interface DigestOptions {
  documents: readonly DigestSource[];
  files: DigestFiles | null;
  runtime: Runtime;
}

const fileNameOf = (path: string): string => path.split(/[\\/]/u).pop() ?? path;
const megabytes = (bytes: number): string => `${numberVi(bytes / 1_000_000, 1)} MB`;

/** A town report attached to the digest. */
interface Attached {
  programmeId: string;
  attachment: MailAttachment;
}

const DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const isUrl = (location: string): boolean => /^[a-z][a-z0-9+.-]*:\/\//iu.test(location);
/** The file a local report is attached as: its PDF, else its .docx. */
const fileToAttach = (d: DigestSource): string | null => (isUrl(d.location) ? null : (d.pdf ?? d.docx ?? null));

async function readAttachments(sources: readonly DigestSource[], files: DigestFiles | null): Promise<Attached[]> {
  if (!files) return [];
  const read = await Promise.all(
    sources.map(async (d) => {
      const path = fileToAttach(d);
      return path === null ? null : { d, path, content: await files.readFile(path) };
    }),
  );
  return read.flatMap((r) => {
    if (!r?.content) return [];
    const contentType = r.path.toLowerCase().endsWith(".pdf") ? "application/pdf" : DOCX_TYPE;
    return [{ programmeId: r.d.programmeId, attachment: { filename: fileNameOf(r.path), contentType, content: r.content } }];
  });
}

function digestDocuments(sources: readonly DigestSource[], attached: readonly Attached[]): Map<string, DigestDocument> {
  return new Map(
    sources.map((d) => {
      const url = /^https:\/\//iu.test(d.location) ? d.location : null;
      const file = attached.find((a) => a.programmeId === d.programmeId);
      return [d.programmeId, { title: d.title, url, attached: file?.attachment.filename ?? null, fileName: url ? null : fileNameOf(fileToAttach(d) ?? d.location) }];
    }),
  );
}

/** The one inline chart per programme the view asks for: per unit up to 25 units, else their distribution (bounded). */
async function chartsOf(run: TownRun, view: DigestView, units: UnitIndex, files: DigestFiles | null): Promise<MailAttachment[]> {
  if (!files) return [];
  const wanted = run.summary.programmes.flatMap((p, i) => {
    const cid = view.programmes[i]?.chartCid;
    return cid ? [{ p, cid }] : [];
  });
  return Promise.all(
    wanted.map(async ({ p, cid }) => ({ filename: `bieu-do-${p.id}.png`, contentType: "image/png", cid, content: await files.chartPng(selectDigestChart(p, units)) })),
  );
}

/** A view without inline charts, with the notes on what was left out. */
const noCharts = (v: DigestView, notes: readonly string[]): DigestView => ({ ...v, sizeNotes: [...notes], programmes: v.programmes.map((p) => ({ ...p, chartCid: null })) });

interface DigestParts {
  table: Buffer | null;
  tableName: string;
  pdfs: Attached[];
}

/** The message of a digest view with the given inline charts and the parts still attached. */
function renderDigest(run: TownRun, config: MessageConfig, templates: TemplateSet, keyContent: unknown) {
  return (view: DigestView, charts: readonly MailAttachment[], parts: DigestParts): MailMessage =>
    message("digest", config.recipients.leadership, config.recipients.cc, run.summary.period, keyContent, {
      subject: view.subject,
      text: templates.render("email-digest.txt", view),
      html: templates.render("email-digest", view),
      attachments: [...charts, ...parts.pdfs.map((p) => p.attachment), ...(view.table && parts.table ? [{ filename: parts.tableName, contentType: XLSX_TYPE, content: parts.table }] : [])],
    });
}

/**
 * The leadership digest, or null when no leadership recipient is configured. It attaches the
 * town reports as PDF (as .docx when none was printed; Google Docs are linked) and the full ward table as .xlsx; to stay
 * under DIGEST_MAX_BYTES it leaves out, in turn, the largest PDFs, the charts (one bounded chart
 * per programme: they fit at any number of units), then the table, each with a note saying so.
 */
export async function composeDigest(run: TownRun, config: MessageConfig, templates: TemplateSet, options: DigestOptions): Promise<MailMessage | null> {
  if (!config.recipients.leadership.length) return null;
  const tableName = `bang-tong-hop-${run.summary.period}.xlsx`;
  const table = options.files ? await options.files.tableXlsx(summaryTable(run.summary), new Date(run.summary.generatedAt)) : null;
  const parts: DigestParts = { table, tableName, pdfs: await readAttachments(options.documents, options.files) };
  const issuer = config.agency.issuerName ?? config.agency.issuer;
  const units = unitIndexOf(config.wards);
  const sheet = options.runtime === "google" ? config.google?.townSpreadsheetId : undefined;
  const summaryUrl = sheet ? `https://docs.google.com/spreadsheets/d/${sheet}/edit` : null;
  const viewOf = (withTable: boolean): DigestView =>
    buildDigestView(run.summary, { issuer, units, documents: digestDocuments(options.documents, parts.pdfs), table: withTable && table ? tableName : null, runtime: options.runtime, summaryUrl });
  const render = renderDigest(run, config, templates, digestKeyContent(run.summary, options.documents.map((d) => d.programmeId)));
  let charts = await chartsOf(run, viewOf(true), units, options.files);
  const notes: string[] = [];
  let withTable = true;
  // Without files to draw them (or once left out), the view points at no chart.
  const compose = (): MailMessage => render(charts.length ? { ...viewOf(withTable), sizeNotes: [...notes] } : noCharts(viewOf(withTable), notes), charts, parts);
  let composed = compose();
  // What a leader reads in the message stays longest: the largest PDFs go first (they are in the report folder), then the charts, then the table.
  while (wireSize(composed) > DIGEST_MAX_BYTES && parts.pdfs.length) {
    const largest = parts.pdfs.reduce((x, y) => (y.attachment.content.length > x.attachment.content.length ? y : x));
    parts.pdfs = parts.pdfs.filter((p) => p !== largest);
    notes.push(`Tệp “${largest.attachment.filename}” (${megabytes(largest.attachment.content.length)}) không đính kèm vì quá lớn so với thư; tệp ở thư mục báo cáo của kỳ, trên máy tổng hợp.`);
    composed = compose();
  }
  if (wireSize(composed) > DIGEST_MAX_BYTES && charts.length) {
    charts = [];
    notes.push("Biểu đồ đã được lược bỏ để thư nhỏ gọn; xem biểu đồ trong báo cáo đầy đủ.");
    composed = compose();
  }
  if (wireSize(composed) <= DIGEST_MAX_BYTES || !table) return composed;
  notes.push(`Bảng kết quả đầy đủ “${tableName}” không đính kèm vì quá lớn so với thư; xem trong báo cáo đầy đủ.`);
  withTable = false;
  return compose();
}

/**
 * One feedback message per ward that has findings and contacts; sent again only when the
 * findings change. At most MAX_LISTED_FINDINGS are listed, fewer when the message would
 * exceed MAX_EMAIL_BYTES (a finding may quote a long cell); the key facts (counts, what to do) stay.
 */
export function composeFeedback(run: TownRun, config: MessageConfig, templates: TemplateSet): MailMessage[] {
  const names = programmeNames(config.catalogues);
  return run.wards.flatMap((w) => {
    const to = w.ward.contacts.map((c) => c.email);
    if (!w.findings.length || !to.length) return [];
    const build = (maxListed: number): MailMessage => {
      const view = buildFeedbackView({ ward: w.ward, period: run.summary.period, findings: w.findings, scores: w.outcome.scores, programmeNames: names, maxListed });
      return message("feedback", to, [], run.summary.period, findingsFingerprint(w.findings), {
        subject: view.subject,
        text: templates.render("email-feedback.txt", view),
        html: templates.render("email-feedback", view),
        attachments: [],
      });
    };
    let maxListed = MAX_LISTED_FINDINGS;
    let composed = build(maxListed);
    while (wireSize(composed) > MAX_EMAIL_BYTES && maxListed > 0) {
      maxListed = Math.floor(maxListed / 2);
      composed = build(maxListed);
    }
    return [composed];
  });
}

/** Deadline reminders live in compose-reminders.ts (the review cycle decides who owes what). */
export { composeReminders } from "./compose-reminders.js";
