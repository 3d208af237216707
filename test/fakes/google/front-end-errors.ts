/**
 * Refusals made by Google's API front end before any method runs (credentials, scopes, disabled API, quota),
 * worded and shaped as each API sends them. Texts follow bodies seen from the real services; the project
 * number stands for the caller's Cloud project.
 */
import { type GoogleApi, GoogleApiError, errorInfo } from "./errors.js";

const services: Record<GoogleApi, { service: string; title: string }> = {
  sheets: { service: "sheets.googleapis.com", title: "Google Sheets API" },
  drive: { service: "drive.googleapis.com", title: "Google Drive API" },
  docs: { service: "docs.googleapis.com", title: "Google Docs API" },
  storage: { service: "storage.googleapis.com", title: "Cloud Storage JSON API" },
  tasks: { service: "cloudtasks.googleapis.com", title: "Cloud Tasks API" },
};

export function serviceOf(api: GoogleApi): string {
  return services[api].service;
}

const realm = 'Bearer realm="https://accounts.google.com/"';
const devconsole = "Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.";

/** 401: no bearer token (`missing`), or one Google does not know or that has expired. */
export function unauthenticated(api: GoogleApi, problem: "missing" | "invalid" | "expired"): GoogleApiError {
  const missing = problem === "missing";
  const message = missing ? `Request is missing required authentication credential. ${devconsole}` : `Request had invalid authentication credentials. ${devconsole}`;
  const reason = missing ? "CREDENTIALS_MISSING" : problem === "expired" ? "ACCESS_TOKEN_EXPIRED" : "ACCESS_TOKEN_TYPE_UNSUPPORTED";
  const legacy = missing ? { reason: "required", itemMessage: "Login Required." } : { reason: "authError", itemMessage: "Invalid Credentials" };
  const error =
    api === "storage"
      ? new GoogleApiError(401, missing ? "Anonymous caller does not have storage.objects.get access to the Google Cloud Storage object." : "Invalid Credentials", { ...legacy, location: "Authorization", locationType: "header" })
      : new GoogleApiError(401, message, { ...legacy, location: "Authorization", locationType: "header", frontEnd: true, details: [errorInfo(reason, { service: serviceOf(api) })] });
  error.headers = { "www-authenticate": missing ? realm : `${realm}, error="invalid_token"` };
  return error;
}

/** 403: the token was granted none of the scopes this API accepts. */
export function insufficientScopes(api: GoogleApi): GoogleApiError {
  const error =
    api === "storage"
      ? new GoogleApiError(403, "Provided scope(s) are not authorized", { reason: "forbidden" })
      : new GoogleApiError(403, "Request had insufficient authentication scopes.", {
          reason: "insufficientPermissions",
          itemMessage: "Insufficient Permission",
          frontEnd: true,
          details: [errorInfo("ACCESS_TOKEN_SCOPE_INSUFFICIENT", { service: serviceOf(api) })],
        });
  error.headers = { "www-authenticate": `${realm}, error="insufficient_scope"` };
  return error;
}

/** 403: the API is not enabled in the caller's project (SERVICE_DISABLED; Drive and Storage: accessNotConfigured). */
export function serviceDisabled(api: GoogleApi, projectNumber: string): GoogleApiError {
  const { service, title } = services[api];
  const activationUrl = `https://console.developers.google.com/apis/api/${service}/overview?project=${projectNumber}`;
  const message = `${title} has not been used in project ${projectNumber} before or it is disabled. Enable it by visiting ${activationUrl} then retry. If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry.`;
  return new GoogleApiError(403, message, {
    reason: "accessNotConfigured",
    domain: "usageLimits",
    extendedHelp: "https://console.developers.google.com",
    frontEnd: true,
    details: [
      errorInfo("SERVICE_DISABLED", { service, consumer: `projects/${projectNumber}`, activationUrl, serviceTitle: title, containerInfo: projectNumber }),
      { "@type": "type.googleapis.com/google.rpc.LocalizedMessage", locale: "en-US", message },
      { "@type": "type.googleapis.com/google.rpc.Help", links: [{ description: "Google developers console API activation", url: activationUrl }] },
    ],
  });
}

