import { OAuth2Client, gaxios } from "google-auth-library";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeGoogleClients, fakeGoogleClients } from "../../fakes/google/clients.js";
import { type ManualClock, manualClock } from "../../fakes/clock.js";
import { type FakeGoogle, type StorageObjectList, type StorageObjectResource, startFakeGoogle } from "../../fakes/google/server.js";

const { GaxiosError } = gaxios;
type GaxiosError<T = unknown> = gaxios.GaxiosError<T>;

let fake: FakeGoogle;
let clients: FakeGoogleClients;
/** The office's user: a service account could not create the Doc outside a shared drive. */
let userClients: FakeGoogleClients;
let clock: ManualClock;

beforeAll(async () => {
  clock = manualClock("2026-12-01T08:00:00+07:00");
  fake = await startFakeGoogle({ now: clock.ms });
  clients = fakeGoogleClients(fake);
  const userAuth = new OAuth2Client();
  userAuth.setCredentials({ access_token: "user-token", expiry_date: Date.now() + 3_600_000 });
  userClients = fakeGoogleClients(fake, userAuth);
});
afterAll(() => fake.close());

const mm = (magnitude: number) => ({ magnitude, unit: "PT" });

describe("fake Docs v1 through the real client", () => {
  it("applies updateDocumentStyle and records every request", async () => {
    const created = await userClients.drive.files.create(
      { requestBody: { name: "Báo cáo", mimeType: "application/vnd.google-apps.document" }, media: { mimeType: "text/html", body: "<p>x</p>" } },
      { rootUrl: fake.url },
    );
    const documentId = created.data.id ?? "";
    const version = Number(fake.drive.file(documentId)?.version);
    const a4 = { width: mm(595.3), height: mm(841.9) };
    const { data } = await userClients.docs.documents.batchUpdate({
      documentId,
      requestBody: {
        requests: [
          { updateDocumentStyle: { documentStyle: { pageSize: a4, marginTop: mm(56.7), marginBottom: mm(56.7), marginLeft: mm(85), marginRight: mm(42.5) }, fields: "pageSize,marginTop,marginBottom,marginLeft,marginRight" } },
          { insertText: { text: "x", endOfSegmentLocation: {} } },
        ],
      },
    });
    expect(data).toEqual({ documentId, replies: [{}, {}], writeControl: { requiredRevisionId: expect.any(String) } });
    const got = await userClients.docs.documents.get({ documentId });
    expect(got.data).toMatchObject({ documentId, title: "Báo cáo", documentStyle: { pageSize: a4, marginLeft: mm(85), marginRight: mm(42.5), marginHeader: mm(36) } });
    expect(fake.docs.requests(documentId)).toHaveLength(2);
    expect(Number(fake.drive.file(documentId)?.version)).toBe(version + 1);

    const noFields = await userClients.docs.documents.batchUpdate({ documentId, requestBody: { requests: [{ updateDocumentStyle: { documentStyle: { pageSize: a4 } } }] } }).catch((error: unknown) => error);
    expect(noFields).toBeInstanceOf(GaxiosError);
    expect((noFields as GaxiosError).status).toBe(400);
  });

  it("answers an unknown document with 404", async () => {
    const error = await userClients.docs.documents.get({ documentId: "nope" }).catch((caught: unknown) => caught);
    expect((error as GaxiosError).status).toBe(404);
    // Docs v1 speaks AIP-193 like Sheets: status, no legacy errors[] array.
    expect((error as GaxiosError).response?.data).toEqual({ error: { code: 404, message: expect.any(String), status: "NOT_FOUND" } });
  });
});

