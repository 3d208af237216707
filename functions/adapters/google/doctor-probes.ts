/**
 * The safe calls behind `tieuchi doctor`: each reads, or writes and deletes its own probe, and
 * answers as data (never throws). One attempt each: the doctor reports, it does not wait out
 * quotas.
 */
import { randomUUID } from "node:crypto";
import type { DoctorProbes, Probe, ProbeFailure } from "../../app/doctor.js";
import type { GoogleAuthClient, GoogleClients } from "./clients.js";
import { type GcsAuthClient, gcsKeyValueStore } from "./gcs-store.js";
import { detailOf, errorInfoValue, networkCodeOf, reasonsOf, statusOf } from "./google-errors.js";

export interface DoctorProbeOptions {
  clients: GoogleClients;
  /** The credentials behind the clients (their access token is looked up with tokeninfo). */
  auth: GoogleAuthClient;
  /** The credentials for the state bucket. */
  stateAuth: GcsAuthClient;
  /** An emulator's root (tests); Google's endpoints otherwise. */
  rootUrl?: string;
  fetch?: typeof fetch;
  /** How the bucket probe waits before retrying (Cloud Storage allows one write per second per object). */
  sleep?: (ms: number) => Promise<void>;
}

/** google-auth-library's refusal when neither ADC nor any other credential exists (English; never shown). */
const NO_CREDENTIALS = /could not load the default credentials/i;
const SCOPE_REASONS = new Set(["ACCESS_TOKEN_SCOPE_INSUFFICIENT", "insufficientPermissions", "insufficientScopes"]);
const PROBE_ID = "tieuchi-doctor-probe";

/** The library's "no credentials" error anywhere in the cause chain (retry and state errors wrap it). */
function hasNoCredentials(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) if (NO_CREDENTIALS.test(e.message)) return true;
  return false;
}

/** A failed call, classified for the fix the doctor prints. */
function classifyFailure(error: unknown): ProbeFailure {
  const failure = apiFailureIn(error);
  const status = statusOf(failure);
  const reasons = reasonsOf(failure);
  if (status === null && hasNoCredentials(error)) return { kind: "noCredentials" };
  if (status === null) return { kind: "unreachable", reason: networkCodeOf(error) ?? (error instanceof Error ? error.message : String(error)) };
  if (reasons.includes("SERVICE_DISABLED") || reasons.includes("accessNotConfigured")) return { kind: "disabled", activationUrl: errorInfoValue(failure, "activationUrl") };
  if (reasons.some((r) => SCOPE_REASONS.has(r))) return { kind: "scope" };
  if (status === 401) return { kind: "unauthenticated" };
  if (status === 404) return { kind: "notFound" };
  const message = shortMessage(failure);
  if (status === 403) return { kind: "denied", reason: reasons.find((r) => r !== "forbidden") ?? reasons[0] ?? null, message };
  return { kind: "failed", status, message };
}

/** Google's own message, on one line and short (never a raw body). */
function shortMessage(failure: unknown): string {
  let text = detailOf(failure);
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } };
    if (typeof parsed.error?.message === "string") text = parsed.error.message;
  } catch {
    // not JSON: keep the text
  }
  const line = text.split("\n", 1)[0] ?? "";
  return line.length > 160 ? `${line.slice(0, 157)}…` : line;
}

/** The innermost failure that carries an HTTP status (StateStoreError and GoogleApiError wrap it as their cause). */
function apiFailureIn(error: unknown): unknown {
  let found = error;
  for (let e: unknown = error, depth = 0; typeof e === "object" && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (statusOf(e) !== null) found = e;
  }
  return found;
}

async function probe<T>(call: () => Promise<T>): Promise<Probe<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    return { ok: false, failure: classifyFailure(error) };
  }
}

/** "Not found" on a made-up id proves the API answered. */
async function reachable(call: () => Promise<unknown>): Promise<Probe<void>> {
  const outcome = await probe(call);
  return outcome.ok || outcome.failure.kind === "notFound" ? { ok: true, value: undefined } : outcome;
}

async function accessTokenOf(auth: GoogleAuthClient): Promise<string> {
  const token = await (auth as { getAccessToken(): Promise<string | null | undefined | { token?: string | null }> }).getAccessToken();
  const value = typeof token === "string" ? token : token?.token;
  if (!value) throw new Error("no access token");
  return value;
}

export function googleDoctorProbes(options: DoctorProbeOptions): DoctorProbes {
  const { clients, auth, rootUrl } = options;
  const fetchFn = options.fetch ?? fetch;
  const { drive } = clients;
  const supportsAllDrives = true;
  return {
    whoAmI: () =>
      probe(async () => {
        const { data } = await drive.about.get({ fields: "user(emailAddress),storageQuota(limit)" });
        return { email: data.user?.emailAddress ?? "", storageLimit: data.storageQuota?.limit ?? null };
      }),
    grantedScopes: () =>
      probe(async () => {
        const url = new URL("tokeninfo", rootUrl ?? "https://oauth2.googleapis.com/");
        url.searchParams.set("access_token", await accessTokenOf(auth));
        const response = await fetchFn(url);
        const body = (await response.json()) as { scope?: unknown; email?: unknown };
        if (!response.ok) throw Object.assign(new Error(`tokeninfo ${response.status}`), { status: response.status === 400 ? 401 : response.status });
        const scopes = typeof body.scope === "string" ? body.scope.split(" ").filter(Boolean) : [];
        return { scopes, email: typeof body.email === "string" ? body.email : null };
      }),
    sheets: () => reachable(() => clients.sheets.spreadsheets.get({ spreadsheetId: PROBE_ID, fields: "spreadsheetId" })),
    docs: () => reachable(() => clients.docs.documents.get({ documentId: PROBE_ID })),
    folder: (folderId) =>
      probe(async () => {
        const { data } = await drive.files.get({ fileId: folderId, fields: "id,name,driveId", supportsAllDrives });
        return { name: data.name ?? folderId, driveId: data.driveId ?? null };
      }),
    writeProbeFile: (folderId) =>
      probe(async () => {
        const requestBody = { name: `${PROBE_ID}-${randomUUID()}.txt`, parents: [folderId], mimeType: "text/plain" };
        const { data } = await drive.files.create({ requestBody, fields: "id", supportsAllDrives });
        if (data.id) await drive.files.delete({ fileId: data.id, supportsAllDrives });
      }),
    writeProbeObject: (bucket) =>
      probe(async () => {
        // A few retries: the delete follows the write on the same object, which Cloud Storage may refuse for a second.
        const retry = { maxAttempts: 3, ...(options.sleep ? { sleep: options.sleep } : {}) };
        const kv = gcsKeyValueStore({ auth: options.stateAuth, bucket, prefix: "doctor/", retry, ...(rootUrl ? { rootUrl } : {}) });
        const key = `probe-${randomUUID()}.json`;
        await kv.put(key, { probe: true }, null);
        await kv.delete(key);
      }),
    postWithoutToken: (url) =>
      probe(async () => {
        const response = await fetchFn(url, { method: "POST", headers: { "X-Goog-Resource-State": "sync", "X-Goog-Message-Number": "1" }, signal: AbortSignal.timeout(15_000) });
        return { status: response.status, contentType: response.headers.get("content-type") ?? "", body: (await response.text()).slice(0, 200) };
      }),
  };
}
