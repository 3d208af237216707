/**
 * The HTTP face of the fake OAuth server: POST /token, GET|POST /tokeninfo, POST /revoke and the consent
 * page GET /o/oauth2/v2/auth (which redirects at once, as if `oauth.consent` clicked "Allow" or "Cancel").
 * Point google-auth-library at it with
 * `new OAuth2Client({ clientId, clientSecret, redirectUri, endpoints: { oauth2TokenUrl: `${fake.url}token`,
 *   tokenInfoUrl: `${fake.url}tokeninfo`, oauth2AuthBaseUrl: `${fake.url}o/oauth2/v2/auth`, oauth2RevokeUrl: `${fake.url}revoke` } })`.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { FakeResponse } from "./common.js";
import type { IdentityRegistry } from "./identities.js";
import { type FakeOAuth, oauthError } from "./oauth.js";

const oauthPaths = ["/token", "/tokeninfo", "/revoke", "/o/oauth2/v2/auth"] as const;

/** The numeric OAuth client id Google reports for a service account's own tokens. */
const serviceAccountClientId = "104729581600000000001";

export function isOAuthPath(path: string): boolean {
  return (oauthPaths as readonly string[]).includes(path);
}

function formOf(url: URL, body: Buffer, headers: IncomingHttpHeaders): URLSearchParams {
  const form = new URLSearchParams(url.search);
  if (String(headers["content-type"] ?? "").includes("application/x-www-form-urlencoded")) {
    for (const [key, value] of new URLSearchParams(body.toString("utf8"))) form.set(key, value);
  }
  return form;
}

function basicAuthOf(headers: IncomingHttpHeaders): { id: string; secret: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(headers.authorization ?? "");
  if (!match?.[1]) return undefined;
  const [id = "", secret = ""] = Buffer.from(match[1], "base64").toString("utf8").split(":");
  return { id: decodeURIComponent(id), secret: decodeURIComponent(secret) };
}

export function handleOAuth(oauth: FakeOAuth, identities: IdentityRegistry, method: string, url: URL, body: Buffer, headers: IncomingHttpHeaders): FakeResponse {
  const form = formOf(url, body, headers);
  switch (url.pathname) {
    case "/token":
      if (method !== "POST") return oauthError(405, "invalid_request", "Method not allowed: use POST");
      return oauth.exchange(form, basicAuthOf(headers));
    case "/tokeninfo":
      return tokenInfo(oauth, identities, form.get("access_token") ?? /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? "")?.[1]);
    case "/revoke":
      if (method !== "POST") return oauthError(405, "invalid_request", "Method not allowed: use POST");
      return oauth.revoke(form.get("token") ?? "") ? { status: 200, body: {} } : oauthError(400, "invalid_token", "Token expired or revoked");
    default:
      return consentPage(oauth, url.searchParams);
  }
}

/** v3 tokeninfo: every value a string, as Google sends them. */
function tokenInfo(oauth: FakeOAuth, identities: IdentityRegistry, accessToken: string | undefined): FakeResponse {
  const identity = accessToken === undefined ? undefined : identities.byToken(accessToken);
  const state = accessToken === undefined ? undefined : oauth.stateOf(accessToken);
  if (!identity || accessToken === undefined || (state !== undefined && state !== "valid")) return oauthError(400, "invalid_token", "Invalid Value");
  const secondsLeft = oauth.secondsLeft(accessToken);
  const clientId = oauth.clientOf(accessToken) ?? (identity.kind === "serviceAccount" ? serviceAccountClientId : oauth.client.clientId);
  const body: Record<string, string> = {
    azp: clientId,
    aud: clientId,
    scope: identity.scopes.join(" "),
    exp: String(Math.floor(oauth.nowMs() / 1000) + secondsLeft),
    expires_in: String(secondsLeft),
    email: identity.email,
    email_verified: "true",
  };
  if (identity.kind === "user") body.access_type = "offline";
  return { status: 200, body };
}

function isLoopback(redirectUri: string): boolean {
  try {
    const url = new URL(redirectUri);
    return url.protocol === "http:" && ["127.0.0.1", "[::1]", "localhost"].includes(url.hostname);
  } catch {
    return false;
  }
}

/** The consent screen, answered at once by `oauth.consent`; errors Google shows as a page are plain text here. */
function consentPage(oauth: FakeOAuth, params: URLSearchParams): FakeResponse {
  const client = oauth.clientById(params.get("client_id") ?? "");
  const redirectUri = params.get("redirect_uri") ?? "";
  const text = (status: number, message: string): FakeResponse => ({ status, body: Buffer.from(message), headers: { "content-type": "text/plain; charset=utf-8" } });
  if (!client) return text(401, "Error 401: invalid_client. The OAuth client was not found.");
  const allowed = client.type === "desktop" ? isLoopback(redirectUri) : (client.redirectUris ?? []).includes(redirectUri);
  if (!allowed) return text(400, `Error 400: ${redirectUri.startsWith("urn:ietf:wg:oauth:2.0:oob") ? "invalid_request (the out-of-band flow is blocked)" : "redirect_uri_mismatch"}`);
  if (params.get("response_type") !== "code") return text(400, "Error 400: invalid_request. Required parameter is missing: response_type");
  const asked = (params.get("scope") ?? "").split(/\s+/).filter((scope) => scope !== "");
  if (asked.length === 0) return text(400, "Error 400: invalid_request. Missing required parameter: scope");
  const method = params.get("code_challenge_method") ?? (params.get("code_challenge") ? "plain" : undefined);
  if (method !== undefined && method !== "S256" && method !== "plain") return text(400, "Error 400: invalid_request. Invalid code_challenge_method");
  if (!oauth.consent) return text(403, "The fake has no signed-in user: set fake.oauth.consent = { email } first.");
  const target = new URL(redirectUri);
  const state = params.get("state");
  if (oauth.consent.deny) target.searchParams.set("error", "access_denied");
  else {
    const granted = oauth.consent.grant ?? asked;
    const codeOptions = { email: oauth.consent.email, scopes: granted, redirectUri, clientId: client.clientId, offline: params.get("access_type") === "offline" };
    const challenge = params.get("code_challenge");
    const code = oauth.issueCode(challenge ? { ...codeOptions, codeChallenge: challenge, codeChallengeMethod: method as "S256" | "plain" } : codeOptions);
    target.searchParams.set("code", code);
    target.searchParams.set("scope", granted.join(" "));
  }
  if (state !== null) target.searchParams.set("state", state);
  return { status: 302, headers: { location: target.toString() } };
}
