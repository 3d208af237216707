/**
 * Google's OAuth 2.0 server for installed apps, as far as the product uses it: authorization codes (the user
 * clicking "Allow"), the token endpoint (authorization_code with PKCE, refresh_token), tokeninfo and revoke.
 * An access token it issues is registered as the user's identity with the granted scopes, so the fake APIs
 * accept it until it expires (3599 s on the injected clock) or its grant is revoked.
 */
import { createHash, randomBytes } from "node:crypto";
import type { FakeResponse, Now } from "./common.js";
import type { IdentityRegistry } from "./identities.js";

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
  /** "desktop" (installed app: any loopback redirect) or "web" (only `redirectUris`). */
  type: "desktop" | "web";
  redirectUris?: string[];
}

export interface IssueCodeOptions {
  email: string;
  /** The scopes the user granted (granular consent may grant fewer than were asked for). */
  scopes: string[];
  redirectUri: string;
  clientId?: string;
  codeChallenge?: string;
  codeChallengeMethod?: "S256" | "plain";
  /** access_type=offline: the code also yields a refresh token (default true). */
  offline?: boolean;
}

interface CodeGrant extends Required<Omit<IssueCodeOptions, "codeChallenge">> {
  codeChallenge: string | undefined;
  expiresAtMs: number;
}

interface RefreshGrant {
  email: string;
  scopes: string[];
  clientId: string;
  revoked: boolean;
  expiresAtMs: number | undefined;
}

interface AccessGrant {
  refreshToken: string | undefined;
  clientId: string;
  expiresAtMs: number;
}

export type TokenState = "valid" | "expired" | "revoked";

const ACCESS_TOKEN_SECONDS = 3599;
const CODE_LIFETIME_MS = 10 * 60_000;
/** Refresh tokens of an app whose consent screen is still in "Testing" expire after 7 days. */
const TESTING_REFRESH_SECONDS = 7 * 24 * 3600 - 1;

export const defaultOAuthClient: Readonly<OAuthClient> = { clientId: "123456789-fakeclient.apps.googleusercontent.com", clientSecret: "GOCSPX-fake-client-secret", type: "desktop" };

/** `{"error": "...", "error_description": "..."}` with the status Google uses for it. */
export function oauthError(status: number, error: string, description: string): FakeResponse {
  return { status, body: { error, error_description: description } };
}

function token(prefix: string): string {
  return `${prefix}${randomBytes(24).toString("base64url")}`;
}

export class FakeOAuth {
  readonly client: OAuthClient = { ...defaultOAuthClient };
  /** "testing": refresh tokens expire after 7 days, as for an unpublished consent screen. */
  publishingStatus: "production" | "testing" = "production";
  /** Who answers the consent screen at GET /o/oauth2/v2/auth (null: nobody is signed in). */
  consent: { email: string; grant?: string[]; deny?: boolean } | null = null;
  private readonly clients = new Map<string, OAuthClient>([[this.client.clientId, this.client]]);
  private readonly codes = new Map<string, CodeGrant>();
  private readonly refreshTokens = new Map<string, RefreshGrant>();
  private readonly accessTokens = new Map<string, AccessGrant>();

  constructor(
    private readonly now: Now,
    private readonly identities: IdentityRegistry,
  ) {}

  nowMs(): number {
    return this.now();
  }

  addClient(client: OAuthClient): void {
    this.clients.set(client.clientId, { ...client });
  }

  clientById(clientId: string): OAuthClient | undefined {
    return this.clients.get(clientId);
  }

  /** The code Google would append to the redirect after the user clicks "Allow". */
  issueCode(options: IssueCodeOptions): string {
    const code = token("4/0Afake");
    this.codes.set(code, {
      email: options.email,
      scopes: [...options.scopes],
      redirectUri: options.redirectUri,
      clientId: options.clientId ?? this.client.clientId,
      codeChallenge: options.codeChallenge,
      codeChallengeMethod: options.codeChallengeMethod ?? "S256",
      offline: options.offline ?? true,
      expiresAtMs: this.now() + CODE_LIFETIME_MS,
    });
    return code;
  }

  /** Revokes a refresh token (and every access token minted from it) or a single access token, as the user removing access would. */
  revoke(tokenValue: string): boolean {
    const refresh = this.refreshTokens.get(tokenValue);
    if (refresh) {
      refresh.revoked = true;
      return true;
    }
    const access = this.accessTokens.get(tokenValue);
    if (!access) return false;
    access.expiresAtMs = Number.NEGATIVE_INFINITY;
    return true;
  }

