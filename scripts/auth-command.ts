/**
 * `tieuchi auth login`: lets tieuchi act as a plain Google account (Gmail, no shared drive).
 * Runs OAuth's installed-app flow: a loopback redirect on 127.0.0.1 at a random port, PKCE
 * (S256), access_type=offline and prompt=consent (so a refresh token always comes back).
 * The refresh token is printed with the commands that store it in Secret Manager; it is
 * never written to disk.
 */
import { createHash, randomBytes } from "node:crypto";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { CodeChallengeMethod, OAuth2Client } from "google-auth-library";
import { parseOAuthClientEnv } from "../functions/config.js";
import { ConfigError, TieuchiError } from "../functions/errors.js";
import { USER_SCOPES, createGoogleClients, oauthEndpoints } from "../functions/adapters/google/clients.js";
import type { CliContext, Io } from "./cli-io.js";

/** How long to wait for the browser to come back (the admin reads, signs in, ticks the boxes). */
const DEFAULT_WAIT_MS = 10 * 60_000;
const FOLDER_MIME = "application/vnd.google-apps.folder";

export interface AuthLoginOptions {
  createFolders: boolean;
  waitMs?: number;
}

interface Redirect {
  code: string;
}

const base64url = (bytes: Buffer): string => bytes.toString("base64url");

function answer(response: ServerResponse, status: number, text: string): void {
  const html = `<!doctype html><html lang="vi"><meta charset="utf-8"><title>tieuchi</title><p>${text}</p></html>`;
  response.writeHead(status, { "content-type": "text/html; charset=utf-8" }).end(html);
}

/** Resolves with the code of the first redirect carrying our state; rejects on refusal or timeout. */
function waitForRedirect(server: Server, state: string, waitMs: number): Promise<Redirect> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new TieuchiError(`quá ${Math.round(waitMs / 60_000)} phút mà trình duyệt chưa quay lại; chạy lại “tieuchi auth login”`)), waitMs);
    server.on("request", (request: IncomingMessage, response: ServerResponse) => {
      const url = new URL(request.url ?? "/", "http://127.0.0.1");
      if (url.pathname !== "/" || (!url.searchParams.has("code") && !url.searchParams.has("error"))) return answer(response, 404, "Không có trang này.");
      if (url.searchParams.get("state") !== state) return answer(response, 400, "Yêu cầu không khớp với lần đăng nhập này; hãy mở lại đường dẫn mà tieuchi vừa in ra.");
      clearTimeout(timer);
      const error = url.searchParams.get("error");
      if (error) {
        answer(response, 200, "Đã hủy cấp quyền. Quay lại cửa sổ dòng lệnh.");
        return reject(new TieuchiError(error === "access_denied" ? "tài khoản đã từ chối cấp quyền cho tieuchi" : `Google báo lỗi khi cấp quyền: ${error}`));
      }
      answer(response, 200, "Đã cấp quyền cho tieuchi. Đồng chí đóng trang này và quay lại cửa sổ dòng lệnh.");
      resolve({ code: url.searchParams.get("code") ?? "" });
    });
  });
}

async function listen(): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return server;
}

function printInstructions(io: Io, url: string): void {
  io.out("Đăng nhập tài khoản Google mà tieuchi sẽ làm việc thay (bảng tính của các phường nằm trong Drive của tài khoản này):");
  io.out("  1. Mở đường dẫn dưới đây bằng trình duyệt trên chính máy này.");
  io.out("  2. Chọn tài khoản, đánh dấu đồng ý MỌI quyền được hỏi, rồi bấm “Tiếp tục”.");
  io.out("     (Nếu Google báo “Google chưa xác minh ứng dụng này”: bấm “Nâng cao”, rồi “Đi tới … (không an toàn)”; đây là ứng dụng của chính đơn vị.)");
  io.out("  3. Trình duyệt báo “Đã cấp quyền” thì quay lại đây.");
  io.out("");
  io.out(url);
  io.out("");
  io.out("Đang chờ trình duyệt quay lại…");
}

function printSecrets(io: Io, refreshToken: string): void {
  io.out("Đã nhận mã làm mới (refresh token). tieuchi KHÔNG lưu mã này vào đâu cả; đồng chí chép ngay vào Secret Manager:");
  io.out("");
  io.out(`  printf '%s' '${refreshToken}' | gcloud secrets create tieuchi-oauth-refresh-token --data-file=-`);
  io.out("  printf '%s' \"$TIEUCHI_OAUTH_CLIENT_ID\" | gcloud secrets create tieuchi-oauth-client-id --data-file=-");
  io.out("  printf '%s' \"$TIEUCHI_OAUTH_CLIENT_SECRET\" | gcloud secrets create tieuchi-oauth-client-secret --data-file=-");
  io.out("");
  io.out("(Đã có secret thì thay “gcloud secrets create” bằng “gcloud secrets versions add”.)");
  io.out(`Để chạy “tieuchi provision” trên máy này: export TIEUCHI_OAUTH_REFRESH_TOKEN='${refreshToken}'`);
  io.out("Mã này cho phép làm việc với Drive như chính tài khoản đó: không gửi qua thư, không ghi vào tệp cấu hình.");
}

