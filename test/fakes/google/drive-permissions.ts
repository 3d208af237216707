/** permissions.create and permissions.list on a file, as the caller may: sharing needs edit rights, listing needs to see the file. */
import type { drive_v3 } from "@googleapis/drive";
import { randomInt } from "node:crypto";
import { type FakeRequest, type FakeResponse, clone, ok, queryValue, readJson } from "./common.js";
import type { FakeDrive } from "./drive.js";
import { type Role, permissionIdOf } from "./drive-model.js";
import { invalidArgument } from "./errors.js";
import { selectResponse } from "./field-mask.js";

export { fakeServiceAccount } from "./identities.js";

export interface FakePermission extends drive_v3.Schema$Permission {
  id: string;
  /** The `sendNotificationEmail` query parameter of the create call (Drive's default: true). */
  sentNotificationEmail?: boolean;
}

const roles = ["owner", "organizer", "fileOrganizer", "writer", "commenter", "reader"];
const types = ["user", "group", "domain", "anyone"];

export function ownerPermission(email: string): FakePermission {
  return { kind: "drive#permission", id: permissionIdOf(email), type: "user", role: "owner", emailAddress: email };
}

export function userPermission(email: string, role: Role): FakePermission {
  return { kind: "drive#permission", id: permissionIdOf(email), type: "user", role, emailAddress: email };
}

export function createPermission(drive: FakeDrive, fileId: string, request: FakeRequest): FakeResponse {
  drive.access(request, fileId, "write");
  const body = readJson<drive_v3.Schema$Permission>(request);
  if (!body.role || !roles.includes(body.role)) throw invalidArgument(`Invalid permission role: ${body.role ?? "none"}. Valid roles: ${roles.join(", ")}.`);
  if (!body.type || !types.includes(body.type)) throw invalidArgument(`Invalid permission type: ${body.type ?? "none"}. Valid types: ${types.join(", ")}.`);
  if ((body.type === "user" || body.type === "group") && !body.emailAddress) throw invalidArgument("The permission emailAddress field is required for type user or group.");
  if (body.type === "domain" && !body.domain) throw invalidArgument("The permission domain field is required for type domain.");
  const permission: FakePermission = {
    ...clone(body),
    kind: "drive#permission",
    id: body.type === "anyone" ? "anyoneWithLink" : body.emailAddress ? permissionIdOf(body.emailAddress) : String(randomInt(10 ** 9, 10 ** 10)),
    sentNotificationEmail: queryValue(request.query, "sendNotificationEmail") !== "false",
  };
  const permissions = drive.state.permissions.get(fileId) ?? [];
  permissions.push(permission);
  drive.state.permissions.set(fileId, permissions);
  return ok(selectResponse(toSchema(permission), queryValue(request.query, "fields"), "kind,id,type,role"));
}

/** Direct permissions, then (for a shared drive item) the drive's members, which Drive lists as inherited. */
export function listPermissions(drive: FakeDrive, fileId: string, request: FakeRequest): FakeResponse {
  const { file } = drive.access(request, fileId, "metadata");
  const members: drive_v3.Schema$Permission[] = [];
  const shared = file.driveId === undefined ? undefined : drive.state.drives.get(file.driveId);
  for (const [email, role] of shared?.members ?? []) {
    members.push({
      kind: "drive#permission",
      id: permissionIdOf(email),
      type: "user",
      role,
      emailAddress: email,
      permissionDetails: [{ permissionType: "member", role, inherited: true, inheritedFrom: shared?.id ?? "" }],
    });
  }
  const body: drive_v3.Schema$PermissionList = {
    kind: "drive#permissionList",
    permissions: [...(drive.state.permissions.get(fileId) ?? []).map(toSchema), ...members],
  };
  return ok(selectResponse(body, queryValue(request.query, "fields"), "kind,permissions(kind,id,type,role)"));
}

function toSchema(permission: FakePermission): drive_v3.Schema$Permission {
  const { sentNotificationEmail: _sent, ...schema } = permission;
  return clone(schema);
}
