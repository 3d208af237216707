/**
 * Failures of Google API calls: how to read a gaxios error (status, reason, network code)
 * without importing gaxios, and the error thrown once retries are exhausted.
 */
import { TieuchiError } from "../../errors.js";

const API_LABELS: Readonly<Record<string, string>> = {
  sheets: "Google Sheets",
  drive: "Google Drive",
  docs: "Google Docs",
  storage: "Cloud Storage",
};

/** 403 reasons that mean "slow down": the request was refused before it was applied. */
const RATE_LIMIT_REASONS = new Set(["rateLimitExceeded", "userRateLimitExceeded", "sharingRateLimitExceeded", "RATE_LIMIT_EXCEEDED"]);

/** Failures below HTTP: the request may or may not have reached the server. */
const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "TimeoutError",
  "AbortError",
]);

interface ApiErrorBody {
  error?: { message?: unknown; status?: unknown; errors?: Array<{ reason?: unknown }>; details?: Array<{ reason?: unknown; metadata?: unknown }> };
}

function bodyOf(error: unknown): ApiErrorBody["error"] | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const data = (error as { response?: { data?: unknown } }).response?.data;
  const body = typeof data === "object" && data !== null ? (data as ApiErrorBody).error : undefined;
  return typeof body === "object" && body !== null ? body : undefined;
}

/** The HTTP status of a failed call, or null when no response came back. */
export function statusOf(error: unknown): number | null {
  if (typeof error !== "object" || error === null) return null;
  const { status, response } = error as { status?: unknown; response?: { status?: unknown } };
  if (typeof status === "number") return status;
  return typeof response?.status === "number" ? response.status : null;
}

/** The OAuth token endpoint's `{"error": "invalid_grant", …}` (a refresh that failed inside the client), or null. */
function oauthErrorOf(error: unknown): string | null {
  if (typeof error !== "object" || error === null) return null;
  const data = (error as { response?: { data?: unknown } }).response?.data;
  const code = typeof data === "object" && data !== null ? (data as { error?: unknown }).error : undefined;
  return typeof code === "string" ? code : null;
}

/** Every machine-readable reason in the error body (legacy `errors[].reason`, AIP-193 `details[].reason`, an OAuth error code). */
export function reasonsOf(error: unknown): string[] {
  const oauth = oauthErrorOf(error);
  if (oauth !== null) return [oauth];
  const body = bodyOf(error);
  const reasons = [...(body?.errors ?? []), ...(body?.details ?? [])].map((e) => e.reason);
  return reasons.filter((r): r is string => typeof r === "string");
}

/** The API's own explanation, else the error's message. */
export function detailOf(error: unknown): string {
  const message = bodyOf(error)?.message;
  if (typeof message === "string" && message !== "") return message;
  return error instanceof Error ? error.message : String(error);
}

/** The system or fetch code of a failure that got no HTTP response, searching the cause chain. */
export function networkCodeOf(error: unknown): string | null {
  for (let e: unknown = error, depth = 0; typeof e === "object" && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, name } = e as { code?: unknown; name?: unknown };
    if (typeof code === "string" && NETWORK_CODES.has(code)) return code;
    if (typeof name === "string" && NETWORK_CODES.has(name)) return name;
  }
  return null;
}

/** A metadata value of the body's google.rpc.ErrorInfo (AIP-193 APIs and Google's front end send one). */
export function errorInfoValue(error: unknown, key: string): string | null {
  for (const detail of bodyOf(error)?.details ?? []) {
    const metadata = detail.metadata;
    if (typeof metadata !== "object" || metadata === null) continue;
    const value = (metadata as Record<string, unknown>)[key];
    if (typeof value === "string") return value;
  }
  return null;
}

/**
 * What the admin should do about a refusal that no retry will cure, in Vietnamese, or null.
 * Drive says storageQuotaExceeded both to a service account (which owns no storage at all) and to
 * a user whose Drive is full; the message tells them apart.
 */
