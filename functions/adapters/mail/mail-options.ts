/**
 * The one translation of a MailMessage into nodemailer's message options, shared by the SMTP
 * mailer and the .eml outbox so both produce the same MIME message.
 */
import type { SendMailOptions } from "nodemailer";
import type { MailMessage } from "../../ports.js";
import { messageIdFor } from "./message-id.js";

/** Header carrying the idempotency key, for tracing a received message back to its ledger entry. */
export const KEY_HEADER = "X-Tieuchi-Key";

/** nodemailer options for `message`; content is given as data only, never as a path or URL to fetch. */
export function mailOptionsFor(message: MailMessage, from: string): SendMailOptions {
  return {
    from,
    to: message.to,
    cc: message.cc,
    subject: message.subject,
    text: message.text,
    html: message.html,
    messageId: messageIdFor(message.key),
    headers: { [KEY_HEADER]: message.key },
    attachments: message.attachments.map((a) => ({
      filename: a.filename,
      content: a.content,
      contentType: a.contentType,
      cid: a.cid,
    })),
    // Templates are rendered from staff data; nothing in them may make us read a file or URL.
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

/** Everyone the message goes to, as named in errors. */
export function recipientsOf(message: MailMessage): string {
  return [...message.to, ...message.cc].join(", ");
}
