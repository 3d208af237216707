/**
 * `tieuchi doctor` against the strict fake Google, configured to fail each way a real
 * deployment can: an API disabled, no shared drive, a token with too few scopes, a bucket that
 * refuses, the webhook down, no channel token.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readConfig } from "../../functions/config.js";
import { sampleConfigYaml } from "../../functions/adapters/local/sample-town.js";
import { commandDoctor } from "../../scripts/doctor-command.js";
import { startFakeGoogle, type FakeGoogle } from "../fakes/google/server.js";
import { fakeServiceAccount, fakeUser, scopes } from "../fakes/google/identities.js";
import { sharedDriveWorld } from "./google/google-fixtures.js";
import { type ManualClock, manualClock } from "../fakes/clock.js";
import { GOOGLE_SCOPES } from "../../functions/adapters/google/clients.js";

const WEBHOOK = "https://tieuchi.example/sheetsWebhook";
let clock: ManualClock;
let fake: FakeGoogle;
let dir: string;

/** Our deployed webhook as seen from outside: 403 "forbidden" in plain text without a token. */
const webhookUp = async () => new Response("forbidden", { status: 403, headers: { "Content-Type": "text/plain; charset=utf-8" } });
const webhookDown = async () => {
  throw new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }) });
};

interface Run {
  code: number;
  out: string;
  line(title: string): string;
}

async function doctor(options: { folderId: string; token?: string; env?: Record<string, string | undefined>; webhook?: () => Promise<Response> }): Promise<Run> {
  await writeFile(join(dir, "tieuchi.config.yaml"), `${sampleConfigYaml("2026-11-27")}\ngoogle:\n  wardsFolderId: ${options.folderId}\n  reportsFolderId: reports\n  webhookUrl: ${WEBHOOK}\n`);
  const env = {
    TIEUCHI_GOOGLE_ROOT_URL: fake.url,
    TIEUCHI_GOOGLE_ACCESS_TOKEN: options.token ?? "test-token",
    TIEUCHI_STATE_BUCKET: "tieuchi-state",
    TIEUCHI_CHANNEL_TOKEN: "kenh-bi-mat-0123456789",
    ...options.env,
  };
  const config = await readConfig(join(dir, "tieuchi.config.yaml"), env);
  const output: string[] = [];
  const io = { out: (t: string) => void output.push(t), err: (t: string) => void output.push(t) };
  const routed: typeof fetch = (input, init) => (String(input).startsWith(WEBHOOK) ? (options.webhook ?? webhookUp)() : fetch(input, init));
  const code = await commandDoctor(config, { env, cwd: dir }, io, clock, { fetch: routed, sleep: clock.sleep });
  const out = output.join("\n");
  return { code, out, line: (title) => out.split("\n").find((l) => /^[✓✗] /.test(l) && l.includes(title)) ?? `(no line for ${title})` };
}

/** The check's line and the fix under it. */
function block(run: Run, title: string): string {
  const lines = run.out.split("\n");
  const at = lines.findIndex((l) => /^[✓✗] /.test(l) && l.includes(title));
  return at < 0 ? "" : [lines[at], lines[at + 1]?.startsWith("    ") ? lines[at + 1] : ""].join("\n");
}

/** The README's shared drive, with the wards folder one the app may write to. */
function healthyWorld(): string {
  const world = sharedDriveWorld(fake);
  fake.drive.openWithApp(world.wardsFolderId);
  return world.wardsFolderId;
}

