import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { googleWardFileLister, listWardFiles } from "../../../functions/adapters/google/changed-files.js";
import { type FakeGoogle, startFakeGoogle } from "../../fakes/google/server.js";
import { clientsFor, noWait } from "./google-fixtures.js";

let fake: FakeGoogle;

beforeAll(async () => {
  fake = await startFakeGoogle({ now: Date.now });
});
afterAll(() => fake.close());
beforeEach(() => fake.resetLog());

describe("listWardFiles", () => {
  it("lists the live spreadsheets of the folder, with versions, in one request", async () => {
    const folderId = fake.drive.registerFile({ name: "Phường", mimeType: "application/vnd.google-apps.folder" }).id;
    const a = fake.sheets.create("Nghi Hương", { Sheet1: [] }, { parents: [folderId] });
    const b = fake.sheets.create("Nghi Thu", { Sheet1: [] }, { parents: [folderId] });
    fake.sheets.create("Elsewhere", { Sheet1: [] });
    fake.drive.registerFile({ name: "notes.txt", mimeType: "text/plain", parents: [folderId] });
    const trashed = fake.sheets.create("Cũ", { Sheet1: [] }, { parents: [folderId] });
    fake.drive.state.files.get(trashed)!.trashed = true;
    fake.resetLog();

    const files = await listWardFiles(clientsFor(fake), folderId, noWait);
    expect(fake.count({ api: "drive" })).toBe(1);
    expect(files.map((f) => f.name).sort()).toEqual(["Nghi Hương", "Nghi Thu"]);
    expect(files.find((f) => f.id === a)).toEqual({ id: a, name: "Nghi Hương", version: fake.drive.file(a)!.version, modifiedTime: fake.drive.file(a)!.modifiedTime });

    // Staff typing moves the version; the next listing shows it.
    const before = files.find((f) => f.id === b)!.version;
    fake.sheets.setValues(b, "Sheet1", "A1", [["Đạt"]]);
    const after = await googleWardFileLister(clientsFor(fake), folderId, noWait).list();
    expect(Number(after.find((f) => f.id === b)!.version)).toBeGreaterThan(Number(before));
  });

  it("follows pages of 1000", async () => {
    const folderId = fake.drive.registerFile({ name: "Xã", mimeType: "application/vnd.google-apps.folder" }).id;
    for (let i = 0; i < 1001; i++) fake.drive.registerFile({ name: `Xã ${i}`, mimeType: "application/vnd.google-apps.spreadsheet", parents: [folderId] });
    fake.resetLog();
    const files = await listWardFiles(clientsFor(fake), folderId, noWait);
    expect(files).toHaveLength(1001);
    expect(fake.count({ api: "drive" })).toBe(2);
    expect(fake.requests[0]?.query).toMatchObject({ pageSize: "1000", q: `'${folderId}' in parents and mimeType = 'application/vnd.google-apps.spreadsheet' and trashed = false` });
  });
});
