/**
 * Copies of a programme's tab. Staff copy a tab "to try" ("CA phường kiểu mẫu (2)" in Excel,
 * "…_2" in LibreOffice, "Bản sao của …" in Google Sheets), edit the copy, and expect it to
 * count. Only the tab titled as the catalogue says counts: a copy is found (by its title, or by
 * a header row and criterion codes like a programme's) so the ward can be told.
 */
import type { Catalogue } from "../../sheets-schema/catalogue.js";
import { CHECK_TAB, GUIDE_TAB, SUMMARY_TAB } from "../../sheets-schema/layout.js";
import { foldKey } from "../../sheets-schema/text.js";
import type { RawSheet, RawWorkbook } from "./cells.js";
import type { CriterionRow } from "./parse-ward.js";

/** A tab that looks like a copy of a programme's tab. */
/** Parses a tab's header row and rows (parse-ward's parseSheetBody, passed in to keep the modules acyclic). */
export type ParseBody = (sheet: RawSheet) => { columns: { code?: number }; rows: CriterionRow[] } | undefined;

export interface TabCopy {
  /** Its title in the workbook. */
  tab: string;
  /** True when what staff typed in it differs from the tab that counts (or that tab is missing). */
  edited: boolean;
}

const SERVICE_TABS = new Set([GUIDE_TAB, CHECK_TAB, SUMMARY_TAB].map(foldKey));
// Folded copy markers: "(2)", "_2", " 2", "copy", "bản sao", "Bản sao của …", "Copy of …".
const COPY_PREFIX = /^(?:ban sao cua|ban sao|copy of|sao chep cua|sao chep) /u;
const COPY_SUFFIX = / (?:\d+|copy|ban sao|sao chep|copy \d+|ban sao \d+)$/u;
const MIN_SHARED_CODES = 0.5;

/**
 * For each programme id, the other tabs that look like copies of its tab.
 * `counted` maps each programme id to the tab that counts, when there is one.
 */
export function findTabCopies(
  workbook: RawWorkbook,
  catalogues: readonly Catalogue[],
  counted: ReadonlyMap<string, RawSheet | undefined>,
  parseBody: ParseBody,
): Map<string, TabCopy[]> {
  const countedTabs = new Set([...counted.values()].filter((s): s is RawSheet => s !== undefined));
  const copies = new Map<string, TabCopy[]>();
  for (const sheet of workbook.sheets) {
    if (countedTabs.has(sheet) || SERVICE_TABS.has(foldKey(sheet.title))) continue;
    const catalogue = programmeByTitle(sheet.title, catalogues) ?? programmeByContent(parseBody(sheet), catalogues);
    if (!catalogue) continue;
    const original = counted.get(catalogue.id);
    const list = copies.get(catalogue.id) ?? [];
    list.push({ tab: sheet.title, edited: original === undefined || !sameInput(parseBody(sheet), parseBody(original)) });
    copies.set(catalogue.id, list);
  }
  return copies;
}

/** The programme whose tab title this one is, once copy markers are taken off. */
function programmeByTitle(title: string, catalogues: readonly Catalogue[]): Catalogue | undefined {
  const folded = foldKey(title);
  const bare = folded.replace(COPY_PREFIX, "").replace(COPY_SUFFIX, "");
  if (bare === folded) return undefined;
  return catalogues.find((c) => foldKey(c.tabTitle) === bare);
}

/** The programme whose criterion codes this tab holds (most shared codes, at least half of both). */
function programmeByContent(body: ReturnType<ParseBody>, catalogues: readonly Catalogue[]): Catalogue | undefined {
  if (!body || body.columns.code === undefined) return undefined;
  const codes = new Set(body.rows.map((r) => r.code).filter((c): c is string => c !== null));
  let best: { catalogue: Catalogue; score: number } | undefined;
  for (const catalogue of catalogues) {
    const own = new Set(catalogue.criteria.map((c) => c.code.toUpperCase()));
    const shared = [...codes].filter((c) => own.has(c)).length;
    const score = shared / Math.max(codes.size, own.size, 1);
    if (score >= MIN_SHARED_CODES && (!best || score > best.score)) best = { catalogue, score };
  }
  return best?.catalogue;
}

const INPUT_KEYS = ["result", "points", "evidence", "note"] as const;

/** True when both tabs hold the same typed input for the same criterion codes. */
function sameInput(copy: ReturnType<ParseBody>, original: ReturnType<ParseBody>): boolean {
  const a = inputByCode(copy);
  const b = inputByCode(original);
  if (!a || !b || a.size !== b.size) return false;
  return [...a].every(([code, input]) => b.get(code) === input);
}

function inputByCode(body: ReturnType<ParseBody>): Map<string, string> | undefined {
  if (!body) return undefined;
  const byCode = new Map<string, string>();
  for (const row of body.rows) if (row.code !== null && !byCode.has(row.code)) byCode.set(row.code, rowInput(row));
  return byCode;
}

function rowInput(row: CriterionRow): string {
  return JSON.stringify(INPUT_KEYS.map((key) => row.cells[key]?.value ?? null));
}
