/**
 * KeyValueStore over the Cloud Storage JSON API: one object per key holding its JSON, the
 * object's generation as the version, and generation preconditions for compare-and-set.
 * Talks through any client with google-auth-library's `request` (GoogleAuth, OAuth2Client),
 * so the heavy @google-cloud/storage package is not needed.
 */
import type { KeyValueStore, Versioned } from "../../ports.js";
import { StateDamagedError, StateStoreError, type StateOperation } from "../../state-errors.js";
import { isTransientError, networkCodeOf, statusOf } from "./google-errors.js";
import { type RetryOptions, withRetry } from "./retry.js";

/** The part of a google-auth-library request this adapter uses. */
export interface GcsRequestOptions {
  url: string;
  method?: "GET" | "POST" | "DELETE";
  params?: Record<string, string>;
  data?: string;
  headers?: Record<string, string>;
  responseType?: "json" | "text";
  timeout?: number;
}

/** Response headers as gaxios gives them (fetch Headers) or as a plain object. */
export type ResponseHeaders = { get(name: string): string | null } | Record<string, unknown>;

/** An authorised HTTP client: a google-auth-library GoogleAuth or OAuth2Client fits. */
export interface GcsAuthClient {
  request<T>(options: GcsRequestOptions): Promise<{ data: T; headers: ResponseHeaders }>;
}

export interface GcsStoreOptions {
  auth: GcsAuthClient;
  bucket: string;
  /** Prepended to every key to form the object name, e.g. "tieuchi/". */
  prefix?: string;
  /** Default "https://storage.googleapis.com/". */
  rootUrl?: string;
  /** Retry schedule for quota refusals, 5xx and dropped connections (retry.ts defaults: 95 s in all). */
  retry?: RetryOptions;
  /** Per-request timeout in ms (default 30 s); a timed-out request is retried. */
  timeoutMs?: number;
  /**
   * The time by which every call must have answered (ms since epoch, read at each attempt), or
   * null for none. No request outlives it and no retry waits past it: the call fails with a
   * StateStoreError instead, so a caller with a hard timeout (the webhook) can answer 503 in time.
   */
  deadline?: () => number | null;
  /** Clock for the deadline (default Date.now). */
  now?: () => number;
  /** Objects per listing page (the API's default and maximum is 1000). */
  listPageSize?: number;
}

const JSON_CONTENT_TYPE = "application/json; charset=utf-8";

/** The deadline passed before the call could finish; carries the last failure, if any. */
class DeadlinePassed extends Error {}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface StoredObject {
  text: string;
  generation: string;
}

function headerValue(headers: ResponseHeaders, name: string): string | null {
  if (typeof headers.get === "function") return (headers as { get(name: string): string | null }).get(name);
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === "string" ? value : null;
}

/** A KeyValueStore that can also list keys with their versions (objects' generations) in one listing. */
type VersionListingStore = KeyValueStore & { listVersions(prefix: string): Promise<Array<{ key: string; version: string }>> };

