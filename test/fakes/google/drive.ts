/**
 * The fake Drive v3 API, as strict as Drive: every call is made by an identity (request.identity) and sees only
 * what that identity may see with its token's scopes; service accounts own no storage; shared-drive items need
 * supportsAllDrives; Sheets edits reach Drive (version, modifiedTime, changes, pushes) only after a lag.
 */
import { exportFile } from "./drive-export.js";
import { type FakeRequest, type FakeResponse, type Now, type Ticker, clone, decodeSegment, queryBoolean } from "./common.js";
import { type AccessRequest, accessFile, roleOf } from "./drive-access.js";
import { aboutGet, drivesGet, drivesList, generateIds } from "./drive-about.js";
import { ChangeLog, changesGetStartPageToken, changesList, changesWatch } from "./drive-changes.js";
import { type FakeChannel, type ResourceState, notificationHeaders, stopChannel, watchFile } from "./drive-channels.js";
import { copyFile, createFile, deleteFile, getFile, updateFile } from "./drive-files.js";
import { listFiles } from "./drive-list.js";
import { type FakeDriveFile, type FakeSharedDrive, type MemberRole, type Role, fileSchema, spreadsheetMimeType } from "./drive-model.js";
import { type DeliveredNotification, type NotificationOptions, NotificationQueue } from "./drive-notify.js";
import { type FakePermission, createPermission, listPermissions, userPermission } from "./drive-permissions.js";
import { type SeedInput, createAs, seedFile, seedFolder, seedSharedDrive } from "./drive-seed.js";
import { EditLag } from "./drive-lag.js";
import { type Identity, type IdentityRegistry, fakeServiceAccount, fakeStaff } from "./identities.js";

export { documentMimeType, folderMimeType, spreadsheetMimeType } from "./drive-model.js";
export type { FakeDriveFile, FakeSharedDrive, Role } from "./drive-model.js";

/** Drive's own coalescing of Sheets edits: change notifications for a spreadsheet arrive about every 3 minutes. */
export const defaultDriveLagMs = 180_000;

export interface FakeDriveOptions {
  /** How long a Sheets edit takes to reach Drive's version, modifiedTime, changes feed and pushes (default 3 min). */
  lagMs?: number;
  notifications?: NotificationOptions;
}

/** What Drive does to the other editors when a Google file is created, copied or converted. */
export interface DriveApps {
  createSpreadsheet(id: string, title: string): void;
  copySpreadsheet?(fromId: string, toId: string, title: string): void;
  /** Creates the Docs document, or replaces its body (and resets its style) on a re-import. */
  importDocument(id: string, title: string, source: string | { contentType: string; body: Buffer }): void;
  renamed(id: string, title: string): void;
  /** files.export of a Doc: its bytes in `mimeType`, or null when Drive cannot export to that type. */
  exportDocument?(id: string, mimeType: string): { contentType: string; body: Buffer } | null;
}

export class FakeDrive {
  readonly state = {
    files: new Map<string, FakeDriveFile>(),
    channels: new Map<string, FakeChannel>(),
    permissions: new Map<string, FakePermission[]>(),
    resourceIds: new Map<string, string>(),
    drives: new Map<string, FakeSharedDrive>(),
    /** Ids handed out by files.generateIds and not used yet. */
    generatedIds: new Set<string>(),
    /** My Drive root id → its owner's email. */
    roots: new Map<string, string>(),
  };
  apps: DriveApps | undefined;
  readonly lagMs: number;
  readonly changeLog: ChangeLog;
  readonly notifications: NotificationQueue;
  private readonly lag = new EditLag();

  constructor(
    readonly ticker: Ticker,
    readonly now: Now,
    readonly identities: IdentityRegistry,
    options: FakeDriveOptions = {},
  ) {
    this.lagMs = options.lagMs ?? defaultDriveLagMs;
    this.changeLog = new ChangeLog(this);
    this.notifications = new NotificationQueue(options.notifications ?? {});
  }

