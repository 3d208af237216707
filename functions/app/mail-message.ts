/**
 * One composed email with its idempotency key: kind | recipients | scope | content hash, the
 * hash over data only (content-keys.ts), never a rendered sentence, a link or a path.
 */
import type { Catalogue } from "../../sheets-schema/catalogue.js";
import { contentHash } from "../hashing.js";
import type { MailMessage } from "../ports.js";

/** Programme short names by id, as the emails name them. */
export function programmeNames(catalogues: readonly Catalogue[]): Map<string, string> {
  return new Map(catalogues.map((c) => [c.id, c.shortName]));
}

/** A message keyed for the ledger: sent once per kind, recipients, scope and content. */
export function message(kind: string, to: string[], cc: string[], scope: string, content: unknown, rendered: Omit<MailMessage, "key" | "to" | "cc">): MailMessage {
  return { key: [kind, [...to, ...cc].join(","), scope, contentHash(content)].join("|"), to, cc, ...rendered };
}
