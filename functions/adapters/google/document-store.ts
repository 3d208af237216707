/**
 * DocumentStore over Drive + Docs: each document (by key) is one Google Doc in the reports
 * folder, found again by an appProperty and updated in place, so its link stays stable.
 * The HTML is converted by Drive's import; A4 and the NĐ 30 margins are then set with the
 * Docs API, since the import is not documented to keep CSS @page sizes and margins.
 */
import type { docs_v1 } from "@googleapis/docs";
import type { DocumentStore, DocumentToPublish } from "../../ports.js";
import { driveIdOf, driveQueryString, listingScope } from "./changed-files.js";
import { type GoogleClients, uploadOptions } from "./clients.js";
import { type RetryOptions, withRetry } from "./retry.js";

export const DOC_MIME = "application/vnd.google-apps.document";
/** The appProperty holding a document's key (private to this app's credentials). */
export const KEY_PROPERTY = "tieuchiKey";

const POINTS_PER_MM = 72 / 25.4;
const pt = (magnitude: number): docs_v1.Schema$Dimension => ({ magnitude: Math.round(magnitude * 100) / 100, unit: "PT" });

/** A4 portrait, margins top 20, bottom 20, left 30, right 15 mm (Nghị định 30/2020, phụ lục I). */
export const ND30_DOCUMENT_STYLE: docs_v1.Schema$DocumentStyle = {
  pageSize: { width: pt(595.28), height: pt(841.89) },
  marginTop: pt(20 * POINTS_PER_MM),
  marginBottom: pt(20 * POINTS_PER_MM),
  marginLeft: pt(30 * POINTS_PER_MM),
  marginRight: pt(15 * POINTS_PER_MM),
};

export interface GoogleDocumentStoreOptions {
  clients: Pick<GoogleClients, "drive" | "docs" | "rootUrl">;
  /** The Drive folder (in a shared drive, for a service account) holding the reports. */
  folderId: string;
  retry?: RetryOptions;
}

interface DocFile {
  id: string;
  webViewLink: string;
}

const FILE_FIELDS = "id, webViewLink";

function toDocFile(data: { id?: string | null; webViewLink?: string | null }): DocFile {
  return { id: data.id ?? "", webViewLink: data.webViewLink ?? `https://docs.google.com/document/d/${data.id ?? ""}/edit` };
}

type StoreContext = Required<GoogleDocumentStoreOptions> & {
  /** The shared drive holding the folder (null: a My Drive), asked once per store. */
  driveId: () => Promise<string | null>;
};

function call<T>(ctx: StoreContext, operation: string, idempotent: boolean, fn: () => Promise<T>): Promise<T> {
  return withRetry(operation, fn, { ...ctx.retry, idempotent });
}

/** The Doc published under this key before, or null. */
async function findDoc(ctx: StoreContext, key: string): Promise<DocFile | null> {
  const q = `${driveQueryString(ctx.folderId)} in parents and appProperties has { key='${KEY_PROPERTY}' and value=${driveQueryString(key)} } and trashed = false`;
  // A shared drive's items are listed only with corpora=drive and its id; otherwise the Doc would be made anew each time.
  const scope = listingScope(await ctx.driveId());
  const response = await call(ctx, "drive.files.list", true, () => ctx.clients.drive.files.list({ q, fields: `files(${FILE_FIELDS})`, pageSize: 10, ...scope }));
  const file = response.data.files?.[0];
  return file ? toDocFile(file) : null;
}

async function createDoc(ctx: StoreContext, document: DocumentToPublish): Promise<DocFile> {
  const requestBody = { name: document.title, mimeType: DOC_MIME, parents: [ctx.folderId], appProperties: { [KEY_PROPERTY]: document.key } };
  const media = { mimeType: "text/html", body: document.html };
  // Not idempotent: a repeat after an applied 5xx would make a second Doc. Quota refusals only.
  const response = await call(ctx, "drive.files.create", false, () =>
    ctx.clients.drive.files.create({ requestBody, media, fields: FILE_FIELDS, supportsAllDrives: true }, uploadOptions(ctx.clients)),
  );
  return toDocFile(response.data);
}

/** New content for the same file (same id, same link); Drive converts the HTML again. */
async function updateDoc(ctx: StoreContext, fileId: string, html: string): Promise<DocFile> {
  const media = { mimeType: "text/html", body: html };
  const response = await call(ctx, "drive.files.update", true, () =>
    ctx.clients.drive.files.update({ fileId, media, fields: FILE_FIELDS, supportsAllDrives: true }, uploadOptions(ctx.clients)),
  );
  return toDocFile(response.data);
}

/** A4 and the NĐ 30 margins; the same style set twice is the same document, so it is retried freely. */
async function setPageStyle(ctx: StoreContext, documentId: string): Promise<void> {
  const requests: docs_v1.Schema$Request[] = [
    { updateDocumentStyle: { documentStyle: ND30_DOCUMENT_STYLE, fields: "pageSize,marginTop,marginBottom,marginLeft,marginRight" } },
  ];
  await call(ctx, "docs.documents.batchUpdate", true, () => ctx.clients.docs.documents.batchUpdate({ documentId, requestBody: { requests } }));
}

const INLINE_SVG = /<svg[\s>][\s\S]*?<\/svg>/gu;

/**
 * Drive's HTML import drops inline SVG, so each chart becomes a PNG data-URI image (rendered
 * with the bundled fonts; the chart module loads only when a document has charts).
 */
export async function rasteriseCharts(html: string): Promise<string> {
  const charts = html.match(INLINE_SVG);
  if (!charts) return html;
  const { svgToPng } = await import("../../render/charts.js");
  const images = await Promise.all(charts.map(async (svg) => `<img alt="Biểu đồ" style="width:16cm" src="data:image/png;base64,${(await svgToPng(svg, { width: 1200 })).toString("base64")}">`));
  let index = 0;
  return html.replace(INLINE_SVG, () => images[index++] ?? "");
}

// The on-screen A4 sheet (grey backdrop, padding as margins) would double the margins the
// Docs API sets, so the uploaded copy drops it.
const DOCS_OVERRIDES = "<style>html{background:none}.page{width:auto;margin:0;padding:0;box-shadow:none}</style>";

/** The HTML as Drive should import it: charts as images, no on-screen page frame. */
export async function prepareForDocs(html: string): Promise<string> {
  const rasterised = await rasteriseCharts(html);
  return rasterised.includes("</head>") ? rasterised.replace("</head>", `${DOCS_OVERRIDES}</head>`) : rasterised;
}

/** DocumentStore publishing each document as a Google Doc, updated in place on every later publish. */
export function googleDocumentStore(options: GoogleDocumentStoreOptions): DocumentStore {
  const retry = options.retry ?? {};
  let driveId: Promise<string | null> | undefined;
  const ctx: StoreContext = {
    ...options,
    retry,
    driveId: () => {
      driveId ??= driveIdOf(options.clients, options.folderId, retry).catch((error: unknown) => {
        driveId = undefined;
        throw error;
      });
      return driveId;
    },
  };
  return {
    publish: async (_period, original) => {
      const document = { ...original, html: await prepareForDocs(original.html) };
      const existing = await findDoc(ctx, document.key);
      const file = existing ? await updateDoc(ctx, existing.id, document.html) : await createDoc(ctx, document);
      await setPageStyle(ctx, file.id);
      return { location: file.webViewLink, pdf: null };
    },
  };
}
