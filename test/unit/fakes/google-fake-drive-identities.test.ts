/**
 * The fake Drive decides per token, as Drive does: a service account owns no storage, a user has a My Drive,
 * and each token sees only what is shared with its account and what its scopes reach.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { narrowScopes } from "../../fakes/google/identities.js";
import { type FakeGoogle, fakeServiceAccount, fakeUser, scopes, startFakeGoogle } from "../../fakes/google/server.js";
import { driveAs, errorOf, failureOf } from "./google-fake-drive-helpers.js";

const SPREADSHEET = "application/vnd.google-apps.spreadsheet";
const FOLDER = "application/vnd.google-apps.folder";
const storageMessage =
  "Service Accounts do not have storage quota. Leverage shared drives (https://developers.google.com/workspace/drive/api/guides/about-shareddrives), or use OAuth delegation (http://support.google.com/a/answer/7281227) instead.";

let fake: FakeGoogle;
const clock = Date.parse("2026-12-01T03:00:00Z");

beforeAll(async () => {
  fake = await startFakeGoogle({ now: () => clock });
  fake.identities.add({ token: "file-only", email: "app.user@gmail.example", kind: "user", scopes: [scopes.driveFile] });
  fake.identities.add({ token: "metadata-only", email: fakeServiceAccount, kind: "serviceAccount", scopes: [scopes.driveMetadataReadonly] });
  fake.identities.add({ token: "narrow", email: fakeServiceAccount, kind: "serviceAccount", scopes: narrowScopes });
  fake.identities.add({ token: "sheets-only", email: fakeServiceAccount, kind: "serviceAccount", scopes: [scopes.spreadsheets] });
});
afterAll(() => fake.close());

describe("a service account owns no Drive storage", () => {
  it("refuses files.create outside a shared drive with Drive's storageQuotaExceeded body", async () => {
    const failure = await failureOf(driveAs(fake).files.create({ requestBody: { name: "Nghi Hương", mimeType: SPREADSHEET } }));
    expect(failure.status).toBe(403);
    expect(errorOf(failure)).toEqual({ error: { code: 403, message: storageMessage, errors: [{ message: storageMessage, domain: "usageLimits", reason: "storageQuotaExceeded" }] } });
  });

  it("refuses it in a user's folder shared with it as writer too: the new file would still be the service account's", async () => {
    const folderId = fake.drive.registerFile({ name: "Các phường", mimeType: FOLDER }); // fakeUser's, shared with the service account
    expect(fake.drive.roleOf(fakeServiceAccount, folderId.id)).toBe("writer");
    fake.drive.openWithApp(folderId.id);
    const failure = await failureOf(driveAs(fake).files.create({ requestBody: { name: "x", parents: [folderId.id] } }));
    expect([failure.status, (errorOf(failure) as { error: { errors: Array<{ reason: string }> } }).error.errors[0]?.reason]).toEqual([403, "storageQuotaExceeded"]);
  });

  it("refuses files.copy into its My Drive, and creates and copies inside a shared drive it contributes to", async () => {
    const driveId = fake.drive.addSharedDrive({ name: "Công an thị xã", members: [{ email: fakeServiceAccount, role: "fileOrganizer" }] });
    const sa = driveAs(fake);
    const template = await sa.files.create({ requestBody: { name: "Mẫu", mimeType: SPREADSHEET, parents: [driveId] }, supportsAllDrives: true, fields: "id,driveId,owners" });
    expect(template.data).toEqual({ id: expect.any(String), driveId });
    const failure = await failureOf(sa.files.copy({ fileId: template.data.id ?? "", supportsAllDrives: true, requestBody: { name: "Bản sao", parents: ["root"] } }));
    expect(failure.status).toBe(403);
    expect(failure.message).toBe(storageMessage);
  });
});

describe("a user has a My Drive", () => {
  it("puts a file without parents in the caller's My Drive root, owned by the caller", async () => {
    const user = driveAs(fake, "user-token");
    const root = await user.files.get({ fileId: "root", fields: "id,name,mimeType" });
    expect(root.data).toEqual({ id: expect.stringMatching(/^0A/), name: "My Drive", mimeType: FOLDER });
    const created = await user.files.create({ requestBody: { name: "Tổng hợp", mimeType: SPREADSHEET }, fields: "id,parents,owners(emailAddress,me),ownedByMe" });
    expect(created.data).toEqual({ id: expect.any(String), parents: [root.data.id], owners: [{ emailAddress: fakeUser, me: true }], ownedByMe: true });
    // Not shared with the service account: Drive does not admit it exists.
    const hidden = await failureOf(driveAs(fake).files.get({ fileId: created.data.id ?? "" }));
    expect([hidden.status, hidden.message]).toEqual([404, `File not found: ${created.data.id}.`]);
  });
});

describe("scopes are enforced per token", () => {
  it("drive.file sees only files the app created for the account, or that were opened with it", async () => {
    const appFile = await driveAs(fake, "file-only").files.create({ requestBody: { name: "của ứng dụng", mimeType: "text/plain" } });
    const theirs = fake.drive.registerFile({ name: "của người dùng", mimeType: "text/plain", owner: "app.user@gmail.example", sharedWith: [] });
    const client = driveAs(fake, "file-only");
    const listed = await client.files.list({ fields: "files(name)" });
    expect(listed.data.files).toEqual([{ name: "của ứng dụng" }]);
    expect((await failureOf(client.files.get({ fileId: theirs.id }))).status).toBe(404);
    fake.drive.openWithApp(theirs.id, "app.user@gmail.example");
    expect((await client.files.get({ fileId: theirs.id, fields: "name" })).data).toEqual({ name: "của người dùng" });
    expect(appFile.data.id).toBeDefined();
  });

  it("drive.metadata.readonly lists, reads metadata and watches, but cannot create nor update", async () => {
    const file = fake.sheets.create("Nghi Thu", { Sheet1: [] }); // shared with the service account as writer
    const client = driveAs(fake, "metadata-only");
    expect((await client.files.get({ fileId: file, fields: "id" })).data).toEqual({ id: file });
    await client.files.watch({ fileId: file, requestBody: { id: "meta-1", type: "web_hook", address: "https://example.test/hook" } });
    const created = await failureOf(client.files.create({ requestBody: { name: "x" } }));
    expect([created.status, created.message]).toEqual([403, "Request had insufficient authentication scopes."]);
    const updated = await failureOf(client.files.update({ fileId: file, requestBody: { name: "y" } }));
    expect(updated.status).toBe(403);
  });

  it("drive.file + drive.metadata.readonly cannot edit, through Drive, a file the app did not create (appNotAuthorizedToFile)", async () => {
    const file = fake.sheets.create("Nghi Hải", { Sheet1: [] });
    const failure = await failureOf(driveAs(fake, "narrow").permissions.create({ fileId: file, requestBody: { role: "writer", type: "user", emailAddress: "a@b.example" } }));
    expect(failure.status).toBe(403);
    expect(failure.message).toBe(`The user has not granted the app 123456789012 write access to the file ${file}.`);
  });

  it("spreadsheets alone cannot call Drive at all", async () => {
    const failure = await failureOf(driveAs(fake, "sheets-only").files.list({}));
    expect(errorOf(failure)).toEqual({
      error: {
        code: 403,
        message: "Request had insufficient authentication scopes.",
        errors: [{ message: "Insufficient Permission", domain: "global", reason: "insufficientPermissions" }],
        status: "PERMISSION_DENIED",
        details: [
          {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            reason: "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
            domain: "googleapis.com",
            metadata: { service: "drive.googleapis.com", method: "google.apps.drive.v3.DriveFiles.List" },
          },
        ],
      },
    });
  });
});
