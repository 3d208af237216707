/** files.get/create/update/delete/copy (with multipart and media uploads), each checked against the caller's rights. */
import type { drive_v3 } from "@googleapis/drive";
import { type FakeRequest, type FakeResponse, noContent, ok, parseMultipart, queryValue, readJson } from "./common.js";
import { type FakeDrive, accessOf, identityOf } from "./drive.js";
import { insufficientFilePermissions, insufficientScopes, requireDriveScope } from "./drive-access.js";
import { type FakeDriveFile, atLeast, documentMimeType, folderMimeType, googleAppsPrefix, spreadsheetMimeType } from "./drive-model.js";
import { createAs, placeForApi } from "./drive-seed.js";
import { checkDocumentImport } from "./docx-import.js";
import { GoogleApiError, invalidArgument } from "./errors.js";
import { selectResponse } from "./field-mask.js";
import { type Identity, hasScope, scopes } from "./identities.js";

const defaultFileFields = "kind,id,name,mimeType";

function respond(drive: FakeDrive, file: FakeDriveFile, identity: Identity, request: FakeRequest): FakeResponse {
  return ok(selectResponse(drive.schemaFor(file, identity), queryValue(request.query, "fields"), defaultFileFields));
}

export function getFile(drive: FakeDrive, id: string, request: FakeRequest): FakeResponse {
  const identity = identityOf(request);
  requireDriveScope(identity, "DriveFiles.Get");
  const rootId = id === "root" ? [...drive.state.roots].find(([, email]) => email === identity.email)?.[0] : drive.state.roots.has(id) ? id : undefined;
  if (rootId !== undefined && drive.state.roots.get(rootId) === identity.email) {
    const root: drive_v3.Schema$File = { kind: "drive#file", id: rootId, name: "My Drive", mimeType: folderMimeType, trashed: false };
    return ok(selectResponse(root, queryValue(request.query, "fields"), defaultFileFields));
  }
  if (queryValue(request.query, "alt") === "media") {
    const { file } = drive.access(request, id, "content");
    if (file.mimeType.startsWith(googleAppsPrefix)) {
      throw new GoogleApiError(403, "Only files with binary content can be downloaded. Use Export with Docs Editors files.", { reason: "fileNotDownloadable", location: "alt" });
    }
    return { status: 200, body: Buffer.from(file.content ?? ""), headers: { "content-type": file.mimeType } };
  }
  return respond(drive, drive.access(request, id, "metadata").file, identity, request);
}

/** Creating needs a scope that can write: `drive`, or `drive.file` (the new file then belongs to the app). */
function requireCreateScope(identity: Identity, method: string): void {
  requireDriveScope(identity, method);
  if (!hasScope(identity, scopes.drive, scopes.driveFile)) throw insufficientScopes(method);
}

export function createFile(drive: FakeDrive, request: FakeRequest, upload: boolean): FakeResponse {
  const access = accessOf(request);
  requireCreateScope(access.identity, "DriveFiles.Create");
  const { metadata, media } = upload ? readUpload(request) : { metadata: readJson<drive_v3.Schema$File>(request), media: undefined };
  const mimeType = metadata.mimeType ?? media?.contentType ?? "application/octet-stream";
  const name = metadata.name ?? "Untitled";
  if (mimeType === documentMimeType && media) checkDocumentImport(media.contentType, media.body.length);
  const file = createAs(
    drive,
    access.identity,
    {
      ...(metadata.id == null ? {} : { id: metadata.id }),
      name,
      mimeType,
      ...(metadata.parents == null ? {} : { parents: metadata.parents }),
      appProperties: stringRecord(metadata.appProperties),
      properties: stringRecord(metadata.properties),
      ...(metadata.description == null ? {} : { description: metadata.description }),
      ...(media === undefined || mimeType === documentMimeType ? {} : { content: media.body.toString("utf8") }),
    },
    access.supportsAllDrives,
  );
  if (mimeType === spreadsheetMimeType) drive.apps?.createSpreadsheet(file.id, name);
  // A converted file keeps no bytes of its own: the Doc is what the import made of the media.
  if (mimeType === documentMimeType) drive.apps?.importDocument(file.id, name, media ?? "");
  return respond(drive, file, access.identity, request);
}

