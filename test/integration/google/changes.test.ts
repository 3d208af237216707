import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { googleChangeFeed, listChanges, startPageToken } from "../../../functions/adapters/google/changes.js";
import { fakeServiceAccount } from "../../fakes/google/identities.js";
import { type FakeGoogle, startFakeGoogle } from "../../fakes/google/server.js";
import { manualClock } from "../../fakes/clock.js";
import { clientsFor, noWait } from "./google-fixtures.js";

const LAG = 180_000;
const clock = manualClock("2026-12-01T02:00:00Z");
let fake: FakeGoogle;
let driveId: string;
let folderId: string;

beforeAll(async () => {
  fake = await startFakeGoogle({ now: clock.ms, drive: { lagMs: LAG } });
  driveId = fake.drive.addSharedDrive({ name: "Công an phường", members: [{ email: fakeServiceAccount, role: "fileOrganizer" }] });
  folderId = fake.drive.addFolder({ name: "Phường", parents: [driveId] });
});
afterAll(() => fake.close());

describe("listChanges", () => {
  it("names exactly the files changed since the token, once Drive has recorded the edits (after its lag)", async () => {
    const a = fake.sheets.create("Nghi Hương", { Sheet1: [] }, { parents: [folderId] });
    const b = fake.sheets.create("Nghi Thu", { Sheet1: [] }, { parents: [folderId] });
    const feed = googleChangeFeed(clientsFor(fake), noWait);
    const token = await feed.startPageToken(driveId);
    clock.advance(1000);
    fake.sheets.setValues(a, "Sheet1", "A1", [["Đạt"]]);
    expect((await feed.list(token, driveId)).changes).toEqual([]); // Drive has not recorded the edit yet
    clock.advance(LAG);
    fake.sheets.setValues(a, "Sheet1", "A2", [["Đạt"]]);
    const batch = await listChanges(clientsFor(fake), token, driveId, noWait);
    expect(batch.changes).toEqual([{ fileId: a, removed: false, file: expect.objectContaining({ id: a, name: "Nghi Hương", lastModifyingUser: expect.objectContaining({ me: false }) }) }]);
    expect((await feed.list(batch.nextPageToken, driveId)).changes).toEqual([]);
    expect(b).not.toBe(a);
  });

  it("reports a trashed or deleted file as removed", async () => {
    const c = fake.sheets.create("Nghi Tân", { Sheet1: [] }, { parents: [folderId] });
    const token = await startPageToken(clientsFor(fake), driveId, noWait);
    const file = fake.drive.state.files.get(c)!;
    file.trashed = true; // a person moves it to the bin in the Drive UI
    fake.drive.recordChange(file, clock.ms());
    const batch = await listChanges(clientsFor(fake), token, driveId, noWait);
    expect(batch.changes).toEqual([{ fileId: c, removed: true, file: null }]);
  });

  it("follows nextPageToken to the end of the feed", async () => {
    const token = await startPageToken(clientsFor(fake), driveId, noWait);
    for (let i = 0; i < 1001; i++) fake.drive.registerFile({ name: `Xã ${i}`, mimeType: "text/plain", parents: [folderId] });
    fake.resetLog();
    const batch = await listChanges(clientsFor(fake), token, driveId, noWait);
    expect(batch.changes).toHaveLength(1001);
    expect(fake.count({ api: "drive", pathIncludes: "/changes" })).toBe(2);
    expect(fake.requests[0]?.query).toMatchObject({ driveId, supportsAllDrives: "true", includeItemsFromAllDrives: "true", includeRemoved: "true", pageSize: "1000" });
  });

  it("reads a user's My Drive without any shared-drive parameter", async () => {
    fake.resetLog();
    const token = await startPageToken(clientsFor(fake), null, noWait);
    await listChanges(clientsFor(fake), token, null, noWait);
    for (const request of fake.requests) {
      expect(request.query).not.toHaveProperty("driveId");
      expect(request.query).not.toHaveProperty("supportsAllDrives");
      expect(request.query).not.toHaveProperty("includeItemsFromAllDrives");
    }
  });
});