  /** The stored file as Drive has recorded it so far (a Sheets edit inside the lag does not show yet). */
  file(id: string): FakeDriveFile | undefined {
    this.settle();
    const file = this.state.files.get(id);
    return file && clone(file);
  }

  files(): FakeDriveFile[] {
    this.settle();
    return [...this.state.files.values()].map((file) => clone(file));
  }

  /** Channels not yet stopped nor expired. */
  channels(): FakeChannel[] {
    const now = this.now();
    return [...this.state.channels.values()].filter((channel) => channel.expiration > now).map((channel) => clone(channel));
  }

  /** The headers of a push Drive would send on `channelId` now, bypassing the queue (e.g. "update" with changed "content"). */
  notificationHeaders(channelId: string, state: ResourceState = "update", changed?: string): Record<string, string> {
    return notificationHeaders(this, channelId, state, changed);
  }

  /** The pushes whose time has come, for the test to POST to `address`: delayed, coalesced per channel, maybe duplicated or reordered. */
  dueNotifications(): DeliveredNotification[] {
    this.settle();
    return this.notifications.due(this);
  }

  /** Direct permissions of the file (shared-drive membership is not listed here). */
  permissions(id: string): FakePermission[] {
    return clone(this.state.permissions.get(id) ?? []);
  }

  /** Seeds a file as a person made it in the Drive UI (see SeedInput for where it lands and who can see it). */
  registerFile(input: SeedInput): FakeDriveFile {
    this.settle();
    return seedFile(this, input);
  }

  addSharedDrive(input: { id?: string; name: string; members: Array<{ email: string; role: MemberRole }> }): string {
    return seedSharedDrive(this, input);
  }

  /** A folder made by hand: in a shared drive when its parent is one (or a folder in one), else in `owner`'s My Drive. */
  addFolder(input: { id?: string; name: string; parents: string[]; owner?: string }): string {
    this.settle();
    return seedFolder(this, input);
  }

  /** Shares the file with `email` as its owner would in the Drive UI (no notification, no change entry). */
  share(fileId: string, email: string, role: Exclude<Role, "owner">): void {
    this.requireFile(fileId);
    this.state.permissions.get(fileId)?.push(userPermission(email, role));
  }

  /** As if `email` picked the file with the app's file picker: drive.file tokens of that account may now use it. */
  openWithApp(fileId: string, email: string = fakeServiceAccount): void {
    const file = this.requireFile(fileId);
    if (!file.appAuthorized.includes(email)) file.appAuthorized.push(email);
  }

  /** A file created through an API by `identity` (Drive files.create, Sheets/Docs create): ownership and storage rules apply. */
  createFileAs(identity: Identity, input: Parameters<typeof createAs>[2], supportsAllDrives = true): FakeDriveFile {
    this.settle();
    return createAs(this, identity, input, supportsAllDrives);
  }

  /** The caller's role on the file, or undefined when the file is missing or not shared with it. */
  roleOf(who: Identity | string, fileId: string): Role | undefined {
    const file = this.state.files.get(fileId);
    return file && roleOf(this, typeof who === "string" ? who : who.email, file);
  }

  /**
   * Records an edit by `by`. A spreadsheet edit reaches Drive only after `lagMs` and a burst becomes one change;
   * anything else (Drive metadata, Docs) is recorded at once.
   */
  touch(id: string, by: string = fakeStaff): void {
    const file = this.state.files.get(id);
    if (!file) return;
    if (file.mimeType === spreadsheetMimeType && this.lagMs > 0) this.lag.record(id, this.now(), by);
    else this.recordEdit(file, this.ticker.next(), by);
  }

  /** Applies the lagged edits whose time has come; every entry point calls it first, so time alone moves Drive. */
  settle(): void {
    for (const edit of this.lag.due(this.now(), this.lagMs)) {
      const file = this.state.files.get(edit.fileId);
      if (file) this.recordEdit(file, edit.lastAt, edit.by, edit.firstAt + this.lagMs);
    }
  }

