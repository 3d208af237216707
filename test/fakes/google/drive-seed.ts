/**
 * Where a new file lands and who owns it: seeded by a test (a person working in the Drive UI) or created
 * through an API by an identity. A service account has no My Drive storage, so it can only create inside a
 * shared drive; a user's files default to their My Drive ("root").
 */
import { randomFileId } from "./common.js";
import type { FakeDrive } from "./drive.js";
import { accessFile, fileNotFound, insufficientFilePermissions, storageQuotaExceeded } from "./drive-access.js";
import { type FakeDriveFile, type MemberRole, type Role, atLeast, folderMimeType, myDriveRootId, randomDriveId } from "./drive-model.js";
import { ownerPermission, userPermission } from "./drive-permissions.js";
import { GoogleApiError, invalidArgument } from "./errors.js";
import { type Identity, fakeServiceAccount, fakeStaff, fakeUser } from "./identities.js";

export interface SeedInput {
  id?: string;
  name: string;
  mimeType: string;
  /** A folder id, a shared drive id, or "root" (the owner's My Drive). Default: the owner's My Drive. */
  parents?: string[];
  /** Owner of a My Drive item (default: the parent folder's owner, else fakeUser); a shared drive item has none. */
  owner?: string;
  /** Direct shares; a file seeded at the root of a My Drive is by default shared with the service account as writer (the old set-up). */
  sharedWith?: Array<{ email: string; role: Role }>;
  /** Accounts whose drive.file tokens may use the file, as if the app had created it for them. */
  createdByApp?: string[];
  appProperties?: Record<string, string>;
  content?: string;
}

export interface ApiCreateInput {
  id?: string;
  name: string;
  mimeType: string;
  parents?: string[];
  appProperties?: Record<string, string>;
  properties?: Record<string, string>;
  description?: string;
  content?: string;
}

export interface Place {
  parent: string;
  driveId?: string;
  owner?: string;
}

/** The account's My Drive root, made on first use. */
export function rootOf(drive: FakeDrive, email: string): string {
  const id = myDriveRootId(email);
  drive.state.roots.set(id, email);
  return id;
}

function isServiceAccount(drive: FakeDrive, email: string): boolean {
  return drive.identities.byEmail(email)?.kind === "serviceAccount" || email.endsWith(".iam.gserviceaccount.com");
}

function placeSeed(drive: FakeDrive, parents: string[] | undefined, owner: string | undefined): Place {
  if (parents && parents.length !== 1) throw new Error(`A Drive item has exactly one parent, not ${parents.length}.`);
  const parent = parents?.[0] ?? "root";
  if (parent === "root") return { parent: rootOf(drive, owner ?? fakeUser), owner: owner ?? fakeUser };
  const rootOwner = drive.state.roots.get(parent);
  if (rootOwner !== undefined) return { parent, owner: rootOwner };
  if (drive.state.drives.has(parent)) return { parent, driveId: parent };
  const folder = drive.state.files.get(parent);
  if (folder?.mimeType !== folderMimeType) throw new Error(`No folder or shared drive ${parent} in the fake Drive: create it with addFolder or addSharedDrive first.`);
  if (folder.driveId !== undefined) return { parent, driveId: folder.driveId };
  return { parent, owner: owner ?? folder.owners[0] ?? fakeUser };
}

function store(drive: FakeDrive, id: string, place: Place, input: SeedInput | ApiCreateInput, by: string, appAuthorized: string[]): FakeDriveFile {
  const time = new Date(drive.ticker.next()).toISOString();
  const file: FakeDriveFile = {
    id,
    name: input.name,
    mimeType: input.mimeType,
    parents: [place.parent],
    version: "1",
    createdTime: time,
    modifiedTime: time,
    appProperties: { ...input.appProperties },
    properties: { ...("properties" in input ? input.properties : {}) },
    trashed: false,
    owners: place.owner === undefined ? [] : [place.owner],
    appAuthorized,
    lastModifyingUser: by,
    ...(place.driveId === undefined ? {} : { driveId: place.driveId }),
    ...(input.content === undefined ? {} : { content: input.content }),
    ...("description" in input && input.description !== undefined ? { description: input.description } : {}),
  };
  drive.state.files.set(id, file);
  drive.state.permissions.set(id, place.owner === undefined ? [] : [ownerPermission(place.owner)]);
  drive.recordChange(file, Date.parse(time));
  return file;
}