/** KeyValueStore keeping each key as the object `prefix + key` in `bucket`. */
export function gcsKeyValueStore(options: GcsStoreOptions): VersionListingStore {
  const { auth, bucket, prefix = "", retry = {}, listPageSize, deadline = () => null, now = Date.now } = options;
  const root = (options.rootUrl ?? "https://storage.googleapis.com/").replace(/\/?$/, "/");
  const objectsUrl = `${root}storage/v1/b/${encodeURIComponent(bucket)}/o`;
  const objectUrl = (key: string): string => `${objectsUrl}/${encodeURIComponent(prefix + key)}`;

  /** This attempt's timeout: the per-request one, cut to what is left before the deadline. */
  const requestTimeout = (): number => {
    const at = deadline();
    const left = at === null ? Infinity : at - now();
    if (left <= 0) throw new DeadlinePassed("deadline passed before the request");
    return Math.min(options.timeoutMs ?? 30_000, left);
  };
  const sleep = retry.sleep ?? realSleep;
  const sleepWithinDeadline = async (ms: number): Promise<void> => {
    const at = deadline();
    if (at !== null && now() + ms >= at) throw new DeadlinePassed(`no time left for a retry in ${ms} ms`);
    await sleep(ms);
  };

  // Every call is idempotent (writes carry a generation precondition), so all are retried.
  const retried = <T>(operation: string, fn: () => Promise<T>): Promise<T> =>
    withRetry(`storage.objects.${operation}`, fn, { ...retry, sleep: sleepWithinDeadline, idempotent: true });

  // Every public method wraps what is left after retries in a StateStoreError.
  const fail = (operation: StateOperation, key: string, error: unknown): never => {
    if (error instanceof StateStoreError) throw error;
    if (error instanceof DeadlinePassed) throw new StateStoreError(operation, key, "Cloud Storage không trả lời kịp thời hạn", { cause: error });
    const status = statusOf(error);
    const reason = status !== null ? `HTTP ${status}` : (networkCodeOf(error) ?? "lỗi mạng");
    throw new StateStoreError(operation, key, `Cloud Storage báo lỗi (${reason})`, { cause: error, status });
  };

  /** One download of the object's bytes and generation; null when it does not exist. */
  const fetchObject = async (key: string): Promise<StoredObject | null> => {
    try {
      const response = await auth.request<string>({ url: objectUrl(key), method: "GET", params: { alt: "media" }, responseType: "text", timeout: requestTimeout() });
      const generation = headerValue(response.headers, "x-goog-generation");
      if (generation === null) throw new StateStoreError("get", key, "Cloud Storage không trả về số thế hệ (x-goog-generation) của đối tượng");
      return { text: typeof response.data === "string" ? response.data : JSON.stringify(response.data), generation };
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  };

  const upload = async (key: string, body: string, ifVersion: string | null): Promise<string> => {
    const response = await auth.request<{ generation?: unknown }>({
      url: `${root}upload/storage/v1/b/${encodeURIComponent(bucket)}/o`,
      method: "POST",
      params: { uploadType: "media", name: prefix + key, ifGenerationMatch: ifVersion ?? "0" },
      data: body,
      headers: { "Content-Type": JSON_CONTENT_TYPE },
      responseType: "json",
      timeout: requestTimeout(),
    });
    const generation = response.data.generation;
    if (typeof generation !== "string" && typeof generation !== "number") {
      throw new StateStoreError("put", key, "Cloud Storage không trả về số thế hệ của đối tượng vừa ghi");
    }
    return String(generation);
  };

  /**
   * A write with a precondition is safe to repeat: if an earlier attempt was applied after all,
   * the repeat fails the precondition, and the stored bytes equal ours. Only after such an
   * uncertain attempt (5xx, dropped connection; a quota refusal is never applied) is a 412 read
   * back; a 412 otherwise means someone else wrote first.
   */
  const putOnce = async (key: string, body: string, ifVersion: string | null): Promise<string | null> => {
    let uncertain = false;
    return retried("insert", async () => {
      try {
        return await upload(key, body, ifVersion);
      } catch (error) {
        if (statusOf(error) !== 412) {
          if (isTransientError(error)) uncertain = true;
          throw error;
        }
        if (!uncertain) return null;
        const stored = await fetchObject(key);
        return stored !== null && stored.text === body ? stored.generation : null;
      }
    });
  };

  const listPage = async (fullPrefix: string, pageToken: string | undefined): Promise<{ names: string[]; generations: string[]; next: string | undefined }> => {
    const params: Record<string, string> = { prefix: fullPrefix };
    if (listPageSize !== undefined) params.maxResults = String(listPageSize);
    if (pageToken !== undefined) params.pageToken = pageToken;
    const response = await retried("list", () =>
      auth.request<{ items?: Array<{ name?: unknown; generation?: unknown }>; nextPageToken?: unknown }>({ url: objectsUrl, method: "GET", params, responseType: "json", timeout: requestTimeout() }),
    );
    const items = (response.data.items ?? []).filter((item): item is { name: string; generation?: unknown } => typeof item.name === "string");
    const next = response.data.nextPageToken;
    return { names: items.map((i) => i.name), generations: items.map((i) => String(i.generation ?? "")), next: typeof next === "string" && next !== "" ? next : undefined };
  };

  /** Every key under the prefix with its version, one listing request per 1,000 objects. */
  const listVersions = async (keyPrefix: string): Promise<Array<{ key: string; version: string }>> => {
    const found: Array<{ key: string; version: string }> = [];
    try {
      let pageToken: string | undefined;
      do {
        const page = await listPage(prefix + keyPrefix, pageToken);
        page.names.forEach((name, i) => {
          if (name.startsWith(prefix)) found.push({ key: name.slice(prefix.length), version: page.generations[i] ?? "" });
        });
        pageToken = page.next;
      } while (pageToken !== undefined);
    } catch (error) {
      fail("list", keyPrefix, error);
    }
    return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  };

  return {
    listVersions,
    get: async <T>(key: string): Promise<Versioned<T> | null> => {
      const stored = await retried("get", () => fetchObject(key)).catch((error: unknown) => fail("get", key, error));
      if (stored === null) return null;
      try {
        return { value: JSON.parse(stored.text) as T, version: stored.generation };
      } catch (error) {
        throw new StateDamagedError(key, `gs://${bucket}/${prefix}${key}`, stored.text, "nội dung đã lưu không phải JSON hợp lệ", { cause: error });
      }
    },

    put: async (key, value, ifVersion) => {
      const body = JSON.stringify(value);
      if (body === undefined) throw new StateStoreError("put", key, "giá trị không biểu diễn được bằng JSON");
      return putOnce(key, body, ifVersion).catch((error: unknown) => fail("put", key, error));
    },

    list: async (keyPrefix) => (await listVersions(keyPrefix)).map((entry) => entry.key),

    delete: async (key) => {
      // A 404 means it is already gone, which is also what a repeat of an applied delete sees.
      await retried("delete", () => auth.request<unknown>({ url: objectUrl(key), method: "DELETE", responseType: "text", timeout: requestTimeout() })).catch((error: unknown) => {
        if (statusOf(error) !== 404) fail("delete", key, error);
      });
    },
  };
}
