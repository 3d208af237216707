import { GoogleAuth, OAuth2Client } from "google-auth-library";
import { describe, expect, it } from "vitest";
import { GOOGLE_SCOPES, STATE_SCOPE, createGoogleClients, defaultAuth, serviceAuth, uploadOptions } from "../../../../functions/adapters/google/clients.js";

describe("Google clients", () => {
  it("builds Application Default Credentials asking for the narrow scopes", () => {
    const auth = defaultAuth();
    expect(auth).toBeInstanceOf(GoogleAuth);
    expect(auth["scopes"]).toEqual([ // private in the typings; the requested scopes are what matters
      "https://www.googleapis.com/auth/spreadsheets",
      "https://www.googleapis.com/auth/drive.metadata.readonly",
      "https://www.googleapis.com/auth/drive.file",
    ]);
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
});
