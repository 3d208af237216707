/**
 * What Google's API front end decides before a method runs, in Google's order: who the bearer token is
 * (401), whether the API is enabled in the project (403 SERVICE_DISABLED), whether the token's scopes
 * allow this API at all (403), and the per-minute quotas (Sheets and Docs 429, Drive 403). Per-file access and Drive's per-method
 * scopes are left to the API fakes.
 */
import type { GoogleApi, GoogleApiError } from "./errors.js";
import { insufficientScopes, serviceDisabled, unauthenticated } from "./front-end-errors.js";
import { type Identity, type IdentityRegistry, scopes } from "./identities.js";
import type { FakeOAuth } from "./oauth.js";
import { type FakeQuotas, sheetsQuotaKind } from "./quota.js";

const base = "https://www.googleapis.com/auth/";

/** Scopes that let a token call the API at all: [for any method, for reads only]. */
const apiScopes: Partial<Record<GoogleApi, [string[], string[]]>> = {
  sheets: [[scopes.spreadsheets, scopes.drive, scopes.driveFile], [`${base}spreadsheets.readonly`, scopes.driveReadonly]],
  docs: [[scopes.documents, scopes.drive, scopes.driveFile], [`${base}documents.readonly`, scopes.driveReadonly]],
  storage: [[scopes.devstorageReadWrite, scopes.devstorageFullControl, scopes.cloudPlatform], [`${base}devstorage.read_only`, `${base}cloud-platform.read-only`]],
  tasks: [[scopes.cloudPlatform], [`${base}cloud-platform.read-only`]],
};

export interface FrontEnd {
  identities: IdentityRegistry;
  oauth: FakeOAuth;
  quotas: FakeQuotas;
  disabled: Set<GoogleApi>;
  projectNumber: string;
}

function isRead(api: GoogleApi, method: string, path: string): boolean {
  return api === "sheets" ? sheetsQuotaKind(method, path) === "read" : method === "GET";
}

/** The caller's identity, or the GoogleApiError the front end answers with. */
export function admit(frontEnd: FrontEnd, api: GoogleApi, method: string, path: string, authorization: string | undefined): Identity | GoogleApiError {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];
  if (token === undefined) return unauthenticated(api, "missing");
  const identity = frontEnd.identities.byToken(token);
  const state = frontEnd.oauth.stateOf(token);
  if (!identity || state === "revoked") return unauthenticated(api, "invalid");
  if (state === "expired") return unauthenticated(api, "expired");
  if (frontEnd.disabled.has(api)) return serviceDisabled(api, frontEnd.projectNumber);
  const accepted = apiScopes[api];
  if (accepted) {
    const [any, reads] = accepted;
    const granted = identity.scopes.some((scope) => any.includes(scope) || (isRead(api, method, path) && reads.includes(scope)));
    if (!granted) return insufficientScopes(api);
  }
  return identity;
}

/** Counts the request against its per-minute quota (Sheets, Docs, Drive), or throws the refusal that API sends. */
export function chargeQuota(frontEnd: FrontEnd, api: GoogleApi, identity: Identity, method: string, path: string): void {
  if (api === "sheets") frontEnd.quotas.admitSheets(identity.email, sheetsQuotaKind(method, path));
  else if (api === "docs") frontEnd.quotas.admitDocs(identity.email, method === "GET" ? "read" : "write");
  else if (api === "drive") frontEnd.quotas.admitDrive(identity.email);
}
