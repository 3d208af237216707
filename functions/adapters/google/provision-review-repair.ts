/**
 * Repairs of an EXISTING programme tab for the appraisal cycle, without touching a cell staff
 * typed in: the Trạng thái and Kết luận thẩm định labels (with the default status) where the
 * tab has none, the dropdown lists the cells lack, and the protection of the appraiser's cells
 * when it is missing. A tab of the older layout (header on row 5) has no blank rows above the
 * header for the two labels: they go to the right of the ward name and date (E3:F4), which the
 * parser finds there too.
 */
import type { sheets_v4 } from "@googleapis/sheets";
import { APPRAISAL_VALUES, CONCLUSION_LABEL, CONCLUSION_VALUES, SUBMISSION_LABEL, SUBMISSION_VALUES } from "../../../sheets-schema/layout.js";
import { CONCLUSION_ROW, SUBMISSION_ROW, type TabDropdown, type TabPlan, UPDATED_ROW, WARD_ROW } from "../../../sheets-schema/workbook-plan.js";
import { type CellValue, isBlank, toA1 } from "../../core/cells.js";
import type { ProgrammeSheet } from "../../core/parse-ward.js";
import { APPRAISAL_PROTECTION, appraisalAction, appraisalProtection, appraiserColumnRuns, listRequests } from "./provision-review.js";

type Request = sheets_v4.Schema$Request;

/** What the review repair needs of the existing tab. */
export interface ReviewTab {
  sheetId: number;
  values: CellValue[][];
  protections: readonly string[];
  /** "row:column" → the list values of the cell's dropdown ("Đạt|Chưa đạt"), when read. */
  listRules?: ReadonlyMap<string, string>;
  /** The appraiser cells' protections and their editors, when read. */
  appraisalEditors?: ReadonlyArray<{ id: number; users: readonly string[] }>;
}

export interface ReviewRepairInput {
  sheet: ReviewTab;
  tab: TabPlan;
  /** The tab as parsed with its header repaired. */
  parsed: ProgrammeSheet;
  headerRow: number;
  /** 0-based rows of the criteria (found and appended). */
  criterionRows: readonly number[];
  appraisers: readonly string[];
  requests: Request[];
  say(text: string): void;
}

const LABEL_COLUMN = 1;
/** Where the labels go on a tab of the older layout: right of the ward name and the date. */
const SIDE_COLUMN = 4;

function decodeA1(a1: string): { row: number; column: number } {
  const [, letters = "A", digits = "1"] = /^([A-Z]+)(\d+)$/u.exec(a1) ?? [];
  return { row: Number(digits) - 1, column: Array.from(letters).reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1 };
}

const blankAt = (sheet: ReviewTab, row: number, column: number): boolean => isBlank(sheet.values[row]?.[column] ?? null);

/** A free pair of cells (label, value) above the header for one label: the plan's place, else the side place. */
function placeFor(input: ReviewRepairInput, planRow: number, sideRow: number, taken: ReadonlySet<string>): { row: number; column: number } | null {
  const free = (row: number, column: number): boolean => row < input.headerRow && !taken.has(`${row}:${column}`) && blankAt(input.sheet, row, column) && blankAt(input.sheet, row, column + 1);
  if (free(planRow, LABEL_COLUMN)) return { row: planRow, column: LABEL_COLUMN };
  if (free(sideRow, SIDE_COLUMN)) return { row: sideRow, column: SIDE_COLUMN };
  return null;
}

function writeLabel(input: ReviewRepairInput, at: { row: number; column: number }, label: string, value: string | null): void {
  const values = [{ userEnteredValue: { stringValue: label } }, ...(value === null ? [] : [{ userEnteredValue: { stringValue: value } }])];
  input.requests.push({ updateCells: { start: { sheetId: input.sheet.sheetId, rowIndex: at.row, columnIndex: at.column }, rows: [{ values }], fields: "userEnteredValue" } });
  input.say(`ghi “${label}” vào ô ${toA1(at.row, at.column)}${value === null ? "" : ` (giá trị “${value}”)`}`);
}

/** The Trạng thái and Kết luận thẩm định cells: where they are, written where missing. */
function repairLabels(input: ReviewRepairInput): { submission: { row: number; column: number } | null; conclusion: { row: number; column: number } | null } {
  const taken = new Set<string>();
  const locate = (cell: ProgrammeSheet["submission"], label: string, value: string | null, planRow: number, sideRow: number): { row: number; column: number } | null => {
    if (cell) return decodeA1(cell.a1);
    const at = placeFor(input, planRow, sideRow, taken);
    if (!at) {
      input.say(`không còn chỗ trống phía trên hàng tiêu đề để ghi “${label}”; cần sửa tay`);
      return null;
    }
    taken.add(`${at.row}:${at.column}`).add(`${at.row}:${at.column + 1}`);
    writeLabel(input, at, label, value);
    return { row: at.row, column: at.column + 1 };
  };
  return {
    submission: locate(input.parsed.submission, SUBMISSION_LABEL, SUBMISSION_VALUES[0], SUBMISSION_ROW, WARD_ROW),
    conclusion: locate(input.parsed.conclusion, CONCLUSION_LABEL, null, CONCLUSION_ROW, UPDATED_ROW),
  };
}

