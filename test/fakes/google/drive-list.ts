/**
 * files.list: `q`, `orderBy`, paging and Drive's default field selection, over the corpus the call names.
 * The default corpus ("user") holds My Drive items the caller can see; a shared drive's items appear only with
 * corpora=drive + driveId (or allDrives) + includeItemsFromAllDrives + supportsAllDrives, as in Drive.
 */
import type { drive_v3 } from "@googleapis/drive";
import { type FakeRequest, type FakeResponse, ok, queryBoolean, queryInteger, queryValue } from "./common.js";
import { type FakeDrive, accessOf } from "./drive.js";
import { isVisible, requireDriveScope } from "./drive-access.js";
import type { FakeDriveFile } from "./drive-model.js";
import { parseDriveQuery } from "./drive-query.js";
import { GoogleApiError, notFound } from "./errors.js";
import { selectResponse } from "./field-mask.js";
import type { Identity } from "./identities.js";

/** Without `fields`, Drive v3 returns only these; code that needs `version` must ask for it. */
const defaultListFields = "kind,incompleteSearch,nextPageToken,files(kind,id,name,mimeType)";

function invalid(message: string, location: string, reason = "invalid"): GoogleApiError {
  return new GoogleApiError(400, message, { reason, location });
}

/** The shared drive if the caller is a member (Drive does not tell a stranger that it exists). */
export function requireMemberDrive(drive: FakeDrive, identity: Identity, driveId: string): void {
  if (!drive.state.drives.get(driveId)?.members.has(identity.email)) throw notFound(`Shared drive not found: ${driveId}`, "driveId");
}

/**
 * The items a corpus holds for the caller; shared by files.list and changes.list. Refuses the parameter
 * combinations Drive refuses, so a caller cannot get an empty answer by accident where Drive would say why.
 */
export function corpusFilter(drive: FakeDrive, request: FakeRequest, corpora: string): (file: FakeDriveFile) => boolean {
  const { identity, supportsAllDrives } = accessOf(request);
  const include = queryBoolean(request.query, "includeItemsFromAllDrives") || queryBoolean(request.query, "includeTeamDriveItems");
  const driveId = queryValue(request.query, "driveId");
  if (include && !supportsAllDrives) {
    throw invalid("The includeItemsFromAllDrives parameter can only be set to true when supportsAllDrives is also set to true.", "includeItemsFromAllDrives");
  }
  if ((driveId !== undefined) !== (corpora === "drive")) {
    throw invalid("The driveId parameter must be specified if and only if corpora is set to drive.", "driveId", "teamDriveIdRequiresTeamDriveCorpora");
  }
  if ((corpora === "drive" || corpora === "allDrives") && !include) {
    throw invalid(`The includeItemsFromAllDrives parameter must be set to true when corpora is set to ${corpora}.`, "includeItemsFromAllDrives", "teamDriveItemsRequired");
  }
  if (driveId !== undefined) requireMemberDrive(drive, identity, driveId);
  const visible = (file: FakeDriveFile): boolean => isVisible(drive, identity, file);
  if (corpora === "drive") return (file) => file.driveId === driveId && visible(file);
  if (corpora === "allDrives") return visible;
  // "user" (and "domain"): My Drive items; a shared drive item only when shared with the caller directly, and asked for.
  return (file) =>
    visible(file) &&
    (file.driveId === undefined || (include && (drive.state.permissions.get(file.id) ?? []).some((permission) => permission.emailAddress === identity.email)));
}

export function listFiles(drive: FakeDrive, request: FakeRequest): FakeResponse {
  const { identity } = accessOf(request);
  requireDriveScope(identity, "DriveFiles.List");
  const corpora = queryValue(request.query, "corpora") ?? "user";
  if (!["user", "domain", "drive", "allDrives"].includes(corpora)) throw invalid("Invalid Value", "corpora");
  const inCorpus = corpusFilter(drive, request, corpora);
  const matches = parseDriveQuery(queryValue(request.query, "q"));
  const pageSize = queryInteger(request.query, "pageSize", 100);
  if (pageSize < 1 || pageSize > 1000) throw invalid("Invalid Value", "pageSize");
  const files = [...drive.state.files.values()].filter((file) => inCorpus(file) && matches(file));
  files.sort(byOrder(queryValue(request.query, "orderBy")));
  const offset = pageOffset(queryValue(request.query, "pageToken"));
  const page = files.slice(offset, offset + pageSize);
  const body: drive_v3.Schema$FileList = { kind: "drive#fileList", incompleteSearch: false, files: page.map((file) => drive.schemaFor(file, identity)) };
  if (offset + pageSize < files.length) body.nextPageToken = Buffer.from(`offset:${offset + pageSize}`).toString("base64url");
  return ok(selectResponse(body, queryValue(request.query, "fields"), defaultListFields));
}

function pageOffset(token: string | undefined): number {
  if (token === undefined) return 0;
  const offset = /^offset:(\d+)$/.exec(Buffer.from(token, "base64url").toString("utf8"))?.[1];
  if (offset === undefined) throw invalid("Invalid Value", "pageToken");
  return Number(offset);
}

const sortKeys: Record<string, (file: FakeDriveFile) => string> = {
  name: (file) => file.name,
  modifiedTime: (file) => file.modifiedTime,
  createdTime: (file) => file.createdTime,
};

/** Creation order unless `orderBy` names name/modifiedTime/createdTime (each optionally " desc"). */
function byOrder(orderBy: string | undefined): (a: FakeDriveFile, b: FakeDriveFile) => number {
  const keys = (orderBy ?? "").split(",").map((part) => part.trim()).filter((part) => part !== "").map((part) => {
    const [field = "", direction] = part.split(/\s+/);
    const key = sortKeys[field];
    if (!key) throw invalid("Invalid Value", "orderBy");
    return { key, sign: direction?.toLowerCase() === "desc" ? -1 : 1 };
  });
  return (a, b) => {
    for (const { key, sign } of keys) {
      const order = key(a).localeCompare(key(b));
      if (order !== 0) return order * sign;
    }
    return 0;
  };
}
