/**
 * Google's JSON error bodies, in the shape each API really sends, so product code is tested against what it
 * will read in production:
 * - Sheets v4 and Docs v1 (AIP-193): `{error: {code, message, status, details?: [google.rpc.*]}}`, no `errors[]`;
 *   a plain 400/404 carries no reason at all, quota and auth refusals carry an ErrorInfo in `details`.
 * - Drive v3 and the Cloud Storage JSON API (legacy): `{error: {code, message, errors: [{message, domain, reason, …}]}}`;
 *   Drive adds `status` (and `details`) only on refusals made by Google's front end (auth, scopes, disabled API).
 * Handlers throw a GoogleApiError without knowing the API; the server renders it for the route's API.
 */

export type GoogleApi = "sheets" | "drive" | "docs" | "storage" | "tasks";

const statusNames: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  409: "ALREADY_EXISTS",
  412: "FAILED_PRECONDITION",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  503: "UNAVAILABLE",
};

const defaultReasons: Record<number, string> = {
  400: "badRequest",
  401: "authError",
  403: "forbidden",
  404: "notFound",
  409: "conflict",
  412: "conditionNotMet",
  429: "rateLimitExceeded",
  500: "backendError",
  503: "backendError",
};

const defaultMessages: Record<number, string> = {
  401: "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
  403: "The caller does not have permission",
  429: "Rate Limit Exceeded",
  500: "Internal error encountered.",
  503: "The service is currently unavailable.",
};

/** Legacy reasons Google files under "usageLimits" rather than "global". */
const usageLimitReasons = new Set(["rateLimitExceeded", "userRateLimitExceeded", "storageQuotaExceeded", "dailyLimitExceeded", "accessNotConfigured", "sharingRateLimitExceeded", "teamDriveFileLimitExceeded"]);

export function statusName(status: number): string {
  return statusNames[status] ?? (status >= 500 ? "INTERNAL" : "UNKNOWN");
}

export function defaultReason(status: number): string {
  return defaultReasons[status] ?? (status >= 500 ? "backendError" : "badRequest");
}

export function defaultMessage(status: number): string {
  return defaultMessages[status] ?? `Request failed with status ${status}.`;
}

/** One entry of the legacy `errors[]` array (Drive, Cloud Storage). */
export interface LegacyErrorItem {
  message: string;
  domain: string;
  reason: string;
  location?: string;
  locationType?: string;
  extendedHelp?: string;
}

export interface GoogleErrorBody {
  error: {
    code: number;
    message: string;
    status?: string;
    errors?: LegacyErrorItem[];
    details?: unknown[];
  };
}

export interface ErrorOptions {
  /** Legacy reason (Drive, Storage): "notFound", "storageQuotaExceeded"…; ignored by Sheets/Docs unless `details` say so. */
  reason?: string;
  /** Legacy domain: "global" unless given ("usageLimits" for quota and disabled APIs). */
  domain?: string;
  location?: string;
  locationType?: "parameter" | "header";
  extendedHelp?: string;
  /** google.rpc details (ErrorInfo, Help…), sent by Sheets/Docs always and by Drive on front-end refusals. */
  details?: unknown[];
  /** The refusal came from Google's API front end (auth, scopes, disabled API): Drive then adds status + details. */
  frontEnd?: boolean;
  /** Per-API message when the front end words it differently (Drive's "Invalid Credentials" items). */
  itemMessage?: string;
}

/** Thrown by handlers; the server turns it into the JSON body of the route's API. */
export class GoogleApiError extends Error {
  readonly status: number;
  readonly reason: string;
  readonly location: string | undefined;
  readonly options: ErrorOptions;
  headers: Record<string, string> = {};

  constructor(status: number, message: string, options: ErrorOptions = {}) {
    super(message);
    this.name = "GoogleApiError";
    this.status = status;
    this.reason = options.reason ?? defaultReason(status);
    this.location = options.location;
    this.options = options;
  }

  toBody(api: GoogleApi): GoogleErrorBody {
    return errorBody(api, this.status, this.message, { ...this.options, reason: this.reason });
  }
}

/** The body `api` sends for this failure. */
export function errorBody(api: GoogleApi, status: number, message: string, options: ErrorOptions = {}): GoogleErrorBody {
  if (api === "sheets" || api === "docs" || api === "tasks") {
    const body: GoogleErrorBody = { error: { code: status, message, status: statusName(status) } };
    if (options.details && options.details.length > 0) body.error.details = options.details;
    return body;
  }
  const item: LegacyErrorItem = { message: options.itemMessage ?? message, domain: "global", reason: options.reason ?? defaultReason(status) };
  item.domain = options.domain ?? (usageLimitReasons.has(item.reason) ? "usageLimits" : "global");
  if (options.location !== undefined) {
    item.location = options.location;
    item.locationType = options.locationType ?? "parameter";
  }
  if (options.extendedHelp !== undefined) item.extendedHelp = options.extendedHelp;
  const body: GoogleErrorBody = { error: { code: status, message, errors: [item] } };
  if (api === "drive" && options.frontEnd) {
    body.error.status = statusName(status);
    if (options.details && options.details.length > 0) body.error.details = options.details;
  }
  return body;
}

/** A google.rpc.ErrorInfo detail, as AIP-193 APIs send it. */
export function errorInfo(reason: string, metadata: Record<string, string>, domain = "googleapis.com"): Record<string, unknown> {
  return { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason, domain, metadata };
}

export function invalidArgument(message: string): GoogleApiError {
  return new GoogleApiError(400, message, { reason: "badRequest" });
}

export function notFound(message: string, location?: string): GoogleApiError {
  return new GoogleApiError(404, message, location === undefined ? { reason: "notFound" } : { reason: "notFound", location });
}
