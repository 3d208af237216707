/**
 * The Sheets, Drive and Docs clients, built from the per-API modules (the monolithic
 * "googleapis" entry costs ~1 s of cold start). Their built-in retry is off: it skips POST
 * and ignores the quota window, so retry.ts is the single retry policy.
 */
import { docs, type docs_v1 } from "@googleapis/docs";
import { drive, type drive_v3 } from "@googleapis/drive";
import { sheets, type sheets_v4 } from "@googleapis/sheets";
import { GoogleAuth, OAuth2Client } from "google-auth-library";

/** What the clients accept as credentials: a GoogleAuth, an OAuth2Client, an external account client. */
export type GoogleAuthClient = Exclude<sheets_v4.Options["auth"], string | undefined>;

export interface GoogleClients {
  sheets: sheets_v4.Sheets;
  drive: drive_v3.Drive;
  docs: docs_v1.Docs;
  /**
   * The API root when it is not Google's (a fake server in tests). Media uploads build their
   * URL before the client-level rootUrl applies, so they must pass `{ rootUrl }` per call.
   */
  rootUrl: string | undefined;
}

/**
 * Scopes, chosen for least privilege:
 * - spreadsheets: read the ward spreadsheets (whoever created them, once shared with the
 *   service account) and write the service's own tabs;
 * - drive.metadata.readonly: list the wards folder and watch files for changes, which
 *   drive.file cannot do for spreadsheets staff created themselves;
 * - drive.file: create and update the report Docs the service itself creates (Docs API
 *   batchUpdate accepts it for those files).
 * The full "drive" scope (read and delete any file shared with the account) is not needed.
 */
export const GOOGLE_SCOPES: readonly string[] = [
  "https://www.googleapis.com/auth/spreadsheets",
  "https://www.googleapis.com/auth/drive.metadata.readonly",
  "https://www.googleapis.com/auth/drive.file",
];

/** Per-request timeout; a timed-out call counts as a dropped connection for retry.ts. */
const DEFAULT_TIMEOUT_MS = 30_000;

/** Cloud Storage, for the durable state bucket. */
export const STATE_SCOPE = "https://www.googleapis.com/auth/devstorage.read_write";

/**
 * The credentials of a runtime: Application Default Credentials with every scope the service
 * uses, or, for an emulator or fake (tests), a fixed bearer token.
 */
export function serviceAuth(accessToken: string | null): GoogleAuthClient {
  if (!accessToken) return defaultAuth([...GOOGLE_SCOPES, STATE_SCOPE]);
  const client = new OAuth2Client();
  client.setCredentials({ access_token: accessToken, expiry_date: Date.now() + 365 * 24 * 60 * 60 * 1000 });
  return client;
}

/** Application Default Credentials (the function's service account in the cloud; `gcloud auth application-default login` on a laptop). No key files. */
export function defaultAuth(scopes: readonly string[] = GOOGLE_SCOPES): GoogleAuth {
  return new GoogleAuth({ scopes: [...scopes] });
}

/** The three clients sharing one credential, with retry off and an optional root URL. */
export function createGoogleClients(options: { auth: GoogleAuthClient; rootUrl?: string; timeoutMs?: number }): GoogleClients {
  const common = {
    auth: options.auth,
    retry: false,
    timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    ...(options.rootUrl === undefined ? {} : { rootUrl: options.rootUrl }),
  };
  return {
    sheets: sheets({ version: "v4", ...common }),
    drive: drive({ version: "v3", ...common }),
    docs: docs({ version: "v1", ...common }),
    rootUrl: options.rootUrl,
  };
}

/** Method options for a media upload: the root URL again, since uploads ignore the client's. */
export function uploadOptions(clients: Pick<GoogleClients, "rootUrl">): { rootUrl?: string } {
  return clients.rootUrl === undefined ? {} : { rootUrl: clients.rootUrl };
}
