/**
 * `tieuchi doctor`: a deployment's prerequisites, checked with safe calls. The calls live in an
 * adapter behind DoctorProbes; here each outcome becomes a check as data
 * (`{id, ok, title, detail, fix}`), and the report is formatted from the checks alone.
 */
import * as judge from "./doctor-checks.js";

export type DoctorCheckId =
  | "identity"
  | "api-drive"
  | "api-sheets"
  | "api-docs"
  | "api-storage"
  | "scopes"
  | "wards-folder"
  | "drive-kind"
  | "wards-folder-writable"
  | "state-bucket"
  | "webhook"
  | "channel-token"
  | "quota";

export interface DoctorCheck {
  id: DoctorCheckId;
  ok: boolean;
  /** What is checked, in Vietnamese. */
  title: string;
  /** What was found. */
  detail: string;
  /** What the admin should do; null when the check passed. */
  fix: string | null;
}

/** Why a probe failed, classified so the fix can be specific. */
export type ProbeFailure =
  | { kind: "disabled"; activationUrl: string | null }
  | { kind: "scope" }
  | { kind: "unauthenticated" }
  | { kind: "denied"; reason: string | null; message: string }
  | { kind: "notFound" }
  | { kind: "unreachable"; reason: string }
  /** No credentials at all on this machine (no ADC, no refresh token): nothing was asked of Google. */
  | { kind: "noCredentials" }
  | { kind: "failed"; status: number | null; message: string };

export type Probe<T> = { ok: true; value: T } | { ok: false; failure: ProbeFailure };

/** The safe calls the doctor makes; each answers as data and never throws. */
export interface DoctorProbes {
  /** Drive about.get: who the credentials are. */
  whoAmI(): Promise<Probe<{ email: string; storageLimit: string | null }>>;
  /** The scopes granted to the current access token, and its account when tokeninfo says (OAuth tokeninfo). */
  grantedScopes(): Promise<Probe<{ scopes: string[]; email: string | null }>>;
  /** A cheap Sheets call; "not found" counts as reachable. */
  sheets(): Promise<Probe<void>>;
  /** A cheap Docs call; "not found" counts as reachable. */
  docs(): Promise<Probe<void>>;
  folder(folderId: string): Promise<Probe<{ name: string; driveId: string | null }>>;
  /** Create and delete a small file in the folder. */
  writeProbeFile(folderId: string): Promise<Probe<void>>;
  /** Write and delete a small object in the bucket. */
  writeProbeObject(bucket: string): Promise<Probe<void>>;
  /** POST to the webhook without a channel token: status, content type and body. */
  postWithoutToken(url: string): Promise<Probe<{ status: number; contentType: string; body: string }>>;
}

export interface DoctorSettings {
  wardsFolderId: string | null;
  stateBucket: string | null;
  webhookUrl: string | null;
  channelToken: string | null;
  wardCount: number;
  /** The scopes each kind of identity needs. */
  requiredScopes: { serviceAccount: readonly string[]; user: readonly string[] };
}

/** Run every check; the probes that do not depend on each other run together. */
export async function runDoctor(probes: DoctorProbes, settings: DoctorSettings): Promise<DoctorCheck[]> {
  const { wardsFolderId, stateBucket, webhookUrl } = settings;
  const [who, scopes, sheets, docs, folder, bucket, webhook] = await Promise.all([
    probes.whoAmI(),
    probes.grantedScopes(),
    probes.sheets(),
    probes.docs(),
    wardsFolderId ? probes.folder(wardsFolderId) : null,
    stateBucket ? probes.writeProbeObject(stateBucket) : null,
    webhookUrl ? probes.postWithoutToken(webhookUrl) : null,
  ]);
  // Without Drive (disabled, or no Drive scope) the token's own account still tells who this is.
  const tokenEmail = scopes.ok ? scopes.value.email : null;
  const identity = who.ok ? judge.identityOf(who.value) : tokenEmail ? judge.identityOf({ email: tokenEmail, storageLimit: null }) : null;
  // The probe file is written only into a folder that was found, and only when it may be written there.
  const write = wardsFolderId && folder?.ok ? await probes.writeProbeFile(wardsFolderId) : null;
  return [
    judge.identityCheck(who, identity),
    judge.apiCheck("api-drive", who),
    judge.apiCheck("api-sheets", sheets),
    judge.apiCheck("api-docs", docs),
    judge.apiCheck("api-storage", bucket),
    judge.scopesCheck(scopes, identity, settings.requiredScopes),
    judge.folderCheck(wardsFolderId, folder, identity),
    judge.driveKindCheck(folder, identity),
    judge.folderWriteCheck(write, identity),
    judge.bucketCheck(stateBucket, bucket),
    judge.webhookCheck(webhookUrl, webhook),
    judge.channelTokenCheck(settings.channelToken),
    judge.quotaCheck(settings.wardCount),
  ];
}

/** Exit code of `tieuchi doctor`: 0 only when every check passed. */
export function doctorExitCode(checks: readonly DoctorCheck[]): number {
  return checks.every((c) => c.ok) ? 0 : 1;
}

/** The report for the admin: one line per check (✓/✗), the fix under each failed one. */
export function formatDoctorReport(checks: readonly DoctorCheck[]): string {
  const lines = checks.flatMap((c) => [`${c.ok ? "✓" : "✗"} ${c.title}: ${c.detail}`, ...(c.fix ? [`    Cách xử lý: ${c.fix}`] : [])]);
  const failed = checks.filter((c) => !c.ok).length;
  lines.push("", failed === 0 ? `Tất cả ${checks.length} mục đều đạt.` : `Còn ${failed}/${checks.length} mục cần xử lý.`);
  return lines.join("\n");
}
