import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { OAuth2Client } from "google-auth-library";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GcsAuthClient, type GcsRequestOptions, gcsKeyValueStore } from "../../functions/adapters/google/gcs-store.js";
import { claimOnce, updateJson } from "../../functions/app/kv-state.js";
import type { KeyValueStore } from "../../functions/ports.js";
import { StateStoreError } from "../../functions/state-errors.js";
import { manualClock } from "../fakes/clock.js";
import { type FakeGoogle, startFakeGoogle } from "../fakes/google/server.js";

const BUCKET = "tieuchi-state";

let google: FakeGoogle;
// Cloud Storage allows one write per second per object: retries wait on this clock, which the fake reads.
const clock = manualClock("2026-12-01T08:00:00+07:00");
beforeAll(async () => {
  google = await startFakeGoogle({ now: clock.ms });
});
afterAll(() => google.close());

/** A client as the cloud runtime has one, with a token that needs no refresh. */
function oauthClient(): OAuth2Client {
  const client = new OAuth2Client();
  client.setCredentials({ access_token: "test-token", expiry_date: Date.now() + 3_600_000 });
  return client;
}

// Each test works under its own prefix, so tests share one server without seeing each other.
let prefixes = 0;
const freshPrefix = (): string => `test-${++prefixes}/`;

function store(prefix: string, options: { auth?: GcsAuthClient; listPageSize?: number; sleeps?: number[]; maxAttempts?: number } = {}): KeyValueStore {
  const sleeps = options.sleeps ?? [];
  return gcsKeyValueStore({
    auth: options.auth ?? oauthClient(),
    bucket: BUCKET,
    prefix,
    rootUrl: google.url,
    retry: {
      sleep: async (ms) => {
        sleeps.push(ms);
        await clock.sleep(ms);
      },
      random: () => 0,
      ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
    },
    ...(options.listPageSize === undefined ? {} : { listPageSize: options.listPageSize }),
  });
}

/**
 * A client whose first upload reaches the server but whose answer is lost: `beforeLoss` runs
 * in between (another instance writing, say), then the caller sees a 503.
 */
function losingFirstUpload(inner: GcsAuthClient, options: { apply: boolean; beforeLoss?: () => Promise<unknown> }): GcsAuthClient {
  let lost = false;
  return {
    request: async <T>(request: GcsRequestOptions) => {
      if (lost || request.method !== "POST") return inner.request<T>(request);
      lost = true;
      if (options.apply) await inner.request<T>(request);
      await options.beforeLoss?.();
      throw Object.assign(new Error("Service Unavailable"), { status: 503 });
    },
  };
}

const storedText = (name: string): string | null => google.storage.get(BUCKET, name)?.data.toString("utf8") ?? null;

/** Listing requests so far (GET on the bucket's object collection itself). */
const listings = (): number => google.requests.filter((r) => r.api === "storage" && r.method === "GET" && r.path.endsWith(`/b/${BUCKET}/o`)).length;

