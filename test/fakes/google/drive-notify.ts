/**
 * Push notifications as Drive sends them: a while after Drive records a change, coalesced per channel (a burst of
 * changes yields one push), and — as Drive only promises at-least-once, unordered delivery — optionally
 * duplicated and reordered, deterministically from a seed. Addresses are HTTPS, so the test delivers them.
 */
import type { FakeDrive } from "./drive.js";
import type { ChangeEntry } from "./drive-changes.js";
import { type FakeChannel, type ResourceState, channelHeaders } from "./drive-channels.js";
import type { FakeDriveFile } from "./drive-model.js";

export interface NotificationOptions {
  /** From Drive recording a change to the push leaving (default 5 s). */
  delayMs?: number;
  /** Chance (0..1) that a push is delivered twice (default 0). */
  duplicateRate?: number;
  /** Shuffle each batch of due pushes (default false). */
  reorder?: boolean;
  /** Seed of the duplication and reordering choices (default 1). */
  seed?: number;
}

export interface DeliveredNotification {
  address: string;
  headers: Record<string, string>;
}

interface Queued {
  channelId: string;
  state: ResourceState;
  changed: Set<string>;
  dueAt: number;
}

export const defaultNotificationDelayMs = 5_000;

/** mulberry32: a small deterministic PRNG, so a seed reproduces a delivery order. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export class NotificationQueue {
  private readonly queued: Queued[] = [];
  private readonly random: () => number;
  private readonly delayMs: number;

  constructor(private readonly options: NotificationOptions) {
    this.random = seededRandom(options.seed ?? 1);
    this.delayMs = options.delayMs ?? defaultNotificationDelayMs;
  }

  /** Drive's first message on a new channel. */
  opened(drive: FakeDrive, channel: FakeChannel): void {
    this.queued.push({ channelId: channel.id, state: "sync", changed: new Set(), dueAt: drive.now() });
  }

  /** Queues a push on every live channel that would see this change, merged into one already waiting there. */
  changed(drive: FakeDrive, file: FakeDriveFile, entry: ChangeEntry): void {
    const dueAt = Date.parse(entry.time) + this.delayMs;
    for (const channel of drive.state.channels.values()) {
      if (channel.expiration <= Date.parse(entry.time)) continue;
      if (channel.kind === "file" && channel.fileId === file.id) {
        const state: ResourceState = entry.removed ? "remove" : file.trashed ? "trash" : "update";
        this.enqueue(channel.id, state, dueAt, state === "update" ? "content" : undefined);
      }
      if (channel.kind === "changes") {
        const watcher = drive.identities.byToken(channel.watcherToken);
        if (watcher && drive.changeLog.shows(entry, watcher, channel.scope ?? { includeItemsFromAllDrives: false })) this.enqueue(channel.id, "change", dueAt);
      }
    }
  }

  private enqueue(channelId: string, state: ResourceState, dueAt: number, changed?: string): void {
    const waiting = this.queued.find((item) => item.channelId === channelId && item.state === state);
    if (waiting) {
      if (changed !== undefined) waiting.changed.add(changed);
      return;
    }
    this.queued.push({ channelId, state, changed: new Set(changed === undefined ? [] : [changed]), dueAt });
  }

  /** Removes and returns the pushes due by now on live channels; message numbers follow the order Drive sent them in. */
  due(drive: FakeDrive): DeliveredNotification[] {
    const now = drive.now();
    const ready = this.queued.filter((item) => item.dueAt <= now).sort((a, b) => a.dueAt - b.dueAt);
    for (const item of ready) this.queued.splice(this.queued.indexOf(item), 1);
    const delivered: DeliveredNotification[] = [];
    for (const item of ready) {
      const channel = drive.state.channels.get(item.channelId);
      if (!channel || channel.expiration <= now) continue;
      channel.messageNumber += 1;
      const changed = item.changed.size === 0 ? undefined : [...item.changed].join(",");
      const push = { address: channel.address, headers: channelHeaders(channel, item.state, channel.messageNumber, changed) };
      delivered.push(push);
      if (this.random() < (this.options.duplicateRate ?? 0)) delivered.push({ address: push.address, headers: { ...push.headers } });
    }
    if (this.options.reorder) {
      for (let i = delivered.length - 1; i > 0; i--) {
        const j = Math.floor(this.random() * (i + 1));
        [delivered[i], delivered[j]] = [delivered[j] as DeliveredNotification, delivered[i] as DeliveredNotification];
      }
    }
    return delivered;
  }
}
