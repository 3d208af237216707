import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { KEY_PROPERTY, googleDocumentStore } from "../../../functions/adapters/google/document-store.js";
import { GoogleApiError } from "../../../functions/adapters/google/google-errors.js";
import type { DocumentToPublish } from "../../../functions/ports.js";
import { renderBarChartSvg } from "../../../functions/render/charts.js";
import { type FakeGoogle, startFakeGoogle } from "../../fakes/google/server.js";
import { clientsFor, noWait, sharedDriveWorld } from "./google-fixtures.js";

let fake: FakeGoogle;

beforeAll(async () => {
  fake = await startFakeGoogle({ now: Date.now });
});
afterAll(() => fake.close());
beforeEach(() => fake.resetLog());

const mm = (value: number): number => Math.round(((value * 72) / 25.4) * 100) / 100;

function report(html: string, key = "town/ca-phuong-dien-hinh/2026-W48"): DocumentToPublish {
  return { key, name: "bao-cao-ca-phuong-dien-hinh", title: "Báo cáo CA phường kiểu mẫu (tuần 48/2026)", html };
}

/** A fresh reports folder in a shared drive: the service account owns no storage, so Docs can only live in one. */
function folder(): string {
  return sharedDriveWorld(fake).reportsFolderId;
}

describe("googleDocumentStore", () => {
  it("creates the Doc once, then updates it in place with a stable link", async () => {
    const folderId = folder();
    const store = googleDocumentStore({ clients: clientsFor(fake), folderId, retry: noWait });
    const first = await store.publish("2026-W48", report("<h1>BÁO CÁO</h1><p>Lần 1</p>"));
    const docs = fake.drive.files().filter((f) => f.parents.includes(folderId));
    expect(docs).toHaveLength(1);
    const doc = docs[0]!;
    expect(doc).toMatchObject({ name: "Báo cáo CA phường kiểu mẫu (tuần 48/2026)", mimeType: "application/vnd.google-apps.document", appProperties: { [KEY_PROPERTY]: "town/ca-phuong-dien-hinh/2026-W48" } });
    expect(first).toEqual({ location: `https://docs.google.com/document/d/${doc.id}/edit`, pdf: null });
    expect(fake.count({ api: "drive", method: "POST", pathIncludes: "/upload/" })).toBe(1);

    const second = await store.publish("2026-W48", report("<h1>BÁO CÁO</h1><p>Lần 2</p>"));
    expect(second.location).toBe(first.location);
    expect(fake.drive.files().filter((f) => f.parents.includes(folderId))).toHaveLength(1);
    const updated = fake.drive.file(doc.id)!;
    expect(Number(updated.version)).toBeGreaterThan(Number(doc.version));
    expect(updated.content).toContain("Lần 2");
    expect(fake.docs.document(doc.id)?.html).toContain("Lần 2");
    expect(fake.count({ api: "drive", method: "POST", pathIncludes: "/upload/" })).toBe(1);
    expect(fake.count({ api: "drive", method: "PATCH", pathIncludes: "/upload/" })).toBe(1);
  });

  it("sets A4 and the NĐ 30 margins after every upload (the import resets them)", async () => {
    const store = googleDocumentStore({ clients: clientsFor(fake), folderId: folder(), retry: noWait });
    for (const round of [1, 2]) {
      const { location } = await store.publish("2026-W48", report(`<p>${round}</p>`, "ward/nghi-huong/2026-W48"));
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

  it("uploads charts as PNG images, since Drive's HTML import drops inline SVG", async () => {
    const folderId = folder();
    const store = googleDocumentStore({ clients: clientsFor(fake), folderId, retry: noWait });
    const svg = await renderBarChartSvg({ title: "CA", categories: ["Nghi Hương", "Nghi Thu"], met: [18, 19], total: 22, recognised: [false, false] });
    await store.publish("2026-W48", report(`<p>Biểu đồ 1</p><div>${svg}</div><p>Hết</p>`, "town/charts/2026-W48"));
    const html = fake.drive.files().find((f) => f.parents.includes(folderId))!.content ?? "";
    expect(html).not.toContain("<svg");
    expect(html).toMatch(/<div><img alt="Biểu đồ" style="width:16cm" src="data:image\/png;base64,iVBOR[A-Za-z0-9+/=]+"><\/div><p>Hết<\/p>/u);
  });

  it("keeps documents of different keys apart", async () => {
    const folderId = folder();
    const store = googleDocumentStore({ clients: clientsFor(fake), folderId, retry: noWait });
    const a = await store.publish("2026-W48", report("<p>a</p>", "town/a/2026-W48"));
    const b = await store.publish("2026-W49", report("<p>b</p>", "town/a/2026-W49"));
    expect(a.location).not.toBe(b.location);
    expect(fake.drive.files().filter((f) => f.parents.includes(folderId))).toHaveLength(2);
  });

  it("does not retry a 503 on creation (a second Doc could result), but retries a 429", async () => {
    const folderId = folder();
    const store = googleDocumentStore({ clients: clientsFor(fake), folderId, retry: noWait });
    fake.failNext({ api: "drive", method: "POST", pathIncludes: "/upload/" }, 503);
    await expect(store.publish("2026-W48", report("<p>x</p>"))).rejects.toThrow(GoogleApiError);
    expect(fake.count({ api: "drive", method: "POST", pathIncludes: "/upload/" })).toBe(1);
    expect(fake.drive.files().filter((f) => f.parents.includes(folderId))).toHaveLength(0);
    fake.resetLog();
    fake.failNext({ api: "drive", method: "POST", pathIncludes: "/upload/" }, 429);
    await store.publish("2026-W48", report("<p>x</p>"));
    expect(fake.count({ api: "drive", method: "POST", pathIncludes: "/upload/" })).toBe(2);
    expect(fake.drive.files().filter((f) => f.parents.includes(folderId))).toHaveLength(1);
  });

  it("retries a 503 on an update (same content twice is the same Doc)", async () => {
    const store = googleDocumentStore({ clients: clientsFor(fake), folderId: folder(), retry: noWait });
    await store.publish("2026-W48", report("<p>1</p>"));
    fake.resetLog();
    fake.failNext({ api: "drive", method: "PATCH", pathIncludes: "/upload/" }, 503);
    await store.publish("2026-W48", report("<p>2</p>"));
    expect(fake.count({ api: "drive", method: "PATCH", pathIncludes: "/upload/" })).toBe(2);
  });
});
