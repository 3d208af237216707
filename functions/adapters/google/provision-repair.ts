/**
 * Pure repairs of an EXISTING ward spreadsheet: what is missing or wrong compared with the
 * plan, as batchUpdate requests and Vietnamese action lines. Rows are found by criterion code
 * and columns by header text (the parser's own rules), so a table staff rearranged stays as
 * they arranged it. Only service-owned cells are written: never Kết quả, Điểm tự chấm, Minh
 * chứng or Ghi chú, nor a ward name already typed.
 */
import type { sheets_v4 } from "@googleapis/sheets";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { CHECK_TAB, COLUMNS, type ColumnKey, WARD_LABEL, headerOf, parseHeader } from "../../../sheets-schema/layout.js";
import { foldKey, normalizeText } from "../../../sheets-schema/text.js";
import { HEADER_ROW, type PlannedCell, type TabPlan, WARD_ROW, type WorkbookPlan } from "../../../sheets-schema/workbook-plan.js";
import { type CellValue, isBlank, toA1 } from "../../core/cells.js";
import type { ExistingSheet } from "./provision-existing.js";
import { repairReviewCells } from "./provision-review-repair.js";
import { type ProgrammeSheet, parseWardWorkbook } from "../../core/parse-ward.js";
import { CHECK_PROTECTION } from "./check-tab.js";
import {
  LOCKED_KEYS,
  LOCKED_PROTECTION,
  ROLE_FORMATS,
  checkTabAddRequests,
  dropdownRequests,
  gridSizeOf,
  lockedProtectionRequests,
  tabLayoutRequests,
  tabValuesRequest,
  valueData,
  writeCells,
} from "./provision-plan.js";

type Request = sheets_v4.Schema$Request;

export interface RepairInput {
  /** planWardWorkbook(catalogues, ward.name, null): the guide, then one tab per catalogue. */
  plan: WorkbookPlan;
  catalogues: readonly Catalogue[];
  wardName: string;
  sheets: readonly ExistingSheet[];
  /** Who may edit the appraiser cells (config review.appraisers); the service account joins them. */
  appraisers: readonly string[];
  /** A sheet id unused in the spreadsheet, for each tab added. */
  newSheetId(): number;
}

export interface Repair {
  /** Empty when the spreadsheet is right: then nothing is written. */
  requests: Request[];
  actions: string[];
  checkSheetId: number;
}

/** Equal as staff would read them: text normalised, "3" and 3 alike, blanks alike. */
function sameValue(actual: CellValue, expected: PlannedCell["value"]): boolean {
  if (expected === null) return isBlank(actual);
  if (typeof actual === "string") return normalizeText(actual) === String(expected) || (typeof expected === "number" && Number(normalizeText(actual).replace(",", ".")) === expected);
  return actual === expected;
}

const columnIndex = (key: ColumnKey): number => COLUMNS.findIndex((c) => c.key === key);

function decodeA1(a1: string): { row: number; column: number } {
  const [, letters = "A", digits = "1"] = /^([A-Z]+)(\d+)$/u.exec(a1) ?? [];
  return { row: Number(digits) - 1, column: Array.from(letters).reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1 };
}

interface TabContext {
  sheet: ExistingSheet;
  tab: TabPlan;
  requests: Request[];
  say(text: string): void;
}

const parse = (sheet: ExistingSheet, values: CellValue[][], catalogue: Catalogue): ProgrammeSheet =>
  parseWardWorkbook({ sheets: [{ title: sheet.title, rows: values }] }, [catalogue]).programmes[0]!;

/**
 * Find the header row (or take the plan's when that row is blank) and write the header
 * cells that are blank or unrecognised, where that column is found nowhere else: columns are
 * never moved. Returns the table as parsed with those headers in place, or null.
 */
function repairHeader(ctx: TabContext, catalogue: Catalogue): { parsed: ProgrammeSheet; headerRow: number } | null {
  const { sheet } = ctx;
  const first = parse(sheet, sheet.values, catalogue);
  const blankPlanRow = (sheet.values[HEADER_ROW] ?? []).every((v) => isBlank(v));
  const headerRow = first.headerRow !== null ? first.headerRow - 1 : blankPlanRow ? HEADER_ROW : null;
  if (headerRow === null) {
    ctx.say("không tìm thấy hàng tiêu đề (STT, Mã tiêu chí, …) nên không sửa trang này; cần sửa tay");
    return null;
  }
  const patched = sheet.values.map((row) => [...row]);
  const fixes = new Map<number, sheets_v4.Schema$CellData>();
  if (sheet.columnCount < COLUMNS.length && COLUMNS.slice(sheet.columnCount).some((c) => first.columns[c.key] === undefined)) {
    // A tab made before the appraiser columns existed: the grid grows so that their headers fit.
    ctx.requests.push({ updateSheetProperties: { properties: { sheetId: sheet.sheetId, gridProperties: { columnCount: COLUMNS.length } }, fields: "gridProperties.columnCount" } });
  }
  COLUMNS.forEach((column, c) => {
    const typed = sheet.values[headerRow]?.[c] ?? null;
    const known = typeof typed === "string" ? parseHeader(typed) : undefined;
    if (known !== undefined || first.columns[column.key] !== undefined) return;
    fixes.set(c, valueData(column.header));
    (patched[headerRow] ??= [])[c] = column.header;
    ctx.say(`ghi tiêu đề cột “${column.header}” vào ô ${toA1(headerRow, c)}`);
  });
  ctx.requests.push(...writeCells(sheet.sheetId, headerRow, fixes, "userEnteredValue"));
  return { parsed: parse(sheet, patched.map((row) => Array.from(row, (v) => v ?? null)), catalogue), headerRow };
}

