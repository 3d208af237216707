/**
 * Failures of the durable state behind the KeyValueStore port (Cloud Storage in the cloud).
 * Kept apart from errors.ts so the app layer and the Google adapter share one class
 * without the app layer importing an adapter.
 */
import { TieuchiError } from "./errors.js";

/** What was being done to the state when it failed. */
export type StateOperation = "get" | "put" | "list" | "delete" | "update";

const verbs: Record<StateOperation, string> = {
  get: "đọc",
  put: "ghi",
  list: "liệt kê",
  delete: "xóa",
  update: "cập nhật",
};

/** A state read or write failed for good (after retries), or the stored data is unusable. */
export class StateStoreError extends TieuchiError {
  readonly operation: StateOperation;
  readonly key: string;
  /** HTTP status of the last failed request, when there was one. */
  readonly status: number | null;
  constructor(operation: StateOperation, key: string, reason: string, options?: { cause?: unknown; status?: number | null }) {
    super(`Không ${verbs[operation]} được trạng thái "${key}": ${reason}`, options?.cause === undefined ? {} : { cause: options.cause });
    this.operation = operation;
    this.key = key;
    this.status = options?.status ?? null;
  }
}
