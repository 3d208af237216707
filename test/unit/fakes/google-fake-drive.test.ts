import type { drive_v3 } from "@googleapis/drive";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeGoogle, scopes, startFakeGoogle } from "../../fakes/google/server.js";
import { driveAs, failureOf } from "./google-fake-drive-helpers.js";

let fake: FakeGoogle;
/** The service account (token "test-token", the product's scopes). */
let client: drive_v3.Drive;
/** A user with the full Drive scope, working in their own My Drive. */
let admin: drive_v3.Drive;
const adminEmail = "quan.tri@cualo.example";
let clock = Date.parse("2025-03-01T00:00:00Z");

beforeAll(async () => {
  fake = await startFakeGoogle({ now: () => clock });
  fake.identities.add({ token: "admin-token", email: adminEmail, kind: "user", scopes: [scopes.drive, scopes.spreadsheets] });
  client = driveAs(fake);
  admin = driveAs(fake, "admin-token");
});
afterAll(() => fake.close());

async function folder(name: string): Promise<string> {
  const created = await admin.files.create({ requestBody: { name, mimeType: "application/vnd.google-apps.folder" } });
  return created.data.id ?? "";
}

describe("fake Drive v3 through the real client", () => {
  it("lists a folder's files with q, fields and pages", async () => {
    const folder = await admin.files.create({ requestBody: { name: "Phường", mimeType: "application/vnd.google-apps.folder" } });
    const folderId = folder.data.id ?? "";
    expect(folder.data).toEqual({ kind: "drive#file", id: folderId, name: "Phường", mimeType: "application/vnd.google-apps.folder" });
    const ids = ["P1", "P2", "P3"].map((name) => fake.sheets.create(name, { Sheet1: [] }, { parents: [folderId] }));
    await admin.files.create({ requestBody: { name: "note.txt", parents: [folderId], mimeType: "text/plain", appProperties: { ward: "P9" } } });
    await admin.files.update({ fileId: ids[2] ?? "", requestBody: { trashed: true } });

    const q = `'${folderId}' in parents and trashed = false and mimeType = 'application/vnd.google-apps.spreadsheet'`;
    const first = await admin.files.list({ q, pageSize: 1, fields: "nextPageToken, files(id, name, version, modifiedTime)" });
    expect(first.data.files).toEqual([{ id: ids[0], name: "P1", version: "1", modifiedTime: expect.stringMatching(/^2025-03-01T/) }]);
    const second = await admin.files.list({ q, pageSize: 1, pageToken: first.data.nextPageToken ?? "", fields: "nextPageToken, files(id)" });
    expect(second.data).toEqual({ files: [{ id: ids[1] }] });

    const byDefault = await admin.files.list({ q: `'${folderId}' in parents and name contains 'p'`, orderBy: "name desc" });
    expect(byDefault.data.files?.map((file) => file.name)).toEqual(["P3", "P2", "P1"]);
    expect(byDefault.data.files?.[0]).toEqual({ kind: "drive#file", id: ids[2], name: "P3", mimeType: "application/vnd.google-apps.spreadsheet" });
    const viaDrive = await admin.files.create({ requestBody: { name: "P4", mimeType: "application/vnd.google-apps.spreadsheet", parents: [folderId] } });
    expect(fake.sheets.sheetTitles(viaDrive.data.id ?? "")).toEqual(["Sheet1"]);
    const tagged = await admin.files.list({ q: "appProperties has { key='ward' and value='P9' }", fields: "files(name,appProperties)" });
    expect(tagged.data.files).toEqual([{ name: "note.txt", appProperties: { ward: "P9" } }]);

    const invalid = await failureOf(admin.files.list({ q: "fullText contains 'x'" }));
    expect([invalid.status, invalid.message]).toEqual([400, "Invalid Value"]);
  });

  it("converts a multipart HTML upload to a Google Doc and updates it in place", async () => {
    const html = "<html><body><h1>Báo cáo</h1></body></html>";
    const [reports, archive] = [await folder("Báo cáo"), await folder("Lưu trữ")];
    const created = await admin.files.create(
      {
        requestBody: { name: "Báo cáo tháng 3", mimeType: "application/vnd.google-apps.document", parents: [reports], appProperties: { period: "2025-03" } },
        media: { mimeType: "text/html", body: html },
        fields: "id,name,mimeType,version,webViewLink,parents",
      },
      { rootUrl: fake.url },
    );
    const id = created.data.id ?? "";
    expect(created.data).toEqual({
      id,
      name: "Báo cáo tháng 3",
      mimeType: "application/vnd.google-apps.document",
      version: "1",
      parents: [reports],
      webViewLink: `https://docs.google.com/document/d/${id}/edit`,
    });
    expect(fake.requests.at(-1)).toMatchObject({ api: "drive", method: "POST", path: "/upload/drive/v3/files", query: { uploadType: "multipart" } });
    // A converted file keeps no bytes of its own (Drive: "Only files with binary content can be downloaded").
    expect(fake.drive.file(id)?.content).toBeUndefined();
    expect(fake.docs.document(id)).toMatchObject({ title: "Báo cáo tháng 3", html, documentStyle: { pageSize: { width: { magnitude: 612, unit: "PT" } } } });

    clock += 60_000;
    const updated = await admin.files.update(
      { fileId: id, media: { mimeType: "text/html", body: "<p>v2</p>" }, requestBody: { name: "Báo cáo tháng 3 (v2)" }, fields: "id,version,modifiedTime" },
      { rootUrl: fake.url },
    );
    expect(updated.data).toEqual({ id, version: "2", modifiedTime: "2025-03-01T00:01:00.000Z" });
    expect(fake.drive.file(id)).toMatchObject({ name: "Báo cáo tháng 3 (v2)", appProperties: { period: "2025-03" } });
    expect(fake.docs.document(id)?.html).toBe("<p>v2</p>");

    const moved = await admin.files.update({ fileId: id, addParents: archive, removeParents: reports, fields: "parents,version" });
    expect(moved.data).toEqual({ parents: [archive], version: "3" });
    const refused = await failureOf(admin.files.update({ fileId: id, requestBody: { parents: ["x"] } }));
    expect(refused.status).toBe(400);
    const twoParents = await failureOf(admin.files.update({ fileId: id, addParents: reports }));
    expect([twoParents.status, twoParents.message]).toEqual([403, "Increasing the number of parents is not allowed"]);
    const got = await admin.files.get({ fileId: id, fields: "id,name,version,appProperties" });
    expect(got.data).toEqual({ id, name: "Báo cáo tháng 3 (v2)", version: "3", appProperties: { period: "2025-03" } });
    const missing = await failureOf(admin.files.get({ fileId: "nope" }));
    expect([missing.status, missing.message]).toEqual([404, "File not found: nope."]);
  });

  it("caps a file channel at one day and stops it once", async () => {
    const id = fake.sheets.create("P1", { Sheet1: [] });
    const asked = clock + 7 * 86_400_000;
    const { data } = await client.files.watch({
      fileId: id,
      requestBody: { id: "channel-1", type: "web_hook", address: "https://example.test/hook", token: "secret", expiration: String(asked) },
    });
    expect(data).toEqual({
      kind: "api#channel",
      id: "channel-1",
      resourceId: expect.any(String),
      resourceUri: `https://www.googleapis.com/drive/v3/files/${id}?alt=json`,
      token: "secret",
      expiration: String(clock + 86_400_000),
    });
    const again = await client.files.watch({ fileId: id, requestBody: { id: "channel-2", type: "web_hook", address: "https://example.test/hook" } });
    expect(again.data.resourceId).toBe(data.resourceId);
    expect(again.data.expiration).toBe(String(clock + 3_600_000));
    expect(fake.drive.channels().map((channel) => channel.id)).toEqual(["channel-1", "channel-2"]);
    expect(fake.drive.notificationHeaders("channel-1", "sync")).toMatchObject({ "X-Goog-Channel-ID": "channel-1", "X-Goog-Channel-Token": "secret", "X-Goog-Resource-State": "sync", "X-Goog-Message-Number": "1" });
    expect(fake.drive.notificationHeaders("channel-1", "update", "content")).toMatchObject({ "X-Goog-Resource-ID": data.resourceId, "X-Goog-Changed": "content", "X-Goog-Message-Number": "2" });

    const http = await failureOf(client.files.watch({ fileId: id, requestBody: { id: "channel-3", type: "web_hook", address: "http://example.test/hook" } }));
    expect(http.status).toBe(400);

    const stopped = await client.channels.stop({ requestBody: { id: "channel-1", resourceId: data.resourceId ?? "" } });
    expect(stopped.status).toBe(204);
    const unknown = await failureOf(client.channels.stop({ requestBody: { id: "channel-1", resourceId: data.resourceId ?? "" } }));
    expect(unknown.status).toBe(404);
    clock += 3_600_001;
    expect(fake.drive.channels()).toEqual([]);
  });

  it("shares a file and lists its permissions", async () => {
    const id = (await admin.files.create({ requestBody: { name: "P1", mimeType: "application/vnd.google-apps.spreadsheet" } })).data.id ?? "";
    const created = await admin.permissions.create({
      fileId: id,
      sendNotificationEmail: false,
      requestBody: { role: "writer", type: "user", emailAddress: "can.bo@example.vn" },
    });
    expect(created.data).toEqual({ kind: "drive#permission", id: expect.any(String), type: "user", role: "writer" });
    const listed = await admin.permissions.list({ fileId: id, fields: "permissions(role,emailAddress)" });
    expect(listed.data.permissions).toEqual([
      { role: "owner", emailAddress: adminEmail },
      { role: "writer", emailAddress: "can.bo@example.vn" },
    ]);
    expect(fake.drive.permissions(id)[1]).toMatchObject({ emailAddress: "can.bo@example.vn", sentNotificationEmail: false });
    const bad = await failureOf(admin.permissions.create({ fileId: id, requestBody: { role: "editor", type: "user", emailAddress: "x@example.vn" } }));
    expect(bad.status).toBe(400);
  });
});