export function copyFile(drive: FakeDrive, id: string, request: FakeRequest): FakeResponse {
  const access = accessOf(request);
  requireCreateScope(access.identity, "DriveFiles.Copy");
  const { file: source } = drive.access(request, id, "content");
  const metadata = readJson<drive_v3.Schema$File>(request);
  if (source.mimeType === folderMimeType) throw new GoogleApiError(403, "This file cannot be copied by the user.", { reason: "cannotCopyFile" });
  const name = metadata.name ?? `Copy of ${source.name}`;
  // Without parents, a copy goes where the source is (its "discoverable" parent), as Drive v3 does.
  const copy = createAs(
    drive,
    access.identity,
    {
      ...(metadata.id == null ? {} : { id: metadata.id }),
      name,
      mimeType: source.mimeType,
      parents: metadata.parents ?? source.parents,
      appProperties: { ...source.appProperties, ...stringRecord(metadata.appProperties) },
      properties: { ...source.properties, ...stringRecord(metadata.properties) },
      ...(source.content === undefined ? {} : { content: source.content }),
    },
    access.supportsAllDrives,
  );
  if (source.mimeType === spreadsheetMimeType) {
    if (!drive.apps?.copySpreadsheet) throw new Error("The fake server did not wire drive.apps.copySpreadsheet.");
    drive.apps.copySpreadsheet(source.id, copy.id, name);
  }
  if (source.mimeType === documentMimeType) drive.apps?.importDocument(copy.id, name, copy.content ?? "");
  return respond(drive, copy, access.identity, request);
}

function moveParents(drive: FakeDrive, file: FakeDriveFile, request: FakeRequest): void {
  const added = (queryValue(request.query, "addParents") ?? "").split(",").filter((parent) => parent !== "");
  const removed = new Set((queryValue(request.query, "removeParents") ?? "").split(",").filter((parent) => parent !== ""));
  if (added.length === 0 && removed.size === 0) return;
  const parents = [...file.parents.filter((parent) => !removed.has(parent)), ...added.filter((parent) => !file.parents.includes(parent))];
  if (parents.length > 1) throw new GoogleApiError(403, "Increasing the number of parents is not allowed", { reason: "cannotAddParent" });
  if (parents.length === 0) throw new GoogleApiError(400, "A file must keep one parent; pass addParents with removeParents.", { reason: "invalid", location: "removeParents" });
  const access = accessOf(request);
  for (const parent of added) {
    const place = placeForApi(drive, access.identity, parent, access.supportsAllDrives, file.owners[0]);
    if (place.driveId !== file.driveId) {
      throw new GoogleApiError(403, "The fake Drive does not move items between My Drive and a shared drive, or between shared drives.", { reason: "teamDrivesParentLimit" });
    }
  }
  file.parents = parents;
}

export function updateFile(drive: FakeDrive, id: string, request: FakeRequest, upload: boolean): FakeResponse {
  const identity = identityOf(request);
  requireDriveScope(identity, "DriveFiles.Update");
  const { file, role } = drive.access(request, id, "write");
  const { metadata, media } = upload ? readUpload(request) : { metadata: readJson<drive_v3.Schema$File>(request), media: undefined };
  if (media && file.mimeType === documentMimeType) checkDocumentImport(media.contentType, media.body.length);
  if (metadata.parents !== undefined) {
    throw invalidArgument("The parents field is not directly writable in update requests. Use the addParents and removeParents parameters instead.");
  }
  if (metadata.mimeType != null && metadata.mimeType !== file.mimeType && file.mimeType.startsWith(googleAppsPrefix)) {
    throw invalidArgument("The mimeType of a Google Docs Editors file cannot be changed.");
  }
  // Trashing takes more than editing: the owner in My Drive, a content manager or organizer in a shared drive.
  if (metadata.trashed != null && metadata.trashed !== file.trashed && !atLeast(role, file.driveId === undefined ? "owner" : "fileOrganizer")) {
    throw insufficientFilePermissions(id);
  }
  moveParents(drive, file, request);
  if (metadata.name != null && metadata.name !== file.name) {
    file.name = metadata.name;
    drive.apps?.renamed(id, file.name);
  }
  if (metadata.description != null) file.description = metadata.description;
  if (metadata.trashed != null) file.trashed = metadata.trashed;
  file.appProperties = mergeProperties(file.appProperties, metadata.appProperties);
  file.properties = mergeProperties(file.properties, metadata.properties);
  if (media) {
    if (file.mimeType === documentMimeType) drive.apps?.importDocument(id, file.name, media);
    else file.content = media.body.toString("utf8");
  }
  // A change made through Drive itself is recorded at once (only the editors' own edits lag).
  drive.recordEdit(file, drive.ticker.next(), identity.email);
  return respond(drive, file, identity, request);
}

export function deleteFile(drive: FakeDrive, id: string, request: FakeRequest): FakeResponse {
  requireDriveScope(identityOf(request), "DriveFiles.Delete");
  const { file, role } = drive.access(request, id, "write");
  if (!atLeast(role, file.driveId === undefined ? "owner" : "fileOrganizer")) throw insufficientFilePermissions(id);
  drive.recordChange(file, drive.ticker.next(), true);
  drive.state.files.delete(id);
  return noContent;
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
  try {
    return { metadata: JSON.parse(metadataPart.body.toString("utf8")) as drive_v3.Schema$File, media: mediaPart };
  } catch {
    throw invalidArgument("Invalid JSON payload received in the metadata part.");
  }
}
