import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CONTENT_PROPERTY, KEY_PROPERTY, googleDocumentStore } from "../../../functions/adapters/google/document-store.js";
import { GoogleApiError } from "../../../functions/adapters/google/google-errors.js";
import type { DocumentView } from "../../../functions/core/document-blocks.js";
import type { DocumentToPublish } from "../../../functions/ports.js";
import { type FakeGoogle, startFakeGoogle } from "../../fakes/google/server.js";
import { TOWN_VIEW, WARD_VIEW } from "../../fixtures/document-views.js";
import { clientsFor, noWait, sharedDriveWorld } from "./google-fixtures.js";

let fake: FakeGoogle;

beforeAll(async () => {
  fake = await startFakeGoogle({ now: Date.now });
});
afterAll(() => fake.close());
beforeEach(() => fake.resetLog());

const mm = (value: number): number => Math.round(((value * 72) / 25.4) * 100) / 100;

/** A short document whose one paragraph says `text`; `view` replaces it whole. */
function report(text: string, key = "town/ca-phuong-dien-hinh/2026-W48", view?: DocumentView): DocumentToPublish {
  const body: DocumentView["body"] = [{ kind: "paragraph", runs: [{ text }] }];
  return { key, name: "bao-cao-ca-phuong-dien-hinh", title: "Báo cáo CA phường kiểu mẫu (tuần 48/2026)", view: view ?? { ...WARD_VIEW, body } };
}

/** A fresh reports folder in a shared drive: the service account owns no storage, so Docs can only live in one. */
function folder(): string {
  return sharedDriveWorld(fake).reportsFolderId;
}

