/** files.watch, changes.watch and channels.stop: push-notification channels (a file's lives at most a day, the changes feed's a week). */
import type { drive_v3 } from "@googleapis/drive";
import { createHash } from "node:crypto";
import { type FakeRequest, type FakeResponse, noContent, ok, readJson } from "./common.js";
import { type FakeDrive, identityOf } from "./drive.js";
import { requireDriveScope } from "./drive-access.js";
import type { FeedScope } from "./drive-changes.js";
import { GoogleApiError, invalidArgument } from "./errors.js";

export interface FakeChannel {
  id: string;
  kind: "file" | "changes";
  resourceId: string;
  /** The watched file (file channels only). */
  fileId?: string;
  resourceUri: string;
  address: string;
  type: string;
  token?: string;
  /** Milliseconds since the epoch. */
  expiration: number;
  /** The X-Goog-Message-Number of the last notification built for this channel (1 is the "sync" message). */
  messageNumber: number;
  /** The bearer token that opened the channel: a changes channel reports what that identity would list. */
  watcherToken: string;
  /** The part of the feed a changes channel follows. */
  scope?: FeedScope;
}

export type ResourceState = "sync" | "update" | "add" | "remove" | "trash" | "untrash" | "change";

/** Drive's limits for a channel: one hour when no expiration is asked; a file channel lasts one day at most. */
export const defaultChannelLifetimeMs = 3_600_000;
export const maxChannelLifetimeMs = 86_400_000;

function resourceIdFor(drive: FakeDrive, key: string): string {
  let resourceId = drive.state.resourceIds.get(key);
  if (resourceId === undefined) {
    resourceId = createHash("sha256").update(key).digest("base64url").slice(0, 27);
    drive.state.resourceIds.set(key, resourceId);
  }
  return resourceId;
}

export interface ChannelTarget {
  kind: FakeChannel["kind"];
  resourceKey: string;
  resourceUri: string;
  maxLifetimeMs: number;
  watcherToken: string;
  fileId?: string;
  scope?: FeedScope;
}

/** Validates the channel body as Drive does, caps its lifetime, registers it and queues its "sync" message. */
export function openChannel(drive: FakeDrive, request: FakeRequest, target: ChannelTarget): FakeResponse {
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
    kind: target.kind,
    resourceId: resourceIdFor(drive, target.resourceKey),
    resourceUri: target.resourceUri,
    address: body.address,
    type: body.type,
    expiration: Math.min(asked, now + target.maxLifetimeMs),
    messageNumber: 0,
    watcherToken: target.watcherToken,
    ...(target.fileId === undefined ? {} : { fileId: target.fileId }),
    ...(target.scope === undefined ? {} : { scope: target.scope }),
    ...(body.token == null ? {} : { token: body.token }),
  };
  drive.state.channels.set(channel.id, channel);
  drive.notifications.opened(drive, channel);
  const response: drive_v3.Schema$Channel = {
    kind: "api#channel",
    id: channel.id,
    resourceId: channel.resourceId,
    resourceUri: channel.resourceUri,
    expiration: String(channel.expiration),
    ...(channel.token === undefined ? {} : { token: channel.token }),
  };
  return ok(response);
}

export function watchFile(drive: FakeDrive, fileId: string, request: FakeRequest): FakeResponse {
  const identity = identityOf(request);
  requireDriveScope(identity, "DriveFiles.Watch");
  drive.access(request, fileId, "metadata");
  return openChannel(drive, request, {
    kind: "file",
    resourceKey: fileId,
    resourceUri: `https://www.googleapis.com/drive/v3/files/${fileId}?alt=json`,
    maxLifetimeMs: maxChannelLifetimeMs,
    watcherToken: identity.token,
    fileId,
  });
}

export function stopChannel(drive: FakeDrive, request: FakeRequest): FakeResponse {
  requireDriveScope(identityOf(request), "DriveChannels.Stop");
  const body = readJson<drive_v3.Schema$Channel>(request);
  const channel = body.id == null ? undefined : drive.state.channels.get(body.id);
  if (!channel || channel.resourceId !== body.resourceId) {
    throw new GoogleApiError(404, `Channel '${body.id ?? ""}' not found for project 'fake-project'`, { reason: "notFound" });
  }
  drive.state.channels.delete(channel.id);
  return noContent;
}

/** The headers Drive sends to a channel's address for message `number` (addresses must be HTTPS, so tests deliver them). */
export function channelHeaders(channel: FakeChannel, state: ResourceState, number: number, changed?: string): Record<string, string> {
  return {
    "X-Goog-Channel-ID": channel.id,
    ...(channel.token === undefined ? {} : { "X-Goog-Channel-Token": channel.token }),
    "X-Goog-Channel-Expiration": new Date(channel.expiration).toUTCString(),
    "X-Goog-Resource-ID": channel.resourceId,
    "X-Goog-Resource-URI": channel.resourceUri,
    "X-Goog-Resource-State": state,
    ...(changed === undefined ? {} : { "X-Goog-Changed": changed }),
    "X-Goog-Message-Number": String(number),
  };
}

/** The next message on `channelId`, built now and outside the delivery queue (tests that drive the webhook by hand). */
export function notificationHeaders(drive: FakeDrive, channelId: string, state: ResourceState, changed?: string): Record<string, string> {
  const channel = drive.state.channels.get(channelId);
  if (!channel) throw new Error(`No channel ${channelId}; channels: ${[...drive.state.channels.keys()].join(", ")}`);
  channel.messageNumber += 1;
  return channelHeaders(channel, state, channel.messageNumber, changed);
}
