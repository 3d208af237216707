/** Google-style JSON errors: `{error: {code, message, status, errors: [{reason, domain, message}]}}`. */

const statusNames: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  409: "ALREADY_EXISTS",
  412: "FAILED_PRECONDITION",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  503: "UNAVAILABLE",
};

const defaultReasons: Record<number, string> = {
  400: "badRequest",
  401: "authError",
  403: "userRateLimitExceeded",
  404: "notFound",
  409: "conflict",
  412: "conditionNotMet",
  429: "rateLimitExceeded",
  500: "backendError",
  503: "backendError",
};

const defaultMessages: Record<number, string> = {
  401: "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential.",
  403: "User rate limit exceeded.",
  429: "Quota exceeded for quota metric 'Requests' and limit 'Requests per minute per user'.",
  500: "Internal error encountered.",
  503: "The service is currently unavailable.",
};

export function defaultReason(status: number): string {
  return defaultReasons[status] ?? (status >= 500 ? "backendError" : "badRequest");
}

export function defaultMessage(status: number): string {
  return defaultMessages[status] ?? `Request failed with status ${status}.`;
}

export interface GoogleErrorBody {
  error: {
    code: number;
    message: string;
    status: string;
    errors: Array<{ reason: string; domain: string; message: string; location?: string; locationType?: string }>;
  };
}

/** Thrown by handlers; the server turns it into a JSON error response. */
export class GoogleApiError extends Error {
  readonly status: number;
  readonly reason: string;
  readonly location: string | undefined;

  constructor(status: number, message: string, options: { reason?: string; location?: string } = {}) {
    super(message);
    this.name = "GoogleApiError";
    this.status = status;
    this.reason = options.reason ?? defaultReason(status);
    this.location = options.location;
  }

  toBody(): GoogleErrorBody {
    return errorBody(this.status, this.message, this.reason, this.location);
  }
}

export function errorBody(status: number, message: string, reason: string, location?: string): GoogleErrorBody {
  const detail = { reason, domain: "global", message, ...(location === undefined ? {} : { location, locationType: "parameter" }) };
  return { error: { code: status, message, status: statusNames[status] ?? "UNKNOWN", errors: [detail] } };
}

export function invalidArgument(message: string): GoogleApiError {
  return new GoogleApiError(400, message, { reason: "badRequest" });
}

export function notFound(message: string, location?: string): GoogleApiError {
  return new GoogleApiError(404, message, location === undefined ? { reason: "notFound" } : { reason: "notFound", location });
}
