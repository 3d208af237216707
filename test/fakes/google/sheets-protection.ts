/**
 * Protected ranges as Google enforces them. A warning-only protection only warns in the UI, so API writes pass; any
 * other protection lets only its editors (editors.users, the domain when domainUsersCanEdit, the file's owners)
 * change the cells it covers (minus its unprotectedRanges) or the protection itself; anyone else gets Sheets' refusal: 400
 * INVALID_ARGUMENT "You are trying to edit a protected cell or object…" (what Sheets v4 answers, as client libraries
 * report it: a 400, not a 403).
 * The requesting user is always added to the editors of a protection it creates; warning-only protections take no
 * editors. spreadsheets.get shows `editors` only to those who can edit the range, and `requestingUserCanEdit` is
 * computed for the caller.
 */
import type { sheets_v4 } from "@googleapis/sheets";
import { GoogleApiError, invalidArgument } from "./errors.js";
import { type FakeSheet, type FakeSpreadsheet, getCell } from "./sheets-model.js";

type ProtectedRange = sheets_v4.Schema$ProtectedRange;

/** Who is acting: their email, and the owners of the file (who can always edit). */
export interface Editor {
  email: string;
  owners: readonly string[];
}

/** What Sheets answers a write that would change a cell (or a protection) the caller may not edit. */
function protectedEdit(): GoogleApiError {
  return new GoogleApiError(400, "You are trying to edit a protected cell or object. Please contact the spreadsheet owner to remove protection if you need to edit.", {
    reason: "badRequest",
  });
}

const domainOf = (email: string): string => email.split("@")[1]?.toLowerCase() ?? "";

/** Whether `who` may edit what `range` covers. */
function canEditProtection(range: ProtectedRange, who: Editor): boolean {
  if (range.warningOnly) return true;
  const email = who.email.toLowerCase();
  if (who.owners.some((owner) => owner.toLowerCase() === email)) return true;
  if ((range.editors?.users ?? []).some((user) => user.toLowerCase() === email)) return true;
  return range.editors?.domainUsersCanEdit === true && who.owners.some((owner) => domainOf(owner) === domainOf(email));
}

/**
 * A new protection as Google stores it: refused when warning-only with editors; otherwise the requester joins its
 * editors. `requestingUserCanEdit` is never stored (it is the caller's, computed on reads).
 */
export function newProtection(given: ProtectedRange, requester: string, requestName: string): ProtectedRange {
  const { requestingUserCanEdit: _computed, ...range } = structuredClone(given);
  if (range.warningOnly) {
    const editors = range.editors;
    if (editors && ((editors.users ?? []).length > 0 || (editors.groups ?? []).length > 0 || editors.domainUsersCanEdit)) {
      throw invalidArgument(`Invalid requests[0].${requestName}: Cannot set editors on a warning-only protected range.`);
    }
    delete range.editors;
    return range;
  }
  const users = range.editors?.users ?? [];
  if (!users.some((user) => user.toLowerCase() === requester.toLowerCase())) users.push(requester);
  range.editors = { ...range.editors, users };
  return range;
}

/** The sheet's protections as `who` reads them in spreadsheets.get. */
export function protectionsAs(sheet: FakeSheet, who: Editor | undefined): ProtectedRange[] {
  return sheet.protectedRanges.map((stored) => {
    const range = structuredClone(stored);
    const canEdit = who === undefined || canEditProtection(stored, who);
    range.requestingUserCanEdit = canEdit;
    if (!canEdit) delete range.editors;
    return range;
  });
}

function inside(range: sheets_v4.Schema$GridRange, sheet: FakeSheet, row: number, column: number): boolean {
  return (
    (range.sheetId ?? 0) === sheet.sheetId &&
    row >= (range.startRowIndex ?? 0) &&
    row < (range.endRowIndex ?? Number.MAX_SAFE_INTEGER) &&
    column >= (range.startColumnIndex ?? 0) &&
    column < (range.endColumnIndex ?? Number.MAX_SAFE_INTEGER)
  );
}

function covers(protection: ProtectedRange, sheet: FakeSheet, row: number, column: number): boolean {
  if (!protection.range || !inside(protection.range, sheet, row, column)) return false;
  return !(protection.unprotectedRanges ?? []).some((hole) => inside(hole, sheet, row, column));
}

const cellKey = (sheet: FakeSheet | undefined, row: number, column: number): string => JSON.stringify(sheet && getCell(sheet, row, column)) ?? "";

function checkSheet(sheet: FakeSheet, after: FakeSheet | undefined, locked: ProtectedRange[]): void {
  if (!after) throw protectedEdit();
  // Only stored cells can differ: the grid arrays hold every cell ever written.
  const rows = Math.max(sheet.grid.length, after.grid.length);
  for (let r = 0; r < rows; r++) {
    const columns = Math.max(sheet.grid[r]?.length ?? 0, after.grid[r]?.length ?? 0);
    for (let c = 0; c < columns; c++) {
      if (cellKey(sheet, r, c) !== cellKey(after, r, c) && locked.some((p) => covers(p, sheet, r, c))) throw protectedEdit();
    }
  }
}

function checkProtections(after: FakeSheet | undefined, locked: ProtectedRange[]): void {
  for (const protection of locked) {
    const kept = after?.protectedRanges.find((p) => p.protectedRangeId === protection.protectedRangeId);
    if (JSON.stringify(kept) !== JSON.stringify(protection)) throw protectedEdit();
  }
}

/** A cell a write addressed: its sheet id, 0-based row and column. */
export interface Touch {
  sheetId: number;
  row: number;
  column: number;
}

/**
 * Refuses the change from `before` to `after` when it addresses (`touched`, even with the value it had) or alters a
 * cell under a protection `who` may not edit, or alters such a protection itself (updated, deleted, its sheet
 * deleted). Cells are compared whole: value, formula, format, validation, note.
 */
export function checkProtectedEdits(before: FakeSpreadsheet, after: FakeSpreadsheet, who: Editor, touched: readonly Touch[]): void {
  for (const sheet of before.sheets) {
    const locked = sheet.protectedRanges.filter((p) => !canEditProtection(p, who));
    if (locked.length === 0) continue;
    const kept = after.sheets.find((s) => s.sheetId === sheet.sheetId);
    checkProtections(kept, locked);
    if (touched.some((t) => t.sheetId === sheet.sheetId && locked.some((p) => covers(p, sheet, t.row, t.column)))) throw protectedEdit();
    checkSheet(sheet, kept, locked);
  }
}