  /** Whether an access token this server issued may still be used; undefined for tokens it did not issue (fixed test tokens). */
  stateOf(accessToken: string): TokenState | undefined {
    const grant = this.accessTokens.get(accessToken);
    if (!grant) return undefined;
    if (grant.expiresAtMs === Number.NEGATIVE_INFINITY || (grant.refreshToken !== undefined && this.refreshTokens.get(grant.refreshToken)?.revoked)) return "revoked";
    return this.now() >= grant.expiresAtMs ? "expired" : "valid";
  }

  /** Seconds left on an access token (fixed test tokens never expire: a full hour is reported). */
  secondsLeft(accessToken: string): number {
    const grant = this.accessTokens.get(accessToken);
    return grant ? Math.max(0, Math.floor((grant.expiresAtMs - this.now()) / 1000)) : ACCESS_TOKEN_SECONDS;
  }

  clientOf(accessToken: string): string | undefined {
    return this.accessTokens.get(accessToken)?.clientId;
  }

  /** POST /token, with the form already parsed. */
  exchange(form: URLSearchParams, basicAuth: { id: string; secret: string } | undefined): FakeResponse {
    const clientId = basicAuth?.id ?? form.get("client_id") ?? "";
    const secret = basicAuth?.secret ?? form.get("client_secret") ?? "";
    const client = this.clients.get(clientId);
    if (!client) return oauthError(401, "invalid_client", "The OAuth client was not found.");
    if (client.clientSecret !== secret) return oauthError(401, "invalid_client", "Unauthorized");
    const grantType = form.get("grant_type");
    if (grantType === "authorization_code") return this.redeemCode(form, client);
    if (grantType === "refresh_token") return this.refresh(form, client);
    if (!grantType) return oauthError(400, "invalid_request", "Missing required parameter: grant_type");
    return oauthError(400, "unsupported_grant_type", `Invalid grant_type: ${grantType}`);
  }

  private redeemCode(form: URLSearchParams, client: OAuthClient): FakeResponse {
    const code = form.get("code");
    if (!code) return oauthError(400, "invalid_request", "Missing required parameter: code");
    const grant = this.codes.get(code);
    if (!grant || grant.clientId !== client.clientId || this.now() >= grant.expiresAtMs) return oauthError(400, "invalid_grant", "Bad Request");
    if (form.get("redirect_uri") !== grant.redirectUri) return oauthError(400, "redirect_uri_mismatch", "Bad Request");
    if (grant.codeChallenge !== undefined) {
      const verifier = form.get("code_verifier");
      if (!verifier) return oauthError(400, "invalid_grant", "Missing code verifier.");
      const computed = grant.codeChallengeMethod === "S256" ? createHash("sha256").update(verifier).digest("base64url") : verifier;
      if (computed !== grant.codeChallenge) return oauthError(400, "invalid_grant", "Invalid code verifier.");
    }
    this.codes.delete(code); // a code is good for one exchange
    const body: Record<string, unknown> = { ...this.mintAccess(grant.email, grant.scopes, client.clientId, undefined) };
    if (grant.offline) {
      const refreshToken = token("1//0fake");
      const testing = this.publishingStatus === "testing";
      this.refreshTokens.set(refreshToken, { email: grant.email, scopes: grant.scopes, clientId: client.clientId, revoked: false, expiresAtMs: testing ? this.now() + TESTING_REFRESH_SECONDS * 1000 : undefined });
      body.refresh_token = refreshToken;
      if (testing) body.refresh_token_expires_in = TESTING_REFRESH_SECONDS;
      this.accessTokens.get(body.access_token as string)!.refreshToken = refreshToken;
    }
    return { status: 200, body };
  }

  private refresh(form: URLSearchParams, client: OAuthClient): FakeResponse {
    const refreshToken = form.get("refresh_token");
    if (!refreshToken) return oauthError(400, "invalid_request", "Missing required parameter: refresh_token");
    const grant = this.refreshTokens.get(refreshToken);
    if (!grant || grant.revoked || (grant.expiresAtMs !== undefined && this.now() >= grant.expiresAtMs)) return oauthError(400, "invalid_grant", "Token has been expired or revoked.");
    if (grant.clientId !== client.clientId) return oauthError(400, "unauthorized_client", "Unauthorized");
    return { status: 200, body: this.mintAccess(grant.email, grant.scopes, client.clientId, refreshToken) };
  }

  private mintAccess(email: string, scopes: string[], clientId: string, refreshToken: string | undefined): Record<string, unknown> {
    const accessToken = token("ya29.fake");
    this.identities.add({ token: accessToken, email, kind: "user", scopes });
    this.accessTokens.set(accessToken, { refreshToken, clientId, expiresAtMs: this.now() + ACCESS_TOKEN_SECONDS * 1000 });
    return { access_token: accessToken, expires_in: ACCESS_TOKEN_SECONDS, scope: scopes.join(" "), token_type: "Bearer" };
  }
}
