/**
 * Use case: send each message at most once per idempotency key. The ledger is consulted
 * before each send and written right after it, before the next send starts, so a crash or a
 * retried invocation repeats at most the one message that was in flight.
 */
import { DeliveryError } from "../errors.js";
import type { Clock, Ledger, Mailer, MailMessage } from "../ports.js";

export interface SendPorts {
  mailer: Mailer;
  ledger: Ledger;
  clock: Clock;
}

export interface SendReport {
  sent: Array<{ key: string; messageId: string; via: string; rejected?: string[] }>;
  /** Keys already in the ledger. */
  skipped: string[];
  /** Messages the server refused or could not take; not recorded, so the next run retries them. */
  failed: Array<{ key: string; error: string }>;
}

/**
 * Send `messages` in order, skipping keys already recorded. A DeliveryError fails that
 * message only; any other error (e.g. the ledger cannot be written) stops the run.
 */
export async function sendOnce(messages: readonly MailMessage[], ports: SendPorts): Promise<SendReport> {
  const report: SendReport = { sent: [], skipped: [], failed: [] };
  for (const message of messages) {
    const { key } = message;
    if (await ports.ledger.has(key)) {
      report.skipped.push(key);
      continue;
    }
    let receipt;
    try {
      receipt = await ports.mailer.send(message);
    } catch (error) {
      if (!(error instanceof DeliveryError)) throw error;
      report.failed.push({ key, error: error.message });
      continue;
    }
    await ports.ledger.record(key, { sentAt: ports.clock.now().toISOString(), messageId: receipt.messageId, via: receipt.via });
    report.sent.push({ key, messageId: receipt.messageId, via: receipt.via, ...(receipt.rejected?.length ? { rejected: receipt.rejected } : {}) });
  }
  return report;
}