/** The wards and reports folders, created by tieuchi itself so that the drive.file scope reaches them. */
async function createFolders(client: OAuth2Client, rootUrl: string | undefined, io: Io): Promise<void> {
  const { drive } = createGoogleClients({ auth: client, ...(rootUrl ? { rootUrl } : {}) });
  const make = async (name: string): Promise<string> => (await drive.files.create({ requestBody: { name, mimeType: FOLDER_MIME }, fields: "id" })).data.id ?? "";
  const wards = await make("Tự đánh giá tiêu chí - Các phường");
  const reports = await make("Tự đánh giá tiêu chí - Báo cáo");
  io.out("Đã tạo hai thư mục trong “Drive của tôi”. Ghi vào tieuchi.config.yaml:");
  io.out("  google:");
  io.out(`    wardsFolderId: ${wards}`);
  io.out(`    reportsFolderId: ${reports}`);
}

/** OAuth's own error code ("invalid_grant", "invalid_client", …), else the message. */
function oauthReason(error: unknown): string {
  const data = (error as { response?: { data?: { error?: unknown; error_description?: unknown } } }).response?.data;
  if (typeof data?.error === "string") return typeof data.error_description === "string" ? `${data.error}: ${data.error_description}` : data.error;
  return error instanceof Error ? error.message : String(error);
}

/** Refuse a consent that left out scopes (Google lets the user untick them). */
function checkScopes(granted: string | null | undefined): void {
  const have = new Set((granted ?? "").split(/\s+/u));
  const missing = USER_SCOPES.filter((s) => !have.has(s));
  if (missing.length) {
    throw new TieuchiError(`tài khoản chưa cấp đủ quyền (thiếu ${missing.join(", ")}); chạy lại “tieuchi auth login” và đánh dấu đồng ý mọi quyền được hỏi`);
  }
}

/**
 * Run the login; returns the exit code. Client id and secret come from TIEUCHI_OAUTH_CLIENT_ID
 * and TIEUCHI_OAUTH_CLIENT_SECRET (an OAuth client of type "Desktop app").
 */
export async function commandAuthLogin(ctx: CliContext, io: Io, options: AuthLoginOptions): Promise<number> {
  const parsed = parseOAuthClientEnv(ctx.env, "cần mã và khóa bí mật của OAuth client loại “Ứng dụng dành cho máy tính” (Desktop app), tạo trong Google Cloud Console › API và dịch vụ › Thông tin xác thực");
  if (!parsed.success) throw new ConfigError("môi trường", parsed.problems);
  const rootUrl = ctx.env.TIEUCHI_GOOGLE_ROOT_URL?.trim() || undefined;
  const server = await listen();
  try {
    const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const client = new OAuth2Client({ ...parsed.data, redirectUri, endpoints: oauthEndpoints(rootUrl) });
    const codeVerifier = base64url(randomBytes(48));
    const state = base64url(randomBytes(16));
    const url = client.generateAuthUrl({
      access_type: "offline",
      prompt: "consent",
      scope: [...USER_SCOPES],
      state,
      code_challenge: base64url(createHash("sha256").update(codeVerifier).digest()),
      code_challenge_method: CodeChallengeMethod.S256,
    });
    const redirect = waitForRedirect(server, state, options.waitMs ?? DEFAULT_WAIT_MS);
    printInstructions(io, url);
    const { code } = await redirect;
    const { tokens } = await client.getToken({ code, codeVerifier, redirect_uri: redirectUri }).catch((error: unknown) => {
      throw new TieuchiError(`Google không đổi được mã cấp quyền lấy mã truy cập (${oauthReason(error)}); chạy lại “tieuchi auth login”`, { cause: error });
    });
    checkScopes(tokens.scope);
    if (!tokens.refresh_token) throw new TieuchiError("Google không trả về mã làm mới (refresh token); thu hồi quyền của tieuchi ở https://myaccount.google.com/permissions rồi chạy lại");
    client.setCredentials(tokens);
    printSecrets(io, tokens.refresh_token);
    if (!options.createFolders) return 0;
    io.out("");
    return await createFolders(client, rootUrl, io).then(
      () => 0,
      (error: unknown) => {
        io.err(`Lỗi: chưa tạo được thư mục trong Drive (${oauthReason(error)}); mã làm mới ở trên vẫn dùng được, chạy lại với --create-folders sau.`);
        return 1;
      },
    );
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
