import { GoogleAuth, OAuth2Client } from "google-auth-library";
import { describe, expect, it } from "vitest";
import { GOOGLE_SCOPES, STATE_SCOPE, USER_SCOPES, createGoogleClients, defaultAuth, googleAuthFromEnv, serviceAuth, uploadOptions } from "../../../../functions/adapters/google/clients.js";
import { ConfigError } from "../../../../functions/errors.js";

describe("Google clients", () => {
  it("builds Application Default Credentials asking for the service account's scopes", () => {
    const auth = defaultAuth();
    expect(auth).toBeInstanceOf(GoogleAuth);
    expect(auth["scopes"]).toEqual([ // private in the typings; the requested scopes are what matters
      "https://www.googleapis.com/auth/spreadsheets",
      "https://www.googleapis.com/auth/drive",
    ]);
    expect(USER_SCOPES).toEqual(["https://www.googleapis.com/auth/drive.file", "https://www.googleapis.com/auth/spreadsheets"]);
  });

  it("gives the runtime ADC with the state scope, or a fixed token for an emulator", async () => {
    const adc = serviceAuth(null);
    expect(adc).toBeInstanceOf(GoogleAuth);
    expect((adc as GoogleAuth)["scopes"]).toEqual([...GOOGLE_SCOPES, STATE_SCOPE]);
    const fixed = serviceAuth("test-token");
    expect(fixed).toBeInstanceOf(OAuth2Client);
    expect((await (fixed as OAuth2Client).getAccessToken()).token).toBe("test-token");
  });

  it("turns the clients' own retry off and carries the root URL to uploads", () => {
    const clients = createGoogleClients({ auth: new OAuth2Client(), rootUrl: "http://127.0.0.1:9/" });
    for (const client of [clients.sheets, clients.drive, clients.docs]) {
      expect(client.context._options).toMatchObject({ retry: false, rootUrl: "http://127.0.0.1:9/" });
    }
    expect(uploadOptions(clients)).toEqual({ rootUrl: "http://127.0.0.1:9/" });
    expect(uploadOptions(createGoogleClients({ auth: new OAuth2Client() }))).toEqual({});
  });

  describe("googleAuthFromEnv: the one choice of identity", () => {
    const oauth = { TIEUCHI_OAUTH_CLIENT_ID: "id.apps.googleusercontent.com", TIEUCHI_OAUTH_CLIENT_SECRET: "secret" };
    it.each([
      ["nothing set: the service account (ADC), state on ADC too", {}, "serviceAccount"],
      ["a fixed token: an emulator, for everything", { TIEUCHI_GOOGLE_ACCESS_TOKEN: "t" }, "emulator"],
      ["a refresh token and its client: the user", { ...oauth, TIEUCHI_OAUTH_REFRESH_TOKEN: "1//r" }, "user"],
      ["a refresh token and a fixed token: the user, state on the fixed token", { ...oauth, TIEUCHI_OAUTH_REFRESH_TOKEN: "1//r", TIEUCHI_GOOGLE_ACCESS_TOKEN: "t" }, "user"],
    ] as const)("%s", (_, env, mode) => {
      const setup = googleAuthFromEnv(env);
      expect(setup.mode).toBe(mode);
      if (mode === "user") {
        expect(setup.google).toBeInstanceOf(OAuth2Client);
        expect((setup.google as OAuth2Client).credentials.refresh_token).toBe("1//r");
        expect(setup.state).not.toBe(setup.google);
      }
      if (mode === "serviceAccount") expect((setup.state as GoogleAuth)["scopes"]).toEqual([STATE_SCOPE]);
    });

    it("refuses a refresh token without its OAuth client, naming both variables", () => {
      const error = (() => {
        try {
          googleAuthFromEnv({ TIEUCHI_OAUTH_REFRESH_TOKEN: "1//r" });
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.map((p) => p.path)).toEqual(["env.TIEUCHI_OAUTH_CLIENT_ID", "env.TIEUCHI_OAUTH_CLIENT_SECRET"]);
    });
  });
});
