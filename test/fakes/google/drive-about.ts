/** about.get, files.generateIds, drives.get and drives.list. */
import type { drive_v3 } from "@googleapis/drive";
import { type FakeRequest, type FakeResponse, ok, queryInteger, queryValue, randomFileId } from "./common.js";
import { type FakeDrive, identityOf } from "./drive.js";
import { requireDriveScope } from "./drive-access.js";
import { requireMemberDrive } from "./drive-list.js";
import { permissionIdOf } from "./drive-model.js";
import { GoogleApiError } from "./errors.js";
import { selectResponse } from "./field-mask.js";

/** A Gmail account's free 15 GiB; a service account's My Drive holds nothing (limit "0"). */
const userQuotaBytes = String(15 * 1024 ** 3);

export function aboutGet(drive: FakeDrive, request: FakeRequest): FakeResponse {
  const identity = identityOf(request);
  requireDriveScope(identity, "DriveAbout.Get");
  // Drive refuses about.get without a field selection rather than guess what to compute.
  const fields = queryValue(request.query, "fields");
  if (fields === undefined || fields.trim() === "") throw new GoogleApiError(400, "The 'fields' parameter is required for this method.", { reason: "required", location: "fields" });
  const usage = [...drive.state.files.values()]
    .filter((file) => file.driveId === undefined && file.owners.includes(identity.email))
    .reduce((sum, file) => sum + Buffer.byteLength(file.content ?? ""), 0);
  const body: drive_v3.Schema$About = {
    kind: "drive#about",
    user: { kind: "drive#user", displayName: identity.displayName, emailAddress: identity.email, me: true, permissionId: permissionIdOf(identity.email) },
    storageQuota: {
      limit: identity.kind === "serviceAccount" ? "0" : userQuotaBytes,
      usage: String(usage),
      usageInDrive: String(usage),
      usageInDriveTrash: "0",
    },
  };
  return ok(selectResponse(body, fields));
}

/** Ids a client may then give files.create (or files.copy); any other client-chosen id is refused. */
export function generateIds(drive: FakeDrive, request: FakeRequest): FakeResponse {
  requireDriveScope(identityOf(request), "DriveFiles.GenerateIds");
  const count = queryInteger(request.query, "count", 10);
  if (count < 1 || count > 1000) throw new GoogleApiError(400, "Invalid Value", { reason: "invalid", location: "count" });
  const space = queryValue(request.query, "space") ?? "drive";
  if (space !== "drive") throw new GoogleApiError(400, "Invalid Value", { reason: "invalid", location: "space" });
  const type = queryValue(request.query, "type") ?? "files";
  if (type !== "files" && type !== "shortcuts") throw new GoogleApiError(400, "Invalid Value", { reason: "invalid", location: "type" });
  const ids = Array.from({ length: count }, () => randomFileId());
  for (const id of ids) drive.state.generatedIds.add(id);
  const body: drive_v3.Schema$GeneratedIds = { kind: "drive#generatedIds", space, ids };
  return ok(selectResponse(body, queryValue(request.query, "fields")));
}

function driveResource(drive: FakeDrive, id: string): drive_v3.Schema$Drive {
  const shared = drive.state.drives.get(id);
  return { kind: "drive#drive", id, name: shared?.name ?? "", createdTime: shared?.createdTime ?? "" };
}

export function drivesGet(drive: FakeDrive, id: string, request: FakeRequest): FakeResponse {
  const identity = identityOf(request);
  requireDriveScope(identity, "Drives.Get");
  requireMemberDrive(drive, identity, id);
  return ok(selectResponse(driveResource(drive, id), queryValue(request.query, "fields"), "kind,id,name"));
}

export function drivesList(drive: FakeDrive, request: FakeRequest): FakeResponse {
  const identity = identityOf(request);
  requireDriveScope(identity, "Drives.List");
  const drives = [...drive.state.drives.values()].filter((shared) => shared.members.has(identity.email)).map((shared) => driveResource(drive, shared.id));
  const body: drive_v3.Schema$DriveList = { kind: "drive#driveList", drives };
  return ok(selectResponse(body, queryValue(request.query, "fields"), "kind,nextPageToken,drives(kind,id,name)"));
}
