/**
 * Failures of Google API calls: how to read a gaxios error (status, reason, network code)
 * without importing gaxios, and the error thrown once retries are exhausted.
 */
import { TieuchiError } from "../../errors.js";

const API_LABELS: Readonly<Record<string, string>> = {
  sheets: "Google Sheets",
  drive: "Google Drive",
  docs: "Google Docs",
};

/** 403 reasons that mean "slow down": the request was refused before it was applied. */
const RATE_LIMIT_REASONS = new Set(["rateLimitExceeded", "userRateLimitExceeded", "RATE_LIMIT_EXCEEDED"]);

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
  error?: { message?: unknown; status?: unknown; errors?: Array<{ reason?: unknown }>; details?: Array<{ reason?: unknown }> };
}

function bodyOf(error: unknown): ApiErrorBody["error"] | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const data = (error as { response?: { data?: unknown } }).response?.data;
  return typeof data === "object" && data !== null ? (data as ApiErrorBody).error : undefined;
}

/** The HTTP status of a failed call, or null when no response came back. */
export function statusOf(error: unknown): number | null {
  if (typeof error !== "object" || error === null) return null;
  const { status, response } = error as { status?: unknown; response?: { status?: unknown } };
  if (typeof status === "number") return status;
  return typeof response?.status === "number" ? response.status : null;
}

/** Every machine-readable reason in the error body (legacy `errors[].reason` and AIP-193 `details[].reason`). */
export function reasonsOf(error: unknown): string[] {
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
  constructor(operation: string, error: unknown) {
    const status = statusOf(error);
    const detail = detailOf(error);
    super(`Gọi ${apiLabel(operation)} thất bại (${methodName(operation)}, ${status ?? networkCodeOf(error) ?? "lỗi mạng"}): ${detail}`, { cause: error });
    this.operation = operation;
    this.status = status;
    this.reasons = reasonsOf(error);
    this.detail = detail;
  }
}
