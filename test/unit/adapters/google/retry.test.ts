import { describe, expect, it } from "vitest";
import { GoogleApiError } from "../../../../functions/adapters/google/google-errors.js";
import {
  DEFAULT_RETRY_SCHEDULE,
  QUOTA_WINDOW_MS,
  minimumTotalDelayMs,
  retryDelays,
  withRetry,
  worstCaseTotalDelayMs,
} from "../../../../functions/adapters/google/retry.js";

/** An error shaped like the one gaxios throws for an HTTP failure. */
function httpError(status: number, reason?: string, message = `HTTP ${status}`): Error {
  const error = new Error(message) as Error & { status: number; response: unknown };
  error.status = status;
  error.response = { status, data: { error: { code: status, message, errors: reason ? [{ reason }] : [] } } };
  return error;
}

function networkError(code: string): Error {
  return Object.assign(new Error(`request failed, reason: socket hang up`), { code });
}

/** fn failing with the given errors in turn, then returning "ok"; counts its calls. */
function failing(...errors: Error[]): { fn: () => Promise<string>; calls: () => number } {
  let calls = 0;
  return {
    fn: async () => {
      const error = errors[calls++];
      if (error) throw error;
      return "ok";
    },
    calls: () => calls,
  };
}

function recorder(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void waits.push(ms) };
}

describe("retry schedule", () => {
  it("doubles from 1 s up to the 32 s cap, 8 attempts in all", () => {
    expect(DEFAULT_RETRY_SCHEDULE).toEqual({ maxAttempts: 8, baseDelayMs: 1_000, maxDelayMs: 32_000 });
    expect(retryDelays()).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 32_000]);
  });

  it("outlasts a per-minute quota refill even with the least jitter", () => {
    expect(minimumTotalDelayMs()).toBe(95_000);
    expect(minimumTotalDelayMs()).toBeGreaterThanOrEqual(QUOTA_WINDOW_MS);
    expect(worstCaseTotalDelayMs()).toBeGreaterThanOrEqual(QUOTA_WINDOW_MS);
    expect(worstCaseTotalDelayMs()).toBe(142_500);
  });

  it("follows custom options", () => {
    expect(retryDelays({ maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 250 })).toEqual([100, 200, 250]);
    expect(retryDelays({ maxAttempts: 1 })).toEqual([]);
  });

  it("waits the nominal delay times a jitter factor in [1, 1.5)", async () => {
    const low = recorder();
    await withRetry("sheets.values.batchGet", failing(httpError(429), httpError(429), httpError(429)).fn, { idempotent: true, sleep: low.sleep, random: () => 0 });
    expect(low.waits).toEqual([1_000, 2_000, 4_000]);
    const high = recorder();
    await withRetry("sheets.values.batchGet", failing(httpError(429), httpError(429)).fn, { idempotent: true, sleep: high.sleep, random: () => 0.999 });
    expect(high.waits).toEqual([1_500, 2_999]);
  });
});

describe("which failures are retried", () => {
  const cases: Array<{ name: string; error: () => Error; idempotent: boolean; retried: boolean }> = [
    { name: "429, POST", error: () => httpError(429, "rateLimitExceeded"), idempotent: false, retried: true },
    { name: "429, GET", error: () => httpError(429), idempotent: true, retried: true },
    { name: "403 rateLimitExceeded, POST", error: () => httpError(403, "rateLimitExceeded"), idempotent: false, retried: true },
    { name: "403 userRateLimitExceeded, POST", error: () => httpError(403, "userRateLimitExceeded"), idempotent: false, retried: true },
    { name: "403 sharingRateLimitExceeded (invitations), POST", error: () => httpError(403, "sharingRateLimitExceeded"), idempotent: false, retried: true },
    { name: "403 forbidden (no access), GET", error: () => httpError(403, "forbidden"), idempotent: true, retried: false },
    { name: "403 storageQuotaExceeded (service account), POST", error: () => httpError(403, "storageQuotaExceeded"), idempotent: true, retried: false },
    { name: "403 accessNotConfigured (API disabled), GET", error: () => httpError(403, "accessNotConfigured"), idempotent: true, retried: false },
    { name: "503, idempotent", error: () => httpError(503, "backendError"), idempotent: true, retried: true },
    { name: "503, POST", error: () => httpError(503, "backendError"), idempotent: false, retried: false },
    { name: "500, POST", error: () => httpError(500), idempotent: false, retried: false },
    { name: "ECONNRESET, idempotent", error: () => networkError("ECONNRESET"), idempotent: true, retried: true },
    { name: "ECONNRESET, POST", error: () => networkError("ECONNRESET"), idempotent: false, retried: false },
    { name: "400, idempotent", error: () => httpError(400, "badRequest"), idempotent: true, retried: false },
    { name: "404, idempotent", error: () => httpError(404, "notFound"), idempotent: true, retried: false },
  ];

  it.each(cases)("$name → retried: $retried", async ({ error, idempotent, retried }) => {
    const { fn, calls } = failing(error());
    const outcome = withRetry("sheets.spreadsheets.batchUpdate", fn, { idempotent, sleep: async () => {} });
    if (retried) await expect(outcome).resolves.toBe("ok");
    else await expect(outcome).rejects.toBeInstanceOf(GoogleApiError);
    expect(calls()).toBe(retried ? 2 : 1);
  });

  it("reads the AIP-193 reason in details too", async () => {
    const error = httpError(403);
    (error as unknown as { response: { data: unknown } }).response.data = { error: { code: 403, message: "Quota", details: [{ reason: "RATE_LIMIT_EXCEEDED" }] } };
    const { fn, calls } = failing(error);
    await expect(withRetry("drive.files.create", fn, { idempotent: false, sleep: async () => {} })).resolves.toBe("ok");
    expect(calls()).toBe(2);
  });

  it("gives up after the last attempt with a GoogleApiError naming the call, in Vietnamese", async () => {
    const waits = recorder();
    const { fn, calls } = failing(...Array.from({ length: 10 }, () => httpError(429, "rateLimitExceeded", "Quota exceeded")));
    const error: unknown = await withRetry("sheets.values.batchGet", fn, { idempotent: true, sleep: waits.sleep, random: () => 0 }).catch((e: unknown) => e);
    expect(calls()).toBe(8);
    expect(waits.waits.reduce((a, b) => a + b, 0)).toBe(95_000);
    expect(error).toBeInstanceOf(GoogleApiError);
    const apiError = error as GoogleApiError;
    expect(apiError.message).toBe("Gọi Google Sheets thất bại (values.batchGet, 429): Quota exceeded");
    expect(apiError.operation).toBe("sheets.values.batchGet");
    expect(apiError.status).toBe(429);
    expect(apiError.reasons).toEqual(["rateLimitExceeded"]);
    expect(apiError.cause).toBeInstanceOf(Error);
  });

  it("names the network code when there was no response", async () => {
    const error = await withRetry("drive.files.list", failing(networkError("ECONNRESET")).fn, { idempotent: false }).catch((e: unknown) => e);
    expect((error as GoogleApiError).message).toMatch(/^Gọi Google Drive thất bại \(files\.list, ECONNRESET\): /u);
    expect((error as GoogleApiError).status).toBeNull();
  });

  it("lets a bug in the caller through untouched, without retrying", async () => {
    const bug = new TypeError("x is not a function");
    const { fn, calls } = failing(bug);
    await expect(withRetry("sheets.values.get", fn, { idempotent: true, sleep: async () => {} })).rejects.toBe(bug);
    expect(calls()).toBe(1);
  });
});
