/** The fake Drive v3 API: files (list/get/create/update/delete, multipart and media uploads), watch channels, permissions. */
import type { drive_v3 } from "@googleapis/drive";
import { type FakeRequest, type FakeResponse, type Now, type Ticker, clone, decodeSegment, noContent, ok, parseMultipart, queryValue, randomFileId, readJson } from "./common.js";
import { type FakeChannel, type ResourceState, notificationHeaders, stopChannel, watchFile } from "./drive-channels.js";
import { type FakePermission, createPermission, listPermissions, ownerPermission } from "./drive-permissions.js";
import { listFiles } from "./drive-list.js";
import { GoogleApiError, invalidArgument, notFound } from "./errors.js";
import { selectResponse } from "./field-mask.js";

export const documentMimeType = "application/vnd.google-apps.document";
export const folderMimeType = "application/vnd.google-apps.folder";
const googleAppsPrefix = "application/vnd.google-apps.";

export interface FakeDriveFile {
  id: string;
  name: string;
  mimeType: string;
  parents: string[];
  /** A decimal integer, bumped on every change, as Drive's `version`. */
  version: string;
  createdTime: string;
  modifiedTime: string;
  appProperties: Record<string, string>;
  properties: Record<string, string>;
  description?: string;
  /** The uploaded media as text (the HTML of a converted Google Doc). */
  content?: string;
  trashed: boolean;
}

/** What Drive does to the other editors when a Google file is created or converted. */
export interface DriveApps {
  createSpreadsheet(id: string, title: string): void;
  /** Creates the Docs document, or replaces its body (and resets its style) on a re-import. */
  importDocument(id: string, title: string, html: string): void;
  renamed(id: string, title: string): void;
}

const defaultFileFields = "kind,id,name,mimeType";

export class FakeDrive {
  readonly state = {
    files: new Map<string, FakeDriveFile>(),
    channels: new Map<string, FakeChannel>(),
    permissions: new Map<string, FakePermission[]>(),
    resourceIds: new Map<string, string>(),
  };
  apps: DriveApps | undefined;

  constructor(
    private readonly ticker: Ticker,
    readonly now: Now,
  ) {}

  file(id: string): FakeDriveFile | undefined {
    const file = this.state.files.get(id);
    return file && clone(file);
  }

  files(): FakeDriveFile[] {
    return [...this.state.files.values()].map((file) => clone(file));
  }

  /** Channels not yet stopped nor expired. */
  channels(): FakeChannel[] {
    const now = this.now();
    return [...this.state.channels.values()].filter((channel) => channel.expiration > now).map((channel) => clone(channel));
  }

  /** The headers of the next push notification Drive would send on `channelId` (e.g. "update" with changed "content"). */
  notificationHeaders(channelId: string, state: ResourceState = "update", changed?: string): Record<string, string> {
    return notificationHeaders(this, channelId, state, changed);
  }

  permissions(id: string): FakePermission[] {
    return clone(this.state.permissions.get(id) ?? []);
  }

  registerFile(input: { id?: string; name: string; mimeType: string; parents?: string[]; appProperties?: Record<string, string>; content?: string }): FakeDriveFile {
    const id = input.id ?? randomFileId();
    const time = new Date(this.ticker.next()).toISOString();
    const file: FakeDriveFile = {
      id,
      name: input.name,
      mimeType: input.mimeType,
      parents: input.parents ?? ["root"],
      version: "1",
      createdTime: time,
      modifiedTime: time,
      appProperties: { ...input.appProperties },
      properties: {},
      trashed: false,
      ...(input.content === undefined ? {} : { content: input.content }),
    };
    this.state.files.set(id, file);
    this.state.permissions.set(id, [ownerPermission()]);
    return file;
  }

  /** Records a change: bumps `version` and `modifiedTime`, as Drive does for any edit. */
  touch(id: string): void {
    const file = this.state.files.get(id);
    if (!file) return;
    file.version = String(Number(file.version) + 1);
    file.modifiedTime = new Date(this.ticker.next()).toISOString();
  }

