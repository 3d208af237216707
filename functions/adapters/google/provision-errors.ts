/**
 * What Google's refusals during provisioning mean for the admin, in Vietnamese: which of the
 * two setups is missing what, and what to do. Reasons are Drive's documented `errors[].reason`
 * values (and AIP-193 `details[].reason` for scopes).
 */
import { TieuchiError } from "../../errors.js";
import { GoogleApiError } from "./google-errors.js";

const hasReason = (error: GoogleApiError, ...reasons: string[]): boolean => error.reasons.some((r) => reasons.includes(r));

const SETUPS =
  "Có hai cách: (1) Google Workspace: đặt thư mục các phường trong một bộ nhớ dùng chung (shared drive) và thêm tài khoản dịch vụ làm thành viên với vai trò “Người quản lý nội dung”; " +
  "(2) tài khoản Google thường (Gmail): chạy “tieuchi auth login” rồi đặt TIEUCHI_OAUTH_REFRESH_TOKEN để hệ thống làm việc thay tài khoản đó, trong “Drive của tôi”.";

/** Scopes missing from the token: the consent was given for fewer scopes than the service asks. */
function isScopeError(error: GoogleApiError): boolean {
  return error.status === 403 && hasReason(error, "ACCESS_TOKEN_SCOPE_INSUFFICIENT", "insufficientPermissions", "insufficientScopes");
}

const SCOPE_HELP = "mã truy cập thiếu quyền (phạm vi OAuth) cho thao tác này. Với tài khoản Gmail: chạy lại “tieuchi auth login” và đồng ý mọi quyền được hỏi; với tài khoản dịch vụ: xem phạm vi ở README.";

/** Drive files.create of a ward spreadsheet refused: explained for the admin; anything else unchanged. */
export function explainCreateFailure(error: unknown, folderId: string): unknown {
  if (!(error instanceof GoogleApiError)) return error;
  const folder = `thư mục các phường (google.wardsFolderId = ${folderId})`;
  if (error.status === 403 && hasReason(error, "storageQuotaExceeded")) {
    return new TieuchiError(
      `không tạo được bảng tính: tài khoản đang dùng không có dung lượng Drive (tài khoản dịch vụ không có “Drive của tôi”), nên ${folder} phải nằm trong bộ nhớ dùng chung hoặc trong Drive của một người dùng. ${SETUPS}`,
      { cause: error },
    );
  }
  if (error.status === 404) {
    return new TieuchiError(`không thấy ${folder}, hoặc tài khoản đang dùng không có quyền trên thư mục đó: kiểm tra mã thư mục trong cấu hình. ${SETUPS}`, { cause: error });
  }
  if (isScopeError(error)) return new TieuchiError(`không tạo được bảng tính: ${SCOPE_HELP}`, { cause: error });
  if (error.status === 403) {
    return new TieuchiError(`tài khoản đang dùng không được thêm tệp vào ${folder}: cần vai trò “Người quản lý nội dung” trong bộ nhớ dùng chung, hoặc quyền chỉnh sửa thư mục (${error.detail})`, { cause: error });
  }
  return error;
}

/** Sharing with one contact refused by policy or by Google: why, for the admin; null when it is not a refusal. */
export function sharingRefusal(error: unknown): string | null {
  if (!(error instanceof GoogleApiError) || (error.status !== 400 && error.status !== 403)) return null;
  // Too many invitations at once: not a refusal of this contact; the ward fails and the next run shares.
  if (hasReason(error, "sharingRateLimitExceeded", "rateLimitExceeded", "userRateLimitExceeded")) return null;
  if (hasReason(error, "cannotShareTeamDriveWithNonGoogleAccounts")) {
    return "địa chỉ này không gắn với tài khoản Google, mà bộ nhớ dùng chung chỉ chia sẻ được với tài khoản Google; đề nghị đồng chí này tạo tài khoản Google bằng địa chỉ đó, hoặc dùng địa chỉ khác";
  }
  if (hasReason(error, "shareOutNotPermitted", "publishOutNotPermitted", "teamDriveDomainUsersOnlyRestriction", "domainPolicy")) {
    return "chính sách của tổ chức không cho chia sẻ ra ngoài tổ chức; nhờ quản trị viên Google Workspace cho phép chia sẻ với địa chỉ này (hoặc với miền của nó), hoặc dùng địa chỉ trong tổ chức";
  }
  if (hasReason(error, "invalidSharingRequest")) {
    return `Google từ chối lời mời (thường do địa chỉ không có tài khoản Google, hoặc chính sách chia sẻ của tổ chức): ${error.detail}`;
  }
  if (isScopeError(error)) return SCOPE_HELP;
  return `Google Drive từ chối chia sẻ (${error.status}): ${error.detail}`;
}
