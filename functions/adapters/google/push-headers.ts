/**
 * Decoding of a Drive push notification's X-Goog-* headers into a typed notification, or a
 * refusal with the HTTP status to answer. Pure: no I/O, no clock. The channel token is
 * carried through for the use case to check; nothing here trusts it.
 *
 * See https://developers.google.com/workspace/drive/api/guides/push (notification headers).
 */

import type { PushNotification } from "../../ports.js";

type ResourceState = PushNotification["resourceState"];

/** Values of X-Goog-Resource-State Drive sends ("change" for a changes channel). */
const RESOURCE_STATES: readonly ResourceState[] = ["sync", "change", "add", "remove", "update", "trash", "untrash"];

export type DecodedPush = { ok: true; notification: PushNotification } | { ok: false; status: 400; reason: string };

export type PushHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** Channel ids we open and Drive echoes: Drive allows at most 64 of these characters. */
const CHANNEL_ID = /^[A-Za-z0-9_\-+/=]{1,64}$/u;
/** A positive integer without sign, leading zeros or exponent. */
const POSITIVE_INTEGER = /^[1-9][0-9]{0,15}$/u;
const MAX_HEADER_LENGTH = 256;

/** One header's value (Node lower-cases names); a repeated header is refused as ambiguous. */
function single(headers: PushHeaders, name: string): string | undefined | null {
  const value = headers[name];
  if (Array.isArray(value)) return value.length === 1 ? value[0] : null;
  return value;
}

const refuse = (reason: string): DecodedPush => ({ ok: false, status: 400, reason });

function isResourceState(value: string): value is ResourceState {
  return (RESOURCE_STATES as readonly string[]).includes(value);
}

/**
 * Decodes the headers of one notification.
 *
 * @example decodePushHeaders({ "x-goog-channel-id": "tieuchi-changes-1", "x-goog-resource-state": "change", "x-goog-message-number": "7" })
 * // { ok: true, notification: { channelId: "tieuchi-changes-1", resourceState: "change", messageNumber: 7, … } }
 */
export function decodePushHeaders(headers: PushHeaders): DecodedPush {
  const channelId = single(headers, "x-goog-channel-id");
  const state = single(headers, "x-goog-resource-state");
  const number = single(headers, "x-goog-message-number");
  const resourceId = single(headers, "x-goog-resource-id");
  const token = single(headers, "x-goog-channel-token");
  if (channelId === null || state === null || number === null || resourceId === null || token === null) return refuse("repeated notification header");
  if (!channelId || !CHANNEL_ID.test(channelId)) return refuse("missing or invalid X-Goog-Channel-ID");
  if (!state || !isResourceState(state)) return refuse("missing or invalid X-Goog-Resource-State");
  if (!number || !POSITIVE_INTEGER.test(number) || !Number.isSafeInteger(Number(number))) return refuse("X-Goog-Message-Number must be a positive integer");
  if (resourceId !== undefined && resourceId.length > MAX_HEADER_LENGTH) return refuse("invalid X-Goog-Resource-ID");
  return { ok: true, notification: { channelId, resourceId: resourceId || null, resourceState: state, messageNumber: Number(number), token } };
}
