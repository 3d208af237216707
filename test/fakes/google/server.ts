/**
 * A fake Google API server over real HTTP on 127.0.0.1 for Sheets v4, Drive v3, Docs v1, the Cloud Storage
 * JSON API, Cloud Tasks v2 and Google's OAuth endpoints, as strict as Google: every request needs a known bearer token,
 * disabled APIs and missing scopes are refused, Sheets, Docs, Drive and Storage quotas apply on the injected clock, and
 * errors come in each API's own shape. Point the real clients at it with `rootUrl: fake.url` (and, for Drive
 * media uploads, the per-call option `{ rootUrl: fake.url }`, since googleapis builds upload URLs from the
 * call's options only).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type FakeRequest, type FakeResponse, type Now, Ticker, parseQuery } from "./common.js";
import { FakeDocs } from "./docs.js";
import { FakeDrive, type FakeDriveOptions } from "./drive.js";
import { type GoogleApi, GoogleApiError, defaultMessage, defaultReason, errorInfo } from "./errors.js";
import { type FrontEnd, admit, chargeQuota } from "./front-end.js";
import { sheetsQuotaExceeded, unauthenticated } from "./front-end-errors.js";
import { type IdentityRegistry, createIdentityRegistry } from "./identities.js";
import { FakeOAuth } from "./oauth.js";
import { handleOAuth, isOAuthPath } from "./oauth-http.js";
import { FakeQuotas, type QuotaOptions, sheetsQuotaKind } from "./quota.js";
import { parseBody, readBody, safeDecode, send } from "./server-http.js";
import { FakeSheets } from "./sheets.js";
import { FakeStorage } from "./storage.js";
import { FakeTasks } from "./tasks.js";
import type { DeliveryOptions } from "./tasks-dispatch.js";

export type { FakeCell, FakeSheet, FakeSpreadsheet, CellValue } from "./sheets-model.js";
export type { FakeDriveFile, FakeDriveOptions } from "./drive.js";
export type { FakeChannel } from "./drive-channels.js";
export type { FakePermission } from "./drive-permissions.js";
export type { FakeDocument } from "./docs.js";
export type { StoredObject, StorageObjectResource, StorageObjectList } from "./storage.js";
export type { GoogleApi } from "./errors.js";
export type { Identity } from "./identities.js";
export type { QuotaOptions, QuotaRefusal, SheetsQuotaLimits } from "./quota.js";
export type { IssueCodeOptions, OAuthClient } from "./oauth.js";
export { FakeSheets, FakeDrive, FakeDocs, FakeStorage, FakeOAuth, FakeQuotas, FakeTasks };
export type { FakeQueueConfig, FakeTask } from "./tasks.js";
export { fakeServiceAccount, fakeUser, scopes } from "./identities.js";

export interface RecordedRequest {
  method: string;
  /** The decoded path, with a leading slash: "/v4/spreadsheets/<id>/values:batchGet". */
  path: string;
  query: Record<string, string | string[]>;
  api: GoogleApi;
  /** The parsed JSON body, when the request had one. */
  body?: unknown;
}

export interface RequestFilter {
  api?: GoogleApi;
  method?: string;
  pathIncludes?: string;
}

export interface FakeGoogle {
  /** "http://127.0.0.1:<port>/", the rootUrl for every client (OAuth: `${url}token`, `${url}tokeninfo`). */
  url: string;
  /** Every request to a known API, in order (including refused ones; OAuth requests are not recorded). */
  requests: RecordedRequest[];
  count(filter?: RequestFilter): number;
  resetLog(): void;
  /** The next `times` (default 1) matching requests fail with `status` and the API's own error body. */
  failNext(filter: RequestFilter, status: number, options?: { times?: number; reason?: string; message?: string }): void;
  /** Every later request to `api` answers 403 SERVICE_DISABLED (Drive, Storage: accessNotConfigured) until enabled again. */
  disableApi(api: GoogleApi): void;
  enableApi(api: GoogleApi): void;
  /** Bearer tokens and who they stand for ("test-token": the service account, "user-token": the office's user). */
  identities: IdentityRegistry;
  oauth: FakeOAuth;
  quotas: FakeQuotas;
  /** The Cloud project number quoted in quota and disabled-API errors. */
  projectNumber: string;
  sheets: FakeSheets;
  drive: FakeDrive;
  docs: FakeDocs;
  storage: FakeStorage;
  /** Cloud Tasks: queues, named tasks, dispatch over HTTP driven by the test (tasks-dispatch.ts). */
  tasks: FakeTasks;
  close(): Promise<void>;
}

