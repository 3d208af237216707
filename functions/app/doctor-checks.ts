/**
 * Each doctor check judged from its probe's outcome: pure, with the admin's wording
 * (Vietnamese) in one place. A failed check always says what to do.
 */
import type { DoctorCheck, DoctorCheckId, Probe, ProbeFailure } from "./doctor.js";

export interface Identity {
  email: string;
  kind: "serviceAccount" | "user";
}

type Outcome<T = unknown> = Probe<T> | null;

const API_NAMES = {
  "api-drive": { name: "Google Drive API", service: "drive.googleapis.com" },
  "api-sheets": { name: "Google Sheets API", service: "sheets.googleapis.com" },
  "api-docs": { name: "Google Docs API", service: "docs.googleapis.com" },
  "api-storage": { name: "Cloud Storage API", service: "storage.googleapis.com" },
} as const;

const pass = (id: DoctorCheckId, title: string, detail: string): DoctorCheck => ({ id, ok: true, title, detail, fix: null });
const fail = (id: DoctorCheckId, title: string, detail: string, fix: string): DoctorCheck => ({ id, ok: false, title, detail, fix });

const SHARED_DRIVE_FIX = (email: string) =>
  `tạo một bộ nhớ dùng chung (shared drive, cần Google Workspace), chuyển thư mục các phường vào đó và thêm ${email} làm Quản lý nội dung; hoặc dùng tài khoản Google thường (cách B trong README: tieuchi auth login)`;

/** What a failure says when it is not specific to the check. */
function failureText(failure: ProbeFailure): string {
  switch (failure.kind) {
    case "disabled":
      return "API chưa được bật trong dự án";
    case "scope":
      return "thông tin xác thực thiếu quyền truy cập (scope) cho API này";
    case "unauthenticated":
      return "Google không chấp nhận thông tin xác thực";
    case "denied":
      return `Google từ chối${failure.reason ? ` (${failure.reason})` : ""}`;
    case "notFound":
      return "không tìm thấy";
    case "unreachable":
      return `không kết nối được (${failure.reason})`;
    case "noCredentials":
      return "máy này chưa có thông tin đăng nhập Google (Application Default Credentials hoặc TIEUCHI_OAUTH_REFRESH_TOKEN)";
    case "failed":
      return `Google báo lỗi${failure.status === null ? "" : ` HTTP ${failure.status}`}: ${failure.message}`;
  }
}

const CREDENTIALS_FIX =
  "tài khoản dịch vụ: chạy trên Cloud Functions, hoặc trên máy chạy gcloud auth application-default login --impersonate-service-account=…; tài khoản Google thường: chạy lại tieuchi auth login và cập nhật secret tieuchi-oauth-refresh-token";

export function identityOf(value: { email: string; storageLimit: string | null }): Identity {
  const isServiceAccount = value.email.endsWith(".gserviceaccount.com") || value.storageLimit === "0";
  return { email: value.email, kind: isServiceAccount ? "serviceAccount" : "user" };
}

const kindText = (identity: Identity): string => (identity.kind === "serviceAccount" ? "tài khoản dịch vụ" : "tài khoản Google thường");

export function identityCheck(who: Probe<unknown>, identity: Identity | null): DoctorCheck {
  const title = "Danh tính làm việc với Google";
  if (who.ok && identity) return pass("identity", title, `${identity.email} (${kindText(identity)})`);
  const failure = (who as { failure: ProbeFailure }).failure;
  const known = identity ? `${identity.email} (${kindText(identity)}); ` : "";
  if (failure.kind === "scope") return fail("identity", title, `${known}không hỏi được Drive: thiếu quyền truy cập Drive`, "cấp đủ quyền (xem mục “Quyền truy cập (scope) đã cấp”)");
  if (failure.kind === "disabled") return fail("identity", title, `${known}chưa hỏi được Drive vì Google Drive API chưa bật`, "bật Google Drive API (xem mục dưới)");
  return fail("identity", title, `${known}${failureText(failure)}`, CREDENTIALS_FIX);
}

export function apiCheck(id: keyof typeof API_NAMES, outcome: Outcome): DoctorCheck {
  const { name, service } = API_NAMES[id];
  const title = `${name} đã bật`;
  if (outcome === null) return fail(id, title, "chưa kiểm tra được (thiếu cấu hình, xem các mục dưới)", "sửa các mục dưới rồi chạy lại tieuchi doctor");
  if (outcome.ok) return pass(id, title, "API trả lời");
  const failure = outcome.failure;
  if (failure.kind === "noCredentials") return fail(id, title, `chưa kiểm tra được: ${failureText(failure)}`, CREDENTIALS_FIX);
  if (failure.kind === "unreachable") return fail(id, title, failureText(failure), "kiểm tra kết nối mạng tới Google rồi chạy lại");
  // Any other answer (refused, not found) came from the API itself, so it is on.
  if (failure.kind !== "disabled") return pass(id, title, "API trả lời");
  const url = failure.activationUrl ?? `https://console.cloud.google.com/apis/library/${service}`;
  return fail(id, title, `${name} chưa được bật cho dự án`, `bật ${name} tại ${url} (hoặc gcloud services enable ${service}), đợi vài phút rồi chạy lại`);
}

