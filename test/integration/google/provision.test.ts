/**
 * Provisioning against the strict fake, in the two setups: a service account that is Content
 * manager of a shared drive, and a Gmail user acting through OAuth in their own My Drive. Plus
 * a service account without a shared drive, crashes between the steps, and sharing refused
 * by a domain's policy.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GOOGLE_SCOPES, STATE_SCOPE, createGoogleClients, type GoogleClients } from "../../../functions/adapters/google/clients.js";
import { googleWardSpreadsheets } from "../../../functions/adapters/google/provision.js";
import { STATE_KEYS, type WardRegistry } from "../../../functions/app/cloud-ward.js";
import { provisionWards, reservationKey } from "../../../functions/app/provision-wards.js";
import type { WardConfig } from "../../../functions/config.js";
import type { KeyValueStore, WardSpreadsheets } from "../../../functions/ports.js";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { CHECK_TAB, GUIDE_TAB } from "../../../sheets-schema/layout.js";
import { fakeGoogleAuth } from "../../fakes/google/clients.js";
import { type FakeGoogle, fakeServiceAccount, fakeUser, startFakeGoogle } from "../../fakes/google/server.js";
import { memoryKeyValueStore } from "../../fakes/memory-kv.js";
import { builtinCatalogues } from "../../fixtures/workbooks.js";
import { noWait, wardConfig } from "./google-fixtures.js";

const SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet";
const clock = { now: () => new Date("2026-12-01T03:00:00Z") };
let fake: FakeGoogle;
let catalogues: Catalogue[];

beforeAll(async () => {
  [fake, catalogues] = await Promise.all([startFakeGoogle({ now: () => clock.now().getTime() }), builtinCatalogues()]);
  // The service account with exactly the scopes the product asks for.
  fake.identities.add({ token: "sa-token", email: fakeServiceAccount, kind: "serviceAccount", scopes: [...GOOGLE_SCOPES, STATE_SCOPE] });
});
afterAll(() => fake.close());
beforeEach(() => fake.resetLog());

function withContacts(id: string): WardConfig {
  return { ...wardConfig(id), contacts: [{ name: "Trưởng Công an phường", email: `truong.${id}@cualo.example` }, { email: `vanthu.${id}@cualo.example` }] };
}

function clientsAs(token: string): GoogleClients {
  const auth = fakeGoogleAuth();
  auth.setCredentials({ access_token: token, expiry_date: Date.now() + 3_600_000 });
  return createGoogleClients({ auth, rootUrl: fake.url });
}

function spreadsheetsIn(folderId: string) {
  return fake.drive.files().filter((f) => f.mimeType === SPREADSHEET_MIME && f.parents.includes(folderId));
}

interface World {
  folderId: string;
  spreadsheets: WardSpreadsheets;
  kv: KeyValueStore;
}

function sharedDriveSetup(): World {
  const driveId = fake.drive.addSharedDrive({ name: "Công an thị xã Cửa Lò", members: [{ email: fakeServiceAccount, role: "fileOrganizer" }] });
  const folderId = fake.drive.addFolder({ name: "Các phường", parents: [driveId] });
  return { folderId, spreadsheets: googleWardSpreadsheets(clientsAs("sa-token"), { catalogues, folderId, retry: noWait }), kv: memoryKeyValueStore() };
}

const run = (world: World, wards: readonly WardConfig[]) => provisionWards({ spreadsheets: world.spreadsheets, kv: world.kv, clock }, wards);
const writes = (): number => fake.requests.filter((r) => r.method !== "GET" && r.api !== "storage").length;

describe("service account, Content manager of a shared drive", () => {
  const wards = ["nghi-huong", "nghi-thu", "nghi-hai"].map(withContacts);
  let world: World;

  beforeAll(() => {
    world = sharedDriveSetup();
  });

  it("creates every ward's spreadsheet with Drive files.create, then builds it with one batchUpdate", async () => {
    const outcomes = await run(world, wards);
    expect(outcomes.map((o) => [o.wardId, o.error, o.refused])).toEqual(wards.map((w) => [w.id, null, []]));
    expect(fake.count({ api: "sheets", method: "POST", pathIncludes: "/v4/spreadsheets" }) - fake.count({ pathIncludes: ":batchUpdate" })).toBe(0);
    expect(fake.count({ api: "sheets", pathIncludes: ":batchUpdate" })).toBe(wards.length);
    expect(spreadsheetsIn(world.folderId)).toHaveLength(wards.length);
    const registry = (await world.kv.get<WardRegistry>(STATE_KEYS.registry))!.value;
    for (const o of outcomes) {
      const id = o.registration!.spreadsheetId;
      expect(registry[o.wardId]).toEqual(o.registration);
      expect(fake.sheets.sheetTitles(id)).toEqual([GUIDE_TAB, catalogues[0]!.tabTitle, catalogues[1]!.tabTitle, CHECK_TAB]);
      expect(o.registration!.checkSheetId).toBe(fake.sheets.get(id).sheets.find((s) => s.title === CHECK_TAB)?.sheetId);
      expect(fake.sheets.values(id, catalogues[0]!.tabTitle)[2]?.slice(1, 3)).toEqual(["Tên phường:", o.wardName]);
      expect(fake.drive.permissions(id).filter((p) => p.role === "writer")).toHaveLength(2);
      expect(o.actions[0]).toBe(`Tạo bảng tính mới (${id}) trong thư mục các phường`);
    }
    expect(await world.kv.list("provision/")).toEqual([]);
  });

  it("changes nothing on a second run", async () => {
    const outcomes = await run(world, wards);
    expect(outcomes.map((o) => o.actions)).toEqual(wards.map(() => []));
    expect(writes()).toBe(0);
    expect(spreadsheetsIn(world.folderId)).toHaveLength(wards.length);
  });
});

describe("a Gmail user through OAuth, in their My Drive", () => {
  it("creates the spreadsheets in the user's folder, owned by the user", async () => {
    const user = clientsAs("user-token");
    const folder = await user.drive.files.create({ requestBody: { name: "Tự đánh giá tiêu chí - Các phường", mimeType: "application/vnd.google-apps.folder" }, fields: "id" });
    const folderId = folder.data.id!;
    const world = { folderId, spreadsheets: googleWardSpreadsheets(user, { catalogues, folderId, retry: noWait }), kv: memoryKeyValueStore() };
    const wards = ["nghi-tan", "thu-thuy"].map(withContacts);
    const outcomes = await run(world, wards);
    expect(outcomes.map((o) => o.error)).toEqual([null, null]);
    const files = spreadsheetsIn(folderId);
    expect(files).toHaveLength(2);
    for (const file of files) expect(fake.drive.roleOf(fakeUser, file.id)).toBe("owner");
    fake.resetLog();
    expect((await run(world, wards)).map((o) => o.actions)).toEqual([[], []]);
    expect(writes()).toBe(0);
  });
});

describe("a service account without a shared drive", () => {
  it("explains, in Vietnamese and without a stack, that the folder must be in a shared drive or act as a user", async () => {
    // A folder in a person's My Drive, shared with the service account as editor.
    const user = clientsAs("user-token");
    const folderId = (await user.drive.files.create({ requestBody: { name: "Các phường", mimeType: "application/vnd.google-apps.folder" }, fields: "id" })).data.id!;
    await user.drive.permissions.create({ fileId: folderId, requestBody: { role: "writer", type: "user", emailAddress: fakeServiceAccount }, sendNotificationEmail: false });
    const world = { folderId, spreadsheets: googleWardSpreadsheets(clientsAs("sa-token"), { catalogues, folderId, retry: noWait }), kv: memoryKeyValueStore() };
    const [outcome] = await run(world, [withContacts("nghi-hoa")]);
    expect(outcome?.error).toContain("bộ nhớ dùng chung");
    expect(outcome?.error).toContain("tieuchi auth login");
    expect(outcome?.error).not.toMatch(/\n\s+at /u);
    expect(spreadsheetsIn(folderId)).toEqual([]);
  });
});

describe("a run that dies part-way is finished by the next one", () => {
  it("between generateIds and files.create: the reserved id is used, once", async () => {
    const world = sharedDriveSetup();
    const ward = withContacts("nghi-huong");
    const crashing: WardSpreadsheets = { ...world.spreadsheets, createFile: () => Promise.reject(new Error("process killed")) };
    const [first] = await provisionWards({ spreadsheets: crashing, kv: world.kv, clock }, [ward]);
    expect(first?.error).toBe("process killed");
    const reserved = (await world.kv.get<{ spreadsheetId: string }>(reservationKey(ward.id)))!.value.spreadsheetId;
    const [second] = await run(world, [ward]);
    expect(second?.registration?.spreadsheetId).toBe(reserved);
    expect(spreadsheetsIn(world.folderId).map((f) => f.id)).toEqual([reserved]);
  });

  it("between files.create and the batchUpdate: the blank spreadsheet is built, no second one is made", async () => {
    const world = sharedDriveSetup();
    const ward = withContacts("nghi-thu");
    const crashing: WardSpreadsheets = { ...world.spreadsheets, build: () => Promise.reject(new Error("process killed")) };
    await provisionWards({ spreadsheets: crashing, kv: world.kv, clock }, [ward]);
    const [blank] = spreadsheetsIn(world.folderId);
    expect(fake.sheets.sheetTitles(blank!.id)).toEqual(["Sheet1"]);
    expect((await world.kv.get<WardRegistry>(STATE_KEYS.registry))?.value[ward.id]).toBeUndefined();

    const [second] = await run(world, [ward]);
    expect(second?.error).toBeNull();
    expect(second?.actions[0]).toContain("đã tạo ở lần chạy trước");
    expect(spreadsheetsIn(world.folderId).map((f) => f.id)).toEqual([blank!.id]);
    expect(fake.sheets.sheetTitles(blank!.id)).toEqual([GUIDE_TAB, catalogues[0]!.tabTitle, catalogues[1]!.tabTitle, CHECK_TAB]);
    fake.resetLog();
    expect((await run(world, [ward]))[0]?.actions).toEqual([]);
    expect(writes()).toBe(0);
  });
});

describe("files.create with a reserved id", () => {
  it("is retried on quota and on 5xx alike (the id makes it idempotent), creating one file", async () => {
    fake.failNext({ api: "drive", method: "POST", pathIncludes: "/drive/v3/files" }, 429);
    fake.failNext({ api: "drive", method: "POST", pathIncludes: "/drive/v3/files" }, 503);
    const world = sharedDriveSetup();
    await run(world, [wardConfig("nghi-tan")]);
    expect(fake.count({ api: "drive", method: "POST", pathIncludes: "/drive/v3/files" }) - fake.count({ pathIncludes: "/permissions" })).toBe(3);
    expect(spreadsheetsIn(world.folderId)).toHaveLength(1);
  });
});

describe("sharing refused by the domain's policy", () => {
  it("reports the contact with the reason and goes on with the other contacts and wards", async () => {
    const world = sharedDriveSetup();
    const wards = ["nghi-hai", "nghi-tan"].map(withContacts);
    fake.failNext({ api: "drive", method: "POST", pathIncludes: "/permissions" }, 400, {
      reason: "shareOutNotPermitted",
      message: 'Bad Request. User message: "This email address is linked to a personal Google Account. Your domain doesn\'t allow sharing with personal accounts."',
    });
    const outcomes = await run(world, wards);
    expect(outcomes.map((o) => [o.error, o.refused.map((r) => r.email)])).toEqual([
      [null, ["truong.nghi-hai@cualo.example"]],
      [null, []],
    ]);
    expect(outcomes[0]?.refused[0]?.reason).toContain("chính sách của tổ chức không cho chia sẻ ra ngoài tổ chức");
    expect(outcomes[0]?.actions).toContain("Chia sẻ quyền chỉnh sửa cho vanthu.nghi-hai@cualo.example (đã gửi thư mời)");
    expect(fake.drive.permissions(outcomes[1]!.registration!.spreadsheetId).filter((p) => p.role === "writer")).toHaveLength(2);

    const again = await run(world, wards);
    expect(again[0]?.actions).toEqual(["Chia sẻ quyền chỉnh sửa cho truong.nghi-hai@cualo.example (đã gửi thư mời)"]);
    expect(again[0]?.refused).toEqual([]);
  });
});
