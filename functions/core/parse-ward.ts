/**
 * Parse a raw workbook against the sheet contract into a typed WardInput. Tolerant by design:
 * columns are found by header text (folded), rows by criterion code, so moved columns and
 * reordered rows still work. Structural problems are recorded as data for validation.
 */
import type { Catalogue } from "../../sheets-schema/catalogue.js";
import { COLUMNS, CONCLUSION_LABEL, type ColumnKey, SUBMISSION_LABEL, parseHeader } from "../../sheets-schema/layout.js";
import { foldKey } from "../../sheets-schema/text.js";
import { type CellValue, type RawSheet, type RawWorkbook, isBlank, parseRange, toA1 } from "./cells.js";
import { type InputCell, type SheetCells, sheetCells } from "./sheet-cells.js";
import { type TabCopy, findTabCopies } from "./tab-copies.js";
import { parseRows } from "./parse-rows.js";
import { foldCandidateTest } from "./fold-candidates.js";

export type { InputCell } from "./sheet-cells.js";

export interface CriterionRow {
  /** 1-based row number, as staff see it. */
  row: number;
  /** Criterion code as typed (normalised), or null when the code cell is blank. */
  code: string | null;
  cells: Partial<Record<ColumnKey, InputCell>>;
}

export interface ProgrammeSheet {
  programmeId: string;
  /** Tab title as found in the workbook, or the expected title when missing. */
  tab: string;
  found: boolean;
  /** 1-based header row, or null when no header row was recognised. */
  headerRow: number | null;
  /** 0-based column index of each recognised header. */
  columns: Partial<Record<ColumnKey, number>>;
  /** The ward-name label and the cell beside it, when the label is present. */
  wardName: { label: string; cell: InputCell } | null;
  /** The ward's Trạng thái cell (beside its label), or null when the tab has no such label (older layout). */
  submission: InputCell | null;
  /** The appraiser's Kết luận thẩm định cell (beside its label), or null when the tab has no such label. */
  conclusion: InputCell | null;
  rows: CriterionRow[];
  /** Other tabs that look like copies of this programme's tab (never counted). */
  copies: TabCopy[];
}

export interface WardInput {
  programmes: ProgrammeSheet[];
}

const HEADER_SCAN_ROWS = 30;
const WARD_COLUMNS: readonly ColumnKey[] = COLUMNS.filter((c) => !c.appraiser).map((c) => c.key);
// Folded keys of the label before the unit's name: "Tên phường:", "Tên xã:", "Tên đặc khu:", "Tên xã, phường:" …
const WARD_LABEL_KEYS = new Set(["ten phuong", "phuong", "don vi", "ten don vi", "ten xa", "xa", "ten dac khu", "dac khu", "ten thi tran", "thi tran", "ten xa phuong"]);
// Only cells that could fold to a header or a label are folded (issue 11: folding every string of 30 rows was 67% of parsing).
const isHeaderCandidate = foldCandidateTest(COLUMNS.map((c) => foldKey(c.header)));
// The labels of the status cells: "Trạng thái:", "Kết luận thẩm định:" (and the short "Kết luận:").
const LABEL_KIND = new Map<string, LabelKind>([
  ...[...WARD_LABEL_KEYS].map((key): [string, LabelKind] => [key, "wardName"]),
  [foldKey(SUBMISSION_LABEL), "submission"],
  [foldKey(CONCLUSION_LABEL), "conclusion"],
  ["ket luan", "conclusion"],
]);
const isLabelCandidate = foldCandidateTest(LABEL_KIND.keys());

type LabelKind = "wardName" | "submission" | "conclusion";
type LabelledCells = Pick<ProgrammeSheet, "wardName" | "submission" | "conclusion">;

/**
 * Parse every programme's tab of a ward workbook.
 *
 * @example parseWardWorkbook({ sheets: [{ title: "CA phường kiểu mẫu", rows }] }, [catalogue])
 */
export function parseWardWorkbook(workbook: RawWorkbook, catalogues: readonly Catalogue[]): WardInput {
  const counted = new Map(catalogues.map((c) => [c.id, findTab(workbook, c.tabTitle)]));
  const copies = findTabCopies(workbook, catalogues, counted, parseSheetBody);
  return { programmes: catalogues.map((catalogue) => parseProgrammeSheet(counted.get(catalogue.id), catalogue, copies.get(catalogue.id) ?? [])) };
}

/** The tab that counts for a programme: titled exactly as the catalogue says, else the same title folded ("Hoà"/"Hòa", case). */
function findTab(workbook: RawWorkbook, title: string): RawSheet | undefined {
  const key = foldKey(title);
  return workbook.sheets.find((s) => s.title === title) ?? workbook.sheets.find((s) => foldKey(s.title) === key);
}

function parseProgrammeSheet(sheet: RawSheet | undefined, catalogue: Catalogue, copies: TabCopy[]): ProgrammeSheet {
  if (!sheet) return programmeSheet(catalogue.id, { tab: catalogue.tabTitle, found: false }, undefined, NO_LABELS, copies);
  const read = sheetCells(sheet);
  const body = parseBody(sheet, read);
  const labels = findLabelledCells(sheet, read, body ? body.headerRow - 1 : sheet.rows.length);
  return programmeSheet(catalogue.id, { tab: sheet.title, found: true }, body, labels, copies);
}

