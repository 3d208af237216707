/**
 * The one push channel on the changes feed: opened by `tieuchi watch`, renewed by the sweep
 * before it expires (Drive keeps a changes channel a week at most), the old one stopped.
 * Per-file channels of earlier versions are stopped and forgotten.
 */
import { randomUUID } from "node:crypto";
import type { Channel } from "../ports.js";
import { ensureFeed, type FeedPorts } from "./changes-feed.js";
import { STATE_KEYS } from "./cloud-ward.js";

const DAY_MS = 24 * 60 * 60 * 1000;

/** Drive keeps a changes channel a week at most; it is renewed a day before it ends. */
export const CHANGES_CHANNEL_TTL_MS = 7 * DAY_MS;
export const CHANGES_CHANNEL_RENEW_BEFORE_MS = DAY_MS;

export interface ChannelSettings {
  /** Shared secret Drive echoes in X-Goog-Channel-Token. */
  channelToken: string;
  /** Public URL of the sheetsWebhook function; no channel is opened without it. */
  webhookUrl: string | null;
  wardsFolderId: string;
  /** Renew when the channel expires within this window. */
  renewBeforeMs: number;
  /** Lifetime asked for a new channel (Drive caps it at a week). */
  channelTtlMs: number;
}

/** The channel as recorded, with the address it delivers to. */
export interface ChannelRecord extends Channel {
  address: string;
}

export type ChannelRenewal = "renewed" | "current" | "off";

/** A per-file channel record of earlier versions ("channels/<id>.json"). */
interface FileChannelRecord {
  channelId?: string;
  resourceId?: string;
}

/**
 * Opens a new changes channel when there is none, it expires within `renewBeforeMs`, it
 * delivers elsewhere, or `force`; then stops the previous one. Two sweeps renewing at once
 * store one channel: the one that loses the compare-and-set stops its own.
 */
export async function renewChangesChannel(ports: Pick<FeedPorts, "kv" | "clock" | "changes" | "folder">, settings: ChannelSettings, options: { force?: boolean } = {}): Promise<ChannelRenewal> {
  const { webhookUrl } = settings;
  if (!webhookUrl) return "off";
  const now = ports.clock.now().getTime();
  const stored = await ports.kv.get<ChannelRecord>(STATE_KEYS.changesChannel);
  const current = stored?.value;
  if (!options.force && current && current.address === webhookUrl && current.expiration - now > settings.renewBeforeMs) return "current";
  const feed = await ensureFeed(ports, settings.wardsFolderId);
  const request = { id: `tieuchi-changes-${randomUUID()}`, address: webhookUrl, token: settings.channelToken, expiration: now + settings.channelTtlMs };
  const opened = await ports.changes.watch(feed.pageToken, feed.driveId, request);
  const record: ChannelRecord = { ...opened, address: webhookUrl };
  if ((await ports.kv.put(STATE_KEYS.changesChannel, record, stored?.version ?? null)) === null) {
    await ports.changes.stop(opened);
    return "current";
  }
  // The old channel expires by itself; stopping it only spares duplicate notifications.
  if (current) await ports.changes.stop(current).catch(() => undefined);
  return "renewed";
}

/** Stops the per-file channels earlier versions opened and deletes their records. Returns how many. */
export async function retireFileChannels(ports: Pick<FeedPorts, "kv" | "changes">): Promise<number> {
  let retired = 0;
  for (const key of await ports.kv.list(STATE_KEYS.fileChannelsPrefix)) {
    const record = (await ports.kv.get<FileChannelRecord>(key))?.value;
    if (record?.channelId && record.resourceId && !key.includes("/by-ward/")) {
      await ports.changes.stop({ id: record.channelId, resourceId: record.resourceId }).catch(() => undefined);
      retired++;
    }
    await ports.kv.delete(key);
  }
  return retired;
}
