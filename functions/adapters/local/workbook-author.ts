/**
 * Who last saved a workbook, as the file itself says: the `lastModifiedBy` core property
 * (docProps/core.xml, written by Excel and LibreOffice from the user's name). For the trail of
 * changes; read only when a ward's reading changed, never trusted beyond a name shown to staff.
 */
import { readFile, stat } from "node:fs/promises";
import { DEFAULT_READ_LIMITS, openZip } from "./zip-entries.js";

const CORE = "docProps/core.xml";
/** The core properties are a few hundred bytes; anything past this is not read. */
const CORE_BUDGET = 64 * 1024;
/** Names libraries write when they know no user (exceljs: "Unknown"): no one to show staff. */
const PLACEHOLDERS = new Set(["Unknown"]);
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

const decoded = (text: string): string =>
  text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/giu, (_, e: string) =>
    e.startsWith("#x") || e.startsWith("#X") ? String.fromCodePoint(Number.parseInt(e.slice(2), 16)) : e.startsWith("#") ? String.fromCodePoint(Number(e.slice(1))) : (ENTITIES[e.toLowerCase()] ?? ""),
  );

/** The workbook's last-modified-by name, or null when the file, the part or the property is missing or unreadable. */
export async function workbookLastModifiedBy(file: string): Promise<string | null> {
  try {
    if ((await stat(file)).size > DEFAULT_READ_LIMITS.fileBytes) return null;
    const zip = await openZip(await readFile(file));
    if (!zip.entries.has(CORE)) return null;
    const xml = await zip.readText(CORE, CORE_BUDGET);
    const value = /<(?:[\w-]+:)?lastModifiedBy(?:\s[^>]*)?>([^<]*)</u.exec(xml)?.[1];
    const name = value === undefined ? "" : decoded(value).trim();
    return name && !PLACEHOLDERS.has(name) ? name : null;
  } catch {
    return null;
  }
}
