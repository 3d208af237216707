/**
 * The appraisal cycle's cells in a provisioned ward spreadsheet, against the strict fake that
 * enforces protections by identity: the appraiser writes the appraisal columns and the Kết luận
 * cell, the ward cannot (Sheets' 400 “protected cell”), and the ward still writes its own cells. A spreadsheet of
 * the older layout is repaired without touching what staff typed.
 */
import type { sheets_v4 } from "@googleapis/sheets";
import { OAuth2Client, gaxios } from "google-auth-library";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GOOGLE_SCOPES, STATE_SCOPE, createGoogleClients } from "../../../functions/adapters/google/clients.js";
import { googleWardSpreadsheets } from "../../../functions/adapters/google/provision.js";
import { provisionWards } from "../../../functions/app/provision-wards.js";
import type { WardConfig } from "../../../functions/config.js";
import { parseWardWorkbook } from "../../../functions/core/parse-ward.js";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { COLUMNS } from "../../../sheets-schema/layout.js";
import { CONCLUSION_ROW, HEADER_ROW, SUBMISSION_ROW, planWardWorkbook } from "../../../sheets-schema/workbook-plan.js";
import { fakeGoogleClients } from "../../fakes/google/clients.js";
import { type FakeGoogle, fakeServiceAccount, scopes, startFakeGoogle } from "../../fakes/google/server.js";
import { memoryKeyValueStore } from "../../fakes/memory-kv.js";
import { builtinCatalogues } from "../../fixtures/workbooks.js";
import { noWait, wardConfig } from "./google-fixtures.js";

const WARD = "canbo.nghihuong@cualo.example";
const APPRAISER = "thamdinh@congan-nghean.example";
const NEXT_APPRAISER = "thamdinh2@congan-nghean.example";
const PROTECTED = "You are trying to edit a protected cell or object. Please contact the spreadsheet owner to remove protection if you need to edit.";
const clock = { now: () => new Date("2026-12-01T03:00:00Z") };

let fake: FakeGoogle;
let catalogues: Catalogue[];
let folderId: string;
const as: Record<string, sheets_v4.Sheets> = {};

function authFor(token: string): OAuth2Client {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: token, expiry_date: Date.now() + 3_600_000 });
  return auth;
}

beforeAll(async () => {
  [fake, catalogues] = await Promise.all([startFakeGoogle({ now: () => clock.now().getTime(), drive: { lagMs: 0 } }), builtinCatalogues()]);
  fake.identities.add({ token: "sa-token", email: fakeServiceAccount, kind: "serviceAccount", scopes: [...GOOGLE_SCOPES, STATE_SCOPE] });
  for (const [token, email] of [["ward-token", WARD], ["appraiser-token", APPRAISER], ["next-token", NEXT_APPRAISER]] as const) {
    fake.identities.add({ token, email, kind: "user", scopes: [scopes.spreadsheets, scopes.drive] });
    as[email] = fakeGoogleClients(fake, authFor(token)).sheets;
  }
  const driveId = fake.drive.addSharedDrive({ name: "Công an thị xã Cửa Lò", members: [{ email: fakeServiceAccount, role: "fileOrganizer" }] });
  folderId = fake.drive.addFolder({ name: "Các phường", parents: [driveId] });
});
afterAll(() => fake.close());

const ward: WardConfig = { ...wardConfig("nghi-huong"), contacts: [{ email: WARD }] };
const spreadsheets = (appraisers: readonly string[] = [APPRAISER]) => googleWardSpreadsheets(createGoogleClients({ auth: authFor("sa-token"), rootUrl: fake.url }), { catalogues, folderId, appraisers, retry: noWait });

async function write(email: string, spreadsheetId: string, range: string, value: string): Promise<unknown> {
  const request = as[email]!.spreadsheets.values.update({ spreadsheetId, range, valueInputOption: "USER_ENTERED", requestBody: { values: [[value]] } });
  return request.then(
    () => "written",
    (error: unknown) => (error instanceof gaxios.GaxiosError ? error.response?.data : error),
  );
}

const quoted = (tab: string): string => `'${tab.replace(/'/g, "''")}'`;
const rowOf = (id: string, tab: string, code: string): number => fake.sheets.values(id, tab).findIndex((row) => row[1] === code) + 1;

