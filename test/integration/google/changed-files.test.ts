import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { driveIdOf, googleWardFolder, listWardFiles } from "../../../functions/adapters/google/changed-files.js";
import { fakeServiceAccount } from "../../fakes/google/identities.js";
import { type FakeGoogle, startFakeGoogle } from "../../fakes/google/server.js";
import { manualClock } from "../../fakes/clock.js";
import { clientsFor, noWait } from "./google-fixtures.js";

const clock = manualClock("2026-12-01T02:00:00Z");
let fake: FakeGoogle;
let driveId: string;

beforeAll(async () => {
  fake = await startFakeGoogle({ now: clock.ms, drive: { lagMs: 0 } });
  driveId = fake.drive.addSharedDrive({ name: "Công an phường", members: [{ email: fakeServiceAccount, role: "fileOrganizer" }] });
});
afterAll(() => fake.close());
beforeEach(() => fake.resetLog());

describe("listWardFiles", () => {
  it("lists the live spreadsheets of a shared-drive folder, with versions and last editor, in one request", async () => {
    const folderId = fake.drive.addFolder({ name: "Phường", parents: [driveId] });
    const a = fake.sheets.create("Nghi Hương", { Sheet1: [] }, { parents: [folderId] });
    const b = fake.sheets.create("Nghi Thu", { Sheet1: [] }, { parents: [folderId] });
    fake.sheets.create("Elsewhere", { Sheet1: [] }, { parents: [driveId] });
    fake.drive.registerFile({ name: "notes.txt", mimeType: "text/plain", parents: [folderId] });
    const trashed = fake.sheets.create("Cũ", { Sheet1: [] }, { parents: [folderId] });
    fake.drive.state.files.get(trashed)!.trashed = true;
    fake.resetLog();

    const files = await listWardFiles(clientsFor(fake), folderId, driveId, noWait);
    expect(fake.count({ api: "drive" })).toBe(1);
    expect(fake.requests[0]?.query).toMatchObject({ corpora: "drive", driveId, supportsAllDrives: "true", includeItemsFromAllDrives: "true" });
    expect(files.map((f) => f.name).sort()).toEqual(["Nghi Hương", "Nghi Thu"]);
    const stored = fake.drive.file(a)!;
    expect(files.find((f) => f.id === a)).toEqual({ id: a, name: "Nghi Hương", version: stored.version, modifiedTime: stored.modifiedTime, lastModifyingUser: expect.objectContaining({ me: false }) });

    const before = files.find((f) => f.id === b)!.version;
    clock.advance(1000);
    fake.sheets.setValues(b, "Sheet1", "A1", [["Đạt"]]);
    const after = await googleWardFolder(clientsFor(fake), folderId, noWait).list(driveId);
    expect(Number(after.find((f) => f.id === b)!.version)).toBeGreaterThan(Number(before));
  });

  it("finds nothing in a shared drive without corpora=drive, which is why the drive id is passed", async () => {
    const folderId = fake.drive.addFolder({ name: "Xã", parents: [driveId] });
    fake.sheets.create("Nghi Hải", { Sheet1: [] }, { parents: [folderId] });
    expect(await listWardFiles(clientsFor(fake), folderId, null, noWait)).toEqual([]);
    expect(await listWardFiles(clientsFor(fake), folderId, driveId, noWait)).toHaveLength(1);
  });

  it("follows pages of 1000", async () => {
    const folderId = fake.drive.addFolder({ name: "Nhiều xã", parents: [driveId] });
    for (let i = 0; i < 1001; i++) fake.drive.registerFile({ name: `Xã ${i}`, mimeType: "application/vnd.google-apps.spreadsheet", parents: [folderId] });
    fake.resetLog();
    const files = await listWardFiles(clientsFor(fake), folderId, driveId, noWait);
    expect(files).toHaveLength(1001);
    expect(fake.count({ api: "drive" })).toBe(2);
    expect(fake.requests[0]?.query).toMatchObject({ pageSize: "1000", q: `'${folderId}' in parents and mimeType = 'application/vnd.google-apps.spreadsheet' and trashed = false` });
  });
});

describe("driveIdOf", () => {
  it("names the shared drive of a folder, and null for a folder in My Drive", async () => {
    const shared = fake.drive.addFolder({ name: "Phường 2", parents: [driveId] });
    expect(await driveIdOf(clientsFor(fake), shared, noWait)).toBe(driveId);
    expect(fake.requests.at(-1)?.query).toMatchObject({ fields: "driveId", supportsAllDrives: "true" });
  });
});