const shortScope = (scope: string): string => scope.replace("https://www.googleapis.com/auth/", "");

export function scopesCheck(granted: Probe<{ scopes: string[] }>, identity: Identity | null, required: { serviceAccount: readonly string[]; user: readonly string[] }): DoctorCheck {
  const title = "Quyền truy cập (scope) đã cấp";
  if (!granted.ok) return fail("scopes", title, `không đọc được quyền của mã truy cập: ${failureText(granted.failure)}`, CREDENTIALS_FIX);
  if (!identity) return fail("scopes", title, "chưa biết danh tính nên chưa so được", "sửa mục danh tính trước");
  const needed = identity.kind === "serviceAccount" ? required.serviceAccount : required.user;
  const missing = needed.filter((s) => !granted.value.scopes.includes(s));
  if (missing.length === 0) return pass("scopes", title, `đủ: ${needed.map(shortScope).join(", ")}`);
  const fix =
    identity.kind === "serviceAccount"
      ? `cấp thêm các scope này cho Application Default Credentials (trên máy: gcloud auth application-default login --scopes=${needed.join(",")}); trên Cloud Functions tieuchi tự xin đủ`
      : "chạy lại tieuchi auth login, đánh dấu chọn mọi quyền trên màn hình đồng ý của Google, rồi cập nhật secret tieuchi-oauth-refresh-token";
  return fail("scopes", title, `thiếu: ${missing.map(shortScope).join(", ")}`, fix);
}

export function folderCheck(folderId: string | null, folder: Outcome<{ name: string }>, identity: Identity | null): DoctorCheck {
  const title = "Thư mục các phường mở được";
  if (!folderId) return fail("wards-folder", title, "chưa đặt google.wardsFolderId trong tieuchi.config.yaml", "ghi mã thư mục các phường (phần cuối địa chỉ thư mục trên Drive) vào google.wardsFolderId");
  if (folder?.ok) return pass("wards-folder", title, `“${folder.value.name}” (${folderId})`);
  const who = identity?.email ?? "tài khoản của hệ thống";
  const failure = folder?.failure ?? { kind: "notFound" as const };
  if (failure.kind === "notFound" || failure.kind === "denied") {
    return fail("wards-folder", title, `không thấy thư mục ${folderId}`, `kiểm tra google.wardsFolderId, và chia sẻ thư mục (hoặc bộ nhớ dùng chung chứa nó) với ${who}`);
  }
  return fail("wards-folder", title, failureText(failure), "sửa các mục ở trên rồi chạy lại");
}

export function driveKindCheck(folder: Outcome<{ driveId: string | null }>, identity: Identity | null): DoctorCheck {
  const title = "Bộ nhớ dùng chung hay Drive của tôi";
  if (!folder?.ok || !identity) return fail("drive-kind", title, "chưa kiểm tra được vì chưa mở được thư mục các phường", "sửa mục “Thư mục các phường mở được” trước");
  if (folder.value.driveId) return pass("drive-kind", title, `thư mục nằm trong bộ nhớ dùng chung (${folder.value.driveId})`);
  if (identity.kind === "user") return pass("drive-kind", title, "thư mục nằm trong “Drive của tôi” của tài khoản Google thường");
  return fail("drive-kind", title, "thư mục nằm trong “Drive của tôi” của một người dùng; tài khoản dịch vụ không có dung lượng Drive nên không tạo được bảng tính ở đó", SHARED_DRIVE_FIX(identity.email));
}

export function folderWriteCheck(write: Outcome, identity: Identity | null): DoctorCheck {
  const title = "Ghi được vào thư mục các phường";
  if (!write) return fail("wards-folder-writable", title, "chưa kiểm tra được vì chưa mở được thư mục các phường", "sửa mục “Thư mục các phường mở được” trước");
  if (write.ok) return pass("wards-folder-writable", title, "đã tạo rồi xóa một tệp thử");
  const who = identity?.email ?? "tài khoản của hệ thống";
  const { failure } = write;
  if (failure.kind === "denied" && failure.reason === "storageQuotaExceeded") {
    return fail("wards-folder-writable", title, "Google từ chối: tài khoản không có dung lượng Drive (storageQuotaExceeded)", SHARED_DRIVE_FIX(who));
  }
  if (failure.kind === "denied" && failure.reason === "appNotAuthorizedToFile") {
    return fail("wards-folder-writable", title, "quyền drive.file chỉ cho ghi vào thư mục do tieuchi tạo", "để tieuchi tự tạo thư mục (tieuchi auth login --create-folders) rồi ghi mã thư mục mới vào cấu hình");
  }
  if (failure.kind === "denied" || failure.kind === "notFound") {
    return fail("wards-folder-writable", title, `${who} chỉ được xem thư mục`, `cấp cho ${who} vai trò Quản lý nội dung (bộ nhớ dùng chung) hoặc Người chỉnh sửa thư mục`);
  }
  return fail("wards-folder-writable", title, failureText(failure), "sửa các mục ở trên rồi chạy lại");
}

