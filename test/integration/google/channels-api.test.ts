import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startPageToken } from "../../../functions/adapters/google/changes.js";
import { stopChannel, watchChanges } from "../../../functions/adapters/google/channels.js";
import { GoogleApiError } from "../../../functions/adapters/google/google-errors.js";
import { fakeServiceAccount } from "../../fakes/google/identities.js";
import { type FakeGoogle, startFakeGoogle } from "../../fakes/google/server.js";
import { manualClock } from "../../fakes/clock.js";
import { clientsFor, noWait } from "./google-fixtures.js";

const DAY = 86_400_000;
const address = "https://example.test/sheetsWebhook";
const clock = manualClock("2026-12-01T02:00:00Z");

let fake: FakeGoogle;
let driveId: string;

beforeAll(async () => {
  fake = await startFakeGoogle({ now: clock.ms });
  driveId = fake.drive.addSharedDrive({ name: "Công an phường", members: [{ email: fakeServiceAccount, role: "fileOrganizer" }] });
});
afterAll(() => fake.close());
beforeEach(() => fake.resetLog());

describe("watchChanges against the fake Drive", () => {
  it("opens a web_hook channel on a shared drive's feed and gets Drive's seven-day cap back as a number", async () => {
    const token = await startPageToken(clientsFor(fake), driveId, noWait);
    fake.resetLog();
    const channel = await watchChanges(clientsFor(fake), token, driveId, { id: "tieuchi-changes-1", address, token: "bí-mật", expiration: clock.ms() + 30 * DAY }, noWait);
    expect(channel).toEqual({ id: "tieuchi-changes-1", resourceId: fake.drive.channels()[0]?.resourceId, expiration: clock.ms() + 7 * DAY });
    expect(fake.requests[0]?.query).toMatchObject({ pageToken: token, driveId, supportsAllDrives: "true", includeItemsFromAllDrives: "true" });
    expect(fake.requests[0]?.body).toEqual({ id: "tieuchi-changes-1", type: "web_hook", address, token: "bí-mật", expiration: String(clock.ms() + 30 * DAY) });
  });

  it("retries a watch refused for quota once, opening a single channel", async () => {
    const token = await startPageToken(clientsFor(fake), driveId, noWait);
    fake.failNext({ api: "drive", pathIncludes: "/changes/watch" }, 429);
    await watchChanges(clientsFor(fake), token, driveId, { id: "tieuchi-changes-2", address, token: "t", expiration: clock.ms() + DAY }, noWait);
    expect(fake.count({ api: "drive", pathIncludes: "/changes/watch" })).toBe(2);
    expect(fake.drive.channels().filter((c) => c.id === "tieuchi-changes-2")).toHaveLength(1);
  });

  it("fails on a page token of another corpus", async () => {
    const myDriveToken = await startPageToken(clientsFor(fake), null, noWait);
    const failure = await watchChanges(clientsFor(fake), myDriveToken, driveId, { id: "tieuchi-changes-3", address, token: "t", expiration: clock.ms() + DAY }, noWait).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GoogleApiError);
    expect((failure as GoogleApiError).status).toBe(400);
  });
});

describe("stopChannel", () => {
  it("closes a channel, and treats one Drive does not know as already closed", async () => {
    const token = await startPageToken(clientsFor(fake), driveId, noWait);
    const channel = await watchChanges(clientsFor(fake), token, driveId, { id: "tieuchi-changes-4", address, token: "t", expiration: clock.ms() + DAY }, noWait);
    fake.failNext({ api: "drive", pathIncludes: "/channels/stop" }, 503);
    await stopChannel(clientsFor(fake), channel, noWait);
    expect(fake.drive.channels().some((c) => c.id === channel.id)).toBe(false);
    await expect(stopChannel(clientsFor(fake), { id: "chua-tung-mo", resourceId: "khong-co" }, noWait)).resolves.toBeUndefined();
  });
});