/** The ward name beside its label, only when that cell is empty; the label too when it is missing. */
function repairWardName(ctx: TabContext, parsed: ProgrammeSheet, headerRow: number, wardName: string): void {
  const write = (row: number, column: number, text: string): void => {
    ctx.requests.push(...writeCells(ctx.sheet.sheetId, row, new Map([[column, valueData(text)]]), "userEnteredValue"));
  };
  if (parsed.wardName) {
    if (parsed.wardName.cell.value !== null) return;
    const { row, column } = decodeA1(parsed.wardName.cell.a1);
    write(row, column, wardName);
    ctx.say(`ghi tên phường vào ô ${parsed.wardName.cell.a1}`);
    return;
  }
  const labelRow = ctx.sheet.values[WARD_ROW] ?? [];
  if (WARD_ROW >= headerRow || !isBlank(labelRow[1] ?? null) || !isBlank(labelRow[2] ?? null)) return;
  write(WARD_ROW, 1, WARD_LABEL);
  write(WARD_ROW, 2, wardName);
  ctx.say(`ghi “${WARD_LABEL}” và tên phường vào ô ${toA1(WARD_ROW, 1)}:${toA1(WARD_ROW, 2)}`);
}

/** The "Đề án: … (phiên bản …)" line above the table, when the catalogue's name or version changed. */
function repairSubtitle(ctx: TabContext, headerRow: number): void {
  const planned = ctx.tab.rows.flat().find((c) => c.role === "subtitle")?.value ?? null;
  for (let r = 0; r < headerRow && typeof planned === "string"; r++) {
    const typed = ctx.sheet.values[r]?.[0];
    if (typeof typed !== "string" || !foldKey(typed).startsWith(foldKey("Đề án:"))) continue;
    if (normalizeText(typed) === planned) return;
    ctx.requests.push(...writeCells(ctx.sheet.sheetId, r, new Map([[0, valueData(planned)]]), "userEnteredValue"));
    ctx.say(`cập nhật tên, phiên bản đề án ở ô ${toA1(r, 0)}`);
    return;
  }
}

/** The plan's criterion rows by (upper-case) code, in catalogue order. */
function plannedCriteria(tab: TabPlan): Map<string, PlannedCell[]> {
  const code = columnIndex("code");
  const rows = tab.rows.slice(HEADER_ROW + 1).filter((row) => row[code]?.role === "locked" && typeof row[code]?.value === "string");
  return new Map(rows.map((row) => [String(row[code]?.value).toUpperCase(), row]));
}

/** Fix the locked cells of each criterion row found by code; returns the codes found, their rows, and rows lacking the dropdown. */
function repairFoundRows(ctx: TabContext, parsed: ProgrammeSheet, planned: Map<string, PlannedCell[]>): { found: Set<string>; rows: number[]; needDropdown: number[] } {
  const found = new Set<string>();
  const rows: number[] = [];
  const needDropdown: number[] = [];
  const resultColumn = parsed.columns.result;
  for (const row of parsed.rows) {
    const plannedRow = row.code === null || found.has(row.code) ? undefined : planned.get(row.code);
    if (!row.code || !plannedRow) continue;
    found.add(row.code);
    rows.push(row.row - 1);
    const writes = new Map<number, sheets_v4.Schema$CellData>();
    for (const key of LOCKED_KEYS.filter((k) => k !== "code")) {
      const column = parsed.columns[key];
      const expected = plannedRow[columnIndex(key)]?.value ?? null;
      if (column === undefined || sameValue(row.cells[key]?.value ?? null, expected)) continue;
      writes.set(column, valueData(expected));
      ctx.say(`sửa ô “${headerOf(key)}” của tiêu chí ${row.code} (ô ${toA1(row.row - 1, column)})`);
    }
    ctx.requests.push(...writeCells(ctx.sheet.sheetId, row.row - 1, writes, "userEnteredValue"));
    if (resultColumn !== undefined && !ctx.sheet.resultRules.has(`${row.row - 1}:${resultColumn}`)) needDropdown.push(row.row - 1);
  }
  return { found, rows, needDropdown };
}