const NO_LABELS: LabelledCells = { wardName: null, submission: null, conclusion: null };

/** The parsed tab as one literal (properties in their usual order), not spread together from parts: it is made twice a ward. */
function programmeSheet(programmeId: string, tab: Pick<ProgrammeSheet, "tab" | "found">, body: SheetBody | undefined, labels: LabelledCells, copies: TabCopy[]): ProgrammeSheet {
  return {
    programmeId,
    columns: body?.columns ?? {},
    wardName: labels.wardName,
    submission: labels.submission,
    conclusion: labels.conclusion,
    rows: body?.rows ?? [],
    headerRow: body?.headerRow ?? null,
    copies,
    tab: tab.tab,
    found: tab.found,
  };
}

type SheetBody = Pick<ProgrammeSheet, "headerRow" | "columns" | "rows"> & { headerRow: number };

/** The header row (1-based), the columns found on it, and the rows below: or undefined with no header row. */
export function parseSheetBody(sheet: RawSheet): SheetBody | undefined {
  return parseBody(sheet, sheetCells(sheet));
}

function parseBody(sheet: RawSheet, read: SheetCells): SheetBody | undefined {
  const header = findHeaderRow(sheet, read);
  if (!header) return undefined;
  return { headerRow: header.row + 1, columns: header.columns, rows: parseRows(sheet.rows.length, read, header.row, header.columns) };
}

function findHeaderRow(sheet: RawSheet, read: SheetCells): { row: number; columns: Partial<Record<ColumnKey, number>> } | undefined {
  let best: { row: number; columns: Partial<Record<ColumnKey, number>>; count: number } | undefined;
  const last = Math.min(sheet.rows.length, HEADER_SCAN_ROWS);
  for (let row = 0; row < last; row++) {
    const columns: Partial<Record<ColumnKey, number>> = {};
    let count = 0;
    const cells = sheet.rows[row] ?? [];
    for (let column = 0; column < cells.length; column++) {
      const key = headerAt(read, row, column, cells[column] ?? null);
      if (!key || columns[key] !== undefined) continue;
      columns[key] = column;
      count += 1;
    }
    if (count >= 2 && (!best || count > best.count)) best = { row, columns, count };
    // Every column of the ward's found (the appraiser's two are optional, absent from older workbooks): this is the header.
    if (count >= WARD_COLUMNS.length && WARD_COLUMNS.every((key) => columns[key] !== undefined)) break;
  }
  return best && { row: best.row, columns: best.columns };
}

/** The column a cell's text names, folding only a candidate (a covered cell of a merge names none). */
function headerAt(read: SheetCells, row: number, column: number, raw: CellValue): ColumnKey | undefined {
  if (typeof raw !== "string" || !isHeaderCandidate(raw)) return undefined;
  const value = read.value(row, column);
  return typeof value === "string" ? parseHeader(value) : undefined;
}

/** The first cell of each label above the header (ward name, Trạng thái, Kết luận thẩm định), and the value beside it. */
function findLabelledCells(sheet: RawSheet, read: SheetCells, beforeRow: number): LabelledCells {
  const found: LabelledCells = { wardName: null, submission: null, conclusion: null };
  for (let row = 0; row < Math.min(beforeRow, HEADER_SCAN_ROWS); row++) {
    const cells = sheet.rows[row] ?? [];
    for (let column = 0; column < cells.length; column++) {
      const kind = labelAt(read, row, column, cells[column] ?? null);
      if (!kind || found[kind]) continue;
      const cell = kind === "wardName" ? valueBeside(read, row, column, cells.length) : cellBeside(read, row, column);
      if (kind === "wardName") found.wardName = { label: toA1(row, column), cell };
      else found[kind] = cell;
    }
  }
  return found;
}

/** Which label a cell holds, folding only a candidate. */
function labelAt(read: SheetCells, row: number, column: number, raw: CellValue): LabelKind | undefined {
  if (typeof raw !== "string" || !isLabelCandidate(raw)) return undefined;
  const value = read.value(row, column);
  return typeof value === "string" ? LABEL_KIND.get(foldKey(value)) : undefined;
}

/** The first filled cell right of the ward-name label, or the cell just beside it when all are blank (where to type). */
function valueBeside(read: SheetCells, row: number, labelColumn: number, width: number): InputCell {
  for (let c = labelColumn + 1; c < width; c++) {
    const cell = read.cell(row, c);
    if (!isBlank(cell.value)) return cell;
  }
  return read.cell(row, labelColumn + 1);
}

/**
 * The cell just right of a status label (past the label's own merge), or the top-left of a merge
 * covering it: where the dropdown is, never a hint typed further along the row.
 */
function cellBeside(read: SheetCells, row: number, labelColumn: number): InputCell {
  const label = read.cell(row, labelColumn).merge;
  const right = label ? (parseRange(label.range)?.right ?? labelColumn) : labelColumn;
  const cell = read.cell(row, right + 1);
  const anchor = cell.merge && cell.merge.anchor !== cell.a1 ? parseRange(cell.merge.anchor) : undefined;
  return anchor ? read.cell(anchor.top, anchor.left) : cell;
}
