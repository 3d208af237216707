/**
 * Mailer writing each message as a .eml file instead of sending it: for a laptop without an
 * SMTP server, and for looking at a message before it goes out. One file per idempotency
 * key, so a re-run overwrites rather than duplicates.
 */
import { join } from "node:path";
import nodemailer from "nodemailer";
import { TieuchiError } from "../../errors.js";
import type { DeliveryReceipt, Mailer, MailMessage } from "../../ports.js";
import { writeFileAtomic } from "../local/files.js";
import { mailOptionsFor } from "./mail-options.js";
import { messageIdFor, shortKeyHash } from "./message-id.js";

export interface OutboxMailerOptions {
  dir: string;
  from: string;
}

/** `<kind>-<12 hex of sha256(key)>.eml`, kind being the key up to its first "|". */
export function outboxFileName(key: string): string {
  const kind = (key.split("|", 1)[0] ?? "")
    .toLowerCase()
    .replace(/[^a-z0-9-]+/gu, "-")
    .replace(/^-+|-+$/gu, "")
    .slice(0, 40);
  return `${kind || "thu"}-${shortKeyHash(key)}.eml`;
}

/** Mailer that writes RFC 5322 messages (CRLF line endings) into `dir`. */
export function createOutboxMailer(options: OutboxMailerOptions): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "windows" });

  const send = async (message: MailMessage): Promise<DeliveryReceipt> => {
    const info = await transport.sendMail(mailOptionsFor(message, options.from));
    const file = join(options.dir, outboxFileName(message.key));
    try {
      // `buffer: true` makes the message a Buffer rather than a stream.
      await writeFileAtomic(file, info.message as Buffer);
    } catch (error) {
      // Not a DeliveryError: a full disk or a read-only folder stops the whole run.
      throw new TieuchiError(`Không ghi được thư vào ${file} (${(error as NodeJS.ErrnoException).code ?? "lỗi hệ thống"})`, { cause: error });
    }
    return { messageId: messageIdFor(message.key), via: file };
  };

  return {
    kind: "outbox",
    send,
    close: async () => undefined,
  };
}
