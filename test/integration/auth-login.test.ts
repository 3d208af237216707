/**
 * `tieuchi auth login` against the fake's OAuth server: the test plays the browser (it opens
 * the printed URL, the fake's consent page answers as `fake.oauth.consent` says and redirects
 * to the CLI's loopback port), then checks what is printed and that the refresh token works
 * through the same factory the functions use.
 */
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createGoogleClients, googleAuthFromEnv, USER_SCOPES } from "../../functions/adapters/google/clients.js";
import { main } from "../../scripts/tieuchi.js";
import { type FakeGoogle, fakeUser, startFakeGoogle } from "../fakes/google/server.js";

const clock = { now: () => new Date("2026-12-01T03:00:00Z") };
let fake: FakeGoogle;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  fake = await startFakeGoogle({ now: () => clock.now().getTime() });
  dir = await mkdtemp(join(tmpdir(), "tieuchi-auth-"));
  env = { TIEUCHI_OAUTH_CLIENT_ID: fake.oauth.client.clientId, TIEUCHI_OAUTH_CLIENT_SECRET: fake.oauth.client.clientSecret, TIEUCHI_GOOGLE_ROOT_URL: fake.url };
});
afterAll(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  fake.oauth.consent = { email: fakeUser };
});

interface Run {
  code: number;
  out: string;
  /** What the browser showed after the redirect. */
  page: string;
}

/** Runs the command; as soon as the consent URL is printed, opens it like a browser would. */
async function login(args: string[] = [], browse: (url: string) => Promise<string> = open): Promise<Run> {
  let out = "";
  let opened: Promise<string> | undefined;
  const write = {
    write: (t: string) => {
      out += t;
      const url = /^(http:\/\/127\.0\.0\.1:\d+\/o\/oauth2\/v2\/auth\?\S+)$/mu.exec(out)?.[1];
      if (url && !opened) opened = browse(url);
    },
  };
  const code = await main(["auth", "login", ...args], { env, cwd: dir, stdout: write, stderr: write }, clock);
  return { code, out, page: (await opened) ?? "" };
}

async function open(url: string): Promise<string> {
  return (await fetch(url, { redirect: "follow" })).text();
}

const refreshTokenIn = (out: string): string => /printf '%s' '([^']+)' \| gcloud secrets create tieuchi-oauth-refresh-token --data-file=-/u.exec(out)?.[1] ?? "";

describe("tieuchi auth login", () => {
  it("asks for the user scopes with PKCE, offline access and forced consent, on a loopback redirect", async () => {
    let asked: URL | undefined;
    const result = await login([], (url) => {
      asked = new URL(url);
      return open(url);
    });
    expect(result.code).toBe(0);
    const params = asked!.searchParams;
    expect(params.get("scope")?.split(" ")).toEqual([...USER_SCOPES]);
    expect(params.get("access_type")).toBe("offline");
    expect(params.get("prompt")).toBe("consent");
    expect(params.get("code_challenge_method")).toBe("S256");
    expect(params.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/u);
    expect(params.get("redirect_uri")).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/u);
    expect(result.page).toContain("Đã cấp quyền cho tieuchi");
    expect(result.out).toContain("Mở đường dẫn dưới đây bằng trình duyệt");
  });

  it("prints the Secret Manager commands, writes nothing to disk, and the token then acts as the user", async () => {
    const result = await login();
    expect(result.code).toBe(0);
    const refreshToken = refreshTokenIn(result.out);
    expect(refreshToken).not.toBe("");
    expect(result.out).toContain("gcloud secrets create tieuchi-oauth-client-secret --data-file=-");
    expect(await readdir(dir)).toEqual([]);

    const setup = googleAuthFromEnv({ ...env, TIEUCHI_OAUTH_REFRESH_TOKEN: refreshToken });
    expect(setup.mode).toBe("user");
    const { drive } = createGoogleClients({ auth: setup.google, rootUrl: fake.url });
    const folder = await drive.files.create({ requestBody: { name: "thử", mimeType: "application/vnd.google-apps.folder" }, fields: "id" });
    expect(fake.drive.roleOf(fakeUser, folder.data.id!)).toBe("owner");
  });

  it("with --create-folders, creates the wards and reports folders in the user's My Drive and prints their ids", async () => {
    const result = await login(["--create-folders"]);
    expect(result.code).toBe(0);
    const ids = [...result.out.matchAll(/^ {4}(wardsFolderId|reportsFolderId): (\S+)$/gmu)].map((m) => m[2]!);
    expect(ids).toHaveLength(2);
    for (const id of ids) expect(fake.drive.roleOf(fakeUser, id)).toBe("owner");
  });

  it("refuses a consent that left out a scope, saying what to do", async () => {
    fake.oauth.consent = { email: fakeUser, grant: [USER_SCOPES[0]!] };
    const result = await login();
    expect(result.code).toBe(2);
    expect(result.out).toContain("chưa cấp đủ quyền");
    expect(refreshTokenIn(result.out)).toBe("");
  });

  it("reports a refusal in Vietnamese", async () => {
    fake.oauth.consent = { email: fakeUser, deny: true };
    const result = await login();
    expect(result.code).toBe(2);
    expect(result.out).toContain("tài khoản đã từ chối cấp quyền cho tieuchi");
    expect(result.page).toContain("Đã hủy cấp quyền");
  });

  it("lists the missing OAuth client settings", async () => {
    let out = "";
    const write = { write: (t: string) => (out += t) };
    expect(await main(["auth", "login"], { env: {}, cwd: dir, stdout: write, stderr: write }, clock)).toBe(2);
    expect(out).toContain("env.TIEUCHI_OAUTH_CLIENT_ID");
    expect(out).toContain("env.TIEUCHI_OAUTH_CLIENT_SECRET");
  });
});
