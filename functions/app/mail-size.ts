/**
 * The size of a composed message as it goes over the wire, so none leaves above
 * MAX_EMAIL_BYTES (relays refuse large messages and the ward would never be told).
 */
import type { MailMessage } from "../ports.js";

// Headers, MIME boundaries and part headers of a message with a few parts, generously.
const ENVELOPE_BYTES = 8 * 1024;

/** Base64 (attachments) and quoted-printable or base64 (UTF-8 text) both grow by about a third, plus line breaks. */
const encoded = (bytes: number): number => Math.ceil(bytes / 3) * 4 + Math.ceil(bytes / 57) * 2;

/**
 * An upper estimate of the message's size on the wire: subject, text and HTML alternatives,
 * and every attachment, each as encoded.
 *
 * @example wireSize(message) <= MAX_EMAIL_BYTES
 */
export function wireSize(message: Pick<MailMessage, "subject" | "text" | "html" | "attachments">): number {
  const text = Buffer.byteLength(message.subject) + Buffer.byteLength(message.text) + Buffer.byteLength(message.html);
  const attachments = message.attachments.reduce((sum, a) => sum + encoded(a.content.length) + 512, 0);
  return ENVELOPE_BYTES + encoded(text) + attachments;
}
