/**
 * Mailer over SMTP (nodemailer's pooled transport). Credentials may be embedded in the URL
 * (from TIEUCHI_SMTP_URL); they never appear in an error message.
 */
import nodemailer, { type NodemailerError } from "nodemailer";
import { DeliveryError, TieuchiError } from "../../errors.js";
import type { DeliveryReceipt, Mailer, MailMessage } from "../../ports.js";
import { mailOptionsFor, recipientsOf } from "./mail-options.js";
import { messageIdFor } from "./message-id.js";
import { deliveryReason, isPermanentRefusal } from "./smtp-failure.js";

export interface SmtpMailerOptions {
  /** smtp://user:pass@host:port or smtps://…; query parameters become transport options. */
  url: string;
  from: string;
  /** Messages per second handed to the server (default 5), below typical relay limits. */
  rateLimitPerSecond?: number;
}

/** "host:port" of the server, for messages; never the credentials. */
function describeServer(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // No cause: the parse error would carry the URL, credentials included.
    throw new TieuchiError("Địa chỉ máy chủ thư (TIEUCHI_SMTP_URL hoặc smtp.url) không hợp lệ: cần dạng smtp://máy:cổng hoặc smtps://máy:cổng");
  }
  const port = parsed.port || (parsed.protocol === "smtps:" ? "465" : "587");
  return `${parsed.hostname}:${port}`;
}

/** Mailer sending through an SMTP server, with a small connection pool and a rate limit. */
export function createSmtpMailer(options: SmtpMailerOptions): Mailer {
  const server = describeServer(options.url);
  const transport = nodemailer.createTransport({
    url: options.url,
    pool: true,
    maxConnections: 2,
    rateDelta: 1000,
    rateLimit: options.rateLimitPerSecond ?? 5,
    // Short waits so a dead or silent server is reported within seconds, not minutes
    // (nodemailer's defaults are 2 min to connect and 10 min of socket inactivity).
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    dnsTimeout: 10_000,
  });

  const send = async (message: MailMessage): Promise<DeliveryReceipt> => {
    let info: { rejected?: unknown[] };
    try {
      info = await transport.sendMail(mailOptionsFor(message, options.from));
    } catch (error) {
      const code = (error as NodemailerError | null)?.responseCode;
      throw new DeliveryError(recipientsOf(message), deliveryReason(error, server), typeof code === "number" ? code : null, { cause: error, permanent: isPermanentRefusal(error) });
    }
    // A recipient refused while others were accepted does not fail the send: the message
    // has gone out, and retrying would deliver it twice to everyone else.
    const rejected = (info.rejected ?? []).map((r) => (typeof r === "string" ? r : ((r as { address?: string }).address ?? String(r))));
    return { messageId: messageIdFor(message.key), via: "smtp", ...(rejected.length ? { rejected } : {}) };
  };

  return {
    kind: "smtp",
    send,
    close: async () => transport.close(),
  };
}
