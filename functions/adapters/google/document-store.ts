/**
 * DocumentStore over Drive: each document (by key) is one Google Doc in the reports folder,
 * found again by an appProperty and updated in place, so its link stays stable. The document
 * is rendered as .docx (render/document-docx.ts, loaded on first publish: nothing heavy on the
 * cold start) and converted by Drive's import, which keeps what HTML imports lose: the page
 * size and margins of the section, the PAGE field in the header (none on page 1) and the
 * chart images. The A4/NĐ 30 page style is still set afterwards with the Docs API, so a Doc
 * edited by hand (or imported without its section) gets its page back on every publish.
 */
import { Readable } from "node:stream";
import type { docs_v1 } from "@googleapis/docs";
import type { DocumentStore, DocumentToPublish } from "../../ports.js";
import { driveIdOf, driveQueryString, listingScope } from "./changed-files.js";
import { type GoogleClients, uploadOptions } from "./clients.js";
import { type RetryOptions, withRetry } from "./retry.js";

const DOC_MIME = "application/vnd.google-apps.document";
const DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
/** The appProperty holding a document's key (private to this app's credentials). */
export const KEY_PROPERTY = "tieuchiKey";
/** The appProperty holding the fingerprint of the .docx last uploaded and styled (render/docx-fingerprint.ts). */
export const CONTENT_PROPERTY = "tieuchiContent";

const POINTS_PER_MM = 72 / 25.4;
const pt = (magnitude: number): docs_v1.Schema$Dimension => ({ magnitude: Math.round(magnitude * 100) / 100, unit: "PT" });

/** A4 portrait, margins top 20, bottom 20, left 30, right 15 mm (Nghị định 30/2020, phụ lục I). */
const ND30_DOCUMENT_STYLE: docs_v1.Schema$DocumentStyle = {
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
  /** The fingerprint of what we published and styled, while nobody else has edited the Doc since; else null. */
  content: string | null;
}

const FILE_FIELDS = "id, webViewLink, appProperties, lastModifyingUser(me)";

type FileData = { id?: string | null; webViewLink?: string | null; appProperties?: Record<string, string> | null; lastModifyingUser?: { me?: boolean | null } | null };

function toDocFile(data: FileData): DocFile {
  // A Doc a person edited since (its page, a deleted table) is published again even when our content is the same.
  const content = data.lastModifyingUser?.me === true ? (data.appProperties?.[CONTENT_PROPERTY] ?? null) : null;
  return { id: data.id ?? "", webViewLink: data.webViewLink ?? `https://docs.google.com/document/d/${data.id ?? ""}/edit`, content: content || null };
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

const docxMedia = (bytes: Buffer) => ({ mimeType: DOCX_MIME, body: Readable.from([bytes]) });

async function createDoc(ctx: StoreContext, document: DocumentToPublish, bytes: Buffer, content: string): Promise<DocFile> {
  const requestBody = { name: document.title, mimeType: DOC_MIME, parents: [ctx.folderId], appProperties: { [KEY_PROPERTY]: document.key, [CONTENT_PROPERTY]: content } };
  // Not idempotent: a repeat after an applied 5xx would make a second Doc. Quota refusals only.
  const response = await call(ctx, "drive.files.create", false, () =>
    ctx.clients.drive.files.create({ requestBody, media: docxMedia(bytes), fields: FILE_FIELDS, supportsAllDrives: true }, uploadOptions(ctx.clients)),
  );
  return toDocFile(response.data);
}

/** New content for the same file (same id, same link); Drive converts the .docx again. */
async function updateDoc(ctx: StoreContext, fileId: string, bytes: Buffer, content: string): Promise<DocFile> {
  const requestBody = { appProperties: { [CONTENT_PROPERTY]: content } };
  const response = await call(ctx, "drive.files.update", true, () =>
    ctx.clients.drive.files.update({ fileId, requestBody, media: docxMedia(bytes), fields: FILE_FIELDS, supportsAllDrives: true }, uploadOptions(ctx.clients)),
  );
  return toDocFile(response.data);
}

/** Forgets the fingerprint of a Doc whose page style could not be set, so the next publish uploads and styles it again. */
async function forgetContent(ctx: StoreContext, fileId: string): Promise<void> {
  const requestBody = { appProperties: { [CONTENT_PROPERTY]: "" } };
  await call(ctx, "drive.files.update", true, () => ctx.clients.drive.files.update({ fileId, requestBody, fields: "id", supportsAllDrives: true })).catch(() => undefined);
}

/** A4 and the NĐ 30 margins; the same style set twice is the same document, so it is retried freely. */
async function setPageStyle(ctx: StoreContext, documentId: string): Promise<void> {
  const requests: docs_v1.Schema$Request[] = [
    { updateDocumentStyle: { documentStyle: ND30_DOCUMENT_STYLE, fields: "pageSize,marginTop,marginBottom,marginLeft,marginRight" } },
  ];
  await call(ctx, "docs.documents.batchUpdate", true, () => ctx.clients.docs.documents.batchUpdate({ documentId, requestBody: { requests } }));
}

/**
 * DocumentStore publishing each document as a Google Doc, updated in place when its content
 * changed: a document rendered the same as the one the Doc holds costs one listing, no write.
 */
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
    publish: async (_period, document) => {
      const [{ renderDocumentDocx }, { docxFingerprint }] = await Promise.all([import("../../render/document-docx.js"), import("../../render/docx-fingerprint.js")]);
      const bytes = await renderDocumentDocx(document.view, document.title);
      const content = await docxFingerprint(bytes);
      const existing = await findDoc(ctx, document.key);
      if (existing?.content === content) return { location: existing.webViewLink, pdf: null, docx: null };
      const file = existing ? await updateDoc(ctx, existing.id, bytes, content) : await createDoc(ctx, document, bytes, content);
      await setPageStyle(ctx, file.id).catch(async (error: unknown) => {
        await forgetContent(ctx, file.id);
        throw error;
      });
      return { location: file.webViewLink, pdf: null, docx: null };
    },
  };
}
