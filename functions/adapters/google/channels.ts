/**
 * ChannelApi over Drive push notifications: files.watch opens a channel on one ward
 * spreadsheet (a file channel lives at most one day), channels.stop closes it.
 */
import type { Channel, ChannelApi } from "../../ports.js";
import type { GoogleClients } from "./clients.js";
import { GoogleApiError } from "./google-errors.js";
import { type RetryOptions, withRetry } from "./retry.js";

/** ChannelApi for the given Drive client. */
export function googleChannelApi(clients: Pick<GoogleClients, "drive">, retry: RetryOptions = {}): ChannelApi {
  return {
    watch: async (fileId, channel) => {
      const requestBody = { id: channel.id, type: "web_hook", address: channel.address, token: channel.token, expiration: String(channel.expiration) };
      // Not idempotent: a repeat of an applied watch fails as "channel id not unique".
      const response = await withRetry("drive.files.watch", () => clients.drive.files.watch({ fileId, supportsAllDrives: true, requestBody }), { ...retry, idempotent: false });
      const opened: Channel = {
        id: response.data.id ?? channel.id,
        resourceId: response.data.resourceId ?? "",
        // Drive may shorten the lifetime asked for; its answer is the one that holds.
        expiration: response.data.expiration ? Number(response.data.expiration) : channel.expiration,
      };
      return opened;
    },
    stop: async ({ id, resourceId }) => {
      try {
        await withRetry("drive.channels.stop", () => clients.drive.channels.stop({ requestBody: { id, resourceId } }), { ...retry, idempotent: true });
      } catch (error) {
        // Already expired or stopped: the channel is closed either way.
        if (!(error instanceof GoogleApiError && error.status === 404)) throw error;
      }
    },
  };
}
