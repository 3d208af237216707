/**
 * The wards folder as Drive sees it: which drive holds it (asked once, then cached by the
 * caller) and one listing of its spreadsheets. The sweep uses the changes feed; this listing
 * is only its daily safety net.
 */
import type { drive_v3 } from "@googleapis/drive";
import type { FileModifier, WardFile, WardFolder } from "../../ports.js";
import type { GoogleClients } from "./clients.js";
import { type RetryOptions, withRetry } from "./retry.js";

export const SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet";

/** The file fields every ward-file read asks for (listing and changes feed alike). */
export const WARD_FILE_FIELDS = "id,name,mimeType,parents,trashed,version,modifiedTime,lastModifyingUser(me,emailAddress,displayName)";

/** A value quoted for a Drive query: backslashes and apostrophes escaped. */
export function driveQueryString(value: string): string {
  return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}

/** The query for the live spreadsheets directly inside a folder. */
function wardFilesQuery(folderId: string): string {
  return `${driveQueryString(folderId)} in parents and mimeType = '${SPREADSHEET_MIME}' and trashed = false`;
}

/**
 * Where a listing looks. A shared drive's items are returned only with corpora=drive and its
 * id (Drive answers an empty list otherwise); a user's My Drive is the "user" corpus.
 */
export function listingScope(driveId: string | null): Pick<drive_v3.Params$Resource$Files$List, "corpora" | "driveId" | "supportsAllDrives" | "includeItemsFromAllDrives"> {
  return driveId ? { corpora: "drive", driveId, supportsAllDrives: true, includeItemsFromAllDrives: true } : { corpora: "user" };
}

/** Drive's lastModifyingUser as the port's FileModifier; null when Drive does not say. */
function modifierOf(user: drive_v3.Schema$User | undefined): FileModifier | null {
  return user ? { me: user.me === true, email: user.emailAddress ?? null, name: user.displayName ?? null } : null;
}

/** A Drive file resource as a WardFile. */
export function wardFileOf(f: drive_v3.Schema$File): WardFile {
  return { id: f.id ?? "", name: f.name ?? "", version: f.version ?? "", modifiedTime: f.modifiedTime ?? "", lastModifyingUser: modifierOf(f.lastModifyingUser) };
}

/**
 * Every spreadsheet in the folder (not trashed), page by page.
 *
 * @example await listWardFiles(clients, "1AbC…", "0AXyz…") // [{ id, name: "Nghi Hương", version: "42", … }]
 */
export async function listWardFiles(clients: Pick<GoogleClients, "drive">, folderId: string, driveId: string | null, retry: RetryOptions = {}): Promise<WardFile[]> {
  const files: WardFile[] = [];
  let pageToken: string | undefined;
  do {
    const token = pageToken;
    const response = await withRetry(
      "drive.files.list",
      () =>
        clients.drive.files.list({
          q: wardFilesQuery(folderId),
          fields: `nextPageToken, files(${WARD_FILE_FIELDS})`,
          pageSize: 1000,
          ...listingScope(driveId),
          ...(token === undefined ? {} : { pageToken: token }),
        }),
      { ...retry, idempotent: true },
    );
    files.push(...(response.data.files ?? []).map(wardFileOf));
    pageToken = response.data.nextPageToken ?? undefined;
  } while (pageToken);
  return files;
}

/** The shared drive a folder belongs to, or null when it is in a user's My Drive. */
export async function driveIdOf(clients: Pick<GoogleClients, "drive">, folderId: string, retry: RetryOptions = {}): Promise<string | null> {
  const response = await withRetry("drive.files.get", () => clients.drive.files.get({ fileId: folderId, fields: "driveId", supportsAllDrives: true }), { ...retry, idempotent: true });
  return response.data.driveId ?? null;
}

/** The WardFolder port over one folder. */
export function googleWardFolder(clients: Pick<GoogleClients, "drive">, folderId: string, retry: RetryOptions = {}): WardFolder {
  return { driveId: () => driveIdOf(clients, folderId, retry), list: (driveId) => listWardFiles(clients, folderId, driveId, retry) };
}

/**
 * Who last changed a spreadsheet, as Drive reports it (lastModifyingUser; Drive coalesces a
 * burst of edits and names its last editor), or null when Drive does not say.
 */
export async function lastModifierOf(clients: Pick<GoogleClients, "drive">, fileId: string, retry: RetryOptions = {}): Promise<FileModifier | null> {
  const response = await withRetry(
    "drive.files.get",
    () => clients.drive.files.get({ fileId, fields: "lastModifyingUser(me,emailAddress,displayName)", supportsAllDrives: true }),
    { ...retry, idempotent: true },
  );
  return modifierOf(response.data.lastModifyingUser);
}
