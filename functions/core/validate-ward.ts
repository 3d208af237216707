/**
 * Validate a parsed ward workbook against the catalogues: every mistake becomes a Finding
 * with its tab, A1 cell, criterion, code and params (the message is rendered later, from
 * messages.ts). Pure; never throws on bad input.
 */
import type { Catalogue, Criterion } from "../../sheets-schema/catalogue.js";
import { COLUMNS, type ColumnKey, REQUIRED_COLUMNS, RESULT_VALUES, type ResultValue, headerOf, parseResultValue } from "../../sheets-schema/layout.js";
import { looksLikeLegacyEncoding } from "../../sheets-schema/text.js";
import { type CellValue, columnLetters, isBlank, isCellError, ERROR_LITERALS } from "./cells.js";
import { isCovered } from "./sheet-cells.js";
import { impliedDateFormat, typedDate } from "./typed-date.js";
import { type EmitFinding, type Finding, type FindingCode, type FindingOf, type FindingParamsByCode, type Severity, compareFindings, isWardError } from "./findings.js";
import { validateReview } from "./validate-review.js";
import { rowPositions } from "./row-positions.js";
import type { CriterionRow, InputCell, ProgrammeSheet, WardInput } from "./parse-ward.js";
import { type WardIdentity, matchesWard } from "./ward-identity.js";

type Emit = EmitFinding;

/**
 * All findings for one ward, sorted by tab, row and column.
 * `ward` is the configured ward the file belongs to, or null when unknown (name not checked).
 */
export function validateWard(input: WardInput, catalogues: readonly Catalogue[], ward: WardIdentity | null): Finding[] {
  const findings: Finding[] = [];
  // The ward's errors so far by tab (what blocks a submission), counted as they are emitted.
  const wardErrors = new Map<string, number>();
  for (const sheet of input.programmes) {
    const catalogue = catalogues.find((c) => c.id === sheet.programmeId);
    if (!catalogue) continue;
    const emit: Emit = <C extends FindingCode>(severity: Severity, cell: string, criterion: string | null, code: C, params: FindingParamsByCode[C]) => {
      const finding: FindingOf<C> = { severity, tab: sheet.tab, cell, criterion, code, params };
      findings.push(finding as Finding);
      if (isWardError(finding as Finding)) wardErrors.set(sheet.tab, (wardErrors.get(sheet.tab) ?? 0) + 1);
    };
    validateSheet(sheet, catalogue, ward, emit);
    if (sheet.found) validateReview(sheet, catalogue, wardErrors.get(sheet.tab) ?? 0, emit);
  }
  return findings.sort(compareFindings);
}

/** The tab missing, or only a copy of it there; copies beside it. False when there is no tab to read. */
function validateTab(sheet: ProgrammeSheet, emit: Emit): boolean {
  const [firstCopy] = sheet.copies;
  if (!sheet.found) {
    if (firstCopy) emit("error", "A1", null, "tab-copy-only", { copy: firstCopy.tab });
    else emit("error", "A1", null, "tab-missing", {});
    return false;
  }
  sheet.copies.forEach((c) => emit(c.edited ? "error" : "warning", "A1", null, "tab-copy", { copy: c.tab, edited: c.edited }));
  return true;
}

