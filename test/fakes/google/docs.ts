/** The fake Docs v1 API: documents.get, documents.create and documents.batchUpdate (updateDocumentStyle applied, the rest recorded). */
import type { docs_v1 } from "@googleapis/docs";
import { type FakeRequest, type FakeResponse, clone, decodeSegment, ok, queryValue, readJson } from "./common.js";
import { type FakeDrive, type FakeDriveFile, type Role, documentMimeType } from "./drive.js";
import { atLeast } from "./drive-model.js";
import { GoogleApiError, invalidArgument, notFound } from "./errors.js";
import { applyUpdateMask, selectResponse, updateMaskPaths } from "./field-mask.js";
import { DOCX_MIME, importDocx } from "./docx-import.js";

export interface FakeDocument {
  documentId: string;
  title: string;
  /** The HTML Drive converted the document from ("" for a document created empty or from a .docx). */
  html: string;
  /** The document's text (from a .docx import; "" otherwise). */
  text: string;
  documentStyle: docs_v1.Schema$DocumentStyle;
  /** Headers imported from a .docx: does the default / first-page header hold a page number. */
  headers: { default: boolean; first: boolean } | null;
  /** Images imported as inline objects. */
  images: number;
  /** The .docx it was converted from, for files.export back to .docx (null: not from a .docx). */
  docx: Buffer | null;
  revision: number;
}

/** What Drive hands the Docs side on a conversion: HTML text (legacy path), or uploaded media. */
export type ImportSource = string | { contentType: string; body: Buffer };

const points = (magnitude: number): docs_v1.Schema$Dimension => ({ magnitude, unit: "PT" });

/** What an imported or new document gets: US Letter with one-inch margins, whatever the HTML's CSS said. */
export function defaultDocumentStyle(): docs_v1.Schema$DocumentStyle {
  return {
    background: { color: {} },
    pageNumberStart: 1,
    marginTop: points(72),
    marginBottom: points(72),
    marginRight: points(72),
    marginLeft: points(72),
    marginHeader: points(36),
    marginFooter: points(36),
    pageSize: { height: points(792), width: points(612) },
    useCustomHeaderFooterMargins: false,
  };
}

export class FakeDocs {
  private readonly documents = new Map<string, FakeDocument>();
  private readonly received = new Map<string, docs_v1.Schema$Request[]>();

  constructor(private readonly drive: FakeDrive) {}

  document(id: string): FakeDocument | undefined {
    const document = this.documents.get(id);
    return document && clone(document);
  }

  /** Every batchUpdate request sent for the document, in order. */
  requests(id: string): docs_v1.Schema$Request[] {
    return clone(this.received.get(id) ?? []);
  }

  /** Called by Drive on conversion: a new document, or new content with the import's default style. */
  importDocument(id: string, title: string, source: ImportSource): void {
    const revision = (this.documents.get(id)?.revision ?? 0) + 1;
    const base = { documentId: id, title, html: "", text: "", documentStyle: defaultDocumentStyle(), headers: null, images: 0, docx: null, revision };
    if (typeof source === "string") {
      this.documents.set(id, { ...base, html: source });
    } else if (source.contentType.startsWith(DOCX_MIME)) {
      const imported = importDocx(source.body);
      this.documents.set(id, { ...base, ...imported, documentStyle: { ...base.documentStyle, ...imported.documentStyle }, docx: Buffer.from(source.body) });
    } else {
      this.documents.set(id, { ...base, html: source.body.toString("utf8") });
    }
  }

  /** files.export: a Doc from a .docx exports back to .docx (the import's bytes) and to plain text. */
  exportDocument(id: string, mimeType: string): { contentType: string; body: Buffer } | null {
    const document = this.documents.get(id);
    if (!document) return null;
    if (mimeType === DOCX_MIME && document.docx) return { contentType: DOCX_MIME, body: Buffer.from(document.docx) };
    if (mimeType === "text/plain") return { contentType: "text/plain", body: Buffer.from(document.text || document.html, "utf8") };
    return null;
  }

  renamed(id: string, title: string): void {
    const document = this.documents.get(id);
    if (document) document.title = title;
  }

