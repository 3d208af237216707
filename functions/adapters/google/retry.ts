/**
 * The one retry policy for Sheets, Drive and Docs calls (the clients' own retry is off).
 *
 * - Quota refusals (429; 403 rateLimitExceeded / userRateLimitExceeded) were not applied, so
 *   they are retried for every method, POST included.
 * - 5xx and dropped connections may have been applied: retried only for idempotent calls.
 *
 * Waits grow exponentially (base × 2^n, capped) and jitter only ever lengthens them
 * (× [1, 1.5)). Full jitter (× [0, 1)) would spread clients a little more, but its expected
 * total with these defaults is ~48 s, so most quota refusals would give up before the
 * per-minute quota refills; here the schedule's nominal total (95 s) is a guaranteed minimum.
 */
import { GoogleApiError, isQuotaError, isTransientError, networkCodeOf, statusOf } from "./google-errors.js";

/** How to wait and how long; every field has a default. */
export interface RetryOptions {
  sleep?: (ms: number) => Promise<void>;
  /** Source of jitter in [0, 1). */
  random?: () => number;
  /** Attempts in all, the first included. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export interface RetryCallOptions extends RetryOptions {
  /** Repeating the call has the same effect as making it once (GET, PUT-like rewrites). */
  idempotent: boolean;
}

export interface RetrySchedule {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_SCHEDULE: Readonly<RetrySchedule> = { maxAttempts: 8, baseDelayMs: 1_000, maxDelayMs: 32_000 };

/** Jitter multiplies each wait by a factor in [1, 1 + JITTER). */
export const JITTER = 0.5;

/** Per-minute quotas refill within this time; the schedule's minimum total must exceed it. */
export const QUOTA_WINDOW_MS = 60_000;

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function scheduleOf(options: RetryOptions): RetrySchedule {
  return {
    maxAttempts: options.maxAttempts ?? DEFAULT_RETRY_SCHEDULE.maxAttempts,
    baseDelayMs: options.baseDelayMs ?? DEFAULT_RETRY_SCHEDULE.baseDelayMs,
    maxDelayMs: options.maxDelayMs ?? DEFAULT_RETRY_SCHEDULE.maxDelayMs,
  };
}

/** The nominal wait before each retry (one fewer than the attempts): [1 s, 2 s, 4 s, … 32 s, 32 s]. */
export function retryDelays(options: RetryOptions = {}): number[] {
  const { maxAttempts, baseDelayMs, maxDelayMs } = scheduleOf(options);
  return Array.from({ length: Math.max(0, maxAttempts - 1) }, (_, n) => Math.min(maxDelayMs, baseDelayMs * 2 ** n));
}

/** The least time spent waiting before giving up (jitter 0): 95 s by default. */
export function minimumTotalDelayMs(options: RetryOptions = {}): number {
  return retryDelays(options).reduce((sum, d) => sum + d, 0);
}

/** The worst-case time spent waiting before giving up (jitter at its top): ~142 s by default. */
export function worstCaseTotalDelayMs(options: RetryOptions = {}): number {
  return minimumTotalDelayMs(options) * (1 + JITTER);
}

/** Whether this failure is worth another attempt under the idempotency rule. */
export function isRetryable(error: unknown, idempotent: boolean): boolean {
  if (isQuotaError(error)) return true;
  return idempotent && isTransientError(error);
}

/** An error that came from the API or the network (as opposed to a bug in the caller). */
function isApiFailure(error: unknown): boolean {
  if (error instanceof GoogleApiError) return false;
  return statusOf(error) !== null || networkCodeOf(error) !== null;
}

/**
 * Run `fn`, retrying as the policy allows. `operation` names the call as "<api>.<method>"
 * ("sheets.values.batchGet"); the final API failure is thrown as a GoogleApiError.
 *
 * @example await withRetry("drive.files.list", () => drive.files.list(params), { idempotent: true })
 */
export async function withRetry<T>(operation: string, fn: () => Promise<T>, options: RetryCallOptions): Promise<T> {
  const delays = retryDelays(options);
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (!isApiFailure(error)) throw error;
      const delay = delays[attempt];
      if (delay === undefined || !isRetryable(error, options.idempotent)) throw new GoogleApiError(operation, error);
      await sleep(Math.round(delay * (1 + JITTER * random())));
    }
  }
}