export type SheetsQuotaKind = "read" | "write";
export type QuotaScope = "user" | "project";

/** 429 RESOURCE_EXHAUSTED for a per-minute request quota of Sheets or Docs (per user = per identity, or per project). */
function requestQuotaExceeded(api: "sheets" | "docs", kind: SheetsQuotaKind, scope: QuotaScope, limit: number, projectNumber: string): GoogleApiError {
  const service = serviceOf(api);
  const metric = kind === "read" ? "Read requests" : "Write requests";
  const limitName = scope === "user" ? `${metric} per minute per user` : `${metric} per minute`;
  const limitId = `${kind === "read" ? "Read" : "Write"}RequestsPerMinutePer${scope === "user" ? "User" : "Project"}`;
  const message = `Quota exceeded for quota metric '${metric}' and limit '${limitName}' of service '${service}' for consumer 'project_number:${projectNumber}'.`;
  return new GoogleApiError(429, message, {
    reason: "rateLimitExceeded",
    details: [
      errorInfo("RATE_LIMIT_EXCEEDED", {
        quota_metric: `${service}/${kind}_requests`,
        quota_limit: limitId,
        quota_limit_value: String(limit),
        quota_location: "global",
        quota_unit: scope === "user" ? "1/min/{project}/{user}" : "1/min/{project}",
        service,
        consumer: `projects/${projectNumber}`,
      }),
      { "@type": "type.googleapis.com/google.rpc.Help", links: [{ description: "Request a higher quota limit.", url: "https://cloud.google.com/docs/quotas/help/request_increase" }] },
    ],
  });
}

/** 429 RESOURCE_EXHAUSTED for a Sheets per-minute quota. */
export function sheetsQuotaExceeded(kind: SheetsQuotaKind, scope: QuotaScope, limit: number, projectNumber: string): GoogleApiError {
  return requestQuotaExceeded("sheets", kind, scope, limit, projectNumber);
}

/** 429 RESOURCE_EXHAUSTED for a Docs per-minute quota (worded as Sheets', the same front end). */
export function docsQuotaExceeded(kind: SheetsQuotaKind, scope: QuotaScope, limit: number, projectNumber: string): GoogleApiError {
  return requestQuotaExceeded("docs", kind, scope, limit, projectNumber);
}

/**
 * Drive's per-minute query quota, as its error guide shows it: 403 with the legacy `errors[]`, domain
 * usageLimits, reason userRateLimitExceeded for the per-user limit and rateLimitExceeded for the project's.
 */
export function driveRateLimitExceeded(scope: QuotaScope, projectNumber: string): GoogleApiError {
  if (scope === "project") return new GoogleApiError(403, "Rate Limit Exceeded", { reason: "rateLimitExceeded", domain: "usageLimits" });
  const console = `https://console.developers.google.com/apis/api/drive.googleapis.com/quotas?project=${projectNumber}`;
  const message = `User Rate Limit Exceeded. Rate of requests for user exceed configured project quota. You may consider re-evaluating expected per-user traffic to the API and adjust project quota limits accordingly. You may monitor aggregate quota usage and adjust limits in the API Console: ${console}`;
  return new GoogleApiError(403, message, { reason: "userRateLimitExceeded", domain: "usageLimits", extendedHelp: console });
}

/** 429 from Cloud Storage: more than one mutation per second of one object name. */
export function objectMutationRateExceeded(bucket: string, name: string): GoogleApiError {
  const message = `The object ${bucket}/${name} exceeded the rate limit for object mutation operations (create, update, and delete). Please reduce your request rate. See https://cloud.google.com/storage/docs/gcs429.`;
  return new GoogleApiError(429, message, { reason: "rateLimitExceeded", domain: "usageLimits" });
}
