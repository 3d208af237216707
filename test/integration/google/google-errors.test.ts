/**
 * The product's error reading (google-errors.ts, retry.ts) against the bodies the strict fake sends in each
 * API's real shape: Sheets' AIP-193 `details[]`, Drive's and Cloud Storage's `errors[]`.
 */
import { drive as driveApi } from "@googleapis/drive";
import { sheets as sheetsApi } from "@googleapis/sheets";
import { OAuth2Client } from "google-auth-library";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GoogleApiError, adminHintOf, isQuotaError } from "../../../functions/adapters/google/google-errors.js";
import { withRetry } from "../../../functions/adapters/google/retry.js";
import { type ManualClock, manualClock } from "../../fakes/clock.js";
import { type FakeGoogle, startFakeGoogle } from "../../fakes/google/server.js";

let fake: FakeGoogle;
let clock: ManualClock;

beforeEach(async () => {
  clock = manualClock("2026-12-01T08:00:00+07:00");
  fake = await startFakeGoogle({ now: clock.ms });
});
afterEach(() => fake.close());

function auth(): OAuth2Client {
  const client = new OAuth2Client();
  client.setCredentials({ access_token: "test-token", expiry_date: Date.now() + 3_600_000 });
  return client;
}

const serviceAccountMessage = "Service Accounts do not have storage quota. Leverage shared drives (https://developers.google.com/workspace/drive/api/guides/about-shareddrives), or use OAuth delegation (http://support.google.com/a/answer/7281227) instead.";

describe("reading Google's real error shapes", () => {
  it("retries Sheets' 429 RESOURCE_EXHAUSTED (details[].reason RATE_LIMIT_EXCEEDED) until the minute refills", async () => {
    const id = fake.sheets.create("Ward", { Sheet1: [["x"]] });
    const sheets = sheetsApi({ version: "v4", auth: auth(), rootUrl: fake.url, retry: false });
    const calls = Array.from({ length: 65 }, () => () => sheets.spreadsheets.values.batchGet({ spreadsheetId: id, ranges: ["Sheet1"] }));
    for (const call of calls) await withRetry("sheets.values.batchGet", call, { idempotent: true, sleep: clock.sleep, random: () => 0 });
    // The 61st read waits 1+2+4+8+16+32 s = 63 s (six refusals), by when the first minute has rolled off; the rest pass.
    expect(fake.quotas.refusals).toHaveLength(6);
  });

  it("does not retry Drive's storageQuotaExceeded and tells the admin what to do, in Vietnamese", async () => {
    fake.failNext({ api: "drive", method: "POST" }, 403, { reason: "storageQuotaExceeded", message: serviceAccountMessage });
    const drive = driveApi({ version: "v3", auth: auth(), rootUrl: fake.url, retry: false });
    const error = await withRetry("drive.files.create", () => drive.files.create({ requestBody: { name: "x", mimeType: "application/vnd.google-apps.spreadsheet" } }), { idempotent: false, sleep: clock.sleep }).catch((e: unknown) => e);
    expect(fake.count({ api: "drive" })).toBe(1);
    expect(error).toBeInstanceOf(GoogleApiError);
    expect((error as GoogleApiError).reasons).toEqual(["storageQuotaExceeded"]);
    expect((error as GoogleApiError).message).toContain(
      "Tài khoản dịch vụ không có dung lượng Drive riêng: hãy đặt thư mục các phường trong một bộ nhớ dùng chung (shared drive) và thêm tài khoản dịch vụ làm Quản lý nội dung, hoặc dùng tài khoản người dùng (tieuchi auth login)",
    );
  });

  it("names the activation URL when an API is disabled (Sheets SERVICE_DISABLED, Drive accessNotConfigured), without retrying", async () => {
    fake.disableApi("sheets");
    fake.disableApi("drive");
    const sheets = sheetsApi({ version: "v4", auth: auth(), rootUrl: fake.url, retry: false });
    const drive = driveApi({ version: "v3", auth: auth(), rootUrl: fake.url, retry: false });
    const sheetsError = await withRetry("sheets.spreadsheets.get", () => sheets.spreadsheets.get({ spreadsheetId: "x" }), { idempotent: true, sleep: clock.sleep }).catch((e: unknown) => e);
    expect((sheetsError as GoogleApiError).hint).toBe(
      "API chưa được bật trong dự án Google Cloud: hãy bật tại https://console.developers.google.com/apis/api/sheets.googleapis.com/overview?project=123456789, đợi vài phút rồi chạy lại",
    );
    const driveError = await drive.files.list({}).catch((e: unknown) => e);
    expect(adminHintOf(driveError)).toContain("https://console.developers.google.com/apis/api/drive.googleapis.com/overview?project=123456789");
    expect(fake.count({})).toBe(2);
  });

  it("explains a revoked or expired user grant (OAuth invalid_grant during the client's refresh), without retrying", async () => {
    const { clientId, clientSecret } = fake.oauth.client;
    const redirectUri = "http://127.0.0.1:8085/";
    const user = new OAuth2Client({ clientId, clientSecret, redirectUri, endpoints: { oauth2TokenUrl: `${fake.url}token` } });
    const { tokens } = await user.getToken({ code: fake.oauth.issueCode({ email: "canbo.tonghop@gmail.example", scopes: ["https://www.googleapis.com/auth/spreadsheets"], redirectUri }) });
    user.setCredentials({ refresh_token: tokens.refresh_token ?? null });
    fake.oauth.revoke(tokens.refresh_token ?? "");
    const sheets = sheetsApi({ version: "v4", auth: user, rootUrl: fake.url, retry: false });
    const error = await withRetry("sheets.values.batchGet", () => sheets.spreadsheets.values.batchGet({ spreadsheetId: "x", ranges: ["A1"] }), { idempotent: true, sleep: clock.sleep }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GoogleApiError);
    expect((error as GoogleApiError).reasons).toEqual(["invalid_grant"]);
    expect((error as GoogleApiError).hint).toBe("Quyền truy cập của tài khoản người dùng đã bị thu hồi hoặc hết hạn: hãy chạy lại tieuchi auth login và cập nhật refresh token trong Secret Manager");
    expect(fake.count({})).toBe(0);
  });

  it("treats Cloud Storage's per-object 429 as a quota refusal", async () => {
    const upload = () => auth().request({ url: `${fake.url}upload/storage/v1/b/state/o`, method: "POST", params: { uploadType: "media", name: "a.json" }, data: "{}", headers: { "content-type": "application/json" }, retry: false });
    await upload();
    const error = await upload().catch((e: unknown) => e);
    expect(isQuotaError(error)).toBe(true);
    await withRetry("storage.objects.insert", upload, { idempotent: true, sleep: clock.sleep, random: () => 0 });
    expect(fake.quotas.refusals).toHaveLength(2);
  });
});
