/** Provisioning a xã against the strict fake: the label and the invitation follow the unit's kind. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GOOGLE_SCOPES, STATE_SCOPE, createGoogleClients } from "../../../functions/adapters/google/clients.js";
import { googleWardSpreadsheets } from "../../../functions/adapters/google/provision.js";
import { provisionWards } from "../../../functions/app/provision-wards.js";
import type { WardConfig } from "../../../functions/config.js";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { fakeGoogleAuth } from "../../fakes/google/clients.js";
import { type FakeGoogle, fakeServiceAccount, startFakeGoogle } from "../../fakes/google/server.js";
import { memoryKeyValueStore } from "../../fakes/memory-kv.js";
import { builtinCatalogues } from "../../fixtures/workbooks.js";
import { noWait } from "./google-fixtures.js";

const clock = { now: () => new Date("2026-12-01T03:00:00Z") };
let fake: FakeGoogle;
let catalogues: Catalogue[];

beforeAll(async () => {
  [fake, catalogues] = await Promise.all([startFakeGoogle({ now: () => clock.now().getTime() }), builtinCatalogues()]);
  fake.identities.add({ token: "sa-token", email: fakeServiceAccount, kind: "serviceAccount", scopes: [...GOOGLE_SCOPES, STATE_SCOPE] });
});
afterAll(() => fake.close());

describe("provisioning units of several kinds", () => {
  it("writes “Tên xã:” on a xã's tabs and names the xã in the invitation, a phường as before", async () => {
    const driveId = fake.drive.addSharedDrive({ name: "Công an tỉnh Nghệ An", members: [{ email: fakeServiceAccount, role: "fileOrganizer" }] });
    const folderId = fake.drive.addFolder({ name: "Các xã, phường", parents: [driveId] });
    const auth = fakeGoogleAuth();
    auth.setCredentials({ access_token: "sa-token", expiry_date: Date.now() + 3_600_000 /* google-auth-library compares with the real clock */ });
    const spreadsheets = googleWardSpreadsheets(createGoogleClients({ auth, rootUrl: fake.url }), { catalogues, folderId, retry: noWait });
    const wards: WardConfig[] = [
      { id: "an-chau", name: "An Châu", kind: "xã", aliases: [], contacts: [{ email: "ca.an-chau@nghean.example" }] },
      { id: "vinh-hung", name: "Vinh Hưng", aliases: [], contacts: [{ email: "ca.vinh-hung@nghean.example" }] },
    ];
    const outcomes = await provisionWards({ spreadsheets, kv: memoryKeyValueStore(), clock }, wards);
    expect(outcomes.map((o) => o.error)).toEqual([null, null]);
    const [xa, phuong] = outcomes.map((o) => o.registration!.spreadsheetId);
    expect(fake.sheets.values(xa!, catalogues[0]!.tabTitle)[2]?.slice(1, 3)).toEqual(["Tên xã:", "An Châu"]);
    expect(fake.sheets.values(phuong!, catalogues[0]!.tabTitle)[2]?.slice(1, 3)).toEqual(["Tên phường:", "Vinh Hưng"]);
    const invitations = fake.requests.filter((r) => r.path.includes("/permissions") && r.method === "POST").map((r) => String(r.query.emailMessage ?? ""));
    expect(invitations.some((m) => m.startsWith("Bảng tự đánh giá tiêu chí của xã An Châu."))).toBe(true);
    expect(invitations.some((m) => m.startsWith("Bảng tự đánh giá tiêu chí của phường Vinh Hưng."))).toBe(true);
  });
});
