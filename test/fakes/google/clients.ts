/** The real googleapis clients, pointed at a FakeGoogle with a static bearer token. */
import { docs, type docs_v1 } from "@googleapis/docs";
import { drive, type drive_v3 } from "@googleapis/drive";
import { sheets, type sheets_v4 } from "@googleapis/sheets";
import { OAuth2Client } from "google-auth-library";
import type { FakeGoogle } from "./server.js";

export function fakeGoogleAuth(): OAuth2Client {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: "test-token", expiry_date: Date.now() + 3_600_000 });
  return auth;
}

export interface FakeGoogleClients {
  auth: OAuth2Client;
  sheets: sheets_v4.Sheets;
  drive: drive_v3.Drive;
  docs: docs_v1.Docs;
}

export function fakeGoogleClients(fake: Pick<FakeGoogle, "url">, auth: OAuth2Client = fakeGoogleAuth()): FakeGoogleClients {
  return {
    auth,
    sheets: sheets({ version: "v4", auth, rootUrl: fake.url }),
    drive: drive({ version: "v3", auth, rootUrl: fake.url }),
    docs: docs({ version: "v1", auth, rootUrl: fake.url }),
  };
}