export function adminHintOf(error: unknown): string | null {
  const reasons = reasonsOf(error);
  if (reasons.includes("storageQuotaExceeded")) {
    return /service account/i.test(detailOf(error))
      ? "Tài khoản dịch vụ không có dung lượng Drive riêng: hãy đặt thư mục các phường trong một bộ nhớ dùng chung (shared drive) và thêm tài khoản dịch vụ làm Quản lý nội dung, hoặc dùng tài khoản người dùng (tieuchi auth login)"
      : "Drive của tài khoản đã hết dung lượng: hãy giải phóng dung lượng hoặc mua thêm bộ nhớ, rồi chạy lại";
  }
  if (reasons.includes("SERVICE_DISABLED") || reasons.includes("accessNotConfigured")) {
    const url = errorInfoValue(error, "activationUrl");
    return `API chưa được bật trong dự án Google Cloud: hãy bật${url ? ` tại ${url}` : " bằng gcloud services enable"}, đợi vài phút rồi chạy lại`;
  }
  if (reasons.includes("invalid_grant")) {
    return "Quyền truy cập của tài khoản người dùng đã bị thu hồi hoặc hết hạn: hãy chạy lại tieuchi auth login và cập nhật refresh token trong Secret Manager";
  }
  if (reasons.includes("ACCESS_TOKEN_SCOPE_INSUFFICIENT") || reasons.includes("insufficientPermissions")) {
    return "Thông tin xác thực thiếu quyền (scope) cho API này: hãy cấp lại quyền (tieuchi auth login) hoặc kiểm tra các scope của tài khoản dịch vụ";
  }
  return null;
}

/** 429, or 403 with a rate-limit reason: refused for quota, never applied, so safe to repeat. */
export function isQuotaError(error: unknown): boolean {
  const status = statusOf(error);
  if (status === 429) return true;
  return status === 403 && reasonsOf(error).some((r) => RATE_LIMIT_REASONS.has(r));
}

/** 5xx or a dropped connection: the call may have been applied, so repeat only idempotent ones. */
export function isTransientError(error: unknown): boolean {
  const status = statusOf(error);
  if (status !== null) return status >= 500 && status <= 599;
  return networkCodeOf(error) !== null;
}

/** "Google Sheets" for "sheets.values.batchGet". */
function apiLabel(operation: string): string {
  const api = operation.split(".", 1)[0] ?? "";
  return API_LABELS[api] ?? "Google API";
}

/** The operation without its API prefix: "values.batchGet" for "sheets.values.batchGet". */
function methodName(operation: string): string {
  const dot = operation.indexOf(".");
  return dot >= 0 && API_LABELS[operation.slice(0, dot)] ? operation.slice(dot + 1) : operation;
}

/**
 * A Google API call that failed for good (not retryable, or retries exhausted).
 * `operation` is "<api>.<method>", e.g. "sheets.values.batchGet"; `status` is null for a
 * failure without an HTTP response.
 */
export class GoogleApiError extends TieuchiError {
  readonly operation: string;
  readonly status: number | null;
  readonly reasons: readonly string[];
  readonly detail: string;
  /** What the admin should do (Vietnamese), when the failure is one of the known set-up mistakes. */
  readonly hint: string | null;
  constructor(operation: string, error: unknown) {
    const status = statusOf(error);
    const detail = detailOf(error);
    const hint = adminHintOf(error);
    super(`Gọi ${apiLabel(operation)} thất bại (${methodName(operation)}, ${status ?? networkCodeOf(error) ?? "lỗi mạng"}): ${hint ? `${hint}. Google trả lời: ` : ""}${detail}`, { cause: error });
    this.operation = operation;
    this.status = status;
    this.reasons = reasonsOf(error);
    this.detail = detail;
    this.hint = hint;
  }
}

/**
 * A failed call in one Vietnamese sentence for the office, with no English from Google (the raw
 * error goes to the log): the admin's hint when it is a known set-up mistake, else what the
 * status means.
 *
 * @example plainFailure(new GoogleApiError("sheets.spreadsheets.batchUpdate", { status: 403 })) // → "tài khoản của hệ thống không có quyền sửa bảng tính này (quyền có thể đã bị gỡ)"
 */
export function plainFailure(error: unknown): string {
  const hint = error instanceof GoogleApiError ? error.hint : adminHintOf(error);
  if (hint) return hint;
  const [status, reasons] = error instanceof GoogleApiError ? [error.status, error.reasons] : [statusOf(error), reasonsOf(error)];
  if (status === 429 || (status === 403 && reasons.some((r) => RATE_LIMIT_REASONS.has(r)))) return "Google đang giới hạn số lần ghi: hãy chạy lại sau ít phút";
  if (status === 403 || status === 401) return "tài khoản của hệ thống không có quyền sửa bảng tính này (quyền có thể đã bị gỡ)";
  if (status === 404) return "không tìm thấy bảng tính (tệp có thể đã bị xóa hoặc chuyển đi)";
  if ((status !== null && status >= 500) || networkCodeOf(error) !== null) return "Google tạm thời không trả lời: hãy chạy lại sau ít phút";
  return status === null ? "lỗi ngoài dự kiến (chi tiết ghi trong nhật ký)" : `Google từ chối thay đổi (mã ${status})`;
}