  /** One recorded change: version +1, modifiedTime, last editor, an entry in the changes feed, pushes. */
  recordEdit(file: FakeDriveFile, modifiedAt: number, by: string, recordedAt = modifiedAt): void {
    file.version = String(Number(file.version) + 1);
    file.modifiedTime = new Date(Math.max(modifiedAt, Date.parse(file.modifiedTime) + 1)).toISOString();
    file.lastModifyingUser = by;
    this.recordChange(file, recordedAt);
  }

  recordChange(file: FakeDriveFile, at: number, removed = false): void {
    const entry = this.changeLog.record(file, at, removed);
    this.notifications.changed(this, file, entry);
  }

  requireFile(id: string): FakeDriveFile {
    const file = this.state.files.get(id);
    if (!file) throw new Error(`No file ${id} in the fake Drive.`);
    return file;
  }

  /** The file as the caller would read it, before any field mask. */
  schemaFor(file: FakeDriveFile, caller: Identity): ReturnType<typeof fileSchema> {
    return fileSchema(file, caller, (email) => this.identities.byEmail(email)?.displayName ?? email.split("@")[0] ?? email);
  }

  access(request: FakeRequest, id: string, need: Parameters<typeof accessFile>[3], location?: string): { file: FakeDriveFile; role: Role } {
    return accessFile(this, accessOf(request), id, need, location);
  }

  /** Routes a request whose path starts after "drive/v3/" (upload: after "upload/drive/v3/"). */
  handle(request: FakeRequest, upload: boolean): FakeResponse | undefined {
    this.settle();
    const [collection, rawId, sub, ...rest] = request.segments;
    const method = request.method;
    if (rest.length > 0) return undefined;
    if (upload) {
      if (collection !== "files") return undefined;
      if (rawId === undefined) return method === "POST" ? createFile(this, request, true) : undefined;
      return sub === undefined && method === "PATCH" ? updateFile(this, decodeSegment(rawId), request, true) : undefined;
    }
    if (collection === "channels" && rawId === "stop" && method === "POST") return stopChannel(this, request);
    if (collection === "about" && rawId === undefined && method === "GET") return aboutGet(this, request);
    if (collection === "drives" && method === "GET") return rawId === undefined ? drivesList(this, request) : drivesGet(this, decodeSegment(rawId), request);
    if (collection === "changes") {
      if (rawId === undefined && method === "GET") return changesList(this, request);
      if (rawId === "startPageToken" && method === "GET") return changesGetStartPageToken(this, request);
      if (rawId === "watch" && method === "POST") return changesWatch(this, request);
      return undefined;
    }
    if (collection !== "files") return undefined;
    if (rawId === undefined) {
      if (method === "GET") return listFiles(this, request);
      if (method === "POST") return createFile(this, request, false);
      return undefined;
    }
    if (rawId === "generateIds" && method === "GET") return generateIds(this, request);
    const id = decodeSegment(rawId);
    if (sub === "watch" && method === "POST") return watchFile(this, id, request);
    if (sub === "copy" && method === "POST") return copyFile(this, id, request);
    if (sub === "export" && method === "GET") return exportFile(this, id, request);
    if (sub === "permissions" && method === "POST") return createPermission(this, id, request);
    if (sub === "permissions" && method === "GET") return listPermissions(this, id, request);
    if (sub !== undefined) return undefined;
    if (method === "GET") return getFile(this, id, request);
    if (method === "PATCH") return updateFile(this, id, request, false);
    if (method === "DELETE") return deleteFile(this, id, request);
    return undefined;
  }
}

/** The caller and its supportsAllDrives flag, as every per-file check needs them. */
export function accessOf(request: FakeRequest): AccessRequest {
  return { identity: identityOf(request), supportsAllDrives: queryBoolean(request.query, "supportsAllDrives") || queryBoolean(request.query, "supportsTeamDrives") };
}

/** The identity the server resolved from the bearer token. */
export function identityOf(request: FakeRequest): Identity {
  return request.identity;
}