  /** Routes a request whose path starts after "v1/". */
  handle(request: FakeRequest): FakeResponse | undefined {
    const [collection, rawId, ...rest] = request.segments;
    if (collection !== "documents" || rest.length > 0) return undefined;
    if (rawId === undefined) return request.method === "POST" ? this.create(request) : undefined;
    const [id = "", action] = decodeSegment(rawId).split(":");
    if (request.method === "GET" && action === undefined) {
      this.requireRole(request, id, "reader");
      return ok(selectResponse(this.toSchema(this.require(id)), queryValue(request.query, "fields")));
    }
    if (request.method === "POST" && action === "batchUpdate") return this.batchUpdate(id, request);
    return undefined;
  }

  /** Docs answers for a document the caller cannot open as for one that does not exist; a reader may not edit. */
  private requireRole(request: FakeRequest, id: string, wanted: Role): void {
    const role = this.drive.roleOf(request.identity, id);
    if (role === undefined) throw notFound("Requested entity was not found.");
    if (!atLeast(role, wanted)) throw new GoogleApiError(403, "The caller does not have permission");
  }

  private require(id: string): FakeDocument {
    const document = this.documents.get(id);
    if (!document) throw notFound("Requested entity was not found.");
    return document;
  }

  private create(request: FakeRequest): FakeResponse {
    const body = readJson<docs_v1.Schema$Document>(request);
    let file: FakeDriveFile;
    try {
      file = this.drive.createFileAs(request.identity, { name: body.title ?? "Untitled document", mimeType: documentMimeType });
    } catch (error) {
      // Docs words Drive's storage refusal of a service account its own way.
      if (error instanceof GoogleApiError && error.reason === "storageQuotaExceeded") throw new GoogleApiError(403, "The caller does not have permission");
      throw error;
    }
    this.importDocument(file.id, file.name, "");
    return ok(this.toSchema(this.require(file.id)));
  }

  private batchUpdate(id: string, request: FakeRequest): FakeResponse {
    this.requireRole(request, id, "writer");
    const document = this.require(id);
    const body = readJson<docs_v1.Schema$BatchUpdateDocumentRequest>(request);
    const requests = body.requests ?? [];
    if (requests.length === 0) throw invalidArgument("Must specify at least one request.");
    let style = document.documentStyle;
    requests.forEach((item, i) => {
      if (!item.updateDocumentStyle) return;
      try {
        const paths = updateMaskPaths(item.updateDocumentStyle.fields, "updateDocumentStyle");
        style = applyUpdateMask(style, item.updateDocumentStyle.documentStyle ?? {}, paths);
      } catch (error) {
        throw error instanceof Error ? invalidArgument(error.message.replace("requests[0]", `requests[${i}]`)) : error;
      }
    });
    document.documentStyle = style;
    document.revision += 1;
    this.received.set(id, [...(this.received.get(id) ?? []), ...clone(requests)]);
    this.drive.touch(id, request.identity.email);
    const response: docs_v1.Schema$BatchUpdateDocumentResponse = {
      documentId: id,
      replies: requests.map(() => ({})),
      writeControl: { requiredRevisionId: `rev-${document.revision}` },
    };
    return ok(response);
  }

  private toSchema(document: FakeDocument): docs_v1.Schema$Document {
    const schema: docs_v1.Schema$Document = { documentId: document.documentId, title: document.title, revisionId: `rev-${document.revision}`, documentStyle: clone(document.documentStyle) };
    if (document.headers) {
      const header = (id: string, page: boolean): docs_v1.Schema$Header => ({ headerId: id, content: [{ paragraph: { elements: page ? [{ autoText: { type: "PAGE_NUMBER" } }] : [{ textRun: { content: "\n" } }] } }] });
      schema.headers = { "kix.default": header("kix.default", document.headers.default), "kix.first": header("kix.first", document.headers.first) };
      schema.documentStyle = { ...schema.documentStyle, defaultHeaderId: "kix.default", ...(document.documentStyle.useFirstPageHeaderFooter ? { firstPageHeaderId: "kix.first" } : {}) };
    }
    if (document.images > 0) {
      schema.inlineObjects = Object.fromEntries(Array.from({ length: document.images }, (_, i) => [`kix.image${i + 1}`, { objectId: `kix.image${i + 1}`, inlineObjectProperties: { embeddedObject: { imageProperties: {} } } }]));
    }
    return schema;
  }
}
