/**
 * Sharing a ward spreadsheet with the ward's contacts and the appraisers (edit rights, with
 * Drive's invitation; what appraisers may edit beyond that is the protection's business).
 * A domain's policy may refuse some addresses (outside the organisation, or without a Google
 * account): each refusal is reported with its reason and the other contacts go on.
 */
import type { drive_v3 } from "@googleapis/drive";
import { CHECK_TAB, GUIDE_TAB } from "../../../sheets-schema/layout.js";
import type { WardConfig } from "../../config.js";
import { unitLabel } from "../../core/organisation.js";
import type { ShareResult } from "../../ports.js";
import { sharingRefusal } from "./provision-errors.js";
import { type RetryOptions, withRetry } from "./retry.js";

interface ShareContext {
  drive: drive_v3.Drive;
  retry: RetryOptions;
}

/** The invitation Drive sends with the permission. */
function invitationMessage(ward: Pick<WardConfig, "name" | "kind">): string {
  return (
    `Bảng tự đánh giá tiêu chí của ${unitLabel(ward)}. Đồng chí mở bảng tính, đọc trang “${GUIDE_TAB}”, rồi nhập các cột Kết quả, Điểm tự chấm, Minh chứng, Ghi chú. ` +
    `Sau mỗi lần lưu, hệ thống tự kiểm tra và ghi những ô cần sửa vào trang “${CHECK_TAB}”.`
  );
}

/** The invitation an appraiser gets: which cells are theirs. */
function appraiserMessage(ward: Pick<WardConfig, "name" | "kind">): string {
  return `Bảng tự đánh giá tiêu chí của ${unitLabel(ward)}, để thẩm định. Đồng chí nhập các cột Kết quả thẩm định, Ý kiến thẩm định và ô Kết luận thẩm định (chỉ cán bộ thẩm định sửa được các ô này).`;
}

/** Lower-cased email addresses holding any permission on the file. */
async function permittedEmails(ctx: ShareContext, fileId: string): Promise<Set<string>> {
  const emails = new Set<string>();
  let pageToken: string | undefined;
  do {
    const token = pageToken;
    const response = await withRetry(
      "drive.permissions.list",
      () => ctx.drive.permissions.list({ fileId, fields: "nextPageToken,permissions(id,type,emailAddress)", pageSize: 100, supportsAllDrives: true, ...(token ? { pageToken: token } : {}) }),
      { ...ctx.retry, idempotent: true },
    );
    for (const p of response.data.permissions ?? []) if (p.emailAddress) emails.add(p.emailAddress.toLowerCase());
    pageToken = response.data.nextPageToken ?? undefined;
  } while (pageToken);
  return emails;
}

async function invite(ctx: ShareContext, fileId: string, emailAddress: string, emailMessage: string): Promise<void> {
  // Not idempotent: a repeat would send the invitation twice. Quota refusals only.
  await withRetry(
    "drive.permissions.create",
    () =>
      ctx.drive.permissions.create({
        fileId,
        sendNotificationEmail: true,
        emailMessage,
        supportsAllDrives: true,
        fields: "id",
        requestBody: { role: "writer", type: "user", emailAddress },
      }),
    { ...ctx.retry, idempotent: false },
  );
}

/**
 * Edit rights for every contact and appraiser without a permission yet; permissions are never
 * removed. A refusal (400/403) is reported for that address; any other failure stops the ward.
 */
export async function shareWithContacts(ctx: ShareContext, fileId: string, ward: WardConfig, appraisers: readonly string[] = []): Promise<ShareResult> {
  const result: ShareResult = { actions: [], refused: [] };
  const appraising = new Set(appraisers.map((e) => e.toLowerCase()));
  const wanted = [...new Map([...ward.contacts.map((c) => c.email), ...appraisers].map((e) => [e.toLowerCase(), e])).values()];
  if (wanted.length === 0) return result;
  const permitted = await permittedEmails(ctx, fileId);
  for (const email of wanted.filter((e) => !permitted.has(e.toLowerCase()))) {
    try {
      await invite(ctx, fileId, email, appraising.has(email.toLowerCase()) ? appraiserMessage(ward) : invitationMessage(ward));
      result.actions.push(`Chia sẻ quyền chỉnh sửa cho ${email} (đã gửi thư mời)`);
    } catch (error) {
      const reason = sharingRefusal(error);
      if (reason === null) throw error;
      result.refused.push({ email, reason });
    }
  }
  return result;
}
