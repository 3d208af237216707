/**
 * Drive's changes feed and push channels, in virtual time: a Sheets edit reaches Drive only after the lag and a
 * burst becomes one change (one version bump); pushes come a while later, one per channel per burst, and may be
 * duplicated or reordered (deterministically from a seed).
 */
import type { drive_v3 } from "@googleapis/drive";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeGoogle, type FakeGoogleOptions, fakeServiceAccount, startFakeGoogle } from "../../fakes/google/server.js";
import { driveAs, failureOf } from "./google-fake-drive-helpers.js";

const LAG = 180_000;
const DELAY = 5_000;
const DAY = 86_400_000;
const address = "https://example.test/sheetsWebhook";
const fields = "nextPageToken,newStartPageToken,changes(changeType,removed,fileId,time,file(id,version,modifiedTime,lastModifyingUser(me,emailAddress)))";

let clock = Date.parse("2026-12-01T03:00:00Z");
let fake: FakeGoogle;
let client: drive_v3.Drive;
let driveId: string;
let sheetId: string;
const inDrive = () => ({ driveId, supportsAllDrives: true, includeItemsFromAllDrives: true });

async function start(drive: FakeGoogleOptions["drive"]): Promise<FakeGoogle> {
  return startFakeGoogle({ now: () => clock, drive });
}

beforeAll(async () => {
  fake = await start({ lagMs: LAG, notifications: { delayMs: DELAY } });
  client = driveAs(fake);
  driveId = fake.drive.addSharedDrive({ name: "Công an thị xã", members: [{ email: fakeServiceAccount, role: "fileOrganizer" }] });
  sheetId = fake.sheets.create("Nghi Hương", { Sheet1: [] }, { parents: [driveId] });
});
afterAll(() => fake.close());

describe("changes.list", () => {
  it("shows a burst of Sheets edits as one change, only once the lag has passed", async () => {
    const start = (await client.changes.getStartPageToken({ ...inDrive() })).data.startPageToken ?? "";
    expect(start).not.toMatch(/^\d+$/); // opaque, as the product must treat it
    fake.sheets.setValues(sheetId, "Sheet1", "A1", [["Đạt"]]);
    const firstEdit = clock;
    clock += 60_000;
    fake.sheets.setValues(sheetId, "Sheet1", "A2", [["Chưa đạt"]]);
    const lastEdit = clock;
    const early = await client.changes.list({ pageToken: start, ...inDrive(), fields });
    expect(early.data.changes).toEqual([]);
    expect(fake.drive.file(sheetId)?.version).toBe("1");

    clock = firstEdit + LAG;
    const late = await client.changes.list({ pageToken: start, ...inDrive(), fields });
    expect(late.data.changes).toEqual([
      {
        changeType: "file",
        removed: false,
        fileId: sheetId,
        time: new Date(firstEdit + LAG).toISOString(),
        file: { id: sheetId, version: "2", modifiedTime: new Date(lastEdit).toISOString(), lastModifyingUser: { me: false, emailAddress: "canbo.phuong@gmail.example" } },
      },
    ]);
    const next = late.data.newStartPageToken ?? "";
    expect(late.data.nextPageToken).toBeUndefined();
    expect((await client.changes.list({ pageToken: next, ...inDrive(), fields })).data.changes).toEqual([]);
  });

  it("pages with nextPageToken, reports a deletion as removed, and records Drive's own edits at once", async () => {
    const start = (await client.changes.getStartPageToken({ ...inDrive() })).data.startPageToken ?? "";
    const ids: string[] = [];
    for (const name of ["a", "b", "c"]) ids.push((await client.files.create({ requestBody: { name, parents: [driveId] }, supportsAllDrives: true })).data.id ?? "");
    await client.files.update({ fileId: ids[0] ?? "", supportsAllDrives: true, requestBody: { description: "đã sửa" } });
    await client.files.delete({ fileId: ids[1] ?? "", supportsAllDrives: true });
    const first = await client.changes.list({ pageToken: start, pageSize: 2, ...inDrive(), fields });
    expect(first.data.changes?.map((change) => [change.fileId, change.removed, change.file?.version])).toEqual([
      [ids[2], false, "1"],
      [ids[0], false, "2"],
    ]);
    const second = await client.changes.list({ pageToken: first.data.nextPageToken ?? "", ...inDrive(), fields });
    expect(second.data.changes).toEqual([{ changeType: "file", removed: true, fileId: ids[1], time: expect.any(String) }]);
    expect(second.data.newStartPageToken).toBeDefined();
  });

  it("needs driveId + supportsAllDrives + includeItemsFromAllDrives for a shared drive, and a page token of the same corpus", async () => {
    const token = (await client.changes.getStartPageToken({ ...inDrive() })).data.startPageToken ?? "";
    fake.sheets.setValues(sheetId, "Sheet1", "A3", [["x"]]);
    clock += LAG;
    const myDrive = (await client.changes.getStartPageToken({})).data.startPageToken ?? "";
    expect((await client.changes.list({ pageToken: myDrive, fields })).data.changes).toEqual([]);
    expect((await failureOf(client.changes.list({ pageToken: token, driveId, supportsAllDrives: true }))).status).toBe(400);
    expect((await failureOf(client.changes.list({ pageToken: token, driveId, includeItemsFromAllDrives: true }))).status).toBe(400);
    expect((await failureOf(client.changes.list({ pageToken: myDrive, ...inDrive() }))).status).toBe(400);
    const forged = await failureOf(client.changes.list({ pageToken: "12345", ...inDrive() }));
    expect([forged.status, forged.message]).toEqual([400, "Invalid Value"]);
  });
});

