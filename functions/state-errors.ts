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
    super(`Không ${verbs[operation]} được trạng thái “${key}”: ${reason}`, options?.cause === undefined ? {} : { cause: options.cause });
    this.operation = operation;
    this.key = key;
    this.status = options?.status ?? null;
  }
}

const KEEP_LEDGER = "Không xóa sổ thư đã gửi (ledger), vì khi đó thư sẽ bị gửi lại.";

/**
 * A stored state object exists but cannot be used (not JSON, or not the expected shape). Never
 * overwritten silently: the caller decides (a damaged old snapshot is moved aside; a damaged
 * ledger entry stops the command, since forgetting it would send a message again).
 */
export class StateDamagedError extends StateStoreError {
  /** Where the object is, for a person: a file path, or a gs:// address. */
  readonly location: string;
  /** The object's text as stored ("" when it was not text), so it can be kept when moved aside. */
  readonly raw: string;
  constructor(key: string, location: string, raw: string, problem: string, options?: { cause?: unknown }) {
    super("get", key, problem, options);
    this.location = location;
    this.raw = raw;
    // A Cloud Storage object keeps its old generations; a local file has only its backups.
    this.message = location.startsWith("gs://")
      ? `Đối tượng trạng thái ${location} bị hỏng (${problem}). Hãy khôi phục phiên bản trước của nó (gcloud storage ls --all-versions) hoặc sửa lại cho đúng. ${KEEP_LEDGER}`
      : `Tệp trạng thái ${location} bị hỏng (${problem}). Hãy khôi phục tệp này từ bản sao lưu hoặc sửa lại cho đúng; ` +
        `nếu chấp nhận mất dữ liệu trong đó, hãy đổi tên tệp (ví dụ thêm đuôi .hong) rồi chạy lại. ${KEEP_LEDGER}`;
  }
}
