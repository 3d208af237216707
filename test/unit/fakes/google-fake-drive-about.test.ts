/** about.get (who the token is, how much it may store) and files.generateIds (the only client-chosen ids Drive accepts). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeGoogle, fakeServiceAccount, fakeUser, startFakeGoogle } from "../../fakes/google/server.js";
import { driveAs, failureOf } from "./google-fake-drive-helpers.js";

let fake: FakeGoogle;
let driveId: string;

beforeAll(async () => {
  fake = await startFakeGoogle({ now: () => Date.parse("2026-12-01T03:00:00Z") });
  driveId = fake.drive.addSharedDrive({ name: "Công an thị xã", members: [{ email: fakeServiceAccount, role: "fileOrganizer" }] });
});
afterAll(() => fake.close());

describe("about.get", () => {
  it("names the caller and its storage: none for a service account, 15 GiB for a Gmail user", async () => {
    const sa = await driveAs(fake).about.get({ fields: "user(emailAddress,me),storageQuota(limit,usage)" });
    expect(sa.data).toEqual({ user: { emailAddress: fakeServiceAccount, me: true }, storageQuota: { limit: "0", usage: "0" } });
    const user = await driveAs(fake, "user-token").about.get({ fields: "user(displayName,emailAddress),storageQuota(limit)" });
    expect(user.data).toEqual({ user: { displayName: "Cán bộ tổng hợp", emailAddress: fakeUser }, storageQuota: { limit: String(15 * 1024 ** 3) } });
  });

  it("requires a field selection, as Drive does", async () => {
    const failure = await failureOf(driveAs(fake).about.get({}));
    expect([failure.status, failure.message]).toEqual([400, "The 'fields' parameter is required for this method."]);
  });
});

describe("files.generateIds", () => {
  it("hands out ids that files.create accepts once; a reused id is 409, an invented one 400", async () => {
    const client = driveAs(fake);
    const generated = await client.files.generateIds({ count: 2, space: "drive", type: "files" });
    expect(generated.data).toEqual({ kind: "drive#generatedIds", space: "drive", ids: [expect.any(String), expect.any(String)] });
    const [id = ""] = generated.data.ids ?? [];
    const created = await client.files.create({ requestBody: { id, name: "Nghi Hương", parents: [driveId] }, supportsAllDrives: true });
    expect(created.data.id).toBe(id);
    const again = await failureOf(client.files.create({ requestBody: { id, name: "lần hai", parents: [driveId] }, supportsAllDrives: true }));
    expect([again.status, again.message]).toEqual([409, "A file already exists with the provided ID."]);
    const invented = await failureOf(client.files.create({ requestBody: { id: "tu-dat-ma", name: "x", parents: [driveId] }, supportsAllDrives: true }));
    expect([invented.status, invented.message]).toEqual([400, "The provided file ID is not usable."]);
    expect((await failureOf(client.files.generateIds({ count: 1, space: "photos" }))).status).toBe(400);
  });
});
