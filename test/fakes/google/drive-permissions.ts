/** permissions.create and permissions.list on a file. */
import type { drive_v3 } from "@googleapis/drive";
import { randomInt } from "node:crypto";
import { type FakeRequest, type FakeResponse, clone, ok, queryValue, readJson } from "./common.js";
import type { FakeDrive } from "./drive.js";
import { invalidArgument } from "./errors.js";
import { selectResponse } from "./field-mask.js";

export interface FakePermission extends drive_v3.Schema$Permission {
  id: string;
  /** The `sendNotificationEmail` query parameter of the create call (Drive's default: true). */
  sentNotificationEmail?: boolean;
}

/** The account the fake acts as: owner of every file it creates. */
export const fakeServiceAccount = "fake-service-account@fake-project.iam.gserviceaccount.com";

const roles = ["owner", "organizer", "fileOrganizer", "writer", "commenter", "reader"];
const types = ["user", "group", "domain", "anyone"];

export function ownerPermission(): FakePermission {
  return { kind: "drive#permission", id: "owner-permission", type: "user", role: "owner", emailAddress: fakeServiceAccount };
}

export function createPermission(drive: FakeDrive, fileId: string, request: FakeRequest): FakeResponse {
  drive.requireFile(fileId);
  const body = readJson<drive_v3.Schema$Permission>(request);
  if (!body.role || !roles.includes(body.role)) throw invalidArgument(`Invalid permission role: ${body.role ?? "none"}. Valid roles: ${roles.join(", ")}.`);
  if (!body.type || !types.includes(body.type)) throw invalidArgument(`Invalid permission type: ${body.type ?? "none"}. Valid types: ${types.join(", ")}.`);
  if ((body.type === "user" || body.type === "group") && !body.emailAddress) throw invalidArgument("The permission emailAddress field is required for type user or group.");
  if (body.type === "domain" && !body.domain) throw invalidArgument("The permission domain field is required for type domain.");
  const permission: FakePermission = {
    ...clone(body),
    kind: "drive#permission",
    id: body.type === "anyone" ? "anyoneWithLink" : String(randomInt(10 ** 9, 10 ** 10)) + String(randomInt(10 ** 9, 10 ** 10)),
    sentNotificationEmail: queryValue(request.query, "sendNotificationEmail") !== "false",
  };
  const permissions = drive.state.permissions.get(fileId) ?? [];
  permissions.push(permission);
  drive.state.permissions.set(fileId, permissions);
  return ok(selectResponse(toSchema(permission), queryValue(request.query, "fields"), "kind,id,type,role"));
}

export function listPermissions(drive: FakeDrive, fileId: string, request: FakeRequest): FakeResponse {
  drive.requireFile(fileId);
  const body: drive_v3.Schema$PermissionList = {
    kind: "drive#permissionList",
    permissions: (drive.state.permissions.get(fileId) ?? []).map(toSchema),
  };
  return ok(selectResponse(body, queryValue(request.query, "fields"), "kind,permissions(kind,id,type,role)"));
}

function toSchema(permission: FakePermission): drive_v3.Schema$Permission {
  const { sentNotificationEmail: _sent, ...schema } = permission;
  return clone(schema);
}