  requireFile(id: string): FakeDriveFile {
    const file = this.state.files.get(id);
    if (!file) throw notFound(`File not found: ${id}.`, "fileId");
    return file;
  }

  /** Routes a request whose path starts after "drive/v3/" (upload: after "upload/drive/v3/"). */
  handle(request: FakeRequest, upload: boolean): FakeResponse | undefined {
    const [collection, rawId, sub, ...rest] = request.segments;
    if (collection === "channels" && rawId === "stop" && request.method === "POST" && !upload) return stopChannel(this, request);
    if (collection !== "files" || rest.length > 0) return undefined;
    if (rawId === undefined) {
      if (request.method === "GET" && !upload) return listFiles(this, request);
      if (request.method === "POST") return this.createFile(request, upload);
      return undefined;
    }
    const id = decodeSegment(rawId);
    if (upload) return sub === undefined && request.method === "PATCH" ? this.updateFile(id, request, true) : undefined;
    if (sub === "watch" && request.method === "POST") return watchFile(this, id, request);
    if (sub === "permissions" && request.method === "POST") return createPermission(this, id, request);
    if (sub === "permissions" && request.method === "GET") return listPermissions(this, id, request);
    if (sub !== undefined) return undefined;
    if (request.method === "GET") return this.getFile(id, request);
    if (request.method === "PATCH") return this.updateFile(id, request, false);
    if (request.method === "DELETE") {
      this.requireFile(id);
      this.state.files.delete(id);
      return noContent;
    }
    return undefined;
  }

  toSchema(file: FakeDriveFile): drive_v3.Schema$File {
    const schema: drive_v3.Schema$File = {
      kind: "drive#file",
      id: file.id,
      name: file.name,
      mimeType: file.mimeType,
      parents: [...file.parents],
      version: file.version,
      createdTime: file.createdTime,
      modifiedTime: file.modifiedTime,
      trashed: file.trashed,
      webViewLink: webViewLink(file),
    };
    if (Object.keys(file.appProperties).length > 0) schema.appProperties = { ...file.appProperties };
    if (Object.keys(file.properties).length > 0) schema.properties = { ...file.properties };
    if (file.description !== undefined) schema.description = file.description;
    if (!file.mimeType.startsWith(googleAppsPrefix)) schema.size = String(Buffer.byteLength(file.content ?? ""));
    return schema;
  }

  private getFile(id: string, request: FakeRequest): FakeResponse {
    const file = this.requireFile(id);
    if (queryValue(request.query, "alt") === "media") {
      if (file.mimeType.startsWith(googleAppsPrefix)) {
        throw new GoogleApiError(403, "Only files with binary content can be downloaded. Use Export with Docs Editors files.", { reason: "fileNotDownloadable", location: "alt" });
      }
      return { status: 200, body: Buffer.from(file.content ?? ""), headers: { "content-type": file.mimeType } };
    }
    return ok(selectResponse(this.toSchema(file), queryValue(request.query, "fields"), defaultFileFields));
  }

  private createFile(request: FakeRequest, upload: boolean): FakeResponse {
    const { metadata, media } = upload ? readUpload(request) : { metadata: readJson<drive_v3.Schema$File>(request), media: undefined };
    if (metadata.id != null && this.state.files.has(metadata.id)) throw new GoogleApiError(409, `A file already exists with the provided ID.`, { reason: "duplicate" });
    const mimeType = metadata.mimeType ?? media?.contentType ?? "application/octet-stream";
    const name = metadata.name ?? "Untitled";
    const file = this.registerFile({
      ...(metadata.id == null ? {} : { id: metadata.id }),
      name,
      mimeType,
      parents: metadata.parents ?? ["root"],
      appProperties: stringRecord(metadata.appProperties),
      ...(media === undefined ? {} : { content: media.body.toString("utf8") }),
    });
    file.properties = stringRecord(metadata.properties);
    if (metadata.description != null) file.description = metadata.description;
    if (mimeType === "application/vnd.google-apps.spreadsheet") this.apps?.createSpreadsheet(file.id, name);
    if (mimeType === documentMimeType) this.apps?.importDocument(file.id, name, file.content ?? "");
    return ok(selectResponse(this.toSchema(file), queryValue(request.query, "fields"), defaultFileFields));
  }