describe("changes.watch and push notifications", () => {
  it("caps a changes channel at 7 days (1 hour by default) and pushes once per burst, after the lag and the delay", async () => {
    const token = (await client.changes.getStartPageToken({ ...inDrive() })).data.startPageToken ?? "";
    const week = await client.changes.watch({ pageToken: token, ...inDrive(), requestBody: { id: "feed-1", type: "web_hook", address, token: "bí-mật", expiration: String(clock + 30 * DAY) } });
    expect(week.data).toMatchObject({ kind: "api#channel", id: "feed-1", expiration: String(clock + 7 * DAY), resourceUri: expect.stringContaining("/drive/v3/changes?") });
    const hour = await client.changes.watch({ pageToken: token, ...inDrive(), requestBody: { id: "feed-2", type: "web_hook", address } });
    expect(hour.data.expiration).toBe(String(clock + 3_600_000));
    expect(fake.drive.dueNotifications().map((push) => [push.headers["X-Goog-Channel-ID"], push.headers["X-Goog-Resource-State"], push.headers["X-Goog-Message-Number"]])).toEqual([
      ["feed-1", "sync", "1"],
      ["feed-2", "sync", "1"],
    ]);

    const editAt = clock;
    fake.sheets.setValues(sheetId, "Sheet1", "B1", [["Đạt"]]);
    clock += 30_000;
    fake.sheets.setValues(sheetId, "Sheet1", "B2", [["Đạt"]]);
    clock = editAt + LAG;
    expect(fake.drive.dueNotifications()).toEqual([]);
    clock = editAt + LAG + DELAY;
    await client.channels.stop({ requestBody: { id: "feed-2", resourceId: hour.data.resourceId ?? "" } });
    expect(fake.drive.dueNotifications()).toEqual([
      {
        address,
        headers: expect.objectContaining({ "X-Goog-Channel-ID": "feed-1", "X-Goog-Channel-Token": "bí-mật", "X-Goog-Resource-State": "change", "X-Goog-Message-Number": "2" }),
      },
    ]);
    expect(fake.drive.dueNotifications()).toEqual([]);
  });

  it("duplicates and reorders file-channel pushes when asked, the same way for the same seed", async () => {
    const deliveries: string[][] = [];
    for (let run = 0; run < 2; run++) {
      const noisy = await start({ lagMs: LAG, notifications: { delayMs: 0, duplicateRate: 0.5, reorder: true, seed: 7 } });
      const sa = driveAs(noisy);
      const ids = ["P1", "P2", "P3", "P4"].map((name) => noisy.sheets.create(name, { Sheet1: [] }));
      for (const [i, id] of ids.entries()) await sa.files.watch({ fileId: id, requestBody: { id: `file-${i}`, type: "web_hook", address } });
      noisy.drive.dueNotifications(); // the sync messages
      const editAt = clock;
      for (const id of ids) noisy.sheets.setValues(id, "Sheet1", "A1", [["x"]]);
      clock = editAt + LAG;
      const pushes = noisy.drive.dueNotifications();
      deliveries.push(pushes.map((push) => `${push.headers["X-Goog-Channel-ID"]}#${push.headers["X-Goog-Message-Number"]}:${push.headers["X-Goog-Changed"]}`));
      await noisy.close();
    }
    const [first = [], second = []] = deliveries;
    expect(second).toEqual(first);
    expect(new Set(first)).toEqual(new Set(["file-0#2:content", "file-1#2:content", "file-2#2:content", "file-3#2:content"]));
    expect(first.length).toBeGreaterThan(4); // some delivered twice
    expect(first.slice(0, 4)).not.toEqual(["file-0#2:content", "file-1#2:content", "file-2#2:content", "file-3#2:content"]);
  });
});
