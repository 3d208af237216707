/**
 * Push channels on Drive's changes feed: changes.watch opens one (a changes channel lives at
 * most a week), channels.stop closes it.
 */
import type { Channel, ChannelRequest } from "../../ports.js";
import type { GoogleClients } from "./clients.js";
import { GoogleApiError } from "./google-errors.js";
import { type RetryOptions, withRetry } from "./retry.js";

/** The drive parameters of a changes call: a shared drive by id, nothing for My Drive. */
export function changesScope(driveId: string | null): { driveId?: string; supportsAllDrives?: boolean; includeItemsFromAllDrives?: boolean } {
  return driveId ? { driveId, supportsAllDrives: true, includeItemsFromAllDrives: true } : {};
}

/** Opens a channel on the changes after `pageToken`. */
export async function watchChanges(clients: Pick<GoogleClients, "drive">, pageToken: string, driveId: string | null, channel: ChannelRequest, retry: RetryOptions = {}): Promise<Channel> {
  const requestBody = { id: channel.id, type: "web_hook", address: channel.address, token: channel.token, expiration: String(channel.expiration) };
  // Not idempotent: a repeat of an applied watch fails as "channel id not unique".
  const response = await withRetry("drive.changes.watch", () => clients.drive.changes.watch({ pageToken, ...changesScope(driveId), requestBody }), { ...retry, idempotent: false });
  return {
    id: response.data.id ?? channel.id,
    resourceId: response.data.resourceId ?? "",
    // Drive may shorten the lifetime asked for; its answer is the one that holds.
    expiration: response.data.expiration ? Number(response.data.expiration) : channel.expiration,
  };
}

/** Closes a channel; one Drive no longer knows (expired, already stopped) is closed too. */
export async function stopChannel(clients: Pick<GoogleClients, "drive">, channel: { id: string; resourceId: string }, retry: RetryOptions = {}): Promise<void> {
  try {
    await withRetry("drive.channels.stop", () => clients.drive.channels.stop({ requestBody: { id: channel.id, resourceId: channel.resourceId } }), { ...retry, idempotent: true });
  } catch (error) {
    if (!(error instanceof GoogleApiError && error.status === 404)) throw error;
  }
}
