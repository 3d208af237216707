import { describe, expect, it } from "vitest";
import { GoogleApiError } from "../../../../functions/adapters/google/google-errors.js";
import { explainCreateFailure, sharingRefusal } from "../../../../functions/adapters/google/provision-errors.js";
import { TieuchiError } from "../../../../functions/errors.js";

/** A failed call as gaxios reports it, wrapped as retry.ts does. */
function apiError(operation: string, status: number, reason: string, message = "Google's own words."): GoogleApiError {
  return new GoogleApiError(operation, { response: { status, data: { error: { code: status, message, errors: [{ reason, message }] } } } });
}

describe("explainCreateFailure", () => {
  it.each([
    ["a service account outside a shared drive", 403, "storageQuotaExceeded", ["không có dung lượng Drive", "bộ nhớ dùng chung", "tieuchi auth login"]],
    ["a wrong or unshared folder", 404, "notFound", ["không thấy thư mục các phường (google.wardsFolderId = F1)", "bộ nhớ dùng chung"]],
    ["a token without the scope", 403, "insufficientPermissions", ["thiếu quyền (phạm vi OAuth)"]],
    ["a member who may not add files", 403, "insufficientFilePermissions", ["Người quản lý nội dung"]],
  ] as const)("explains %s", (_, status, reason, parts) => {
    const explained = explainCreateFailure(apiError("drive.files.create", status, reason), "F1");
    expect(explained).toBeInstanceOf(TieuchiError);
    for (const part of parts) expect((explained as Error).message).toContain(part);
  });

  it("passes anything else through", () => {
    const error = apiError("drive.files.create", 500, "backendError");
    expect(explainCreateFailure(error, "F1")).toBe(error);
    const bug = new TypeError("x");
    expect(explainCreateFailure(bug, "F1")).toBe(bug);
  });
});

describe("sharingRefusal", () => {
  it.each([
    [403, "cannotShareTeamDriveWithNonGoogleAccounts", "không gắn với tài khoản Google"],
    [400, "shareOutNotPermitted", "chính sách của tổ chức không cho chia sẻ ra ngoài tổ chức"],
    [400, "invalidSharingRequest", "Google từ chối lời mời"],
    [403, "forbidden", "Google Drive từ chối chia sẻ (403)"],
  ] as const)("%i %s is a refusal of that contact", (status, reason, part) => {
    expect(sharingRefusal(apiError("drive.permissions.create", status, reason))).toContain(part);
  });

  it.each([
    [403, "sharingRateLimitExceeded"],
    [500, "backendError"],
  ] as const)("%i %s is not (the ward fails and the next run shares)", (status, reason) => {
    expect(sharingRefusal(apiError("drive.permissions.create", status, reason))).toBeNull();
  });
});
