import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { googleChannelApi } from "../../../functions/adapters/google/channels.js";
import { GoogleApiError } from "../../../functions/adapters/google/google-errors.js";
import { type FakeGoogle, startFakeGoogle } from "../../fakes/google/server.js";
import { clientsFor, noWait } from "./google-fixtures.js";

const NOW = Date.UTC(2026, 10, 27, 3, 0, 0);
const DAY = 86_400_000;
const address = "https://example.test/sheetsWebhook";

let fake: FakeGoogle;

beforeAll(async () => {
  fake = await startFakeGoogle({ now: () => NOW });
});
afterAll(() => fake.close());
beforeEach(() => fake.resetLog());

describe("googleChannelApi against the fake Drive", () => {
  it("asks for a web_hook channel with the expiry as text and gets Drive's one-day cap back as a number", async () => {
    const fileId = fake.sheets.create("Nghi Thu", { Sheet1: [] });
    const channel = await googleChannelApi(clientsFor(fake), noWait).watch(fileId, { id: "tieuchi-nghi-thu-1", address, token: "bí-mật", expiration: NOW + 3 * DAY });
    expect(channel).toEqual({ id: "tieuchi-nghi-thu-1", resourceId: fake.drive.channels()[0]?.resourceId, expiration: NOW + DAY });
    expect(fake.requests[0]?.body).toEqual({ id: "tieuchi-nghi-thu-1", type: "web_hook", address, token: "bí-mật", expiration: String(NOW + 3 * DAY) });
  });

  it("keeps a shorter expiry as asked", async () => {
    const fileId = fake.sheets.create("Nghi Tân", { Sheet1: [] });
    const channel = await googleChannelApi(clientsFor(fake), noWait).watch(fileId, { id: "tieuchi-nghi-tan-1", address, token: "t", expiration: NOW + 3_600_000 });
    expect(channel.expiration).toBe(NOW + 3_600_000);
  });

  it("retries a watch refused for quota once, opening a single channel", async () => {
    const fileId = fake.sheets.create("Nghi Hải", { Sheet1: [] });
    fake.failNext({ api: "drive", pathIncludes: "/watch" }, 429);
    await googleChannelApi(clientsFor(fake), noWait).watch(fileId, { id: "tieuchi-nghi-hai-1", address, token: "t", expiration: NOW + DAY });
    expect(fake.count({ api: "drive", pathIncludes: "/watch" })).toBe(2);
    expect(fake.drive.channels().filter((c) => c.fileId === fileId)).toHaveLength(1);
  });

  it("fails on a file that does not exist", async () => {
    const failure = await googleChannelApi(clientsFor(fake), noWait)
      .watch("khong-co-tep", { id: "tieuchi-x-1", address, token: "t", expiration: NOW + DAY })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GoogleApiError);
    expect((failure as GoogleApiError).status).toBe(404);
  });

  it("treats stopping a channel Drive does not know as already stopped", async () => {
    await expect(googleChannelApi(clientsFor(fake), noWait).stop({ id: "chua-tung-mo", resourceId: "khong-co" })).resolves.toBeUndefined();
  });

  it("retries a stop that failed on the server side", async () => {
    const fileId = fake.sheets.create("Thu Thủy", { Sheet1: [] });
    const channels = googleChannelApi(clientsFor(fake), noWait);
    const channel = await channels.watch(fileId, { id: "tieuchi-thu-thuy-1", address, token: "t", expiration: NOW + DAY });
    fake.failNext({ api: "drive", pathIncludes: "/channels/stop" }, 503);
    await channels.stop(channel);
    expect(fake.drive.channels().some((c) => c.id === channel.id)).toBe(false);
  });
});