/** Criteria missing from the sheet, as new rows after the last used row. Returns their row indexes. */
function appendMissing(ctx: TabContext, parsed: ProgrammeSheet, missing: ReadonlyArray<[string, PlannedCell[]]>, headerRow: number): number[] {
  if (missing.length === 0) return [];
  if (parsed.columns.code === undefined) {
    ctx.say(`không có cột “Mã tiêu chí” nên không thêm được ${missing.length} tiêu chí còn thiếu`);
    return [];
  }
  const lastUsed = ctx.sheet.values.findLastIndex((row) => row.some((v) => !isBlank(v)));
  const start = Math.max(headerRow + 1, lastUsed + 1);
  const rowCount = start + missing.length;
  if (rowCount > ctx.sheet.rowCount) {
    ctx.requests.push({ updateSheetProperties: { properties: { sheetId: ctx.sheet.sheetId, gridProperties: { rowCount } }, fields: "gridProperties.rowCount" } });
  }
  return missing.map(([code, plannedRow], i) => {
    const writes = new Map<number, sheets_v4.Schema$CellData>();
    for (const key of LOCKED_KEYS) {
      const column = parsed.columns[key];
      const cell = plannedRow[columnIndex(key)];
      if (column !== undefined && cell) writes.set(column, { ...valueData(cell.value), userEnteredFormat: ROLE_FORMATS[cell.role] });
    }
    ctx.requests.push(...writeCells(ctx.sheet.sheetId, start + i, writes, "userEnteredValue,userEnteredFormat"));
    ctx.say(`thêm tiêu chí ${code} ở hàng ${start + i + 1}`);
    return start + i;
  });
}

function repairProgrammeTab(ctx: TabContext, catalogue: Catalogue, wardName: string, appraisers: readonly string[]): void {
  const header = repairHeader(ctx, catalogue);
  if (!header) return;
  const { parsed, headerRow } = header;
  repairWardName(ctx, parsed, headerRow, wardName);
  repairSubtitle(ctx, headerRow);
  const planned = plannedCriteria(ctx.tab);
  const { found, rows, needDropdown } = repairFoundRows(ctx, parsed, planned);
  const appended = appendMissing(ctx, parsed, [...planned].filter(([code]) => !found.has(code)), headerRow);
  const resultColumn = parsed.columns.result;
  if (resultColumn !== undefined && needDropdown.length + appended.length > 0) {
    ctx.requests.push(...dropdownRequests(ctx.sheet.sheetId, resultColumn, [...needDropdown, ...appended]));
    ctx.say(`thêm danh sách chọn ở cột Kết quả (${needDropdown.length + appended.length} ô)`);
  }
  if (!ctx.sheet.protections.includes(LOCKED_PROTECTION)) {
    const locked = LOCKED_KEYS.flatMap((key) => (parsed.columns[key] === undefined ? [] : [parsed.columns[key]]));
    ctx.requests.push(...lockedProtectionRequests(ctx.sheet.sheetId, headerRow, locked));
    ctx.say("bảo vệ (chỉ cảnh báo) các cột STT, Mã tiêu chí, Nội dung tiêu chí, Điểm tối đa và hàng tiêu đề");
  }
  repairReviewCells({ ...ctx, parsed, headerRow, criterionRows: [...rows, ...appended], appraisers });
}

/**
 * What an existing spreadsheet lacks, compared with the plan: missing tabs (with the plan's
 * content), programme-tab repairs, and the Kiểm tra tab with its protection.
 *
 * @example repairRequests({ plan, catalogues, wardName: "Nghi Hương", sheets: readExistingSheets(data), newSheetId }).requests.length === 0 // a right spreadsheet
 */
export function repairRequests(input: RepairInput): Repair {
  const requests: Request[] = [];
  const actions: string[] = [];
  const find = (title: string): ExistingSheet | undefined => input.sheets.find((s) => foldKey(s.title) === foldKey(title));
  for (const tab of input.plan.tabs) {
    const sheet = find(tab.title);
    if (!sheet) {
      const sheetId = input.newSheetId();
      requests.push({ addSheet: { properties: { sheetId, title: tab.title, gridProperties: gridSizeOf(tab) } } }, tabValuesRequest(sheetId, tab), ...tabLayoutRequests(sheetId, tab, input.appraisers));
      actions.push(`Thêm trang “${tab.title}”`);
      continue;
    }
    const catalogue = input.catalogues.find((c) => c.tabTitle === tab.title);
    const say = (text: string): void => void actions.push(`Trang “${sheet.title}”: ${text}`);
    if (catalogue) repairProgrammeTab({ sheet, tab, requests, say }, catalogue, input.wardName, input.appraisers);
  }
  const check = find(CHECK_TAB);
  const checkSheetId = check?.sheetId ?? input.newSheetId();
  if (!check) {
    requests.push(...checkTabAddRequests(checkSheetId));
    actions.push(`Thêm trang “${CHECK_TAB}” (chỉ cảnh báo khi sửa)`);
  } else if (!check.protections.includes(CHECK_PROTECTION)) {
    requests.push({ addProtectedRange: { protectedRange: { range: { sheetId: checkSheetId }, description: CHECK_PROTECTION, warningOnly: true } } });
    actions.push(`Bảo vệ (chỉ cảnh báo) trang “${check.title}”`);
  }
  return { requests, actions, checkSheetId };
}
