/**
 * Shared drives as Drive serves them: their items are invisible to calls without supportsAllDrives, a folder's
 * listing needs corpora=drive + driveId + includeItemsFromAllDrives + supportsAllDrives, and members' roles decide
 * who may add files.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { narrowScopes } from "../../fakes/google/identities.js";
import { type FakeGoogle, fakeServiceAccount, scopes, startFakeGoogle } from "../../fakes/google/server.js";
import { driveAs, errorOf, failureOf } from "./google-fake-drive-helpers.js";

const SPREADSHEET = "application/vnd.google-apps.spreadsheet";
const reader = "doc.gia@cualo.example";

let fake: FakeGoogle;
let driveId: string;
let folderId: string;
let sheetId: string;

beforeAll(async () => {
  fake = await startFakeGoogle({ now: () => Date.parse("2026-12-01T03:00:00Z") });
  fake.identities.add({ token: "reader-token", email: reader, kind: "user", scopes: [scopes.drive] });
  // The service account without the full Drive scope: drive.file may not add files to a folder the app did not create.
  fake.identities.add({ token: "sa-narrow", email: fakeServiceAccount, kind: "serviceAccount", scopes: narrowScopes });
  driveId = fake.drive.addSharedDrive({ name: "Công an thị xã Cửa Lò", members: [{ email: fakeServiceAccount, role: "fileOrganizer" }, { email: reader, role: "reader" }] });
  folderId = fake.drive.addFolder({ name: "Các phường", parents: [driveId] });
  sheetId = fake.sheets.create("Nghi Hương", { Sheet1: [] }, { parents: [folderId] });
});
afterAll(() => fake.close());

describe("shared drive items", () => {
  it("are 404 to get, update, watch and permissions calls without supportsAllDrives, and report driveId with it", async () => {
    const client = driveAs(fake);
    const calls = [
      client.files.get({ fileId: sheetId }),
      client.files.update({ fileId: sheetId, requestBody: { description: "x" } }),
      client.files.watch({ fileId: sheetId, requestBody: { id: "c-1", type: "web_hook", address: "https://example.test/hook" } }),
      client.permissions.list({ fileId: sheetId }),
    ];
    for (const call of calls) {
      const failure = await failureOf(call);
      expect([failure.status, failure.message]).toEqual([404, `File not found: ${sheetId}.`]);
    }
    const got = await client.files.get({ fileId: sheetId, supportsAllDrives: true, fields: "id,driveId,parents,owners" });
    expect(got.data).toEqual({ id: sheetId, driveId, parents: [folderId] });
    const permissions = await client.permissions.list({ fileId: sheetId, supportsAllDrives: true, fields: "permissions(emailAddress,role)" });
    expect(permissions.data.permissions).toEqual([{ emailAddress: fakeServiceAccount, role: "fileOrganizer" }, { emailAddress: reader, role: "reader" }]);
  });

  it("are listed only with corpora=drive + driveId + includeItemsFromAllDrives + supportsAllDrives", async () => {
    const client = driveAs(fake);
    const q = `'${folderId}' in parents and trashed = false`;
    const plain = await client.files.list({ q, supportsAllDrives: true, fields: "files(id)" });
    expect(plain.data.files).toEqual([]);
    const allDrivesUser = await client.files.list({ q, supportsAllDrives: true, includeItemsFromAllDrives: true, fields: "files(id)" });
    expect(allDrivesUser.data.files).toEqual([]);
    const listed = await client.files.list({ q, corpora: "drive", driveId, includeItemsFromAllDrives: true, supportsAllDrives: true, fields: "files(id,driveId)" });
    expect(listed.data.files).toEqual([{ id: sheetId, driveId }]);
    const everywhere = await client.files.list({ q, corpora: "allDrives", includeItemsFromAllDrives: true, supportsAllDrives: true, fields: "files(id)" });
    expect(everywhere.data.files).toEqual([{ id: sheetId }]);
  });

  it("refuses corpora=drive without driveId (and the other half-set combinations) with 400", async () => {
    const client = driveAs(fake);
    const noDriveId = await failureOf(client.files.list({ corpora: "drive", includeItemsFromAllDrives: true, supportsAllDrives: true }));
    expect(errorOf(noDriveId)).toMatchObject({
      error: { code: 400, message: "The driveId parameter must be specified if and only if corpora is set to drive.", errors: [{ reason: "teamDriveIdRequiresTeamDriveCorpora" }] },
    });
    expect((await failureOf(client.files.list({ driveId, includeItemsFromAllDrives: true, supportsAllDrives: true }))).status).toBe(400);
    expect((await failureOf(client.files.list({ corpora: "drive", driveId, supportsAllDrives: true }))).status).toBe(400);
    expect((await failureOf(client.files.list({ includeItemsFromAllDrives: true }))).status).toBe(400);
    const stranger = await failureOf(driveAs(fake, "user-token").files.list({ corpora: "drive", driveId, includeItemsFromAllDrives: true, supportsAllDrives: true }));
    expect([stranger.status, stranger.message]).toEqual([404, `Shared drive not found: ${driveId}`]);
  });
});

describe("members' roles", () => {
  it("let a content manager create and a reader only read", async () => {
    const appOnly = await failureOf(driveAs(fake, "sa-narrow").files.create({ requestBody: { name: "x", parents: [folderId] }, supportsAllDrives: true }));
    expect([appOnly.status, appOnly.message]).toEqual([403, `The user has not granted the app 123456789012 write access to the file ${folderId}.`]);
    const created = await driveAs(fake).files.create({ requestBody: { name: "Nghi Thu", mimeType: SPREADSHEET, parents: [folderId] }, supportsAllDrives: true, fields: "id,driveId" });
    expect(created.data.driveId).toBe(driveId);
    const readerClient = driveAs(fake, "reader-token");
    expect((await readerClient.files.get({ fileId: created.data.id ?? "", supportsAllDrives: true, fields: "name" })).data).toEqual({ name: "Nghi Thu" });
    const refused = await failureOf(readerClient.files.create({ requestBody: { name: "x", parents: [folderId] }, supportsAllDrives: true }));
    expect([refused.status, refused.message]).toEqual([403, `The user does not have sufficient permissions for file ${folderId}.`]);
    const withoutFlag = await failureOf(driveAs(fake).files.create({ requestBody: { name: "y", parents: [folderId] } }));
    expect(withoutFlag.status).toBe(404);
  });

  it("let a content manager trash and delete, and a writer not", async () => {
    const writerDrive = fake.drive.addSharedDrive({ name: "Đóng góp", members: [{ email: fakeServiceAccount, role: "writer" }] });
    const client = driveAs(fake);
    const own = await client.files.create({ requestBody: { name: "z", parents: [writerDrive] }, supportsAllDrives: true });
    const trash = await failureOf(client.files.update({ fileId: own.data.id ?? "", supportsAllDrives: true, requestBody: { trashed: true } }));
    expect(trash.status).toBe(403);
    const created = await client.files.create({ requestBody: { name: "w", parents: [driveId] }, supportsAllDrives: true });
    await client.files.delete({ fileId: created.data.id ?? "", supportsAllDrives: true });
    expect(fake.drive.file(created.data.id ?? "")).toBeUndefined();
  });
});