describe("fake Cloud Storage JSON API over authorized HTTP", () => {
  function put(auth: OAuth2Client, name: string, data: string, ifGenerationMatch: string) {
    return auth.request<StorageObjectResource>({
      url: `${fake.url}upload/storage/v1/b/state-bucket/o`,
      method: "POST",
      params: { uploadType: "media", name, ifGenerationMatch },
      headers: { "Content-Type": "application/json" },
      data,
    });
  }

  it("creates only when absent, reads back with generation, lists by prefix, deletes with a precondition", async () => {
    const { auth } = clients;
    const first = await put(auth, "ledger/2025-03/a b.json", '{"n":1}', "0");
    expect(first.data).toMatchObject({ kind: "storage#object", name: "ledger/2025-03/a b.json", bucket: "state-bucket", metageneration: "1", size: "7", contentType: "application/json" });
    const generation = first.data.generation;
    // Cloud Storage takes one mutation per second per object name.
    clock.advance(1000);
    const second = await put(auth, "ledger/2025-03/a b.json", '{"n":2}', "0").catch((error: unknown) => error);
    expect(second).toBeInstanceOf(GaxiosError);
    expect((second as GaxiosError).status).toBe(412);
    expect((second as GaxiosError<{ error: { errors: Array<{ reason: string }> } }>).response?.data.error.errors[0]?.reason).toBe("conditionNotMet");
    clock.advance(1000);
    const replaced = await put(auth, "ledger/2025-03/a b.json", '{"n":3}', generation);
    expect(BigInt(replaced.data.generation) > BigInt(generation)).toBe(true);

    const objectUrl = `${fake.url}storage/v1/b/state-bucket/o/${encodeURIComponent("ledger/2025-03/a b.json")}`;
    const media = await auth.request<ArrayBuffer>({ url: objectUrl, params: { alt: "media" }, responseType: "arraybuffer" });
    expect(Buffer.from(media.data).toString()).toBe('{"n":3}');
    expect(media.headers.get("x-goog-generation")).toBe(replaced.data.generation);
    const metadata = await auth.request<StorageObjectResource>({ url: objectUrl });
    expect(metadata.data.generation).toBe(replaced.data.generation);

    await put(auth, "ledger/2025-04/c.json", "{}", "0");
    await put(auth, "hashes/p1", "x", "0");
    const listed = await auth.request<StorageObjectList>({ url: `${fake.url}storage/v1/b/state-bucket/o`, params: { prefix: "ledger/", maxResults: 1 } });
    expect(listed.data.items?.map((item) => item.name)).toEqual(["ledger/2025-03/a b.json"]);
    const rest = await auth.request<StorageObjectList>({ url: `${fake.url}storage/v1/b/state-bucket/o`, params: { prefix: "ledger/", pageToken: listed.data.nextPageToken } });
    expect(rest.data).toEqual({ kind: "storage#objects", items: [expect.objectContaining({ name: "ledger/2025-04/c.json" })] });
    const folders = await auth.request<StorageObjectList>({ url: `${fake.url}storage/v1/b/state-bucket/o`, params: { prefix: "ledger/", delimiter: "/" } });
    expect(folders.data).toEqual({ kind: "storage#objects", prefixes: ["ledger/2025-03/", "ledger/2025-04/"] });
    const empty = await auth.request<StorageObjectList>({ url: `${fake.url}storage/v1/b/state-bucket/o`, params: { prefix: "none/" } });
    expect(empty.data).toEqual({ kind: "storage#objects" });

    clock.advance(1000);
    const stale = await auth.request({ url: objectUrl, method: "DELETE", params: { ifGenerationMatch: generation } }).catch((error: unknown) => error);
    expect((stale as GaxiosError).status).toBe(412);
    const deleted = await auth.request({ url: objectUrl, method: "DELETE", params: { ifGenerationMatch: replaced.data.generation } });
    expect(deleted.status).toBe(204);
    const gone = await auth.request({ url: objectUrl, retry: false }).catch((error: unknown) => error);
    expect((gone as GaxiosError).status).toBe(404);
    // The Cloud Storage JSON API speaks the legacy shape: errors[].reason, no status.
    const noSuchObject = "No such object: state-bucket/ledger/2025-03/a b.json";
    expect((gone as GaxiosError).response?.data).toEqual({ error: { code: 404, message: noSuchObject, errors: [{ message: noSuchObject, domain: "global", reason: "notFound" }] } });
    expect(fake.storage.get("state-bucket", "ledger/2025-03/a b.json")).toBeUndefined();
    expect(fake.storage.list("state-bucket")).toEqual(["hashes/p1", "ledger/2025-04/c.json"]);
  });
});
