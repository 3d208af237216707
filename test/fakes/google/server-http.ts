/** Reading requests and writing responses for the fake server (no Google semantics here). */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { FakeResponse } from "./common.js";

export function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

export function parseBody(body: Buffer, contentType: string | undefined): unknown {
  if (body.length === 0 || !contentType?.includes("json")) return undefined;
  try {
    return JSON.parse(body.toString("utf8")) as unknown;
  } catch {
    return undefined;
  }
}

export async function readBody(message: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of message) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function send(response: ServerResponse, result: FakeResponse): void {
  if (result.status === 204 || result.body === undefined) {
    response.writeHead(result.status, result.headers).end();
    return;
  }
  const isBytes = Buffer.isBuffer(result.body);
  const payload = isBytes ? (result.body as Buffer) : Buffer.from(JSON.stringify(result.body, null, 2));
  const headers = { "content-type": isBytes ? "application/octet-stream" : "application/json; charset=UTF-8", ...result.headers, "content-length": String(payload.length) };
  response.writeHead(result.status, headers).end(payload);
}