describe("gcsKeyValueStore over the Cloud Storage JSON API", () => {
  it("accepts a google-auth-library OAuth2Client as its auth", () => {
    const auth: GcsAuthClient = oauthClient();
    expect(typeof auth.request).toBe("function");
  });

  it("round-trips a JSON value with its generation as the version", async () => {
    const prefix = freshPrefix();
    const kv = store(prefix);
    expect(await kv.get("wards.json")).toBeNull();

    const v1 = await kv.put("wards.json", { "phuong-1": "sheet-1" }, null);
    expect(v1).toMatch(/^\d+$/);
    expect(await kv.get("wards.json")).toEqual({ value: { "phuong-1": "sheet-1" }, version: v1 });
    expect(JSON.parse(storedText(`${prefix}wards.json`) ?? "null")).toEqual({ "phuong-1": "sheet-1" });

    const v2 = await kv.put("wards.json", { "phuong-1": "sheet-2" }, v1);
    expect(v2).not.toBeNull();
    expect(v2).not.toBe(v1);
    expect(await kv.get("wards.json")).toEqual({ value: { "phuong-1": "sheet-2" }, version: v2 });

    await kv.delete("wards.json");
    expect(await kv.get("wards.json")).toBeNull();
    await expect(kv.delete("wards.json")).resolves.toBeUndefined();
  });

  it("refuses a write whose precondition fails, leaving the stored value alone", async () => {
    const kv = store(freshPrefix());
    const v1 = await kv.put("k", 1, null);
    const v2 = await kv.put("k", 2, v1);

    expect(await kv.put("k", 3, null)).toBeNull();
    expect(await kv.put("k", 3, v1)).toBeNull();
    expect(await kv.get("k")).toEqual({ value: 2, version: v2 });
  });

  it("lists keys under a prefix, sorted, without the store prefix, across pages", async () => {
    const prefix = freshPrefix();
    const kv = store(prefix, { listPageSize: 2 });
    for (const key of ["snapshots/2026-W48.json", "snapshots/2026-W45.json", "ledger/a.json", "snapshots/2026-W47.json", "snapshots/2026-W50.json", "snapshots/2026-W46.json"]) {
      await kv.put(key, { key }, null);
    }
    await store("other/").put("snapshots/2026-W01.json", {}, null);
    const before = listings();

    expect(await kv.list("snapshots/")).toEqual(["snapshots/2026-W45.json", "snapshots/2026-W46.json", "snapshots/2026-W47.json", "snapshots/2026-W48.json", "snapshots/2026-W50.json"]);
    expect(listings() - before).toBe(3);
    expect(await kv.list("")).toHaveLength(6);
    expect(await kv.list("nothing/")).toEqual([]);
  });

  it("keeps names with '/' and Vietnamese letters intact", async () => {
    const prefix = freshPrefix();
    const kv = store(prefix);
    const key = "phường/Đông Hà/kiểm tra #1?&=+.json";
    const version = await kv.put(key, { tên: "Phường Đông Hà", ghiChú: "Đã kiểm tra" }, null);

    expect(await kv.get(key)).toEqual({ value: { tên: "Phường Đông Hà", ghiChú: "Đã kiểm tra" }, version });
    expect(await kv.list("phường/")).toEqual([key]);
    expect(storedText(`${prefix}${key}`)).not.toBeNull();
    await kv.delete(key);
    expect(await kv.list("phường/")).toEqual([]);
  });

  it("retries a quota refusal (429) after backing off, then succeeds", async () => {
    const sleeps: number[] = [];
    const kv = store(freshPrefix(), { sleeps });
    await kv.put("k", "v", null);

    google.failNext({ api: "storage", method: "GET" }, 429, { times: 2 });
    expect((await kv.get("k"))?.value).toBe("v");
    // The default schedule, without jitter (random() = 0): 1 s, then 2 s.
    expect(sleeps).toEqual([1_000, 2_000]);
  });

  it("retries an upload refused for quota, and takes a 412 after it as a real conflict", async () => {
    const kv = store(freshPrefix());
    google.failNext({ api: "storage", method: "POST" }, 429, { times: 1 });
    const version = await kv.put("k", "mine", null);
    expect(version).not.toBeNull();

    google.failNext({ api: "storage", method: "POST" }, 429, { times: 1 });
    expect(await kv.put("k", "mine", null)).toBeNull();
  });

  it("confirms an upload whose answer was lost by reading it back", async () => {
    const prefix = freshPrefix();
    const kv = store(prefix, { auth: losingFirstUpload(oauthClient(), { apply: true }) });

    const version = await kv.put("claims/event-1", { claim: "x" }, null);

    expect(version).not.toBeNull();
    expect(await store(prefix).get("claims/event-1")).toEqual({ value: { claim: "x" }, version });
  });

  it("does not take another writer's different value for its own after an uncertain upload", async () => {
    const prefix = freshPrefix();
    const other = store(prefix);
    const kv = store(prefix, { auth: losingFirstUpload(oauthClient(), { apply: false, beforeLoss: () => other.put("k", "theirs", null) }) });

    expect(await kv.put("k", "mine", null)).toBeNull();
    expect((await other.get("k"))?.value).toBe("theirs");
  });

  it("keeps a claim exclusive even when the loser's uncertain upload is read back", async () => {
    const prefix = freshPrefix();
    const winner = store(prefix);
    const loser = store(prefix, { auth: losingFirstUpload(oauthClient(), { apply: false, beforeLoss: () => claimOnce(winner, "events/e-1") }) });

    // Both claims carry the same value; only the claim token tells the stored bytes apart.
    expect(await claimOnce(loser, "events/e-1")).toBe(false);
    expect(await claimOnce(winner, "events/e-1")).toBe(false);
  });

  // H5: StateDamagedError (a StateStoreError) since issue 8, naming the object and keeping its text.
  it("reports stored bytes that are not JSON as a StateDamagedError naming the object", async () => {
    const prefix = freshPrefix();
    google.storage.put(BUCKET, `${prefix}broken.json`, "{không phải JSON", "application/json");

    const error = await store(prefix).get("broken.json").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateStoreError);
    expect(error).toMatchObject({
      name: "StateDamagedError",
      operation: "get",
      key: "broken.json",
      location: `gs://${BUCKET}/${prefix}broken.json`,
      raw: "{không phải JSON",
    });
    expect((error as Error).message).toContain(`Đối tượng trạng thái gs://${BUCKET}/${prefix}broken.json bị hỏng (nội dung đã lưu không phải JSON hợp lệ)`);
  });

  it("gives up after the retries with a StateStoreError naming the operation and key", async () => {
    const sleeps: number[] = [];
    const kv = store(freshPrefix(), { sleeps, maxAttempts: 3 });
    google.failNext({ api: "storage", method: "GET" }, 503, { times: 3 });

    const error = await kv.get("ward/phuong-1.json").catch((e: unknown) => e);

    expect(error).toBeInstanceOf(StateStoreError);
    expect(error).toMatchObject({ operation: "get", key: "ward/phuong-1.json", status: 503, message: "Không đọc được trạng thái “ward/phuong-1.json”: Cloud Storage báo lỗi (HTTP 503)" });
    expect((error as Error).cause).toBeDefined();
    expect(sleeps).toHaveLength(2);
  });

  it("does not retry a client error", async () => {
    const sleeps: number[] = [];
    const kv = store(freshPrefix(), { sleeps });
    google.failNext({ api: "storage", method: "DELETE" }, 403, { times: 1, reason: "forbidden" });

    await expect(kv.delete("k")).rejects.toMatchObject({ operation: "delete", status: 403 });
    expect(sleeps).toEqual([]);
  });

  it("lets exactly one of 20 concurrent instances claim a key", async () => {
    const prefix = freshPrefix();
    const instances = Array.from({ length: 20 }, () => store(prefix));

    const results = await Promise.all(instances.map((kv) => claimOnce(kv, "notifications/channel-1/42")));

    expect(results.filter(Boolean)).toHaveLength(1);
    expect(google.storage.list(BUCKET, `${prefix}notifications/`)).toHaveLength(1);
  });

  it("loses no increment among 10 concurrent read-modify-writes", async () => {
    const prefix = freshPrefix();
    const instances = Array.from({ length: 10 }, () => store(prefix));

    await Promise.all(instances.map((kv) => updateJson<number>(kv, "counter.json", (n) => (n ?? 0) + 1)));

    expect((await store(prefix).get("counter.json"))?.value).toBe(10);
  });
});

