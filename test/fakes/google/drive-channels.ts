/** files.watch and channels.stop: push-notification channels, at most one day for a file. */
import type { drive_v3 } from "@googleapis/drive";
import { createHash } from "node:crypto";
import { type FakeRequest, type FakeResponse, noContent, ok, readJson } from "./common.js";
import type { FakeDrive } from "./drive.js";
import { GoogleApiError, invalidArgument } from "./errors.js";

export interface FakeChannel {
  id: string;
  resourceId: string;
  fileId: string;
  address: string;
  type: string;
  token?: string;
  /** Milliseconds since the epoch. */
  expiration: number;
  /** The X-Goog-Message-Number of the last notification built for this channel (1 is the "sync" message). */
  messageNumber: number;
}

export type ResourceState = "sync" | "update" | "add" | "remove" | "trash" | "untrash" | "change";

/** Drive's limits for a file channel: one hour when no expiration is asked, one day at most. */
export const defaultChannelLifetimeMs = 3_600_000;
export const maxChannelLifetimeMs = 86_400_000;

export function resourceIdFor(drive: FakeDrive, fileId: string): string {
  let resourceId = drive.state.resourceIds.get(fileId);
  if (resourceId === undefined) {
    resourceId = createHash("sha256").update(fileId).digest("base64url").slice(0, 27);
    drive.state.resourceIds.set(fileId, resourceId);
  }
  return resourceId;
}

export function watchFile(drive: FakeDrive, fileId: string, request: FakeRequest): FakeResponse {
  drive.requireFile(fileId);
  const body = readJson<drive_v3.Schema$Channel>(request);
  if (!body.id) throw invalidArgument("Channel id required.");
  if (body.type !== "web_hook" && body.type !== "webhook") throw invalidArgument(`Invalid channel type: ${body.type ?? "none"}; use "web_hook".`);
  if (!body.address?.startsWith("https://")) throw invalidArgument(`WebHook callback must be HTTPS: ${body.address ?? ""}`);
  if (drive.state.channels.has(body.id)) throw invalidArgument(`Channel id ${body.id} not unique`);
  const now = drive.now();
  const asked = body.expiration == null ? now + defaultChannelLifetimeMs : Number(body.expiration);
  if (!Number.isFinite(asked)) throw invalidArgument(`Invalid expiration: ${body.expiration}`);
  const channel: FakeChannel = {
    id: body.id,
    resourceId: resourceIdFor(drive, fileId),
    fileId,
    address: body.address,
    type: body.type,
    expiration: Math.min(asked, now + maxChannelLifetimeMs),
    messageNumber: 0,
    ...(body.token == null ? {} : { token: body.token }),
  };
  drive.state.channels.set(channel.id, channel);
  const response: drive_v3.Schema$Channel = {
    kind: "api#channel",
    id: channel.id,
    resourceId: channel.resourceId,
    resourceUri: `https://www.googleapis.com/drive/v3/files/${fileId}?alt=json`,
    expiration: String(channel.expiration),
    ...(channel.token === undefined ? {} : { token: channel.token }),
  };
  return ok(response);
}

export function stopChannel(drive: FakeDrive, request: FakeRequest): FakeResponse {
  const body = readJson<drive_v3.Schema$Channel>(request);
  const channel = body.id == null ? undefined : drive.state.channels.get(body.id);
  if (!channel || channel.resourceId !== body.resourceId) {
    throw new GoogleApiError(404, `Channel '${body.id ?? ""}' not found for project 'fake-project'`, { reason: "notFound" });
  }
  drive.state.channels.delete(channel.id);
  return noContent;
}

/**
 * The headers Drive sends to a channel's address (it cannot reach a test server itself: addresses must be HTTPS).
 * The first message of a channel is "sync"; message numbers increase per channel.
 */
export function notificationHeaders(drive: FakeDrive, channelId: string, state: ResourceState, changed?: string): Record<string, string> {
  const channel = drive.state.channels.get(channelId);
  if (!channel) throw new Error(`No channel ${channelId}; channels: ${[...drive.state.channels.keys()].join(", ")}`);
  channel.messageNumber += 1;
  return {
    "X-Goog-Channel-ID": channel.id,
    ...(channel.token === undefined ? {} : { "X-Goog-Channel-Token": channel.token }),
    "X-Goog-Channel-Expiration": new Date(channel.expiration).toUTCString(),
    "X-Goog-Resource-ID": channel.resourceId,
    "X-Goog-Resource-URI": `https://www.googleapis.com/drive/v3/files/${channel.fileId}?alt=json`,
    "X-Goog-Resource-State": state,
    ...(changed === undefined ? {} : { "X-Goog-Changed": changed }),
    "X-Goog-Message-Number": String(channel.messageNumber),
  };
}
