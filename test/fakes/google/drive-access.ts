/**
 * Who may see and change what in the fake Drive: roles from ownership, sharing and shared-drive membership,
 * limited by the token's scopes. Where Drive hides a file it answers 404 "File not found", as Drive does,
 * so a caller cannot tell "missing" from "not yours".
 */
import type { FakeDrive } from "./drive.js";
import { type FakeDriveFile, type Role, atLeast, roleRank } from "./drive-model.js";
import { GoogleApiError, errorInfo, notFound } from "./errors.js";
import { type Identity, hasScope, scopes } from "./identities.js";

/** The fake project's OAuth client, named in Drive's drive.file refusals. */
export const fakeAppId = "123456789012";

export type Need = "metadata" | "content" | "write";

const anyDriveScope = [scopes.drive, scopes.driveReadonly, scopes.driveFile, scopes.driveMetadata, scopes.driveMetadataReadonly];
const scopesFor: Record<Need, string[]> = {
  metadata: [scopes.drive, scopes.driveReadonly, scopes.driveMetadata, scopes.driveMetadataReadonly],
  content: [scopes.drive, scopes.driveReadonly],
  write: [scopes.drive],
};

export function insufficientScopes(method: string): GoogleApiError {
  return new GoogleApiError(403, "Request had insufficient authentication scopes.", {
    reason: "insufficientPermissions",
    itemMessage: "Insufficient Permission",
    frontEnd: true,
    details: [errorInfo("ACCESS_TOKEN_SCOPE_INSUFFICIENT", { service: "drive.googleapis.com", method: `google.apps.drive.v3.${method}` })],
  });
}

export function storageQuotaExceeded(): GoogleApiError {
  return new GoogleApiError(
    403,
    "Service Accounts do not have storage quota. Leverage shared drives (https://developers.google.com/workspace/drive/api/guides/about-shareddrives), or use OAuth delegation (http://support.google.com/a/answer/7281227) instead.",
    { reason: "storageQuotaExceeded", domain: "usageLimits" },
  );
}

export function insufficientFilePermissions(fileId: string): GoogleApiError {
  return new GoogleApiError(403, `The user does not have sufficient permissions for file ${fileId}.`, { reason: "insufficientFilePermissions" });
}

function appNotAuthorized(fileId: string, access: "read" | "write"): GoogleApiError {
  return new GoogleApiError(403, `The user has not granted the app ${fakeAppId} ${access} access to the file ${fileId}.`, { reason: "appNotAuthorizedToFile", location: "fileId" });
}

export function fileNotFound(id: string, location = "fileId"): GoogleApiError {
  return notFound(`File not found: ${id}.`, location);
}

/** Any Drive call needs some Drive scope; a token with only `spreadsheets` is refused before anything is looked up. */
export function requireDriveScope(identity: Identity, method: string): void {
  if (!hasScope(identity, ...anyDriveScope)) throw insufficientScopes(method);
}

/** Whether the token's scopes reach this file for `need` (drive.file: only files the app created or opened for this account). */
export function scopeAllows(identity: Identity, file: FakeDriveFile, need: Need): boolean {
  return hasScope(identity, ...scopesFor[need]) || (hasScope(identity, scopes.driveFile) && file.appAuthorized.includes(identity.email));
}

function better(a: Role | undefined, b: Role | undefined): Role | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return roleRank[a] >= roleRank[b] ? a : b;
}

/** The account's role on the file: ownership, the best permission on the file or a folder above it, shared-drive membership. */
export function roleOf(drive: FakeDrive, email: string, file: FakeDriveFile): Role | undefined {
  let role: Role | undefined = file.owners.includes(email) ? "owner" : undefined;
  if (file.driveId !== undefined) role = better(role, drive.state.drives.get(file.driveId)?.members.get(email));
  const domain = email.split("@")[1];
  const seen = new Set<string>();
  for (let current: FakeDriveFile | undefined = file; current && !seen.has(current.id); current = drive.state.files.get(current.parents[0] ?? "")) {
    seen.add(current.id);
    for (const permission of drive.state.permissions.get(current.id) ?? []) {
      const applies =
        ((permission.type === "user" || permission.type === "group") && permission.emailAddress === email) ||
        (permission.type === "domain" && permission.domain === domain) ||
        permission.type === "anyone";
      if (applies) role = better(role, permission.role as Role);
    }
  }
  return role;
}

export interface AccessRequest {
  identity: Identity;
  supportsAllDrives: boolean;
}

/**
 * The file if the caller may use it for `need`: hidden (404) when it does not exist, sits in a shared drive and the
 * call lacks supportsAllDrives, is not shared with the caller, or lies outside a drive.file token's reach.
 */
export function accessFile(drive: FakeDrive, access: AccessRequest, id: string, need: Need, location = "fileId"): { file: FakeDriveFile; role: Role } {
  const file = drive.state.files.get(id);
  if (!file || (file.driveId !== undefined && !access.supportsAllDrives)) throw fileNotFound(id, location);
  const role = roleOf(drive, access.identity.email, file);
  if (role === undefined || !scopeAllows(access.identity, file, "metadata")) throw fileNotFound(id, location);
  if (need !== "metadata" && !scopeAllows(access.identity, file, need)) {
    if (!hasScope(access.identity, scopes.driveFile)) throw insufficientScopes(need === "write" ? "DriveFiles.Update" : "DriveFiles.Get");
    throw appNotAuthorized(id, need === "write" ? "write" : "read");
  }
  if (need === "write" && !atLeast(role, "writer")) throw insufficientFilePermissions(id);
  return { file, role };
}

/** Whether the file shows up for the caller at all (listings and the changes feed skip what accessFile would hide). */
export function isVisible(drive: FakeDrive, identity: Identity, file: FakeDriveFile): boolean {
  return roleOf(drive, identity.email, file) !== undefined && scopeAllows(identity, file, "metadata");
}