/** A server that accepts every connection and never answers: a state store that hangs. */
async function hangingServer(): Promise<{ url: string; server: Server }> {
  const server = createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

describe("gcsKeyValueStore within a deadline", () => {
  it("gives up on a store that hangs once the deadline passes, with a StateStoreError", async () => {
    const { url, server } = await hangingServer();
    try {
      const start = Date.now();
      const kv = gcsKeyValueStore({ auth: oauthClient(), bucket: BUCKET, rootUrl: url, timeoutMs: 150, deadline: () => start + 400, retry: { random: () => 0, baseDelayMs: 50 } });

      const error = await kv.put("claims/notifications/c/1", { at: 1 }, null).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(StateStoreError);
      expect(error).toMatchObject({ operation: "put", message: expect.stringContaining("Cloud Storage không trả lời kịp thời hạn") });
      expect(Date.now() - start).toBeLessThan(1_000);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it("does not wait for a retry that would end past the deadline", async () => {
    const sleeps: number[] = [];
    let clock = 1_000;
    const kv = gcsKeyValueStore({
      auth: oauthClient(),
      bucket: BUCKET,
      prefix: freshPrefix(),
      rootUrl: google.url,
      now: () => clock,
      deadline: () => 1_000 + 2_500,
      retry: {
        random: () => 0,
        sleep: async (ms) => {
          sleeps.push(ms);
          clock += ms;
        },
      },
    });
    google.failNext({ api: "storage", method: "GET" }, 503, { times: 2 });

    await expect(kv.get("wards/phuong-1.json")).rejects.toMatchObject({ name: "StateStoreError", operation: "get" });
    expect(sleeps).toEqual([1_000]); // 1 s fits; the next wait (2 s) would end past the deadline
  });

  it("makes no request at all once the deadline has passed", async () => {
    const before = google.requests.length;
    const kv = gcsKeyValueStore({ auth: oauthClient(), bucket: BUCKET, rootUrl: google.url, deadline: () => Date.now() - 1 });

    await expect(kv.get("wards/phuong-1.json")).rejects.toBeInstanceOf(StateStoreError);
    expect(google.requests.length).toBe(before);
  });
});