export function seedFile(drive: FakeDrive, input: SeedInput): FakeDriveFile {
  const id = input.id ?? randomFileId();
  if (drive.state.files.has(id)) throw new Error(`The fake Drive already has a file ${id}.`);
  const place = placeSeed(drive, input.parents, input.owner);
  if (place.owner !== undefined && isServiceAccount(drive, place.owner)) throw new Error(`${place.owner} is a service account: it owns no Drive storage.`);
  const file = store(drive, id, place, input, place.owner ?? fakeStaff, input.createdByApp ?? []);
  const inOwnersRoot = input.parents === undefined || (input.parents.length === 1 && input.parents[0] === "root");
  const shares = input.sharedWith ?? (inOwnersRoot ? [{ email: fakeServiceAccount, role: "writer" as const }] : []);
  for (const share of shares) drive.state.permissions.get(id)?.push(userPermission(share.email, share.role));
  return file;
}

export function seedFolder(drive: FakeDrive, input: { id?: string; name: string; parents: string[]; owner?: string }): string {
  return seedFile(drive, { ...input, mimeType: folderMimeType, sharedWith: [] }).id;
}

export function seedSharedDrive(drive: FakeDrive, input: { id?: string; name: string; members: Array<{ email: string; role: MemberRole }> }): string {
  const id = input.id ?? randomDriveId();
  if (drive.state.drives.has(id) || drive.state.files.has(id)) throw new Error(`The fake Drive already has ${id}.`);
  drive.state.drives.set(id, {
    id,
    name: input.name,
    createdTime: new Date(drive.ticker.next()).toISOString(),
    members: new Map(input.members.map((member) => [member.email, member.role])),
  });
  return id;
}

/**
 * Where `identity` may put a file: its own My Drive (users only), a shared drive it contributes to, or a folder it
 * can edit. `keepOwner` is set when an existing file moves: it stays its owner's, so no storage is needed.
 */
export function placeForApi(drive: FakeDrive, identity: Identity, parent: string, supportsAllDrives: boolean, keepOwner?: string): Place {
  const owner = keepOwner ?? identity.email;
  // A new file would belong to the caller, even in someone else's folder: a service account has no storage for it.
  const needsStorage = keepOwner === undefined && identity.kind === "serviceAccount";
  if (parent === "root" || drive.state.roots.get(parent) === identity.email) {
    if (needsStorage) throw storageQuotaExceeded();
    return { parent: rootOf(drive, identity.email), owner };
  }
  const shared = drive.state.drives.get(parent);
  if (shared) {
    const role = shared.members.get(identity.email);
    if (!supportsAllDrives || role === undefined) throw fileNotFound(parent);
    if (!atLeast(role, "writer")) throw insufficientFilePermissions(parent);
    return { parent, driveId: parent };
  }
  const { file: folder } = accessFile(drive, { identity, supportsAllDrives }, parent, "write");
  if (folder.mimeType !== folderMimeType) throw invalidArgument(`The specified parent is not a folder: ${parent}`);
  if (folder.driveId !== undefined) return { parent, driveId: folder.driveId };
  if (needsStorage) throw storageQuotaExceeded();
  return { parent, owner };
}

function claimId(drive: FakeDrive, id: string | undefined): string {
  if (id === undefined) return randomFileId();
  if (drive.state.files.has(id)) throw new GoogleApiError(409, "A file already exists with the provided ID.", { reason: "duplicate", location: "file.id" });
  if (!drive.state.generatedIds.delete(id)) throw new GoogleApiError(400, "The provided file ID is not usable.", { reason: "fileIdNotUsable", location: "file.id" });
  return id;
}

export function createAs(drive: FakeDrive, identity: Identity, input: ApiCreateInput, supportsAllDrives: boolean): FakeDriveFile {
  if (input.parents && input.parents.length > 1) throw new GoogleApiError(403, "Increasing the number of parents is not allowed", { reason: "cannotAddParent" });
  const place = placeForApi(drive, identity, input.parents?.[0] ?? "root", supportsAllDrives);
  return store(drive, claimId(drive, input.id), place, input, identity.email, [identity.email]);
}