describe("googleDocumentStore", () => {
  it("creates the Doc once, then updates it in place with a stable link", async () => {
    const folderId = folder();
    const store = googleDocumentStore({ clients: clientsFor(fake), folderId, retry: noWait });
    const first = await store.publish("2026-W48", report("Lần 1"));
    const docs = fake.drive.files().filter((f) => f.parents.includes(folderId));
    expect(docs).toHaveLength(1);
    const doc = docs[0]!;
    expect(doc).toMatchObject({ name: "Báo cáo CA phường kiểu mẫu (tuần 48/2026)", mimeType: "application/vnd.google-apps.document", appProperties: { [KEY_PROPERTY]: "town/ca-phuong-dien-hinh/2026-W48" } });
    expect(first).toEqual({ location: `https://docs.google.com/document/d/${doc.id}/edit`, pdf: null, docx: null });
    expect(fake.count({ api: "drive", method: "POST", pathIncludes: "/upload/" })).toBe(1);

    const second = await store.publish("2026-W48", report("Lần 2"));
    expect(second.location).toBe(first.location);
    expect(fake.drive.files().filter((f) => f.parents.includes(folderId))).toHaveLength(1);
    const updated = fake.drive.file(doc.id)!;
    expect(Number(updated.version)).toBeGreaterThan(Number(doc.version));
    expect(fake.docs.document(doc.id)?.text).toContain("Lần 2");
    expect(fake.docs.document(doc.id)?.text).not.toContain("Lần 1");
    expect(fake.count({ api: "drive", method: "POST", pathIncludes: "/upload/" })).toBe(1);
    expect(fake.count({ api: "drive", method: "PATCH", pathIncludes: "/upload/" })).toBe(1);
  });

  it("sets A4 and the NĐ 30 margins after every upload (the import resets them)", async () => {
    const store = googleDocumentStore({ clients: clientsFor(fake), folderId: folder(), retry: noWait });
    for (const round of [1, 2]) {
      const { location } = await store.publish("2026-W48", report(`${round}`, "ward/nghi-huong/2026-W48"));
      const id = /\/d\/([^/]+)\//u.exec(location)?.[1] ?? "";
      expect(fake.docs.document(id)?.documentStyle).toMatchObject({
        pageSize: { width: { magnitude: 595.28, unit: "PT" }, height: { magnitude: 841.89, unit: "PT" } },
        marginTop: { magnitude: mm(20), unit: "PT" },
        marginBottom: { magnitude: mm(20), unit: "PT" },
        marginLeft: { magnitude: mm(30), unit: "PT" },
        marginRight: { magnitude: mm(15), unit: "PT" },
      });
    }
    expect(fake.count({ api: "docs", method: "POST", pathIncludes: ":batchUpdate" })).toBe(2);
  });

  it("uploads a .docx that Drive converts with its page numbers, A4 page and chart images", async () => {
    const folderId = folder();
    const clients = clientsFor(fake);
    const store = googleDocumentStore({ clients, folderId, retry: noWait });
    const { location } = await store.publish("2026-W48", report("", "town/charts/2026-W48", TOWN_VIEW));
    const documentId = /\/d\/([^/]+)\//u.exec(location)?.[1] ?? "";
    // Converted from .docx media (the fake keeps the bytes for export), not from HTML.
    expect(Buffer.from(fake.docs.document(documentId)?.docx ?? []).toString("latin1", 0, 2)).toBe("PK");
    expect(fake.docs.document(documentId)?.html).toBe("");
    // Read back through the real Docs client, as a person opening the Doc would see it.
    const { data } = await clients.docs.documents.get({ documentId });
    expect(Object.keys(data.inlineObjects ?? {})).toHaveLength(2);
    const header = (id: string | null | undefined) => JSON.stringify(data.headers?.[id ?? ""] ?? {});
    expect(header(data.documentStyle?.defaultHeaderId)).toContain("PAGE_NUMBER");
    expect(data.documentStyle?.useFirstPageHeaderFooter).toBe(true);
    expect(header(data.documentStyle?.firstPageHeaderId)).not.toContain("PAGE_NUMBER");
    expect(fake.docs.document(documentId)?.text).toContain("Kết quả tự đánh giá tiêu chí của các phường");
    // The Doc exports back to an editable .docx.
    const exported = await clients.drive.files.export({ fileId: documentId, mimeType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document" }, { responseType: "arraybuffer" });
    expect(Buffer.from(new Uint8Array(exported.data as ArrayBuffer)).toString("latin1", 0, 2)).toBe("PK");
  });

  it("is refused by the fake Drive, as by Drive, for media it cannot convert to a Doc", async () => {
    const folderId = folder();
    const { drive } = clientsFor(fake);
    const create = (mimeType: string, body: string) =>
      drive.files.create({ requestBody: { name: "x", mimeType: "application/vnd.google-apps.document", parents: [folderId] }, media: { mimeType, body }, supportsAllDrives: true }, { rootUrl: fake.url });
    await expect(create("application/zip", "PK")).rejects.toMatchObject({ status: 400 });
    // Without supportsAllDrives, a shared drive's folder is not found.
    await expect(
      drive.files.create({ requestBody: { name: "x", mimeType: "application/vnd.google-apps.document", parents: [folderId] }, media: { mimeType: "text/plain", body: "x" } }, { rootUrl: fake.url }),
    ).rejects.toMatchObject({ status: 404 });
    expect(fake.drive.files().filter((f) => f.parents.includes(folderId))).toHaveLength(0);
  });

  it("keeps documents of different keys apart", async () => {
    const folderId = folder();
    const store = googleDocumentStore({ clients: clientsFor(fake), folderId, retry: noWait });
    const a = await store.publish("2026-W48", report("a", "town/a/2026-W48"));
    const b = await store.publish("2026-W49", report("b", "town/a/2026-W49"));
    expect(a.location).not.toBe(b.location);
    expect(fake.drive.files().filter((f) => f.parents.includes(folderId))).toHaveLength(2);
  });

  it("does not retry a 503 on creation (a second Doc could result), but retries a 429", async () => {
    const folderId = folder();
    const store = googleDocumentStore({ clients: clientsFor(fake), folderId, retry: noWait });
    fake.failNext({ api: "drive", method: "POST", pathIncludes: "/upload/" }, 503);
    await expect(store.publish("2026-W48", report("x"))).rejects.toThrow(GoogleApiError);
    expect(fake.count({ api: "drive", method: "POST", pathIncludes: "/upload/" })).toBe(1);
    expect(fake.drive.files().filter((f) => f.parents.includes(folderId))).toHaveLength(0);
    fake.resetLog();
    fake.failNext({ api: "drive", method: "POST", pathIncludes: "/upload/" }, 429);
    await store.publish("2026-W48", report("x"));
    expect(fake.count({ api: "drive", method: "POST", pathIncludes: "/upload/" })).toBe(2);
    expect(fake.drive.files().filter((f) => f.parents.includes(folderId))).toHaveLength(1);
  });

  it("retries a 503 on an update (same content twice is the same Doc)", async () => {
    const store = googleDocumentStore({ clients: clientsFor(fake), folderId: folder(), retry: noWait });
    await store.publish("2026-W48", report("1"));
    fake.resetLog();
    fake.failNext({ api: "drive", method: "PATCH", pathIncludes: "/upload/" }, 503);
    await store.publish("2026-W48", report("2"));
    expect(fake.count({ api: "drive", method: "PATCH", pathIncludes: "/upload/" })).toBe(2);
  });

  it("uploads nothing for a document rendered the same again, and republishes one a person edited", async () => {
    const folderId = folder();
    const store = googleDocumentStore({ clients: clientsFor(fake), folderId, retry: noWait });
    const first = await store.publish("2026-W48", report("", "town/same/2026-W48", TOWN_VIEW));
    fake.resetLog();
    // Rendered anew (its drawings get other ids in this process), the same content: one listing, no upload, no Docs write.
    expect(await store.publish("2026-W48", report("", "town/same/2026-W48", TOWN_VIEW))).toEqual(first);
    expect(fake.count({ api: "drive", pathIncludes: "/upload/" })).toBe(0);
    expect(fake.count({ api: "docs" })).toBe(0);
    const id = /\/d\/([^/]+)\//u.exec(first.location)?.[1] ?? "";
    expect(fake.drive.file(id)?.appProperties[CONTENT_PROPERTY]).toMatch(/^[0-9a-f]{64}$/u);

    fake.drive.touch(id, "can-bo@catinh.example");
    await store.publish("2026-W48", report("", "town/same/2026-W48", TOWN_VIEW));
    expect(fake.count({ api: "drive", method: "PATCH", pathIncludes: "/upload/" })).toBe(1);
    expect(fake.count({ api: "docs", method: "POST", pathIncludes: ":batchUpdate" })).toBe(1);
  });

  it("publishes again a Doc whose page style could not be set", async () => {
    const store = googleDocumentStore({ clients: clientsFor(fake), folderId: folder(), retry: noWait });
    fake.failNext({ api: "docs", method: "POST", pathIncludes: ":batchUpdate" }, 400);
    await expect(store.publish("2026-W48", report("kiểu trang", "ward/nghi-thu/2026-W48"))).rejects.toThrow(GoogleApiError);
    await store.publish("2026-W48", report("kiểu trang", "ward/nghi-thu/2026-W48"));
    expect(fake.count({ api: "drive", method: "PATCH", pathIncludes: "/upload/" })).toBe(1);
    expect(fake.count({ api: "docs", method: "POST", pathIncludes: ":batchUpdate" })).toBe(2);
  });
});
