/**
 * `tieuchi provision` and `tieuchi watch` end to end against the strict fake, in the two
 * setups: the service account in a shared drive (ADC stands in as a fixed token), and a Gmail
 * user through the refresh token `tieuchi auth login` prints.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OAuth2Client } from "google-auth-library";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GOOGLE_SCOPES, STATE_SCOPE, USER_SCOPES, createGoogleClients, oauthEndpoints } from "../../functions/adapters/google/clients.js";
import { main } from "../../scripts/tieuchi.js";
import { type FakeGoogle, fakeServiceAccount, fakeUser, startFakeGoogle } from "../fakes/google/server.js";

// A fixed start that moves on with real time: Cloud Storage allows one write a second per object.
const started = Date.now();
const clock = { now: () => new Date(Date.parse("2026-11-27T03:00:00Z") + Date.now() - started) };
const SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet";
let fake: FakeGoogle;
let dir: string;
let env: Record<string, string>;
let wardsFolderId: string;
let baseConfig: string;

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = "";
  const write = { write: (t: string) => (out += t) };
  const code = await main(args, { env, cwd: dir, stdout: write, stderr: write }, clock);
  return { code, out };
}

const configFile = () => join(dir, "ws", "tieuchi.config.yaml");
const useFolder = (folderId: string) => writeFile(configFile(), `${baseConfig}\ngoogle:\n  wardsFolderId: ${folderId}\n  reportsFolderId: reports-folder\n  webhookUrl: https://tieuchi.example/sheetsWebhook\n`);
const spreadsheetsIn = (folderId: string) => fake.drive.files().filter((f) => f.mimeType === SPREADSHEET_MIME && f.parents.includes(folderId));

beforeAll(async () => {
  fake = await startFakeGoogle({ now: () => clock.now().getTime() });
  fake.identities.add({ token: "sa-token", email: fakeServiceAccount, kind: "serviceAccount", scopes: [...GOOGLE_SCOPES, STATE_SCOPE] });
  const driveId = fake.drive.addSharedDrive({ name: "Công an thị xã Cửa Lò", members: [{ email: fakeServiceAccount, role: "fileOrganizer" }] });
  wardsFolderId = fake.drive.addFolder({ name: "Các phường", parents: [driveId] });
  dir = await mkdtemp(join(tmpdir(), "tieuchi-gcli-"));
  env = { TIEUCHI_GOOGLE_ROOT_URL: fake.url, TIEUCHI_GOOGLE_ACCESS_TOKEN: "sa-token", TIEUCHI_STATE_BUCKET: "state", TIEUCHI_CHANNEL_TOKEN: "token-123" };
  await cli(["init", "ws"]);
  baseConfig = await readFile(configFile(), "utf8");
  await useFolder(wardsFolderId);
});
afterAll(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

describe("tieuchi provision and watch, service account in a shared drive", () => {
  it("creates a spreadsheet per ward in the wards folder, shared with its contacts", async () => {
    const result = await cli(["provision", "ws"]);
    expect(result.code).toBe(0);
    const sheets = spreadsheetsIn(wardsFolderId);
    expect(sheets).toHaveLength(7);
    expect(result.out).toContain("✓ Phường Nghi Hương — https://docs.google.com/spreadsheets/d/");
    expect(result.out).toContain("Kết quả: 7/7 phường có bảng tính sẵn sàng.");
    const huong = sheets.find((f) => f.name.endsWith("Nghi Hương"))!;
    expect(fake.sheets.sheetTitles(huong.id)).toEqual(["Hướng dẫn", "CA phường kiểu mẫu", "Phong trào toàn dân BVANTQ", "Kiểm tra"]);
    expect(fake.drive.permissions(huong.id).map((p) => p.emailAddress)).toContain("ca.nghihuong@cualo.example");
  });

  it("changes nothing on a second run", async () => {
    fake.resetLog();
    const again = await cli(["provision", "ws"]);
    expect(again.code).toBe(0);
    expect(again.out.match(/Không có gì cần thay đổi\./gu)).toHaveLength(7);
    const writes = fake.requests.filter((r) => r.api !== "storage" && r.method !== "GET");
    expect(writes).toEqual([]);
  });

  it("opens the push channel", async () => {
    const result = await cli(["watch", "ws"]);
    expect(result.code).toBe(0);
    expect(result.out).toContain("Đã mở kênh theo dõi");
    expect(fake.drive.channels().every((c) => c.token === "token-123" && c.address === "https://tieuchi.example/sheetsWebhook")).toBe(true);
  });

  it("lists every missing setting with its path", async () => {
    const saved = env;
    env = { TIEUCHI_OAUTH_REFRESH_TOKEN: "1//x" };
    const result = await cli(["provision", "ws"]);
    env = saved;
    expect(result.code).toBe(2);
    expect(result.out).toContain("env.TIEUCHI_OAUTH_CLIENT_ID");
  });
});

describe("tieuchi provision, service account without a shared drive", () => {
  it("explains once, in Vietnamese and without a stack, and exits 1", async () => {
    // A folder in a person's My Drive, shared with the service account as editor.
    const auth = new OAuth2Client();
    auth.setCredentials({ access_token: "user-token", expiry_date: Date.now() + 3_600_000 });
    const { drive } = createGoogleClients({ auth, rootUrl: fake.url });
    const folderId = (await drive.files.create({ requestBody: { name: "Các phường", mimeType: "application/vnd.google-apps.folder" }, fields: "id" })).data.id!;
    await drive.permissions.create({ fileId: folderId, requestBody: { role: "writer", type: "user", emailAddress: fakeServiceAccount }, sendNotificationEmail: false });
    await useFolder(folderId);
    const saved = env;
    env = { ...env, TIEUCHI_STATE_BUCKET: "state-no-drive" };
    const result = await cli(["provision", "ws"]);
    env = saved;
    await useFolder(wardsFolderId);
    expect(result.code).toBe(1);
    expect(result.out).toContain("Lỗi: không tạo được bảng tính: tài khoản đang dùng không có dung lượng Drive");
    expect(result.out.match(/Lỗi: như phường .* ở trên\./gu)).toHaveLength(6);
    expect(result.out).not.toMatch(/\n\s+at /u);
    expect(result.out).toContain("Kết quả: 0/7 phường có bảng tính sẵn sàng, 7 phường lỗi");
  });
});

describe("tieuchi provision as a Gmail user (refresh token from tieuchi auth login)", () => {
  it("creates the spreadsheets in the user's My Drive folder", async () => {
    const client = new OAuth2Client({ ...fake.oauth.client, redirectUri: "http://127.0.0.1:9/", endpoints: oauthEndpoints(fake.url) });
    const code = fake.oauth.issueCode({ email: fakeUser, scopes: [...USER_SCOPES], redirectUri: "http://127.0.0.1:9/" });
    const { tokens } = await client.getToken(code);
    client.setCredentials(tokens);
    const { data } = await client.request<{ id: string }>({ url: `${fake.url}drive/v3/files`, method: "POST", data: { name: "Các phường", mimeType: "application/vnd.google-apps.folder" } });
    await useFolder(data.id);
    const saved = env;
    // The state bucket stays on the runtime's own identity (here the emulator's token).
    env = { ...env, TIEUCHI_OAUTH_REFRESH_TOKEN: tokens.refresh_token!, TIEUCHI_OAUTH_CLIENT_ID: fake.oauth.client.clientId, TIEUCHI_OAUTH_CLIENT_SECRET: fake.oauth.client.clientSecret, TIEUCHI_STATE_BUCKET: "state-user" };
    const result = await cli(["provision", "ws"]);
    env = saved;
    expect(result.out).toContain("thay mặt tài khoản người dùng");
    expect(result.code).toBe(0);
    const sheets = spreadsheetsIn(data.id);
    expect(sheets).toHaveLength(7);
    for (const sheet of sheets) expect(fake.drive.roleOf(fakeUser, sheet.id)).toBe("owner");
  });
});