export interface FakeGoogleOptions {
  /**
   * The clock for modifiedTime, channel expiry, generations, token expiry and quota windows: always the
   * clock the test gives the code under test, so a test never depends on today's date.
   */
  now: Now;
  /** Drive's lag, notification coalescing, duplicates and reordering (drive.ts). */
  drive?: FakeDriveOptions | undefined;
  /** Quota limits (Google's by default; `{ sheets: false }` etc. to turn one off). */
  quotas?: QuotaOptions | undefined;
  /** Cloud Tasks delivery: duplicates and reordering from a seed. */
  tasks?: DeliveryOptions | undefined;
  /** Default "123456789". */
  projectNumber?: string | undefined;
}

interface PendingFailure {
  filter: RequestFilter;
  status: number;
  remaining: number;
  reason: string | undefined;
  message: string | undefined;
}

const routes: Array<{ prefix: string; api: GoogleApi; upload: boolean }> = [
  { prefix: "/v4/", api: "sheets", upload: false },
  { prefix: "/drive/v3/", api: "drive", upload: false },
  { prefix: "/upload/drive/v3/", api: "drive", upload: true },
  { prefix: "/v1/", api: "docs", upload: false },
  { prefix: "/storage/v1/", api: "storage", upload: false },
  { prefix: "/upload/storage/v1/", api: "storage", upload: true },
  { prefix: "/v2/", api: "tasks", upload: false },
];

function matches(request: RecordedRequest, filter: RequestFilter): boolean {
  return (
    (filter.api === undefined || request.api === filter.api) &&
    (filter.method === undefined || request.method === filter.method.toUpperCase()) &&
    (filter.pathIncludes === undefined || request.path.includes(filter.pathIncludes))
  );
}

function failureResponse(error: GoogleApiError, api: GoogleApi): FakeResponse {
  return { status: error.status, body: error.toBody(api), headers: error.headers };
}

/** The error a `failNext` stands for, worded as the API would word it when no reason or message is given. */
function scriptedFailure(pending: PendingFailure, request: RecordedRequest, projectNumber: string): GoogleApiError {
  const { status, reason, message } = pending;
  const custom = reason !== undefined || message !== undefined;
  if (!custom && status === 429 && request.api === "sheets") return sheetsQuotaExceeded(sheetsQuotaKind(request.method, request.path), "user", 60, projectNumber);
  if (!custom && status === 401) return unauthenticated(request.api, "invalid");
  // Sheets and Docs send no legacy reasons; an upper-case reason is an ErrorInfo reason, which they do send.
  const details = reason !== undefined && /^[A-Z_]+$/.test(reason) ? [errorInfo(reason, {})] : undefined;
  return new GoogleApiError(status, message ?? defaultMessage(status), { reason: reason ?? defaultReason(status), ...(details ? { details } : {}) });
}