function validateSheet(sheet: ProgrammeSheet, catalogue: Catalogue, ward: WardIdentity | null, emit: Emit): void {
  if (!validateTab(sheet, emit)) return;
  validateWardName(sheet, ward, emit);
  if (sheet.headerRow === null) return emit("error", "A1", null, "header-row-missing", {});
  const headerRow = sheet.headerRow;
  REQUIRED_COLUMNS.filter((key) => sheet.columns[key] === undefined).forEach((key) =>
    emit("error", `${columnLetters(defaultColumn(key))}${headerRow}`, null, "header-missing", { header: headerOf(key) }),
  );
  const codeColumn = sheet.columns.code;
  if (codeColumn === undefined) return;
  // Each row's criterion by its position in the catalogue, looked up once per tab (row-positions.ts).
  const { at, firstOf, index } = rowPositions(sheet.rows, catalogue);
  sheet.rows.forEach((row, i) => {
    validateCellValues(row, emit);
    const codeCell = row.cells.code?.a1 ?? `A${row.row}`;
    if (row.code === null) return reportMissingCode(row, codeCell, emit);
    const position = at[i] ?? -1;
    const criterion = index.criterionAt[position];
    if (!criterion) {
      const value = row.cells.code?.typed ?? row.code;
      if (!isCellError(row.cells.code?.value ?? null)) emit("error", codeCell, null, "criterion-unknown", { value, programme: catalogue.shortName });
      return;
    }
    const first = firstOf[position] ?? -1;
    if (first !== i) return emit("error", codeCell, criterion.code, "criterion-duplicate", { criterion: criterion.code, firstRow: sheet.rows[first]?.row ?? 0 });
    validateRow(row, criterion, emit);
  });
  const headerCell = `${columnLetters(codeColumn)}${headerRow}`;
  catalogue.criteria.forEach((c, i) => {
    if ((firstOf[index.positionOf[i] ?? i] ?? -1) === -1) emit("error", headerCell, c.code, "criterion-missing", { criterion: c.code });
  });
}

/** Data on a row without a code: the code cell merged with the row above, or no code typed. */
function reportMissingCode(row: CriterionRow, codeCell: string, emit: Emit): void {
  const cell = row.cells.code;
  if (isCovered(cell)) emit("error", codeCell, null, "merged-cell", { range: cell.merge.range, anchor: cell.merge.anchor, header: headerOf("code") });
  else emit("error", codeCell, null, "criterion-code-missing", { row: row.row });
}

/** Where the layout puts a column: where a missing header is reported. */
function defaultColumn(key: ColumnKey): number {
  return COLUMNS.findIndex((c) => c.key === key);
}

function validateWardName(sheet: ProgrammeSheet, ward: WardIdentity | null, emit: Emit): void {
  const expected = ward?.name ?? null;
  const cell = sheet.wardName?.cell;
  if (!sheet.wardName || !cell || isBlank(cell.value)) {
    return emit("error", cell?.a1 ?? "C3", null, "ward-name-missing", { expected });
  }
  if (ward && typeof cell.value === "string" && !matchesWard(cell.value, ward)) {
    emit("error", cell.a1, null, "ward-mismatch", { value: cell.typed ?? cell.value, expected: ward.name });
  } else warnInvisible(cell, null, emit);
}

// Columns whose values are compared: invisible characters there are worth telling the ward about.
const COMPARED_KEYS = new Set<string>(["code", "result", "points"]);
// The appraiser's columns: what is typed there is never the ward's mistake (validate-review.ts checks them).
const APPRAISER_KEYS = new Set<string>(COLUMNS.filter((c) => c.appraiser).map((c) => c.key));

/** Error values, legacy-font text and invisible characters, in any parsed cell of the row. */
function validateCellValues(row: CriterionRow, emit: Emit): void {
  const cells: Partial<Record<string, InputCell>> = row.cells;
  for (const key in cells) {
    const cell = cells[key];
    // An empty cell has nothing to report; an invisible character only where something was typed apart.
    if (cell === undefined || cell.value === null || APPRAISER_KEYS.has(key)) continue;
    const error = errorLiteral(cell.value);
    if (error) emit("error", cell.a1, row.code, "cell-error-value", { value: error });
    else if (typeof cell.value === "string" && looksLikeLegacyEncoding(cell.value)) {
      emit("warning", cell.a1, row.code, "legacy-encoding", { value: cell.typed ?? cell.value });
    } else if (cell.typed !== undefined && COMPARED_KEYS.has(key)) warnInvisible(cell, row.code, emit);
  }
}

function warnInvisible(cell: InputCell, criterion: string | null, emit: Emit): void {
  if (cell.typed !== undefined && cell.value !== null) emit("warning", cell.a1, criterion, "invisible-characters", { value: cell.typed, read: String(cell.value) });
}

