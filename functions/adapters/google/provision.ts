/**
 * Ward spreadsheets in Google Drive and Sheets, behind the WardSpreadsheets port: ids from
 * Drive files.generateIds, the file from Drive files.create in the wards folder (a service
 * account owns no storage, so sheets.spreadsheets.create would fail with 403
 * storageQuotaExceeded; in a shared drive or a user's My Drive the folder's owner holds the
 * file), then ONE spreadsheets.batchUpdate that builds it, or repairs it without touching what
 * staff typed. On a spreadsheet that is already right, a run only reads: one Drive get, one
 * spreadsheets.get, one permissions listing.
 */
import { randomInt } from "node:crypto";
import type { sheets_v4 } from "@googleapis/sheets";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { CHECK_TAB } from "../../../sheets-schema/layout.js";
import { foldKey } from "../../../sheets-schema/text.js";
import { type WorkbookPlan, planWardWorkbook } from "../../../sheets-schema/workbook-plan.js";
import type { WardConfig } from "../../config.js";
import { unitKindOf } from "../../core/organisation.js";
import { TieuchiError } from "../../errors.js";
import type { BuiltSpreadsheet, WardSpreadsheets } from "../../ports.js";
import type { GoogleClients } from "./clients.js";
import { GoogleApiError } from "./google-errors.js";
import { newWorkbookRequests } from "./provision-plan.js";
import { type ExistingSheet, readExistingSheets } from "./provision-existing.js";
import { repairRequests } from "./provision-repair.js";
import { appraisalAction } from "./provision-review.js";
import { explainCreateFailure } from "./provision-errors.js";
import { shareWithContacts } from "./provision-share.js";
import { type RetryOptions, withRetry } from "./retry.js";

const SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet";

/** Name of a ward's spreadsheet in Drive. */
const wardSpreadsheetTitle = (ward: Pick<WardConfig, "name">): string => `Tự đánh giá tiêu chí - ${ward.name}`;

/** What the build and repair need of each tab, and nothing more: typed values, the dropdown's list, protection names. */
const EXISTING_FIELDS =
  "sheets(properties(sheetId,title,gridProperties(rowCount,columnCount)),protectedRanges(protectedRangeId,description,requestingUserCanEdit,editors(users)),data(startRow,startColumn,rowData(values(userEnteredValue,dataValidation(condition)))))";

export interface WardSpreadsheetOptions {
  catalogues: readonly Catalogue[];
  /** The wards folder (in a shared drive, or in the acting user's My Drive). */
  folderId: string;
  /** Who may edit the appraiser cells (config review.appraisers); the service account always can. */
  appraisers?: readonly string[];
  retry?: RetryOptions;
}

interface Context {
  clients: Pick<GoogleClients, "sheets" | "drive">;
  options: WardSpreadsheetOptions;
}

function call<T>(ctx: Context, operation: string, idempotent: boolean, fn: () => Promise<T>): Promise<T> {
  return withRetry(operation, fn, { ...ctx.options.retry, idempotent });
}

const isStatus = (error: unknown, status: number): boolean => error instanceof GoogleApiError && error.status === status;

/** A sheet id not in `taken` (which it joins). */
function freshSheetId(taken: Set<number>): number {
  let id = randomInt(1, 2 ** 31 - 1);
  while (taken.has(id)) id = randomInt(1, 2 ** 31 - 1);
  taken.add(id);
  return id;
}

async function reserveId(ctx: Context): Promise<string> {
  const response = await call(ctx, "drive.files.generateIds", true, () => ctx.clients.drive.files.generateIds({ count: 1, space: "drive", type: "files" }));
  const id = response.data.ids?.[0];
  if (!id) throw new TieuchiError("Google Drive không cấp mã cho bảng tính mới (files.generateIds trả về rỗng)");
  return id;
}

/** The id makes the call idempotent: a repeat (after a 5xx, or a crash) answers 409, meaning it is there. */
async function createFile(ctx: Context, id: string, ward: WardConfig): Promise<"created" | "exists"> {
  const requestBody = { id, name: wardSpreadsheetTitle(ward), mimeType: SPREADSHEET_MIME, parents: [ctx.options.folderId] };
  try {
    await call(ctx, "drive.files.create", true, () => ctx.clients.drive.files.create({ requestBody, supportsAllDrives: true, fields: "id" }));
    return "created";
  } catch (error) {
    if (isStatus(error, 409)) return "exists";
    throw explainCreateFailure(error, ctx.options.folderId);
  }
}

/** The file's tabs, or null when it is gone (404 from Drive or Sheets). */
async function readExisting(ctx: Context, id: string): Promise<ExistingSheet[] | null> {
  try {
    const file = await call(ctx, "drive.files.get", true, () => ctx.clients.drive.files.get({ fileId: id, fields: "id,trashed", supportsAllDrives: true }));
    if (file.data.trashed) {
      // Making a new one would strand what staff typed in the trashed one: the admin decides.
      throw new TieuchiError(`bảng tính ${id} đang ở thùng rác của Drive; khôi phục lại (hoặc xóa hẳn để tạo bảng tính mới) rồi chạy lại`);
    }
    const response = await call(ctx, "sheets.spreadsheets.get", true, () => ctx.clients.sheets.spreadsheets.get({ spreadsheetId: id, includeGridData: true, fields: EXISTING_FIELDS }));
    return readExistingSheets(response.data);
  } catch (error) {
    if (isStatus(error, 404)) return null;
    throw error;
  }
}

