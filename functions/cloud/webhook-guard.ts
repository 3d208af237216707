/**
 * What the webhook refuses before any body is read: another method, a wrong or missing channel
 * token, channel headers Drive would never send (decoded by adapters/google/push-headers.ts).
 * Loaded on the first request, like the runtime.
 */
import type { IncomingMessage } from "node:http";
import { isValidToken } from "../app/cloud-handlers.js";
import { processEnv } from "../config.js";
import { decodePushHeaders, type PushHeaders } from "../adapters/google/push-headers.js";
import type { PlainAnswer } from "./http-front.js";

const first = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

/**
 * The refusal for a request to the webhook, or null when it may go on. The method is checked
 * first, then the token (so nothing about the headers is revealed without it), then the headers.
 */
function webhookRefusal(method: string, headers: PushHeaders, expectedToken: string): PlainAnswer | null {
  if (method !== "POST") return { status: 405, body: "method not allowed", headers: { Allow: "POST" } };
  if (!isValidToken(first(headers["x-goog-channel-token"]), expectedToken)) return { status: 403, body: "forbidden" };
  const decoded = decodePushHeaders(headers);
  return decoded.ok ? null : { status: decoded.status, body: decoded.reason };
}

/** The guard for the deployed webhook: the expected token comes from the environment (Secret Manager). */
export async function refuseBadNotification(request: IncomingMessage): Promise<PlainAnswer | null> {
  return webhookRefusal(request.method ?? "", request.headers, processEnv().TIEUCHI_CHANNEL_TOKEN?.trim() ?? "");
}
