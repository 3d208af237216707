/**
 * What a failed SMTP send means: a one-line Vietnamese reason, and whether trying the same
 * message again can ever succeed. The split decides what the ledger does with it: a permanent
 * refusal is recorded as failed and reported once, a temporary one is retried after a backoff.
 */
import type { NodemailerError } from "nodemailer";

// Failures that mean the server was never (or no longer) reachable, as opposed to a reply.
const CONNECTION_CODES: ReadonlySet<string> = new Set(["ECONNECTION", "ETIMEDOUT", "ESOCKET", "EDNS", "EPROXY"]);

// Commands whose refusal concerns this message (its sender, a recipient, its content), not
// the server as a whole or our login.
const MESSAGE_COMMANDS: ReadonlySet<string> = new Set(["MAIL FROM", "RCPT TO", "DATA"]);

/**
 * True when sending this message again unchanged cannot succeed.
 *
 * Permanent: a 5xx reply (RFC 5321 §4.2.1) to MAIL FROM, RCPT TO or DATA, e.g. 550 no such
 * mailbox, 552 too large, 553 bad address, 554 refused as spam, unless its enhanced status
 * (RFC 3463) begins with 4; and a message larger than the SIZE the server announced.
 * Temporary: every 4xx (421 closing, 450 mailbox busy, 451 local error or greylisting, 452 full),
 * no connection, a timeout, TLS, a login refused (535 concerns our credentials: once the
 * configuration is fixed, every message goes), and anything unrecognised.
 *
 * @example isPermanentRefusal({ responseCode: 552, command: "DATA", response: "552 5.3.4 Message too big" }) // true
 */
export function isPermanentRefusal(error: unknown): boolean {
  const e = (error ?? {}) as NodemailerError;
  if (e.code === "EAUTH") return false;
  if (e.code === "EMESSAGE" && e.command === "MAIL FROM" && e.responseCode === undefined) return true;
  // 503 is "bad sequence of commands": our session went wrong, not the message.
  if (typeof e.responseCode !== "number" || e.responseCode < 500 || e.responseCode > 599 || e.responseCode === 503) return false;
  if (!MESSAGE_COMMANDS.has(e.command ?? "")) return false;
  return !/^\d{3}[ -]4\.\d{1,3}\.\d{1,3}/u.test(e.response ?? "");
}

/** The server's reply without its leading code, on one line and short enough for a report. */
function shortResponse(response: string | undefined): string {
  const text = (response ?? "").replace(/^\d{3}[ -]?/u, "").replace(/\s+/gu, " ").trim();
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

/** A one-line Vietnamese reason for a failed send; `server` is "host:port", never credentials. */
export function deliveryReason(error: unknown, server: string): string {
  const e = (error ?? {}) as NodemailerError;
  if (typeof e.responseCode === "number") {
    const reply = `${e.responseCode} ${shortResponse(e.response)}`.trim();
    return e.code === "EAUTH" ? `máy chủ thư từ chối đăng nhập (${reply}): kiểm tra TIEUCHI_SMTP_URL` : `máy chủ thư từ chối (${reply})`;
  }
  if (e.code !== undefined && CONNECTION_CODES.has(e.code)) return `không kết nối được máy chủ thư (${server})`;
  if (e.code === "ETLS") return `không thiết lập được kết nối mã hóa (TLS) với máy chủ thư (${server})`;
  if (e.code === "EAUTH" || e.code === "ENOAUTH") return `không đăng nhập được máy chủ thư (${server}): kiểm tra TIEUCHI_SMTP_URL`;
  if (e.code === "EMESSAGE" && e.command === "MAIL FROM") return "thư lớn hơn dung lượng máy chủ thư nhận";
  return `lỗi khi gửi thư (${e.code ?? "không rõ nguyên nhân"})`;
}
