import { GoogleAuth, OAuth2Client } from "google-auth-library";
import { describe, expect, it } from "vitest";
import { GOOGLE_SCOPES, createGoogleClients, defaultAuth, uploadOptions } from "../../../../functions/adapters/google/clients.js";

describe("Google clients", () => {
  it("builds Application Default Credentials asking for the narrow scopes", () => {
    expect(defaultAuth()).toBeInstanceOf(GoogleAuth);
    expect(GOOGLE_SCOPES).toEqual([
      "https://www.googleapis.com/auth/spreadsheets",
      "https://www.googleapis.com/auth/drive.metadata.readonly",
      "https://www.googleapis.com/auth/drive.file",
    ]);
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