/** The merged-cell finding for a cell covered by a merge, in place of the finding for an empty cell. */
function emitCovered(cell: InputCell, key: ColumnKey, criterion: string, emit: Emit): boolean {
  if (!isCovered(cell)) return false;
  emit("error", cell.a1, criterion, "merged-cell", { range: cell.merge.range, anchor: cell.merge.anchor, header: headerOf(key) });
  return true;
}

/** The error literal a cell shows ("#REF!"), whether delivered as an error value or as text. */
export function errorLiteral(value: CellValue): string | undefined {
  if (isCellError(value)) return value.error;
  // Every literal starts with "#" (values are trimmed): other texts are not upper-cased (issue 11: parse cost).
  if (typeof value === "string" && value.charCodeAt(0) === 35 && (ERROR_LITERALS as readonly string[]).includes(value.toUpperCase())) return value.toUpperCase();
  return undefined;
}

function validateRow(row: CriterionRow, criterion: Criterion, emit: Emit): void {
  const code = criterion.code;
  const resultCell = row.cells.result;
  const result = resultCell ? checkResult(resultCell, code, emit) : undefined;
  const points = row.cells.points;
  if (points && !errorLiteral(points.value)) {
    if (criterion.kind === "points") checkPoints(points, criterion, result !== undefined, emit);
    else if (!isBlank(points.value)) emit("warning", points.a1, code, "points-not-applicable", { criterion: code });
  }
  const evidence = row.cells.evidence;
  if (result === "Đạt" && criterion.evidenceRequired && evidence && isBlank(evidence.value) && !emitCovered(evidence, "evidence", code, emit)) {
    emit("error", evidence.a1, code, "evidence-missing", { criterion: code });
  }
}

function checkResult(cell: InputCell, criterion: string, emit: Emit): ResultValue | undefined {
  if (errorLiteral(cell.value)) return undefined;
  if (isBlank(cell.value)) {
    if (!emitCovered(cell, "result", criterion, emit)) emit("error", cell.a1, criterion, "result-missing", { criterion, allowed: RESULT_VALUES });
    return undefined;
  }
  const result = parseResultValue(String(cell.value));
  if (!result) emit("error", cell.a1, criterion, "result-invalid", { value: cell.typed ?? String(cell.value), allowed: RESULT_VALUES });
  return result;
}

function checkPoints(cell: InputCell, criterion: Criterion, hasResult: boolean, emit: Emit): void {
  const range = { min: 0, max: criterion.maxPoints ?? 0 };
  if (isBlank(cell.value)) {
    if (hasResult && !emitCovered(cell, "points", criterion.code, emit)) emit("error", cell.a1, criterion.code, "points-missing", { criterion: criterion.code, ...range });
    return;
  }
  const value = parsePoints(cell.value);
  const dateFormat = typeof cell.value === "number" ? (cell.dateFormat ?? impliedDateFormat(cell.value, range.max)) : undefined;
  if (typeof cell.value === "number" && dateFormat !== undefined) {
    emit("error", cell.a1, criterion.code, "points-date", { ...typedDate(cell.value, dateFormat, range.max), ...range });
  } else if (value === undefined) {
    emit("error", cell.a1, criterion.code, "points-not-number", { value: cell.typed ?? String(cell.value), ...range });
  } else if (value < range.min || value > range.max) {
    emit("error", cell.a1, criterion.code, "points-out-of-range", { value, ...range });
  }
}

/**
 * A points value as a number: numbers as they are; text in Vietnamese ("8,5") or plain
 * ("8.5") notation. Undefined when it is not a number.
 */
export function parsePoints(value: CellValue): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value !== "string") return undefined;
  const text = value.replace(/\s+/gu, "");
  if (!/^[-+]?\d+([.,]\d+)?$/u.test(text)) return undefined;
  return Number(text.replace(",", "."));
}
