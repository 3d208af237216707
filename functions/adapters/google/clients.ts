/**
 * The Sheets, Drive and Docs clients, built from the per-API modules (the monolithic
 * "googleapis" entry costs ~1 s of cold start). Their built-in retry is off: it skips POST
 * and ignores the quota window, so retry.ts is the single retry policy.
 */
import { docs, type docs_v1 } from "@googleapis/docs";
import { drive, type drive_v3 } from "@googleapis/drive";
import { sheets, type sheets_v4 } from "@googleapis/sheets";
import { GoogleAuth, OAuth2Client } from "google-auth-library";
import { type Env, parseGoogleAuthEnv } from "../../config.js";
import { ConfigError } from "../../errors.js";

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
 * Scopes of the service account (shared-drive setup). Least privilege comes from membership
 * here: a service account owns no files and reaches only what is shared with it, i.e. the
 * one shared drive it is Content manager of. Within it, the service must create spreadsheets
 * in a folder a person made, which drive.file refuses ("the user has not granted the app
 * write access" to the folder), so it asks for:
 * - drive: create, share, list and watch the files of that shared drive (and Docs reports);
 * - spreadsheets: read the ward spreadsheets and write the service's own tabs.
 */
export const GOOGLE_SCOPES: readonly string[] = ["https://www.googleapis.com/auth/spreadsheets", "https://www.googleapis.com/auth/drive"];

/**
 * Scopes when the service acts as a Google user (plain Gmail account, no shared drive),
 * narrower than a service account's because a user's token reaches the user's whole Drive:
 * - drive.file: create the ward spreadsheets, the report Docs and the folders that hold them,
 *   share them, list and watch them; only files the app created (or was given) are visible;
 * - spreadsheets: read and write the town summary spreadsheet, which the admin may have
 *   created by hand (drive.file would not reach it).
 * Both are what the consent screen asks for; neither is a "restricted" scope.
 */
export const USER_SCOPES: readonly string[] = ["https://www.googleapis.com/auth/drive.file", "https://www.googleapis.com/auth/spreadsheets"];

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

/** Google's OAuth endpoints, or an emulator's (the fake serves /token and /o/oauth2/v2/auth at its root). */
export function oauthEndpoints(rootUrl: string | null | undefined): { oauth2TokenUrl?: string; oauth2AuthBaseUrl?: string; tokenInfoUrl?: string } {
  if (!rootUrl) return {};
  return { oauth2TokenUrl: new URL("token", rootUrl).href, oauth2AuthBaseUrl: new URL("o/oauth2/v2/auth", rootUrl).href, tokenInfoUrl: new URL("tokeninfo", rootUrl).href };
}

/** Who the service is towards Google, and with which credentials. */
export interface GoogleAuthSetup {
  /** "emulator": a fixed token; "user": a Google user through OAuth (My Drive); "serviceAccount": ADC (shared drive). */
  mode: "emulator" | "user" | "serviceAccount";
  /** For Sheets, Drive and Docs. */
  google: GoogleAuthClient;
  /** For the state bucket: always the runtime's own identity (ADC), never the user's. */
  state: GoogleAuthClient;
  rootUrl: string | undefined;
}

/**
 * The ONE place that chooses credentials, for the cloud runtime and the CLI alike:
 * TIEUCHI_GOOGLE_ACCESS_TOKEN (an emulator) → that token for everything;
 * TIEUCHI_OAUTH_REFRESH_TOKEN (+ TIEUCHI_OAUTH_CLIENT_ID/SECRET) → act as that user;
 * otherwise Application Default Credentials (the function's service account).
 * Throws ConfigError listing what is missing.
 */
export function googleAuthFromEnv(env: Env): GoogleAuthSetup {
  const parsed = parseGoogleAuthEnv(env);
  if (!parsed.success) throw new ConfigError("môi trường", parsed.problems);
  const { rootUrl, accessToken, user } = parsed.data;
  const root = rootUrl ?? undefined;
  if (accessToken && !user) {
    const fixed = serviceAuth(accessToken);
    return { mode: "emulator", google: fixed, state: fixed, rootUrl: root };
  }
  const state = accessToken ? serviceAuth(accessToken) : defaultAuth([STATE_SCOPE]);
  if (!user) return { mode: "serviceAccount", google: defaultAuth([...GOOGLE_SCOPES, STATE_SCOPE]), state, rootUrl: root };
  const client = new OAuth2Client({ clientId: user.clientId, clientSecret: user.clientSecret, endpoints: oauthEndpoints(rootUrl) });
  client.setCredentials({ refresh_token: user.refreshToken });
  return { mode: "user", google: client, state, rootUrl: root };
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
