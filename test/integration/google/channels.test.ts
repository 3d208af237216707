import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { googleChannelApi } from "../../../functions/adapters/google/channels.js";
import { type FakeGoogle, startFakeGoogle } from "../../fakes/google/server.js";
import { clientsFor, noWait } from "./google-fixtures.js";

let fake: FakeGoogle;

beforeAll(async () => {
  fake = await startFakeGoogle({ now: Date.now });
});
afterAll(() => fake.close());

describe("googleChannelApi", () => {
  it("opens a channel on a file with Drive's expiry, and stops it (twice is fine)", async () => {
    const fileId = fake.sheets.create("Nghi Hương", { Sheet1: [] });
    const channels = googleChannelApi(clientsFor(fake), noWait);
    const asked = Date.now() + 2 * 86_400_000;
    const channel = await channels.watch(fileId, { id: "tieuchi-nghi-huong-1", address: "https://example.test/sheetsWebhook", token: "secret", expiration: asked });
    expect(channel.id).toBe("tieuchi-nghi-huong-1");
    expect(channel.resourceId).not.toBe("");
    expect(channel.expiration).toBeLessThan(asked);
    expect(fake.drive.channels()).toMatchObject([{ id: channel.id, fileId, token: "secret", address: "https://example.test/sheetsWebhook" }]);
    await channels.stop(channel);
    expect(fake.drive.channels()).toEqual([]);
    await expect(channels.stop(channel)).resolves.toBeUndefined();
  });
});