describe("a new ward spreadsheet", () => {
  let id: string;
  let tab: string;
  const kv = memoryKeyValueStore();

  it("is shared with the appraiser, whose cells are protected for the appraiser and the service account", async () => {
    const [outcome] = await provisionWards({ spreadsheets: spreadsheets(), kv, clock }, [ward]);
    expect(outcome?.error).toBeNull();
    id = outcome!.registration!.spreadsheetId;
    tab = catalogues[0]!.tabTitle;
    expect(outcome?.actions).toEqual(expect.arrayContaining([`Bảo vệ các cột Kết quả thẩm định, Ý kiến thẩm định và ô Kết luận thẩm định: chỉ ${APPRAISER} (cán bộ thẩm định) được sửa`, `Chia sẻ quyền chỉnh sửa cho ${APPRAISER} (đã gửi thư mời)`]));
    const invitation = fake.requests.find((r) => r.path.endsWith("/permissions") && r.method === "POST" && (r.body as { emailAddress?: string }).emailAddress === APPRAISER);
    expect(invitation?.query.emailMessage).toContain("Kết quả thẩm định");
    expect(fake.sheets.values(id, tab)[HEADER_ROW]?.slice(8)).toEqual(COLUMNS.slice(8).map((c) => c.header));
  });

  it("lets the appraiser write the appraisal and the conclusion, refuses the ward with Sheets' refusal, and the ward writes its own cells", async () => {
    const row = rowOf(id, tab, "TC01");
    expect(await write(APPRAISER, id, `${quoted(tab)}!I${row}:J${row}`, "Đạt")).toBe("written");
    expect(await write(APPRAISER, id, `${quoted(tab)}!C${CONCLUSION_ROW + 1}`, "Trả lại")).toBe("written");
    for (const cell of [`I${row}`, `J${row}`, `C${CONCLUSION_ROW + 1}`, `I${HEADER_ROW + 60}`]) {
      expect([cell, await write(WARD, id, `${quoted(tab)}!${cell}`, "Đạt")]).toEqual([cell, { error: { code: 400, message: PROTECTED, status: "INVALID_ARGUMENT" } }]);
    }
    expect(await write(WARD, id, `${quoted(tab)}!D${row}`, "Đạt")).toBe("written");
    expect(await write(WARD, id, `${quoted(tab)}!C${SUBMISSION_ROW + 1}`, "Đề nghị thẩm định")).toBe("written");
    const values = fake.sheets.values(id, tab);
    expect([values[row - 1]?.[3], values[row - 1]?.[8], values[CONCLUSION_ROW]?.[2], values[SUBMISSION_ROW]?.[2]]).toEqual(["Đạt", "Đạt", "Trả lại", "Đề nghị thẩm định"]);
    expect(fake.drive.file(id)?.lastModifyingUser).toBe(WARD);
  });

  it("hands the appraiser cells to a new appraiser when review.appraisers changes; the former one is refused", async () => {
    const row = rowOf(id, tab, "TC02");
    const [outcome] = await provisionWards({ spreadsheets: spreadsheets([NEXT_APPRAISER]), kv, clock }, [ward]);
    expect(outcome?.actions).toEqual(expect.arrayContaining([`Chia sẻ quyền chỉnh sửa cho ${NEXT_APPRAISER} (đã gửi thư mời)`]));
    expect(outcome?.actions.filter((a) => a.includes("cập nhật người được sửa"))).toHaveLength(2); // both programme tabs
    expect(await write(NEXT_APPRAISER, id, `${quoted(tab)}!I${row}`, "Đạt")).toBe("written");
    expect(await write(APPRAISER, id, `${quoted(tab)}!I${row}`, "Chưa đạt")).toMatchObject({ error: { code: 400 } });
    expect((await provisionWards({ spreadsheets: spreadsheets([NEXT_APPRAISER]), kv, clock }, [ward]))[0]?.actions).toEqual([]);
  });
});

describe("a spreadsheet of the older layout (8 columns, header on row 5)", () => {
  it("gets the appraiser columns, the two labelled cells and the protection; staff cells stay as typed", async () => {
    const plan = planWardWorkbook(catalogues, "Nghi Hương", "02/11/2023", {});
    const older = Object.fromEntries(
      plan.tabs.map((t) => [t.title, t.rows.filter((_, r) => t.headerRow === null || (r !== SUBMISSION_ROW && r !== CONCLUSION_ROW)).map((row) => row.slice(0, 8).map((c) => c.value))]),
    );
    const id = fake.sheets.create("Tự đánh giá tiêu chí - Nghi Hương", older, { parents: [folderId] });
    const tab = catalogues[0]!.tabTitle;
    fake.sheets.mutate(id, (s) => s.sheets.forEach((sheet) => (sheet.properties.gridProperties = { rowCount: 100, columnCount: 8 })));
    const row = fake.sheets.values(id, tab).findIndex((r) => r[1] === "TC02") + 1;
    fake.sheets.setValues(id, tab, `D${row}`, [["Chưa đạt", null, null, "Kế hoạch 7/KH-CAP", "Quý IV"]]);
    fake.drive.share(id, WARD, "writer");
    fake.drive.share(id, APPRAISER, "writer");
    const before = fake.sheets.values(id, tab);

    const built = await spreadsheets().build(id, ward);
    expect(built?.actions).toEqual(expect.arrayContaining([`Trang “${tab}”: ghi “Trạng thái:” vào ô E3 (giá trị “Đang cập nhật”)`, `Trang “${tab}”: ghi “Kết luận thẩm định:” vào ô E4`]));
    const after = fake.sheets.values(id, tab);
    // Everything of the first 8 columns as it was, but the two new labels right of the date and ward name (E3:F4).
    const staffPart = (rows: typeof after) => rows.map((r, i) => (i === 2 || i === 3 ? r.slice(0, 3) : r.slice(0, 8)));
    expect(staffPart(after)).toEqual(staffPart(before));
    expect(after[4]?.slice(8)).toEqual(["Kết quả thẩm định", "Ý kiến thẩm định"]);
    const parsed = parseWardWorkbook({ sheets: [{ title: tab, rows: after }] }, [catalogues[0]!]).programmes[0]!;
    expect([parsed.submission?.a1, parsed.submission?.value, parsed.conclusion?.a1, parsed.columns.appraisal]).toEqual(["F3", "Đang cập nhật", "F4", 8]);

    expect(await write(WARD, id, `${quoted(tab)}!I${row}`, "Đạt")).toMatchObject({ error: { code: 400 } });
    expect(await write(WARD, id, `${quoted(tab)}!F4`, "Đã thẩm định")).toMatchObject({ error: { code: 400 } });
    expect(await write(APPRAISER, id, `${quoted(tab)}!I${row}`, "Chưa đạt")).toBe("written");
    expect(await write(WARD, id, `${quoted(tab)}!F3`, "Đề nghị thẩm định")).toBe("written");
    expect((await spreadsheets().build(id, ward))?.actions).toEqual([]);
  });
});