export async function startFakeGoogle(options: FakeGoogleOptions): Promise<FakeGoogle> {
  const now = options.now;
  const projectNumber = options.projectNumber ?? "123456789";
  const ticker = new Ticker(now);
  const identities = createIdentityRegistry();
  const oauth = new FakeOAuth(now, identities);
  const quotas = new FakeQuotas(now, projectNumber, options.quotas);
  const frontEnd: FrontEnd = { identities, oauth, quotas, disabled: new Set(), projectNumber };
  const drive = new FakeDrive(ticker, now, identities, options.drive ?? {});
  const sheets = new FakeSheets(drive);
  const docs = new FakeDocs(drive);
  const storage = new FakeStorage(ticker, quotas);
  const tasks = new FakeTasks(now, identities, options.tasks ?? {});
  drive.apps = {
    createSpreadsheet: (id, title) => sheets.createEmpty(id, title),
    copySpreadsheet: (fromId, toId, title) => sheets.copy(fromId, toId, title),
    importDocument: (id, title, source) => docs.importDocument(id, title, source),
    exportDocument: (id, mimeType) => docs.exportDocument(id, mimeType),
    renamed: (id, title) => docs.renamed(id, title),
  };
  const requests: RecordedRequest[] = [];
  const failures: PendingFailure[] = [];

  async function dispatch(method: string, rawUrl: string, headers: FakeRequest["headers"], readRequestBody: () => Promise<Buffer>): Promise<FakeResponse> {
    const url = new URL(rawUrl, "http://127.0.0.1");
    if (isOAuthPath(url.pathname)) return handleOAuth(oauth, identities, method, url, await readRequestBody(), headers);
    const route = routes.find((candidate) => url.pathname.startsWith(candidate.prefix));
    if (!route) return { status: 404, body: { error: { code: 404, message: `The fake Google server has no API at ${method} ${url.pathname}`, status: "NOT_FOUND" } } };
    const body = await readRequestBody();
    const query = parseQuery(url.searchParams);
    const recorded: RecordedRequest = { method, path: safeDecode(url.pathname), query, api: route.api };
    const parsed = parseBody(body, headers["content-type"]);
    if (parsed !== undefined) recorded.body = parsed;
    requests.push(recorded);

    const admitted = admit(frontEnd, route.api, method, recorded.path, headers.authorization);
    if (admitted instanceof GoogleApiError) return failureResponse(admitted, route.api);
    const pending = failures.find((candidate) => candidate.remaining > 0 && matches(recorded, candidate.filter));
    if (pending) {
      pending.remaining -= 1;
      if (pending.remaining === 0) failures.splice(failures.indexOf(pending), 1);
      return failureResponse(scriptedFailure(pending, recorded, projectNumber), route.api);
    }
    try {
      chargeQuota(frontEnd, route.api, admitted, method, recorded.path);
      const request: FakeRequest = {
        method,
        segments: url.pathname.slice(route.prefix.length).split("/").filter((segment) => segment !== ""),
        query,
        headers,
        body,
        identity: admitted,
      };
      const handled =
        route.api === "sheets" ? sheets.handle(request)
        : route.api === "drive" ? drive.handle(request, route.upload)
        : route.api === "docs" ? docs.handle(request)
        : route.api === "tasks" ? tasks.handle(request)
        : storage.handle(request, route.upload);
      return handled ?? failureResponse(new GoogleApiError(404, `The fake ${route.api} API has no method ${method} ${url.pathname}`, { reason: "notFound" }), route.api);
    } catch (error) {
      if (error instanceof GoogleApiError) return failureResponse(error, route.api);
      const text = `Fake Google server error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
      return failureResponse(new GoogleApiError(500, text, { reason: "backendError" }), route.api);
    }
  }

  const server = createServer((message, response) => {
    dispatch(message.method ?? "GET", message.url ?? "/", message.headers, () => readBody(message))
      .then((result) => send(response, result))
      .catch(() => response.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    requests,
    count: (filter = {}) => requests.filter((request) => matches(request, filter)).length,
    resetLog: () => {
      requests.length = 0;
    },
    failNext: (filter, status, failOptions = {}) => {
      failures.push({ filter, status, remaining: failOptions.times ?? 1, reason: failOptions.reason, message: failOptions.message });
    },
    disableApi: (api) => void frontEnd.disabled.add(api),
    enableApi: (api) => void frontEnd.disabled.delete(api),
    identities,
    oauth,
    quotas,
    projectNumber,
    sheets,
    drive,
    docs,
    storage,
    tasks,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
