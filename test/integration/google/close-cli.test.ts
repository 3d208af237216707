/**
 * `tieuchi close --google` and `tieuchi reopen --google` end to end against the strict fake: the
 * cloud's closing record in the state bucket, every provisioned ward spreadsheet's programme tabs
 * locked for the office (and only those locks removed on reopening), refusals with exit code 2.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OAuth2Client } from "google-auth-library";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GOOGLE_SCOPES, STATE_SCOPE } from "../../../functions/adapters/google/clients.js";
import { gcsKeyValueStore } from "../../../functions/adapters/google/gcs-store.js";
import { lockDescription } from "../../../functions/adapters/google/period-locks.js";
import { closureOf } from "../../../functions/app/closure-record.js";
import { emptyRun, summariseTown } from "../../../functions/app/run-town.js";
import { kvStateStore } from "../../../functions/app/snapshot-store.js";
import { readConfig } from "../../../functions/config.js";
import { main } from "../../../scripts/tieuchi.js";
import { type FakeGoogle, fakeServiceAccount, startFakeGoogle } from "../../fakes/google/server.js";

// A fixed start that moves on with real time: Cloud Storage allows one write a second per object.
const started = Date.now();
const clock = { now: () => new Date(Date.parse("2026-11-27T03:00:00Z") + Date.now() - started) };
const SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet";
let fake: FakeGoogle;
let dir: string;
let env: Record<string, string>;
let folderId: string;

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = "";
  const write = { write: (t: string) => (out += t) };
  const code = await main(args, { env, cwd: dir, stdout: write, stderr: write }, clock);
  return { code, out };
}

const configFile = () => join(dir, "ws", "tieuchi.config.yaml");
const spreadsheets = () => fake.drive.files().filter((f) => f.mimeType === SPREADSHEET_MIME && f.parents.includes(folderId));

beforeAll(async () => {
  fake = await startFakeGoogle({ now: () => clock.now().getTime() });
  fake.identities.add({ token: "sa-token", email: fakeServiceAccount, kind: "serviceAccount", scopes: [...GOOGLE_SCOPES, STATE_SCOPE] });
  const driveId = fake.drive.addSharedDrive({ name: "Công an thị xã Cửa Lò", members: [{ email: fakeServiceAccount, role: "fileOrganizer" }] });
  folderId = fake.drive.addFolder({ name: "Các phường", parents: [driveId] });
  dir = await mkdtemp(join(tmpdir(), "tieuchi-close-"));
  env = { TIEUCHI_GOOGLE_ROOT_URL: fake.url, TIEUCHI_GOOGLE_ACCESS_TOKEN: "sa-token", TIEUCHI_STATE_BUCKET: "state" };
  await cli(["init", "ws"]);
  const base = await readFile(configFile(), "utf8");
  await writeFile(configFile(), `${base}\nreview:\n  office: [truongphong@cualo.example]\ngoogle:\n  wardsFolderId: ${folderId}\n  reportsFolderId: reports-folder\n`);
  expect((await cli(["provision", "ws"])).code).toBe(0);
});
afterAll(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

describe("tieuchi close --google and reopen --google", () => {
  it("refuses a period with no stored figures yet (exit 2), then closes it: every programme tab locked for the office", async () => {
    expect(await cli(["close", "ws", "--period", "2026-11", "--google"])).toMatchObject({ code: 2, out: expect.stringContaining("Chưa có số liệu đã lưu đầy đủ của tháng 11/2026") });
    // The cloud's sweep would have saved the period's figures: do it as it does.
    const auth = new OAuth2Client();
    auth.setCredentials({ access_token: "sa-token", expiry_date: Date.now() + 3_600_000 });
    const kv = gcsKeyValueStore({ auth, bucket: "state", rootUrl: fake.url });
    const config = await readConfig(configFile(), {});
    await summariseTown(config.wards.map((w) => emptyRun(w, config.catalogues)), config.catalogues, { state: kvStateStore(kv, { clock, warn: () => undefined }), clock }, { period: "2026-11" });

    const closed = await cli(["close", "ws", "--period", "2026-11", "--google"]);
    expect(closed.code).toBe(0);
    expect(closed.out).toContain(`Đã chốt tháng 11/2026.\nĐã khóa ${spreadsheets().length}/${spreadsheets().length} bảng tính của các đơn vị.`);
    for (const file of spreadsheets()) {
      const locks = config.catalogues.flatMap((c) => fake.sheets.protectedRanges(file.id, c.tabTitle).filter((p) => p.description === lockDescription("2026-11")));
      expect(locks.map((p) => p.editors?.users)).toEqual(config.catalogues.map(() => ["truongphong@cualo.example", fakeServiceAccount]));
    }
    expect((await closureOf(kv, "2026-11"))?.events).toEqual([expect.objectContaining({ kind: "close" })]);

    expect((await cli(["reopen", "ws", "--period", "2026-11", "--google"])).code).toBe(2);
    const reopened = await cli(["reopen", "ws", "--period", "2026-11", "--reason", "Bổ sung minh chứng", "--google"]);
    expect(reopened.code).toBe(0);
    expect(reopened.out).toContain("Đã mở lại tháng 11/2026.");
    for (const file of spreadsheets()) {
      expect(config.catalogues.flatMap((c) => fake.sheets.protectedRanges(file.id, c.tabTitle).filter((p) => p.description === lockDescription("2026-11")))).toEqual([]);
    }
  });
});