/** Runs of consecutive rows lacking the list `dropdown` at `column`. */
function missingRuns(sheet: ReviewTab, dropdown: TabDropdown, column: number, rows: readonly number[]): Array<{ fromRow: number; toRow: number }> {
  const wanted = dropdown.values.join("|");
  const runs: Array<{ fromRow: number; toRow: number }> = [];
  for (const row of [...rows].sort((a, b) => a - b)) {
    if (sheet.listRules?.get(`${row}:${column}`) === wanted) continue;
    const last = runs.at(-1);
    if (last && last.toRow === row - 1) last.toRow = row;
    else runs.push({ fromRow: row, toRow: row });
  }
  return runs;
}

function repairLists(input: ReviewRepairInput, cells: ReturnType<typeof repairLabels>): void {
  const byValues = (values: readonly string[]): TabDropdown | undefined => input.tab.dropdowns.find((d) => d.values.join("|") === values.join("|"));
  const add = (dropdown: TabDropdown | undefined, column: number | undefined, rows: readonly number[], what: string): void => {
    if (!dropdown || column === undefined) return;
    const runs = missingRuns(input.sheet, dropdown, column, rows);
    if (runs.length === 0) return;
    input.requests.push(...listRequests(input.sheet.sheetId, { ...dropdown, column }, runs));
    input.say(`thêm danh sách chọn ở ${what}`);
  };
  const appraisal = byValues(APPRAISAL_VALUES);
  add(appraisal, input.parsed.columns.appraisal, input.criterionRows, `cột ${appraisal?.title ?? ""}`);
  if (cells.submission) add(byValues(SUBMISSION_VALUES), cells.submission.column, [cells.submission.row], `ô ${toA1(cells.submission.row, cells.submission.column)}`);
  if (cells.conclusion) add(byValues(CONCLUSION_VALUES), cells.conclusion.column, [cells.conclusion.row], `ô ${toA1(cells.conclusion.row, cells.conclusion.column)}`);
}

/**
 * The editors of existing appraiser protections, when review.appraisers changed: each must hold
 * every appraiser, and nobody else but the service account (the one editor not configured).
 */
function repairEditors(input: ReviewRepairInput): void {
  const wanted = new Set(input.appraisers.map((e) => e.toLowerCase()));
  const stale = (input.sheet.appraisalEditors ?? []).filter((p) => {
    const users = p.users.map((u) => u.toLowerCase());
    return [...wanted].some((e) => !users.includes(e)) || users.filter((u) => !wanted.has(u)).length > 1;
  });
  if (stale.length === 0) return;
  for (const p of stale) input.requests.push({ updateProtectedRange: { protectedRange: { protectedRangeId: p.id, editors: { users: [...input.appraisers] } }, fields: "editors" } });
  input.say(appraisalAction(input.appraisers).replace(/^Bảo vệ/u, "cập nhật người được sửa"));
}

function repairProtection(input: ReviewRepairInput, conclusion: { row: number; column: number } | null): void {
  if (input.sheet.protections.includes(APPRAISAL_PROTECTION)) return repairEditors(input);
  const { sheetId } = input.sheet;
  const columns = appraiserColumnRuns((key) => input.parsed.columns[key]).map(([startColumnIndex, endColumnIndex]) =>
    appraisalProtection(sheetId, { startRowIndex: input.headerRow + 1, startColumnIndex, endColumnIndex }, input.appraisers),
  );
  const cell = conclusion ? [appraisalProtection(sheetId, { startRowIndex: conclusion.row, endRowIndex: conclusion.row + 1, startColumnIndex: conclusion.column, endColumnIndex: conclusion.column + 1 }, input.appraisers)] : [];
  if (columns.length + cell.length === 0) return;
  input.requests.push(...columns, ...cell);
  input.say(appraisalAction(input.appraisers).replace(/^Bảo vệ/u, "bảo vệ"));
}

/**
 * The appraisal cycle's repairs of one programme tab, appended to `input.requests` (after the
 * header repair, whose new column headers they rely on).
 */
export function repairReviewCells(input: ReviewRepairInput): void {
  const cells = repairLabels(input);
  repairLists(input, cells);
  repairProtection(input, cells.conclusion);
}