/** As Drive creates it: no tab of the plan yet, and nothing typed anywhere. */
function isBlank(sheets: readonly ExistingSheet[], plan: WorkbookPlan): boolean {
  const planned = new Set([...plan.tabs.map((t) => t.title), CHECK_TAB].map(foldKey));
  const empty = (sheet: ExistingSheet): boolean => sheet.values.every((row) => row.every((v) => v === null || v === ""));
  return sheets.every((sheet) => !planned.has(foldKey(sheet.title)) && empty(sheet));
}

async function batchUpdate(ctx: Context, spreadsheetId: string, requests: sheets_v4.Schema$Request[], idempotent: boolean): Promise<void> {
  await call(ctx, "sheets.spreadsheets.batchUpdate", idempotent, () => ctx.clients.sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests } }));
}

/** The whole workbook in one batchUpdate. Not idempotent (addSheet), but atomic: a failed batch leaves it blank. */
async function buildBlank(ctx: Context, id: string, sheets: readonly ExistingSheet[], plan: WorkbookPlan): Promise<BuiltSpreadsheet> {
  const taken = new Set(sheets.map((s) => s.sheetId));
  const ids = { tabs: plan.tabs.map(() => freshSheetId(taken)), check: freshSheetId(taken) };
  const appraisers = ctx.options.appraisers ?? [];
  await batchUpdate(ctx, id, newWorkbookRequests(plan, ids, sheets.map((s) => s.sheetId), appraisers), false);
  const tabs = [...plan.tabs.map((t) => t.title), CHECK_TAB].map((t) => `“${t}”`).join(", ");
  return {
    checkSheetId: ids.check,
    actions: [
      `Dựng bảng tính gồm các trang ${tabs}`,
      "Đặt độ rộng cột, cố định hàng tiêu đề, tô đậm tiêu đề và tô xám các cột không sửa",
      "Thêm danh sách chọn ở cột Kết quả, cột Kết quả thẩm định, ô Trạng thái và ô Kết luận thẩm định",
      "Bảo vệ (chỉ cảnh báo) các cột STT, Mã tiêu chí, Nội dung tiêu chí, Điểm tối đa và hàng tiêu đề",
      appraisalAction(appraisers),
      `Bảo vệ (chỉ cảnh báo) trang “${CHECK_TAB}”`,
    ],
  };
}

/** Only what is missing or wrong, in ONE batchUpdate (none when the spreadsheet is right). */
async function repair(ctx: Context, id: string, sheets: readonly ExistingSheet[], plan: WorkbookPlan, ward: WardConfig): Promise<BuiltSpreadsheet> {
  const taken = new Set(sheets.map((s) => s.sheetId));
  const result = repairRequests({ plan, catalogues: ctx.options.catalogues, wardName: ward.name, sheets, appraisers: ctx.options.appraisers ?? [], newSheetId: () => freshSheetId(taken) });
  if (result.requests.length > 0) {
    // addSheet and addProtectedRange fail or double up when repeated; cell rewrites do not.
    const idempotent = !result.requests.some((r) => r.addSheet != null || r.addProtectedRange != null);
    await batchUpdate(ctx, id, result.requests, idempotent);
  }
  return { checkSheetId: result.checkSheetId, actions: result.actions };
}

async function build(ctx: Context, id: string, ward: WardConfig): Promise<BuiltSpreadsheet | null> {
  const sheets = await readExisting(ctx, id);
  if (!sheets) return null;
  // "Tên xã:" on a xã's tabs: the label follows the unit's kind.
  const plan = planWardWorkbook(ctx.options.catalogues, ward.name, null, {}, { unitNoun: unitKindOf(ward) });
  return isBlank(sheets, plan) ? buildBlank(ctx, id, sheets, plan) : repair(ctx, id, sheets, plan, ward);
}

/**
 * The ward spreadsheets of one wards folder, for the provisioning use case.
 *
 * @example await provisionWards({ spreadsheets: googleWardSpreadsheets(clients, { catalogues, folderId }), kv, clock }, wards)
 */
export function googleWardSpreadsheets(clients: Pick<GoogleClients, "sheets" | "drive">, options: WardSpreadsheetOptions): WardSpreadsheets {
  const ctx: Context = { clients, options };
  return {
    reserveId: () => reserveId(ctx),
    createFile: (id, ward) => createFile(ctx, id, ward),
    build: (id, ward) => build(ctx, id, ward),
    share: (id, ward) => shareWithContacts({ drive: clients.drive, retry: options.retry ?? {} }, id, ward, options.appraisers ?? []),
  };
}
