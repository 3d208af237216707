import { appendFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../scripts/tieuchi.js";
import { startFakeGoogle, type FakeGoogle } from "../fakes/google/server.js";

const clock = { now: () => new Date("2026-11-27T03:00:00Z") };
let fake: FakeGoogle;
let dir: string;
let env: Record<string, string>;

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = "";
  const write = { write: (t: string) => (out += t) };
  const code = await main(args, { env, cwd: dir, stdout: write, stderr: write }, clock);
  return { code, out };
}

beforeAll(async () => {
  fake = await startFakeGoogle({ now: () => clock.now().getTime() });
  dir = await mkdtemp(join(tmpdir(), "tieuchi-gcli-"));
  env = { TIEUCHI_GOOGLE_ROOT_URL: fake.url, TIEUCHI_GOOGLE_ACCESS_TOKEN: "test-token", TIEUCHI_STATE_BUCKET: "state", TIEUCHI_CHANNEL_TOKEN: "token-123" };
  await cli(["init", "ws"]);
  await appendFile(join(dir, "ws", "tieuchi.config.yaml"), "\ngoogle:\n  wardsFolderId: wards-folder\n  reportsFolderId: reports-folder\n  webhookUrl: https://tieuchi.example/sheetsWebhook\n");
});
afterAll(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

describe("tieuchi provision and watch", () => {
  it("creates a spreadsheet per ward in the wards folder, shared with its contacts", async () => {
    const result = await cli(["provision", "ws"]);
    expect(result.code).toBe(0);
    const sheets = fake.drive.files().filter((f) => f.parents.includes("wards-folder"));
    expect(sheets).toHaveLength(7);
    expect(result.out).toContain("✓ Phường Nghi Hương — https://docs.google.com/spreadsheets/d/");
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

  it("opens one push channel per ward, each at most one day long", async () => {
    const result = await cli(["watch", "ws"]);
    expect(result.code).toBe(0);
    expect(result.out).toContain("Đã mở kênh theo dõi cho 7 phường");
    const channels = fake.drive.channels();
    expect(channels).toHaveLength(7);
    expect(channels.every((c) => c.token === "token-123" && c.address === "https://tieuchi.example/sheetsWebhook")).toBe(true);
  });

  it("lists every missing setting with its path", async () => {
    const saved = env;
    env = {};
    const result = await cli(["provision", "ws"]);
    env = saved;
    expect(result.code).toBe(2);
    expect(result.out).toContain("env.TIEUCHI_STATE_BUCKET");
  });
});