export function bucketCheck(bucket: string | null, outcome: Outcome): DoctorCheck {
  const title = "Ghi được vào bucket trạng thái";
  if (!bucket) return fail("state-bucket", title, "chưa đặt TIEUCHI_STATE_BUCKET", "đặt TIEUCHI_STATE_BUCKET=<tên bucket> (README, bước 4)");
  if (outcome?.ok) return pass("state-bucket", title, `đã ghi rồi xóa một đối tượng thử trong gs://${bucket}`);
  const failure = outcome?.failure ?? { kind: "notFound" as const };
  if (failure.kind === "notFound") return fail("state-bucket", title, `chưa có bucket gs://${bucket}`, `tạo bucket: gcloud storage buckets create gs://${bucket} --uniform-bucket-level-access (README, bước 4)`);
  if (failure.kind === "denied" || failure.kind === "scope") {
    return fail("state-bucket", title, `${failureText(failure)} khi ghi vào gs://${bucket}`, `cấp vai trò roles/storage.objectAdmin trên gs://${bucket} cho tài khoản dịch vụ của hệ thống (README, bước 4)`);
  }
  if (failure.kind === "disabled") return fail("state-bucket", title, "Cloud Storage API chưa bật", "bật Cloud Storage API (xem mục trên)");
  return fail("state-bucket", title, failureText(failure), "kiểm tra kết nối và quyền rồi chạy lại");
}

export function webhookCheck(url: string | null, outcome: Outcome<{ status: number; contentType: string; body: string }>): DoctorCheck {
  const title = "Webhook trả lời";
  const redeploy = "kiểm tra google.webhookUrl (địa chỉ scripts/deploy.sh in ra) và triển khai lại bằng scripts/deploy.sh";
  if (!url || !outcome) return fail("webhook", title, "chưa đặt google.webhookUrl trong tieuchi.config.yaml", "chạy scripts/deploy.sh, chép địa chỉ webhook nó in ra vào google.webhookUrl");
  if (!outcome.ok) return fail("webhook", title, `${url}: ${failureText(outcome.failure)}`, redeploy);
  const { status, contentType, body } = outcome.value;
  if (status === 403 && contentType.startsWith("text/plain") && body.trim() === "forbidden") return pass("webhook", title, `${url} từ chối yêu cầu không có mã kênh (403), đúng như mong đợi`);
  if (status === 403 || status === 401) {
    return fail("webhook", title, `${url} bị Cloud Run chặn trước khi tới hàm (HTTP ${status})`, "cho phép allUsers gọi hàm sheetsWebhook; nếu chính sách “Domain restricted sharing” chặn việc này, xem README bước 5");
  }
  return fail("webhook", title, `${url} trả lời HTTP ${status} thay vì 403: đây không phải sheetsWebhook của tieuchi, hoặc bản triển khai đã cũ`, redeploy);
}

export function channelTokenCheck(token: string | null): DoctorCheck {
  const title = "Mã bí mật của kênh";
  const fix = "tạo secret tieuchi-channel-token (README, bước 4) và chạy lệnh với TIEUCHI_CHANNEL_TOKEN=$(gcloud secrets versions access latest --secret=tieuchi-channel-token)";
  if (!token) return fail("channel-token", title, "chưa đặt TIEUCHI_CHANNEL_TOKEN", fix);
  if (!/^[\x21-\x7e]{16,256}$/.test(token)) return fail("channel-token", title, "mã phải gồm 16–256 ký tự ASCII, không có khoảng trắng (mã đi trong tiêu đề HTTP)", fix);
  return pass("channel-token", title, `có mã (${token.length} ký tự)`);
}

/** Sheets allows 60 read requests per minute per identity; a full pass reads every ward once. */
const READS_PER_MINUTE = 60;
/** The sweep's timeout (540 s) in minutes, less one minute of margin. */
const SWEEP_MINUTES = 8;

export function quotaCheck(wardCount: number): DoctorCheck {
  const title = "Hạn mức đọc Google Sheets";
  const minutes = Math.ceil(wardCount / READS_PER_MINUTE);
  const detail = `${wardCount} phường: một lượt đọc đủ cần ${wardCount} lượt đọc; hạn mức 60 lượt/phút cho mỗi danh tính nên mất khoảng ${minutes} phút`;
  if (minutes <= SWEEP_MINUTES) return pass("quota", title, detail);
  return fail("quota", title, `${detail}, quá thời hạn 9 phút của một lượt quét`, "xin tăng hạn mức “Read requests per minute per user” của Sheets API (https://console.cloud.google.com/apis/api/sheets.googleapis.com/quotas) hoặc chia các phường ra nhiều dự án");
}
