/** A failed Google call as one Vietnamese sentence for the office: never Google's English text. */
import { describe, expect, it } from "vitest";
import { GoogleApiError, plainFailure } from "../../../../functions/adapters/google/google-errors.js";

const apiError = (status: number, message: string, reason?: string) => ({ response: { status, data: { error: { message, ...(reason ? { errors: [{ reason }] } : {}) } } } });

describe("plainFailure", () => {
  it.each([
    [apiError(403, "The caller does not have permission"), "tài khoản của hệ thống không có quyền sửa bảng tính này (quyền có thể đã bị gỡ)"],
    [apiError(404, "Requested entity was not found."), "không tìm thấy bảng tính (tệp có thể đã bị xóa hoặc chuyển đi)"],
    [apiError(429, "Quota exceeded for quota metric 'Write requests'"), "Google đang giới hạn số lần ghi: hãy chạy lại sau ít phút"],
    [apiError(403, "User rate limit exceeded", "userRateLimitExceeded"), "Google đang giới hạn số lần ghi: hãy chạy lại sau ít phút"],
    [apiError(503, "The service is currently unavailable."), "Google tạm thời không trả lời: hãy chạy lại sau ít phút"],
    [Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }), "Google tạm thời không trả lời: hãy chạy lại sau ít phút"],
    [apiError(400, "Invalid requests[0].addProtectedRange"), "Google từ chối thay đổi (mã 400)"],
  ])("says %j plainly, whether raw or wrapped after retries", (error, sentence) => {
    expect(plainFailure(error)).toBe(sentence);
    expect(plainFailure(new GoogleApiError("sheets.spreadsheets.batchUpdate", error))).toBe(sentence);
  });

  it("gives the admin's hint for a known set-up mistake, and a plain sentence for an unknown failure", () => {
    const disabled = { response: { status: 403, data: { error: { message: "Google Sheets API has not been used", details: [{ reason: "SERVICE_DISABLED", metadata: { activationUrl: "https://console.example/sheets" } }] } } } };
    expect(plainFailure(new GoogleApiError("sheets.spreadsheets.get", disabled))).toContain("API chưa được bật trong dự án Google Cloud");
    expect(plainFailure(new TypeError("Cannot read properties of undefined"))).toBe("lỗi ngoài dự kiến (chi tiết ghi trong nhật ký)");
  });
});
