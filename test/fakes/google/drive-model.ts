/** The fake Drive's stored shapes: files, shared drives, roles, and how a file renders as a v3 `File` for one caller. */
import type { drive_v3 } from "@googleapis/drive";
import { createHash, randomBytes } from "node:crypto";
import type { Identity } from "./identities.js";

export const documentMimeType = "application/vnd.google-apps.document";
export const spreadsheetMimeType = "application/vnd.google-apps.spreadsheet";
export const folderMimeType = "application/vnd.google-apps.folder";
export const googleAppsPrefix = "application/vnd.google-apps.";

export type Role = "owner" | "organizer" | "fileOrganizer" | "writer" | "commenter" | "reader";
export type MemberRole = Exclude<Role, "owner">;

/** Higher is more; `writer` and up may edit, `fileOrganizer` and up may trash or delete in a shared drive. */
export const roleRank: Record<Role, number> = { reader: 1, commenter: 2, writer: 3, fileOrganizer: 4, organizer: 5, owner: 6 };

export function atLeast(role: Role | undefined, wanted: Role): boolean {
  return role !== undefined && roleRank[role] >= roleRank[wanted];
}

export interface FakeDriveFile {
  id: string;
  name: string;
  mimeType: string;
  /** One parent: a folder id, a shared drive id, or a user's My Drive root id. */
  parents: string[];
  /** A decimal integer, bumped on every change Drive has recorded (a Sheets edit only after the lag). */
  version: string;
  createdTime: string;
  modifiedTime: string;
  appProperties: Record<string, string>;
  properties: Record<string, string>;
  description?: string;
  /** The uploaded media as text (the HTML of a converted Google Doc). */
  content?: string;
  trashed: boolean;
  /** Set for items of a shared drive, which have no owner. */
  driveId?: string;
  /** The owner's email (My Drive items only). */
  owners: string[];
  /** Accounts for which this app may use the file under the `drive.file` scope (it created the file, or they opened it with the app). */
  appAuthorized: string[];
  lastModifyingUser: string;
}

export interface FakeSharedDrive {
  id: string;
  name: string;
  createdTime: string;
  members: Map<string, MemberRole>;
}

/** Drive's shared-drive ids: 19 characters, "0A…9PVA". */
export function randomDriveId(): string {
  return `0A${randomBytes(12).toString("base64url").slice(0, 13)}9PVA`;
}

/** A user's My Drive root id ("root" is its alias for that user). */
export function myDriveRootId(email: string): string {
  return `0A${createHash("sha256").update(email).digest("base64url").slice(0, 13)}Uk9PVA`;
}

function user(email: string, caller: Identity, displayName: (email: string) => string): drive_v3.Schema$User {
  return { kind: "drive#user", displayName: displayName(email), emailAddress: email, me: email === caller.email, permissionId: permissionIdOf(email) };
}

/** A stable numeric id per account, as Drive's permissionId. */
export function permissionIdOf(email: string): string {
  let hash = 0n;
  for (const char of Buffer.from(email)) hash = (hash * 131n + BigInt(char)) % 10n ** 20n;
  return String(hash).padStart(20, "1");
}

export function webViewLink(file: Pick<FakeDriveFile, "id" | "mimeType">): string {
  if (file.mimeType === documentMimeType) return `https://docs.google.com/document/d/${file.id}/edit`;
  if (file.mimeType === spreadsheetMimeType) return `https://docs.google.com/spreadsheets/d/${file.id}/edit`;
  if (file.mimeType === folderMimeType) return `https://drive.google.com/drive/folders/${file.id}`;
  return `https://drive.google.com/file/d/${file.id}/view`;
}

/** The full v3 resource as `caller` sees it (`me` flags are relative to the caller); field masks apply afterwards. */
export function fileSchema(file: FakeDriveFile, caller: Identity, displayName: (email: string) => string): drive_v3.Schema$File {
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
    lastModifyingUser: user(file.lastModifyingUser, caller, displayName),
    ownedByMe: file.owners.includes(caller.email),
  };
  if (file.driveId === undefined) schema.owners = file.owners.map((owner) => user(owner, caller, displayName));
  else schema.driveId = file.driveId;
  if (Object.keys(file.appProperties).length > 0) schema.appProperties = { ...file.appProperties };
  if (Object.keys(file.properties).length > 0) schema.properties = { ...file.properties };
  if (file.description !== undefined) schema.description = file.description;
  if (!file.mimeType.startsWith(googleAppsPrefix)) schema.size = String(Buffer.byteLength(file.content ?? ""));
  return schema;
}
