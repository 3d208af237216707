/**
 * Who calls the fake: each bearer token stands for one identity (a service account or a user) with the
 * scopes its token was granted. Google decides everything per token: what Drive shows, who owns a new
 * file, whether the call is allowed at all; the fake does the same.
 */

export type IdentityKind = "serviceAccount" | "user";

export interface Identity {
  token: string;
  email: string;
  kind: IdentityKind;
  /** Full scope URLs, as granted to the token. */
  scopes: string[];
  displayName: string;
}

const base = "https://www.googleapis.com/auth/";

export const scopes = {
  spreadsheets: `${base}spreadsheets`,
  spreadsheetsReadonly: `${base}spreadsheets.readonly`,
  drive: `${base}drive`,
  driveReadonly: `${base}drive.readonly`,
  driveFile: `${base}drive.file`,
  driveMetadata: `${base}drive.metadata`,
  driveMetadataReadonly: `${base}drive.metadata.readonly`,
  documents: `${base}documents`,
  devstorageReadWrite: `${base}devstorage.read_write`,
  devstorageFullControl: `${base}devstorage.full_control`,
  cloudPlatform: `${base}cloud-platform`,
} as const;

/**
 * What the service account of the product asks for (GOOGLE_SCOPES + STATE_SCOPE in functions/adapters/google/clients.ts),
 * plus Docs for the reports. Kept by hand, not imported: the fake must not depend on the product.
 */
export const productScopes: readonly string[] = [scopes.spreadsheets, scopes.drive, scopes.devstorageReadWrite, scopes.documents];
/** What the product asks a Gmail user for (USER_SCOPES): its own files only, plus Sheets for a town spreadsheet made by hand. */
export const userScopes: readonly string[] = [scopes.driveFile, scopes.spreadsheets];
/** A narrower grant (what the product asked for before it needed the full Drive scope): metadata of everything, content of its own files. */
export const narrowScopes: readonly string[] = [scopes.spreadsheets, scopes.driveMetadataReadonly, scopes.driveFile, scopes.devstorageReadWrite, scopes.documents];

/** The account the product runs as on Cloud Functions (token "test-token"). */
export const fakeServiceAccount = "fake-service-account@fake-project.iam.gserviceaccount.com";
/** The office's Gmail account the product can act as through OAuth (token "user-token", userScopes). */
export const fakeUser = "canbo.tonghop@gmail.example";
/** Whoever types into a ward's sheet in the browser: edits made by test helpers are this person's. */
export const fakeStaff = "canbo.phuong@gmail.example";

export class IdentityRegistry {
  private readonly byTokens = new Map<string, Identity>();

  add(input: { token: string; email: string; kind: IdentityKind; scopes: readonly string[]; displayName?: string }): Identity {
    if (this.byTokens.has(input.token)) throw new Error(`Token ${input.token} is already registered.`);
    const identity: Identity = {
      token: input.token,
      email: input.email,
      kind: input.kind,
      scopes: [...input.scopes],
      displayName: input.displayName ?? defaultDisplayName(input.email, input.kind),
    };
    this.byTokens.set(identity.token, identity);
    return identity;
  }

  byToken(token: string): Identity | undefined {
    return this.byTokens.get(token);
  }

  /** The first identity with this email (several tokens may stand for one account with different scopes). */
  byEmail(email: string): Identity | undefined {
    return [...this.byTokens.values()].find((identity) => identity.email === email);
  }

  list(): Identity[] {
    return [...this.byTokens.values()];
  }
}

/** A registry holding the two identities every test may use. */
export function createIdentityRegistry(): IdentityRegistry {
  const registry = new IdentityRegistry();
  registry.add({ token: "test-token", email: fakeServiceAccount, kind: "serviceAccount", scopes: productScopes });
  registry.add({ token: "user-token", email: fakeUser, kind: "user", scopes: userScopes, displayName: "Cán bộ tổng hợp" });
  return registry;
}

export function hasScope(identity: Identity, ...wanted: string[]): boolean {
  return wanted.some((scope) => identity.scopes.includes(scope));
}

function defaultDisplayName(email: string, kind: IdentityKind): string {
  const local = email.split("@")[0] ?? email;
  return kind === "serviceAccount" ? local : local.replace(/[._]/g, " ");
}
