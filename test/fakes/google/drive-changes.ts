/**
 * Drive's changes feed: changes.getStartPageToken, changes.list and changes.watch. Every recorded change
 * (a creation, a Drive update, a lagged Sheets burst, a deletion) gets a feed position when Drive records it;
 * a listing returns only the latest change per file since the token, as Drive compresses its feed.
 * Page tokens are opaque and bound to their corpus (My Drive or one shared drive).
 */
import type { drive_v3 } from "@googleapis/drive";
import { type FakeRequest, type FakeResponse, ok, queryBoolean, queryInteger, queryValue } from "./common.js";
import { type FakeDrive, accessOf } from "./drive.js";
import { isVisible, requireDriveScope } from "./drive-access.js";
import { openChannel } from "./drive-channels.js";
import { requireMemberDrive } from "./drive-list.js";
import type { FakeDriveFile } from "./drive-model.js";
import { GoogleApiError } from "./errors.js";
import { selectResponse } from "./field-mask.js";
import type { Identity } from "./identities.js";

export interface ChangeEntry {
  seq: number;
  fileId: string;
  time: string;
  driveId?: string;
  removed: boolean;
  /** For a deletion: who could see the file, so only they learn it is gone. */
  visibleTo: string[];
}

/** Which part of the feed a call or a channel reads: My Drive (plus member drives when asked) or one shared drive. */
export interface FeedScope {
  driveId?: string;
  includeItemsFromAllDrives: boolean;
}

/** Drive's default selection for changes.list when no `fields` is given. */
const defaultChangeFields = "kind,nextPageToken,newStartPageToken,changes(kind,changeType,time,removed,fileId,driveId,file(kind,id,name,mimeType))";
const sevenDaysMs = 7 * 86_400_000;

export class ChangeLog {
  readonly entries: ChangeEntry[] = [];

  constructor(private readonly drive: FakeDrive) {}

  record(file: FakeDriveFile, at: number, removed: boolean): ChangeEntry {
    const visibleTo = removed ? this.drive.identities.list().filter((identity) => isVisible(this.drive, identity, file)).map((identity) => identity.email) : [];
    const entry: ChangeEntry = { seq: this.entries.length + 1, fileId: file.id, time: new Date(at).toISOString(), removed, visibleTo };
    if (file.driveId !== undefined) entry.driveId = file.driveId;
    this.entries.push(entry);
    return entry;
  }

  head(): number {
    return this.entries.length;
  }

  /** Whether `identity` reading `scope` sees this entry (a file it can see now, or a deletion of one it could see). */
  shows(entry: ChangeEntry, identity: Identity, scope: FeedScope): boolean {
    if (scope.driveId !== undefined ? entry.driveId !== scope.driveId : entry.driveId !== undefined && !this.memberOf(identity, entry.driveId, scope)) return false;
    if (entry.removed) return entry.visibleTo.includes(identity.email);
    const file = this.drive.state.files.get(entry.fileId);
    return file !== undefined && isVisible(this.drive, identity, file);
  }

  private memberOf(identity: Identity, driveId: string, scope: FeedScope): boolean {
    return scope.includeItemsFromAllDrives && (this.drive.state.drives.get(driveId)?.members.has(identity.email) ?? false);
  }
}

export function pageTokenFor(seq: number, driveId: string | undefined): string {
  return Buffer.from(`changes:${driveId ?? "~"}:${seq}`).toString("base64url");
}

function parsePageToken(token: string, scope: FeedScope): number {
  const match = /^changes:([^:]+):(\d+)$/.exec(Buffer.from(token, "base64url").toString("utf8"));
  if (!match || match[1] !== (scope.driveId ?? "~")) throw new GoogleApiError(400, "Invalid Value", { reason: "invalid", location: "pageToken" });
  return Number(match[2]);
}

/** The corpus of a changes call; a shared drive's feed needs driveId + supportsAllDrives + includeItemsFromAllDrives. */
function feedScope(drive: FakeDrive, request: FakeRequest, method: string, needsInclude: boolean): { identity: Identity; scope: FeedScope } {
  const { identity, supportsAllDrives } = accessOf(request);
  requireDriveScope(identity, method);
  const driveId = queryValue(request.query, "driveId");
  const include = queryBoolean(request.query, "includeItemsFromAllDrives");
  if ((include || driveId !== undefined) && !supportsAllDrives) {
    throw new GoogleApiError(400, "The driveId and includeItemsFromAllDrives parameters require supportsAllDrives to be set to true.", { reason: "invalid", location: "supportsAllDrives" });
  }
  if (driveId !== undefined && needsInclude && !include) {
    throw new GoogleApiError(400, "The includeItemsFromAllDrives parameter must be set to true when driveId is set.", { reason: "teamDriveItemsRequired", location: "includeItemsFromAllDrives" });
  }
  if (driveId !== undefined) requireMemberDrive(drive, identity, driveId);
  return { identity, scope: { ...(driveId === undefined ? {} : { driveId }), includeItemsFromAllDrives: include } };
}

