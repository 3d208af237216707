/** Shared set-up for the fake Drive's own tests: real clients per bearer token, and the error a call failed with. */
import { drive, type drive_v3 } from "@googleapis/drive";
import { sheets, type sheets_v4 } from "@googleapis/sheets";
import { OAuth2Client, gaxios } from "google-auth-library";
import { expect } from "vitest";
import type { FakeGoogle } from "../../fakes/google/server.js";

const { GaxiosError } = gaxios;
type GaxiosError<T = unknown> = gaxios.GaxiosError<T>;

function authFor(token: string): OAuth2Client {
  const auth = new OAuth2Client();
  // The fake checks the token only; the client just must not try to refresh it.
  auth.setCredentials({ access_token: token, expiry_date: Number.MAX_SAFE_INTEGER });
  return auth;
}

export function driveAs(fake: FakeGoogle, token = "test-token"): drive_v3.Drive {
  return drive({ version: "v3", auth: authFor(token), rootUrl: fake.url });
}

export function sheetsAs(fake: FakeGoogle, token = "test-token"): sheets_v4.Sheets {
  return sheets({ version: "v4", auth: authFor(token), rootUrl: fake.url });
}

export async function failureOf(promise: Promise<unknown>): Promise<GaxiosError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(GaxiosError);
  return error as GaxiosError;
}

/** The JSON error body Google sent. */
export function errorOf(failure: GaxiosError): unknown {
  return failure.response?.data;
}
