/**
 * ChangeFeed over Drive's changes API: a start page token, every change since a token (all
 * pages, then Drive's newStartPageToken for next time), and the push channel on the feed.
 */
import type { drive_v3 } from "@googleapis/drive";
import { TieuchiError } from "../../errors.js";
import type { ChangeBatch, ChangeFeed, FileChange } from "../../ports.js";
import { WARD_FILE_FIELDS, wardFileOf } from "./changed-files.js";
import { changesScope, stopChannel, watchChanges } from "./channels.js";
import type { GoogleClients } from "./clients.js";
import { type RetryOptions, withRetry } from "./retry.js";

const CHANGE_FIELDS = `nextPageToken,newStartPageToken,changes(changeType,removed,fileId,file(${WARD_FILE_FIELDS}))`;

/** Drive's change as the port's FileChange; null for changes of a shared drive itself. */
function fileChangeOf(change: drive_v3.Schema$Change): FileChange | null {
  if (change.changeType === "drive" || !change.fileId) return null;
  const file = change.file;
  const removed = change.removed === true || !file || file.trashed === true;
  return { fileId: change.fileId, removed, file: removed ? null : wardFileOf({ ...file, id: file.id ?? change.fileId }) };
}

export async function startPageToken(clients: Pick<GoogleClients, "drive">, driveId: string | null, retry: RetryOptions = {}): Promise<string> {
  const scope = driveId ? { driveId, supportsAllDrives: true } : {};
  const response = await withRetry("drive.changes.getStartPageToken", () => clients.drive.changes.getStartPageToken(scope), { ...retry, idempotent: true });
  const token = response.data.startPageToken;
  if (!token) throw new TieuchiError("Drive changes.getStartPageToken trả về không có startPageToken");
  return token;
}

/** Every change since `pageToken`, following Drive's pages to the end of the feed. */
export async function listChanges(clients: Pick<GoogleClients, "drive">, pageToken: string, driveId: string | null, retry: RetryOptions = {}): Promise<ChangeBatch> {
  const changes: FileChange[] = [];
  let token = pageToken;
  for (;;) {
    const page = token;
    const response = await withRetry(
      "drive.changes.list",
      () => clients.drive.changes.list({ pageToken: page, pageSize: 1000, includeRemoved: true, spaces: "drive", fields: CHANGE_FIELDS, ...changesScope(driveId) }),
      { ...retry, idempotent: true },
    );
    changes.push(...(response.data.changes ?? []).map(fileChangeOf).filter((c): c is FileChange => c !== null));
    if (response.data.newStartPageToken) return { changes, nextPageToken: response.data.newStartPageToken };
    if (!response.data.nextPageToken) throw new TieuchiError("Drive changes.list trả về không có nextPageToken lẫn newStartPageToken");
    token = response.data.nextPageToken;
  }
}

/** The ChangeFeed port for the given Drive client. */
export function googleChangeFeed(clients: Pick<GoogleClients, "drive">, retry: RetryOptions = {}): ChangeFeed {
  return {
    startPageToken: (driveId) => startPageToken(clients, driveId, retry),
    list: (pageToken, driveId) => listChanges(clients, pageToken, driveId, retry),
    watch: (pageToken, driveId, channel) => watchChanges(clients, pageToken, driveId, channel, retry),
    stop: (channel) => stopChannel(clients, channel, retry),
  };
}