function requiredToken(request: FakeRequest): string {
  const token = queryValue(request.query, "pageToken");
  if (token === undefined || token === "") throw new GoogleApiError(400, "Required parameter: pageToken", { reason: "required", location: "pageToken" });
  return token;
}

export function changesGetStartPageToken(drive: FakeDrive, request: FakeRequest): FakeResponse {
  const { scope } = feedScope(drive, request, "DriveChanges.GetStartPageToken", false);
  const body: drive_v3.Schema$StartPageToken = { kind: "drive#startPageToken", startPageToken: pageTokenFor(drive.changeLog.head(), scope.driveId) };
  return ok(selectResponse(body, queryValue(request.query, "fields"), "kind,startPageToken"));
}

export function changesList(drive: FakeDrive, request: FakeRequest): FakeResponse {
  const { identity, scope } = feedScope(drive, request, "DriveChanges.List", true);
  const after = parsePageToken(requiredToken(request), scope);
  const pageSize = queryInteger(request.query, "pageSize", 100);
  if (pageSize < 1 || pageSize > 1000) throw new GoogleApiError(400, "Invalid Value", { reason: "invalid", location: "pageSize" });
  const spaces = queryValue(request.query, "spaces");
  if (spaces !== undefined && spaces !== "drive") throw new GoogleApiError(400, "Invalid Value", { reason: "invalid", location: "spaces" });
  const includeRemoved = queryValue(request.query, "includeRemoved") !== "false";
  const log = drive.changeLog;
  // Compressed: the latest entry per file since the token, in feed order.
  const latest = new Map<string, ChangeEntry>();
  for (const entry of log.entries.slice(after)) if (log.shows(entry, identity, scope)) latest.set(entry.fileId, entry);
  const pending = [...latest.values()].filter((entry) => includeRemoved || !entry.removed).sort((a, b) => a.seq - b.seq);
  const page = pending.slice(0, pageSize);
  const body: drive_v3.Schema$ChangeList = { kind: "drive#changeList", changes: page.map((entry) => changeResource(drive, entry, identity)) };
  const last = page.at(-1);
  if (pending.length > pageSize && last) body.nextPageToken = pageTokenFor(last.seq, scope.driveId);
  else body.newStartPageToken = pageTokenFor(log.head(), scope.driveId);
  return ok(selectResponse(body, queryValue(request.query, "fields"), defaultChangeFields));
}

function changeResource(drive: FakeDrive, entry: ChangeEntry, identity: Identity): drive_v3.Schema$Change {
  const change: drive_v3.Schema$Change = { kind: "drive#change", changeType: "file", time: entry.time, removed: entry.removed, fileId: entry.fileId };
  if (entry.driveId !== undefined) change.driveId = entry.driveId;
  const file = drive.state.files.get(entry.fileId);
  if (!entry.removed && file) change.file = drive.schemaFor(file, identity);
  return change;
}

/** A changes channel lives at most 7 days (one hour when no expiration is asked). */
export function changesWatch(drive: FakeDrive, request: FakeRequest): FakeResponse {
  const { identity, scope } = feedScope(drive, request, "DriveChanges.Watch", true);
  const token = requiredToken(request);
  parsePageToken(token, scope);
  const query = new URLSearchParams({ alt: "json", pageToken: token, ...(scope.driveId === undefined ? {} : { driveId: scope.driveId, supportsAllDrives: "true" }) });
  if (scope.includeItemsFromAllDrives) query.set("includeItemsFromAllDrives", "true");
  return openChannel(drive, request, {
    kind: "changes",
    resourceKey: `changes:${identity.email}:${scope.driveId ?? "~"}`,
    resourceUri: `https://www.googleapis.com/drive/v3/changes?${query.toString()}`,
    maxLifetimeMs: sevenDaysMs,
    watcherToken: identity.token,
    scope,
  });
}
