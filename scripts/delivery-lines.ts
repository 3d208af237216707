/** What `tieuchi report` prints about the mail of a run, one Vietnamese line each. */
import { dateTimeVi } from "../functions/core/vi-format.js";
import type { SendReport } from "../functions/app/send-mail.js";
import type { MailMessage } from "../functions/ports.js";

/** Where this run's mail went: an SMTP server, or the outbox folder when no server is configured. */
export type MailDestination = { kind: "smtp"; host: string } | { kind: "outbox"; folder: string };

function deliveredText(count: number, to: MailDestination): string {
  return to.kind === "smtp"
    ? `đã gửi ${count} thư qua máy chủ thư ${to.host}`
    : `đã ghi ${count} thư vào thư mục ${to.folder} (chưa cấu hình máy chủ thư nên chưa gửi đi; mở tệp .eml bằng trình đọc thư)`;
}

/** Sent messages listed one by one; past it, a count (a province sends a letter to each of 100+ units). */
export const SENT_LINES = 10;

/**
 * The summary line, then one line per message failed or left to another run, and the first
 * SENT_LINES messages sent (every sent one a recipient of which was refused is listed too).
 */
export function deliveryLines(delivery: SendReport, messages: readonly MailMessage[], to: MailDestination): string[] {
  const { sent, skipped, busy, failed, refused, deferred } = delivery;
  const extra = [
    busy.length ? `${busy.length} thư đang do một lần chạy khác gửi nên bỏ qua` : "",
    deferred.length ? `${deferred.length} thư chờ đến giờ gửi lại` : "",
    refused.length ? `${refused.length} thư máy chủ thư đã từ chối hẳn ở lần chạy trước (đã báo) nên không gửi lại` : "",
  ].filter(Boolean);
  const lines = [`Thư: ${deliveredText(sent.length, to)}; ${skipped.length} thư đã gửi trước đó nên bỏ qua; ${failed.length} thư lỗi${extra.map((e) => `; ${e}`).join("")}.`];
  const byKey = new Map(messages.map((m) => [m.key, m]));
  const subject = (key: string): string => byKey.get(key)?.subject ?? key;
  const listed = sent.filter((s, i) => i < SENT_LINES || s.rejected?.length);
  for (const s of listed) {
    lines.push(`  ✓ ${byKey.get(s.key)?.to.join(", ")}: ${subject(s.key)}`);
    if (s.rejected?.length) lines.push(`    ! Máy chủ thư từ chối người nhận: ${s.rejected.join(", ")} (các người nhận khác đã nhận; kiểm tra lại địa chỉ trong cấu hình).`);
  }
  if (listed.length < sent.length) lines.push(`  … và ${sent.length - listed.length} thư khác ${to.kind === "smtp" ? "đã gửi" : `đã ghi vào thư mục ${to.folder}`}.`);
  for (const f of failed) {
    const next = f.permanent
      ? "máy chủ thư từ chối hẳn: không gửi lại thư này cho đến khi nội dung thay đổi; kiểm tra địa chỉ người nhận hoặc dung lượng thư"
      : `sẽ gửi lại ở lần chạy sau${f.retryAt ? `, từ ${dateTimeVi(new Date(f.retryAt))}` : ""}`;
    lines.push(`  ✗ ${subject(f.key)}: ${f.error} (${next})`);
  }
  for (const key of busy) lines.push(`  … ${subject(key)}: đang được một lần chạy khác gửi`);
  for (const d of deferred) lines.push(`  … ${subject(d.key)}: chờ gửi lại từ ${dateTimeVi(new Date(d.retryAt))} (lần trước: ${d.error})`);
  return lines;
}
