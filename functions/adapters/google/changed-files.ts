/**
 * The wards folder in one Drive listing (one files.list per page of 1000): every ward
 * spreadsheet with its version, so a sweep reads only the wards whose version moved.
 */
import type { WardFile, WardFileLister } from "../../ports.js";
import type { GoogleClients } from "./clients.js";
import { statusOf } from "./google-errors.js";
import { type RetryOptions, withRetry } from "./retry.js";

export const SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet";

/** A value quoted for a Drive query: backslashes and apostrophes escaped. */
export function driveQueryString(value: string): string {
  return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}

/** The query for the live spreadsheets directly inside a folder. */
export function wardFilesQuery(folderId: string): string {
  return `${driveQueryString(folderId)} in parents and mimeType = '${SPREADSHEET_MIME}' and trashed = false`;
}

/**
 * Every spreadsheet in the folder (not trashed), page by page.
 *
 * @example await listWardFiles(clients, "1AbC…") // [{ id, name: "Nghi Hương", version: "42", modifiedTime }]
 */
export async function listWardFiles(clients: Pick<GoogleClients, "drive">, folderId: string, retry: RetryOptions = {}): Promise<WardFile[]> {
  const files: WardFile[] = [];
  let pageToken: string | undefined;
  do {
    const token = pageToken;
    const response = await withRetry(
      "drive.files.list",
      () =>
        clients.drive.files.list({
          q: wardFilesQuery(folderId),
          fields: "nextPageToken, files(id, name, version, modifiedTime)",
          pageSize: 1000,
          // The folder may live in a shared drive (service accounts own no storage of their own).
          supportsAllDrives: true,
          includeItemsFromAllDrives: true,
          ...(token === undefined ? {} : { pageToken: token }),
        }),
      { ...retry, idempotent: true },
    );
    for (const f of response.data.files ?? []) {
      files.push({ id: f.id ?? "", name: f.name ?? "", version: f.version ?? "", modifiedTime: f.modifiedTime ?? "" });
    }
    pageToken = response.data.nextPageToken ?? undefined;
  } while (pageToken);
  return files;
}

/** One file's version, or null when it no longer exists. */
export async function fileVersion(clients: Pick<GoogleClients, "drive">, fileId: string, retry: RetryOptions = {}): Promise<string | null> {
  try {
    const response = await withRetry("drive.files.get", () => clients.drive.files.get({ fileId, fields: "version", supportsAllDrives: true }), { ...retry, idempotent: true });
    return response.data.version ?? null;
  } catch (error) {
    if (statusOf((error as { cause?: unknown }).cause ?? error) === 404 || statusOf(error) === 404) return null;
    throw error;
  }
}

/** The WardFileLister port over one folder. */
export function googleWardFileLister(clients: Pick<GoogleClients, "drive">, folderId: string, retry: RetryOptions = {}): WardFileLister {
  return { list: () => listWardFiles(clients, folderId, retry), version: (fileId) => fileVersion(clients, fileId, retry) };
}
