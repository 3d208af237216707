/** What `tieuchi report` prints about the documents it wrote, one Vietnamese line each. */
import { basename, dirname, extname } from "node:path";
import { type UnitKind, unitCount } from "../functions/core/organisation.js";

/** Unit notices listed one by one; past it, one line for all (a province writes one per unit). */
export const NOTICE_LINES = 10;

export interface DocumentLine {
  key: string;
  title: string;
  /** A path (or, in a dry run, where it would go). */
  location: string;
  pdf: string | null;
  docx: string | null;
}

/** " (+ DOCX, PDF)": the other files written beside the HTML. */
function fileKinds(d: Pick<DocumentLine, "pdf" | "docx">): string {
  const kinds = [...(d.docx ? ["DOCX"] : []), ...(d.pdf ? ["PDF"] : [])];
  return kinds.length ? ` (+ ${kinds.join(", ")})` : "";
}

/** "xa-*.html" for "xa-nghi-loc.html" of ward "nghi-loc" (key "ward/nghi-loc/2026-W49"). */
function namePattern(d: DocumentLine): string {
  const name = basename(d.location);
  const ext = extname(name);
  const id = d.key.split("/")[1] ?? "";
  const stem = name.slice(0, name.length - ext.length);
  return stem.endsWith(`-${id}`) ? `${stem.slice(0, -id.length - 1)}-*${ext}` : `*${ext}`;
}

/**
 * One line per town-level document (reports, proposals), then the unit notices: each on its
 * line up to NOTICE_LINES, else one line with their count, folder and file-name patterns.
 * `show` turns a location into what is printed (a path relative to the working folder).
 */
export function documentLines(documents: readonly DocumentLine[], o: { show: (location: string) => string; kinds: readonly UnitKind[]; period: string }): string[] {
  const notices = documents.filter((d) => d.key.startsWith("ward/"));
  const listed = notices.length > NOTICE_LINES ? documents.filter((d) => !d.key.startsWith("ward/")) : documents;
  const lines = listed.map((d) => `  ${d.title}: ${o.show(d.location)}${fileKinds(d)}`);
  if (listed.length === documents.length) return lines;
  const first = notices[0]!;
  const patterns = [...new Set(notices.map(namePattern))];
  lines.push(`  Thông báo cho ${unitCount(notices.length, o.kinds)} (${o.period}): ${o.show(dirname(first.location))}/ (${patterns.join(", ")})${fileKinds(first)}`);
  return lines;
}