beforeEach(async () => {
  clock = manualClock("2026-12-01T03:00:00Z");
  fake = await startFakeGoogle({ now: clock.ms });
  dir = await mkdtemp(join(tmpdir(), "tieuchi-doctor-"));
});
afterEach(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

describe("tieuchi doctor", () => {
  it("passes every check of a healthy shared-drive deployment and exits 0", async () => {
    const run = await doctor({ folderId: healthyWorld() });
    expect(run.out).not.toContain("✗");
    expect(run.line("Danh tính")).toBe(`✓ Danh tính làm việc với Google: ${fakeServiceAccount} (tài khoản dịch vụ)`);
    expect(run.line("Bộ nhớ dùng chung hay")).toMatch(/^✓ .*bộ nhớ dùng chung/);
    expect(run.line("Ghi được vào thư mục")).toContain("đã tạo rồi xóa một tệp thử");
    expect(run.line("Webhook")).toContain("403");
    expect(run.out).toContain("Tất cả 13 mục đều đạt.");
    expect(run.code).toBe(0);
    expect(fake.drive.files().filter((f) => f.name.startsWith("tieuchi-doctor-probe"))).toEqual([]);
    expect(fake.storage.list("tieuchi-state", "doctor/")).toEqual([]);
  });

  it.each([
    ["sheets", "Google Sheets API"],
    ["drive", "Google Drive API"],
    ["docs", "Google Docs API"],
    ["storage", "Cloud Storage API"],
  ] as const)("names a disabled %s API and where to enable it", async (api, name) => {
    const folderId = healthyWorld();
    fake.disableApi(api);
    const run = await doctor({ folderId });
    expect(block(run, `${name} đã bật`)).toMatch(new RegExp(`^✗ ${name} đã bật: ${name} chưa được bật cho dự án\\n    Cách xử lý: bật ${name} tại https://`));
    expect(run.code).toBe(1);
  });

  it("refuses a service account whose wards folder is in a user's My Drive, and says to use a shared drive", async () => {
    const folder = fake.drive.registerFile({
      name: "Các phường",
      mimeType: "application/vnd.google-apps.folder",
      parents: ["root"],
      owner: fakeUser,
      sharedWith: [{ email: fakeServiceAccount, role: "writer" }],
      createdByApp: [fakeServiceAccount],
    });
    const run = await doctor({ folderId: folder.id });
    expect(run.line("Thư mục các phường mở được")).toMatch(/^✓/);
    expect(block(run, "Bộ nhớ dùng chung hay")).toMatch(/^✗ .*“Drive của tôi”.*tài khoản dịch vụ không có dung lượng Drive[\s\S]*Cách xử lý: tạo một bộ nhớ dùng chung .*Quản lý nội dung/);
    expect(block(run, "Ghi được vào thư mục")).toContain("storageQuotaExceeded");
    expect(run.code).toBe(1);
  });

  it("accepts a user's My Drive for a user identity", async () => {
    const folder = fake.drive.registerFile({ name: "Các phường", mimeType: "application/vnd.google-apps.folder", parents: ["root"], owner: fakeUser, createdByApp: [fakeUser] });
    const run = await doctor({ folderId: folder.id, token: "user-token" });
    expect(run.line("Danh tính")).toContain(`${fakeUser} (tài khoản Google thường)`);
    expect(run.line("Bộ nhớ dùng chung hay")).toMatch(/^✓ .*“Drive của tôi”/);
    expect(run.line("Ghi được vào thư mục")).toMatch(/^✓/);
  });

  it("lists the scopes a token lacks", async () => {
    const folderId = healthyWorld();
    fake.identities.add({ token: "narrow-token", email: fakeServiceAccount, kind: "serviceAccount", scopes: [scopes.spreadsheets, scopes.devstorageReadWrite] });
    const run = await doctor({ folderId, token: "narrow-token" });
    const missing = GOOGLE_SCOPES.filter((s) => s !== scopes.spreadsheets).map((s) => s.replace("https://www.googleapis.com/auth/", ""));
    expect(missing.length).toBeGreaterThan(0);
    expect(block(run, "Quyền truy cập (scope)")).toMatch(new RegExp(`^✗ .*thiếu: ${missing.join(", ").replaceAll(".", "\\.")}\n    Cách xử lý: cấp thêm`));
    expect(run.line("Danh tính")).toContain(fakeServiceAccount);
    expect(run.code).toBe(1);
  });

  it("says which role to grant when the state bucket refuses writes", async () => {
    const folderId = healthyWorld();
    fake.failNext({ api: "storage", method: "POST" }, 403, { reason: "forbidden", message: "does not have storage.objects.create access" });
    const run = await doctor({ folderId });
    expect(block(run, "Ghi được vào bucket")).toMatch(/^✗ .*gs:\/\/tieuchi-state[\s\S]*roles\/storage\.objectAdmin/);
    expect(run.code).toBe(1);
  });

  it("reports a webhook that does not answer, and one that is not ours", async () => {
    const folderId = healthyWorld();
    const down = await doctor({ folderId, webhook: webhookDown });
    expect(block(down, "Webhook trả lời")).toMatch(/^✗ .*ECONNREFUSED[\s\S]*Cách xử lý: kiểm tra google\.webhookUrl/);
    expect(down.code).toBe(1);
    const open = await doctor({ folderId, webhook: async () => new Response("ok", { status: 200 }) });
    expect(open.line("Webhook trả lời")).toContain("HTTP 200 thay vì 403");
    const blocked = await doctor({ folderId, webhook: async () => new Response("<html>Forbidden</html>", { status: 403, headers: { "Content-Type": "text/html" } }) });
    expect(block(blocked, "Webhook trả lời")).toContain("Domain restricted sharing");
  });

  it("requires the channel token and the bucket setting", async () => {
    const run = await doctor({ folderId: healthyWorld(), env: { TIEUCHI_CHANNEL_TOKEN: undefined, TIEUCHI_STATE_BUCKET: undefined } });
    expect(run.line("Mã bí mật của kênh")).toBe("✗ Mã bí mật của kênh: chưa đặt TIEUCHI_CHANNEL_TOKEN");
    expect(run.line("Ghi được vào bucket")).toBe("✗ Ghi được vào bucket trạng thái: chưa đặt TIEUCHI_STATE_BUCKET");
    expect(run.code).toBe(1);
  });
});
