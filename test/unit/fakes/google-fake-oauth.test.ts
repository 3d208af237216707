import { sheets as sheetsApi } from "@googleapis/sheets";
import { OAuth2Client, gaxios } from "google-auth-library";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type ManualClock, manualClock } from "../../fakes/clock.js";
import { type FakeGoogle, scopes, startFakeGoogle } from "../../fakes/google/server.js";

let fake: FakeGoogle;
let clock: ManualClock;
const redirectUri = "http://127.0.0.1:53682/oauth2callback";
const email = "canbo.tonghop@gmail.example";

beforeEach(async () => {
  clock = manualClock("2026-12-01T08:00:00+07:00");
  fake = await startFakeGoogle({ now: clock.ms });
});
afterEach(() => fake.close());

/** google-auth-library's OAuth2Client aimed at the fake, exactly as product code can be configured. */
function oauthClient(): OAuth2Client {
  const { clientId, clientSecret } = fake.oauth.client;
  return new OAuth2Client({
    clientId,
    clientSecret,
    redirectUri,
    forceRefreshOnFailure: true,
    endpoints: { oauth2TokenUrl: `${fake.url}token`, tokenInfoUrl: `${fake.url}tokeninfo`, oauth2AuthBaseUrl: `${fake.url}o/oauth2/v2/auth`, oauth2RevokeUrl: `${fake.url}revoke` },
  });
}

async function failureOf(promise: Promise<unknown>): Promise<gaxios.GaxiosError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(gaxios.GaxiosError);
  return error as gaxios.GaxiosError;
}