  private updateFile(id: string, request: FakeRequest, upload: boolean): FakeResponse {
    const file = this.requireFile(id);
    const { metadata, media } = upload ? readUpload(request) : { metadata: readJson<drive_v3.Schema$File>(request), media: undefined };
    if (metadata.parents !== undefined) {
      throw invalidArgument("The parents field is not directly writable in update requests. Use the addParents and removeParents parameters instead.");
    }
    if (metadata.mimeType != null && metadata.mimeType !== file.mimeType && file.mimeType.startsWith(googleAppsPrefix)) {
      throw invalidArgument("The mimeType of a Google Docs Editors file cannot be changed.");
    }
    const added = (queryValue(request.query, "addParents") ?? "").split(",").filter((parent) => parent !== "");
    const removed = new Set((queryValue(request.query, "removeParents") ?? "").split(",").filter((parent) => parent !== ""));
    file.parents = [...file.parents.filter((parent) => !removed.has(parent)), ...added.filter((parent) => !file.parents.includes(parent))];
    if (metadata.name != null && metadata.name !== file.name) {
      file.name = metadata.name;
      this.apps?.renamed(id, file.name);
    }
    if (metadata.description != null) file.description = metadata.description;
    if (metadata.trashed != null) file.trashed = metadata.trashed;
    file.appProperties = mergeProperties(file.appProperties, metadata.appProperties);
    file.properties = mergeProperties(file.properties, metadata.properties);
    if (media) {
      file.content = media.body.toString("utf8");
      if (file.mimeType === documentMimeType) this.apps?.importDocument(id, file.name, file.content);
    }
    this.touch(id);
    return ok(selectResponse(this.toSchema(file), queryValue(request.query, "fields"), defaultFileFields));
  }
}

function webViewLink(file: FakeDriveFile): string {
  if (file.mimeType === documentMimeType) return `https://docs.google.com/document/d/${file.id}/edit`;
  if (file.mimeType === "application/vnd.google-apps.spreadsheet") return `https://docs.google.com/spreadsheets/d/${file.id}/edit`;
  if (file.mimeType === folderMimeType) return `https://drive.google.com/drive/folders/${file.id}`;
  return `https://drive.google.com/file/d/${file.id}/view`;
}

function stringRecord(record: Record<string, string> | null | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(record ?? {}).filter(([, value]) => value !== null && value !== undefined));
}

/** appProperties/properties merge key by key on update; a null value removes the key. */
function mergeProperties(current: Record<string, string>, patch: Record<string, string | null> | null | undefined): Record<string, string> {
  const merged: Record<string, string> = { ...current };
  for (const [key, value] of Object.entries(patch ?? {})) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

function readUpload(request: FakeRequest): { metadata: drive_v3.Schema$File; media: { contentType: string; body: Buffer } | undefined } {
  const uploadType = queryValue(request.query, "uploadType");
  if (uploadType === "media") {
    return { metadata: {}, media: { contentType: String(request.headers["content-type"] ?? "application/octet-stream"), body: request.body } };
  }
  if (uploadType !== "multipart") throw invalidArgument(`The fake Drive API supports uploadType=multipart or media, not ${uploadType ?? "none"}.`);
  const [metadataPart, mediaPart] = parseMultipart(request.headers["content-type"], request.body);
  if (!metadataPart || !mediaPart) throw invalidArgument("A multipart upload needs a metadata part and a media part.");
  let metadata: drive_v3.Schema$File;
  try {
    metadata = JSON.parse(metadataPart.body.toString("utf8")) as drive_v3.Schema$File;
  } catch {
    throw invalidArgument("Invalid JSON payload received in the metadata part.");
  }
  return { metadata, media: mediaPart };
}
