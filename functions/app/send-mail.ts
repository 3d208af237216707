/**
 * Use case: send each message once per idempotency key, across overlapping runs and crashes.
 * Per message: claim its key in the ledger (compare-and-set, with a lease naming this run and
 * until when), send, and record the answer right after it. A live claim of another run is
 * left alone; an expired one (its sender died) is taken over. The only repeat left is a crash
 * between the server's 250 and the record: the repeat carries the same Message-ID.
 */
import { randomUUID } from "node:crypto";
import { DeliveryError } from "../errors.js";
import type { Clock, Ledger, LedgerEntry, Mailer, MailMessage } from "../ports.js";

export interface ClaimSettings {
  /** Who this run is, written into its claims; unique per run. */
  holder: string;
  /** How long a claim keeps other runs off: longer than one SMTP transaction can take. */
  leaseMs: number;
  /** True when a claim's holder is known to be gone (a local run whose process died): taken over before its lease ends. */
  isAbandoned?: (holder: string) => boolean;
}

/** Waits after temporary failures: `firstMs`, then doubling, never more than `maxMs`. */
export interface BackoffSettings {
  firstMs: number;
  maxMs: number;
}

/** What a runtime hands the use cases for mail. */
export interface MailPorts {
  mailer: Mailer;
  ledger: Ledger;
  claims?: Partial<ClaimSettings>;
  backoff?: BackoffSettings;
}

export interface SendPorts extends MailPorts {
  clock: Clock;
}

/** Longer than nodemailer's connect + greeting + socket timeouts (10 + 10 + 30 s) with room to spare. */
export const DEFAULT_LEASE_MS = 5 * 60_000;
const DEFAULT_BACKOFF: BackoffSettings = { firstMs: 60_000, maxMs: 60 * 60_000 };

export interface SendReport {
  sent: Array<{ key: string; messageId: string; via: string; rejected?: string[] }>;
  /** Keys already sent. */
  skipped: string[];
  /** Keys another run is sending right now (its claim is live): that run records them. */
  busy: string[];
  /**
   * Failed in this run. Permanent: recorded as failed, not sent again until the content (so the
   * key) changes. Otherwise retried by a later run from `retryAt`.
   */
  failed: Array<{ key: string; error: string; permanent: boolean; retryAt?: string }>;
  /** Refused for good by an earlier run, which reported it: not sent again. */
  refused: Array<{ key: string; error: string; failedAt: string }>;
  /** Refused for now by an earlier run; not yet due again. */
  deferred: Array<{ key: string; error: string; retryAt: string }>;
}

export const emptySendReport = (): SendReport => ({ sent: [], skipped: [], busy: [], failed: [], refused: [], deferred: [] });

/** The wait after `attempts` temporary failures in a row. */
export function retryDelayMs(attempts: number, backoff: BackoffSettings = DEFAULT_BACKOFF): number {
  return Math.min(backoff.maxMs, backoff.firstMs * 2 ** Math.max(0, attempts - 1));
}

/** The claim to write over `current`, or null when the key is not ours to send now. */
function claimOver(current: LedgerEntry | null, claims: ClaimSettings, now: number): LedgerEntry | null {
  const claim = (attempts: number): LedgerEntry => ({ status: "sending", holder: claims.holder, until: now + claims.leaseMs, attempts });
  if (current === null) return claim(1);
  switch (current.status) {
    case "sent":
    case "failed":
      return null;
    case "retry":
      return current.retryAt <= now ? claim(current.attempts + 1) : null;
    case "sending":
      return current.until <= now || claims.isAbandoned?.(current.holder) === true ? claim(current.attempts + 1) : null;
  }
}

/** Why a key was not claimed, into the report. */
function noteUnclaimed(report: SendReport, key: string, entry: LedgerEntry | null): void {
  if (entry?.status === "sent") report.skipped.push(key);
  else if (entry?.status === "failed") report.refused.push({ key, error: entry.reason, failedAt: entry.failedAt });
  else if (entry?.status === "retry") report.deferred.push({ key, error: entry.reason, retryAt: new Date(entry.retryAt).toISOString() });
  else report.busy.push(key);
}

/**
 * Send `messages` in order, each at most once per key. A DeliveryError fails that message only
 * (recorded as failed or to retry); any other error (the ledger cannot be written, the outbox
 * disk is full) gives the claim back and stops the run.
 */
export async function sendOnce(messages: readonly MailMessage[], ports: SendPorts): Promise<SendReport> {
  const claims: ClaimSettings = { holder: randomUUID(), leaseMs: DEFAULT_LEASE_MS, ...ports.claims };
  const backoff = ports.backoff ?? DEFAULT_BACKOFF;
  const report = emptySendReport();
  // Settle our claim: a "sent" by anyone stands; a failure is written only over our own claim.
  const settle = (key: string, next: LedgerEntry, overOthers: boolean) =>
    ports.ledger.update(key, (current) => {
      if (current?.status === "sent") return null;
      return overOthers || (current?.status === "sending" && current.holder === claims.holder) ? next : null;
    });
  for (const message of messages) {
    const { key } = message;
    const claimed = await ports.ledger.update(key, (current) => claimOver(current, claims, ports.clock.now().getTime()));
    if (!claimed.written || claimed.entry?.status !== "sending") {
      noteUnclaimed(report, key, claimed.entry);
      continue;
    }
    const attempts = claimed.entry.attempts;
    let receipt;
    try {
      receipt = await ports.mailer.send(message);
    } catch (error) {
      const now = ports.clock.now();
      const reason = error instanceof Error ? error.message : String(error);
      if (!(error instanceof DeliveryError)) {
        await settle(key, { status: "retry", retryAt: now.getTime(), reason, attempts }, false).catch(() => undefined);
        throw error;
      }
      if (error.permanent) {
        await settle(key, { status: "failed", failedAt: now.toISOString(), reason, code: error.responseCode, attempts }, false);
        report.failed.push({ key, error: reason, permanent: true });
      } else {
        const retryAt = now.getTime() + retryDelayMs(attempts, backoff);
        await settle(key, { status: "retry", retryAt, reason, attempts }, false);
        report.failed.push({ key, error: reason, permanent: false, retryAt: new Date(retryAt).toISOString() });
      }
      continue;
    }
    await settle(key, { status: "sent", sentAt: ports.clock.now().toISOString(), messageId: receipt.messageId, via: receipt.via }, true);
    report.sent.push({ key, messageId: receipt.messageId, via: receipt.via, ...(receipt.rejected?.length ? { rejected: receipt.rejected } : {}) });
  }
  return report;
}