describe("fake OAuth 2.0 server", () => {
  it("exchanges a PKCE code for tokens whose access token the APIs accept with the granted scopes", async () => {
    const client = oauthClient();
    const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync();
    const code = fake.oauth.issueCode({ email, scopes: [scopes.spreadsheets, scopes.driveFile], redirectUri, codeChallenge: codeChallenge ?? "" });
    const { tokens } = await client.getToken({ code, codeVerifier });
    expect(tokens).toMatchObject({ access_token: expect.stringMatching(/^ya29\./), refresh_token: expect.stringMatching(/^1\/\//), scope: `${scopes.spreadsheets} ${scopes.driveFile}`, token_type: "Bearer" });
    expect(fake.identities.byToken(tokens.access_token ?? "")).toMatchObject({ email, kind: "user", scopes: [scopes.spreadsheets, scopes.driveFile] });
    client.setCredentials(tokens);
    const info = await client.getTokenInfo(tokens.access_token ?? "");
    expect(info).toMatchObject({ email, email_verified: "true", aud: fake.oauth.client.clientId, scopes: [scopes.spreadsheets, scopes.driveFile] });
    const viaQuery = await fetch(`${fake.url}tokeninfo?access_token=${tokens.access_token}`);
    expect(await viaQuery.json()).toMatchObject({ azp: fake.oauth.client.clientId, expires_in: "3599", exp: String(clock.ms() / 1000 + 3599) });
    // A code is good once.
    const again = await failureOf(client.getToken({ code, codeVerifier }));
    expect(again.response?.data).toEqual({ error: "invalid_grant", error_description: "Bad Request" });
  });

  it("checks the PKCE verifier, the redirect URI and the client secret as Google does", async () => {
    const client = oauthClient();
    const { codeChallenge } = await client.generateCodeVerifierAsync();
    const issue = () => fake.oauth.issueCode({ email, scopes: [scopes.spreadsheets], redirectUri, codeChallenge: codeChallenge ?? "" });
    expect((await failureOf(client.getToken({ code: issue() }))).response?.data).toEqual({ error: "invalid_grant", error_description: "Missing code verifier." });
    expect((await failureOf(client.getToken({ code: issue(), codeVerifier: "x".repeat(43) }))).response?.data).toEqual({ error: "invalid_grant", error_description: "Invalid code verifier." });
    const mismatch = await failureOf(client.getToken({ code: issue(), redirect_uri: "http://127.0.0.1:1/other" }));
    expect(mismatch.response?.data).toMatchObject({ error: "redirect_uri_mismatch" });
    const badSecret = new OAuth2Client({ clientId: fake.oauth.client.clientId, clientSecret: "wrong", redirectUri, endpoints: { oauth2TokenUrl: `${fake.url}token` } });
    const unauthorised = await failureOf(badSecret.getToken({ code: fake.oauth.issueCode({ email, scopes: [scopes.spreadsheets], redirectUri }) }));
    expect([unauthorised.status, unauthorised.response?.data]).toEqual([401, { error: "invalid_client", error_description: "Unauthorized" }]);
  });

  it("expires access tokens on the injected clock; the client refreshes and carries on; a revoked grant is invalid_grant", async () => {
    const client = oauthClient();
    const { tokens } = await client.getToken({ code: fake.oauth.issueCode({ email, scopes: [scopes.spreadsheets], redirectUri }) });
    client.setCredentials(tokens);
    const id = fake.sheets.create("Ward", { Sheet1: [["x"]] });
    fake.drive.openWithApp(id, email);
    const service = sheetsApi({ version: "v4", auth: client, rootUrl: fake.url, retry: false });
    clock.advance(3600_000);
    const expired = await fetch(`${fake.url}v4/spreadsheets/${id}`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ error: { code: 401, status: "UNAUTHENTICATED", details: [{ reason: "ACCESS_TOKEN_EXPIRED" }] } });
    expect((await fetch(`${fake.url}tokeninfo?access_token=${tokens.access_token}`)).status).toBe(400);
    fake.resetLog();
    await service.spreadsheets.values.get({ spreadsheetId: id, range: "Sheet1" }).catch(() => undefined);
    expect(client.credentials.access_token).not.toBe(tokens.access_token);
    fake.oauth.revoke(tokens.refresh_token ?? "");
    const refused = await failureOf(client.refreshAccessToken());
    expect(refused.response?.data).toEqual({ error: "invalid_grant", error_description: "Token has been expired or revoked." });
  });

  it("answers the consent page with a redirect carrying the code and state, as if the user clicked Allow", async () => {
    const client = oauthClient();
    const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync();
    const authUrl = client.generateAuthUrl({ access_type: "offline", scope: [scopes.spreadsheets, scopes.driveFile], state: "s1", code_challenge: codeChallenge ?? "", code_challenge_method: "S256" as never });
    expect(authUrl.startsWith(`${fake.url}o/oauth2/v2/auth?`)).toBe(true);
    expect((await fetch(authUrl, { redirect: "manual" })).status).toBe(403);
    fake.oauth.consent = { email, grant: [scopes.spreadsheets] };
    const response = await fetch(authUrl, { redirect: "manual" });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get("location") ?? "");
    expect([location.origin + location.pathname, location.searchParams.get("state"), location.searchParams.get("scope")]).toEqual([redirectUri, "s1", scopes.spreadsheets]);
    const { tokens } = await client.getToken({ code: location.searchParams.get("code") ?? "", codeVerifier });
    expect(tokens.scope).toBe(scopes.spreadsheets);
    fake.oauth.consent = { email, deny: true };
    const denied = new URL((await fetch(authUrl, { redirect: "manual" })).headers.get("location") ?? "");
    expect(denied.searchParams.get("error")).toBe("access_denied");
    const oob = new URL(authUrl);
    oob.searchParams.set("redirect_uri", "urn:ietf:wg:oauth:2.0:oob");
    expect((await fetch(oob, { redirect: "manual" })).status).toBe(400);
  });

  it("gives a Testing-status app's refresh tokens seven days", async () => {
    fake.oauth.publishingStatus = "testing";
    const client = oauthClient();
    const { tokens } = await client.getToken({ code: fake.oauth.issueCode({ email, scopes: [scopes.spreadsheets], redirectUri }) });
    expect((tokens as { refresh_token_expires_in?: number }).refresh_token_expires_in).toBe(604_799);
    client.setCredentials(tokens);
    clock.advance(604_799_000);
    expect((await failureOf(client.refreshAccessToken())).response?.data).toMatchObject({ error: "invalid_grant" });
  });
});
