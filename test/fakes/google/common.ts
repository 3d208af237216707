/** Request/response shapes shared by the fake APIs, plus ids, time and multipart parsing. */
import { randomBytes, randomInt } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { GoogleApiError, invalidArgument } from "./errors.js";
import type { Identity } from "./identities.js";

export type Query = Record<string, string | string[]>;

export interface FakeRequest {
  method: string;
  /** Path segments after the API prefix, still percent-encoded (object names and A1 ranges may hold "/" or ":"). */
  segments: string[];
  query: Query;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Who the bearer token stands for (the front end has already refused unknown and expired tokens). */
  identity: Identity;
}

export interface FakeResponse {
  status: number;
  /** A JSON value, raw bytes, or nothing (204). */
  body?: unknown;
  headers?: Record<string, string>;
}

export function ok(body: unknown): FakeResponse {
  return { status: 200, body };
}

export const noContent: FakeResponse = { status: 204 };

export function parseQuery(params: URLSearchParams): Query {
  const query: Query = {};
  for (const [key, value] of params) {
    const prior = query[key];
    query[key] = prior === undefined ? value : Array.isArray(prior) ? [...prior, value] : [prior, value];
  }
  return query;
}

/** The last value of a query parameter (the real servers take one when a scalar is repeated). */
export function queryValue(query: Query, key: string): string | undefined {
  const value = query[key];
  return Array.isArray(value) ? value[value.length - 1] : value;
}

export function queryList(query: Query, key: string): string[] {
  const value = query[key];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

export function queryBoolean(query: Query, key: string): boolean {
  return queryValue(query, key) === "true";
}

export function queryInteger(query: Query, key: string, fallback: number): number {
  const raw = queryValue(query, key);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new GoogleApiError(400, `Invalid value '${raw}' for ${key}.`, { reason: "invalid", location: key });
  return value;
}

export function readJson<T>(request: FakeRequest): T {
  if (request.body.length === 0) return {} as T;
  try {
    return JSON.parse(request.body.toString("utf8")) as T;
  } catch {
    throw invalidArgument("Invalid JSON payload received.");
  }
}

export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw invalidArgument(`Invalid percent-encoding in path: ${segment}`);
  }
}

/** A random id in the alphabet Google uses for file ids. */
export function randomFileId(length = 33): string {
  return randomBytes(length).toString("base64url").slice(0, length);
}

/** A random positive 31-bit integer, the range of sheet and protected-range ids. */
export function randomIntId(taken: ReadonlySet<number> = new Set()): number {
  for (;;) {
    const id = randomInt(1, 2 ** 31 - 1);
    if (!taken.has(id)) return id;
  }
}

/** Milliseconds since the epoch; injectable so tests that need a fixed time can pass one. */
export type Now = () => number;

/** Strictly increasing timestamps: two changes in the same millisecond still get distinct modifiedTimes. */
export class Ticker {
  private last = 0;
  constructor(readonly now: Now) {}

  next(): number {
    this.last = Math.max(this.now(), this.last + 1);
    return this.last;
  }
}

export interface MultipartPart {
  contentType: string;
  body: Buffer;
}

/** Parses a multipart/related body as sent by googleapis-common (JSON metadata part, then the media part). */
export function parseMultipart(contentType: string | undefined, body: Buffer): MultipartPart[] {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType ?? "")?.[1];
  if (!contentType?.toLowerCase().startsWith("multipart/") || boundary === undefined) {
    throw invalidArgument("Multipart upload needs a multipart/related body with a boundary.");
  }
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const afterDelimiter = start + delimiter.length;
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === "--") break;
    const end = body.indexOf(delimiter, afterDelimiter);
    if (end === -1) break;
    parts.push(parsePart(body.subarray(afterDelimiter, end)));
    start = end;
  }
  return parts;
}

function parsePart(raw: Buffer): MultipartPart {
  const headerEnd = raw.indexOf("\r\n\r\n");
  if (headerEnd === -1) throw invalidArgument("Malformed multipart part.");
  const headers = raw.subarray(0, headerEnd).toString("utf8");
  let body = raw.subarray(headerEnd + 4);
  if (body.subarray(body.length - 2).toString() === "\r\n") body = body.subarray(0, body.length - 2);
  const contentType = /^content-type:\s*(.+)$/im.exec(headers)?.[1]?.trim() ?? "application/octet-stream";
  return { contentType, body };
}

/** Deep copy of plain JSON-like state (all-or-nothing updates work on a copy). */
export function clone<T>(value: T): T {
  return structuredClone(value);
}
