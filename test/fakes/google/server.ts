/**
 * A fake Google API server over real HTTP on 127.0.0.1 for Sheets v4, Drive v3, Docs v1 and the Cloud Storage
 * JSON API. Point the real clients at it with `rootUrl: fake.url` (and, for Drive media uploads, the per-call
 * option `{ rootUrl: fake.url }`, since googleapis builds upload URLs from the call's options only).
 */
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type FakeRequest, type FakeResponse, type Now, Ticker, parseQuery } from "./common.js";
import { FakeDocs } from "./docs.js";
import { FakeDrive } from "./drive.js";
import { GoogleApiError, defaultMessage, defaultReason, errorBody } from "./errors.js";
import { FakeSheets } from "./sheets.js";
import { FakeStorage } from "./storage.js";

export type { FakeCell, FakeSheet, FakeSpreadsheet, CellValue } from "./sheets-model.js";
export type { FakeDriveFile } from "./drive.js";
export type { FakeChannel } from "./drive-channels.js";
export type { FakePermission } from "./drive-permissions.js";
export type { FakeDocument } from "./docs.js";
export type { StoredObject, StorageObjectResource, StorageObjectList } from "./storage.js";
export { FakeSheets, FakeDrive, FakeDocs, FakeStorage };
export { fakeServiceAccount } from "./drive-permissions.js";

export type GoogleApi = "sheets" | "drive" | "docs" | "storage";

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
  /** "http://127.0.0.1:<port>/", the rootUrl for every client. */
  url: string;
  /** Every request to a known API, in order (including refused ones). */
  requests: RecordedRequest[];
  count(filter?: RequestFilter): number;
  resetLog(): void;
  /** The next `times` (default 1) matching requests fail with `status` and a Google-style error body. */
  failNext(filter: RequestFilter, status: number, options?: { times?: number; reason?: string; message?: string }): void;
  sheets: FakeSheets;
  drive: FakeDrive;
  docs: FakeDocs;
  storage: FakeStorage;
  close(): Promise<void>;
}

export interface FakeGoogleOptions {
  /**
   * The clock for modifiedTime, channel expiry and generations: always the clock the test gives the
   * code under test, so a test never depends on today's date.
   */
  now: Now;
}

interface PendingFailure {
  filter: RequestFilter;
  status: number;
  remaining: number;
  reason: string;
  message: string;
}

const routes: Array<{ prefix: string; api: GoogleApi; upload: boolean }> = [
  { prefix: "/v4/", api: "sheets", upload: false },
  { prefix: "/drive/v3/", api: "drive", upload: false },
  { prefix: "/upload/drive/v3/", api: "drive", upload: true },
  { prefix: "/v1/", api: "docs", upload: false },
  { prefix: "/storage/v1/", api: "storage", upload: false },
  { prefix: "/upload/storage/v1/", api: "storage", upload: true },
];

function matches(request: RecordedRequest, filter: RequestFilter): boolean {
  return (
    (filter.api === undefined || request.api === filter.api) &&
    (filter.method === undefined || request.method === filter.method.toUpperCase()) &&
    (filter.pathIncludes === undefined || request.path.includes(filter.pathIncludes))
  );
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function parseBody(body: Buffer, contentType: string | undefined): unknown {
  if (body.length === 0 || !contentType?.includes("json")) return undefined;
  try {
    return JSON.parse(body.toString("utf8")) as unknown;
  } catch {
    return undefined;
  }
}

async function readBody(message: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of message) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function send(response: ServerResponse, result: FakeResponse): void {
  if (result.status === 204 || result.body === undefined) {
    response.writeHead(result.status, result.headers).end();
    return;
  }
  const isBytes = Buffer.isBuffer(result.body);
  const payload = isBytes ? (result.body as Buffer) : Buffer.from(JSON.stringify(result.body, null, 2));
  const headers = { "content-type": isBytes ? "application/octet-stream" : "application/json; charset=UTF-8", ...result.headers, "content-length": String(payload.length) };
  response.writeHead(result.status, headers).end(payload);
}

function failure(status: number, message: string, reason: string): FakeResponse {
  return { status, body: errorBody(status, message, reason) };
}

export async function startFakeGoogle(options: FakeGoogleOptions): Promise<FakeGoogle> {
  const now = options.now;
  const ticker = new Ticker(now);
  const drive = new FakeDrive(ticker, now);
  const sheets = new FakeSheets(drive);
  const docs = new FakeDocs(drive);
  const storage = new FakeStorage(ticker);
  drive.apps = {
    createSpreadsheet: (id, title) => sheets.createEmpty(id, title),
    importDocument: (id, title, html) => docs.importDocument(id, title, html),
    renamed: (id, title) => docs.renamed(id, title),
  };
  const requests: RecordedRequest[] = [];
  const failures: PendingFailure[] = [];

  async function dispatch(message: IncomingMessage): Promise<FakeResponse> {
    const url = new URL(message.url ?? "/", "http://127.0.0.1");
    const route = routes.find((candidate) => url.pathname.startsWith(candidate.prefix));
    if (!route) return failure(404, `The fake Google server has no API at ${message.method ?? "GET"} ${url.pathname}`, "notFound");
    const body = await readBody(message);
    const query = parseQuery(url.searchParams);
    const recorded: RecordedRequest = { method: message.method ?? "GET", path: safeDecode(url.pathname), query, api: route.api };
    const parsed = parseBody(body, message.headers["content-type"]);
    if (parsed !== undefined) recorded.body = parsed;
    requests.push(recorded);

    if (!/^Bearer\s+\S+/i.test(message.headers.authorization ?? "")) {
      return { status: 401, body: errorBody(401, defaultMessage(401), "required", "Authorization"), headers: { "www-authenticate": 'Bearer realm="https://accounts.google.com/"' } };
    }
    const pending = failures.find((candidate) => candidate.remaining > 0 && matches(recorded, candidate.filter));
    if (pending) {
      pending.remaining -= 1;
      if (pending.remaining === 0) failures.splice(failures.indexOf(pending), 1);
      return failure(pending.status, pending.message, pending.reason);
    }
    const request: FakeRequest = {
      method: recorded.method,
      segments: url.pathname.slice(route.prefix.length).split("/").filter((segment) => segment !== ""),
      query,
      headers: message.headers,
      body,
    };
    const handled =
      route.api === "sheets" ? sheets.handle(request)
      : route.api === "drive" ? drive.handle(request, route.upload)
      : route.api === "docs" ? docs.handle(request)
      : storage.handle(request, route.upload);
    return handled ?? failure(404, `The fake ${route.api} API has no method ${recorded.method} ${url.pathname}`, "notFound");
  }

  const server = createServer((message, response) => {
    dispatch(message)
      .catch((error: unknown) => {
        if (error instanceof GoogleApiError) return { status: error.status, body: error.toBody() };
        return failure(500, `Fake Google server error: ${error instanceof Error ? error.stack ?? error.message : String(error)}`, "backendError");
      })
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
      failures.push({
        filter,
        status,
        remaining: failOptions.times ?? 1,
        reason: failOptions.reason ?? defaultReason(status),
        message: failOptions.message ?? defaultMessage(status),
      });
    },
    sheets,
    drive,
    docs,
    storage,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
