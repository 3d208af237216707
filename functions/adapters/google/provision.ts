/**
 * Ward spreadsheets in Google Sheets: created from the workbook plan, or brought back to it
 * without touching what staff typed; kept in the wards folder (the sweep lists only that
 * folder) and shared with the ward's contacts. On a spreadsheet that is already right, a run
 * only reads: one Drive get, one spreadsheets.get, one permissions listing.
 */
import { randomInt } from "node:crypto";
import type { sheets_v4 } from "@googleapis/sheets";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { CHECK_TAB, GUIDE_TAB } from "../../../sheets-schema/layout.js";
import { type WorkbookPlan, planWardWorkbook } from "../../../sheets-schema/workbook-plan.js";
import { STATE_KEYS, type WardRegistration, type WardRegistry, readRegistry } from "../../app/cloud-ward.js";
import { updateJson } from "../../app/kv-state.js";
import type { WardConfig } from "../../config.js";
import { TieuchiError } from "../../errors.js";
import type { KeyValueStore } from "../../ports.js";
import type { GoogleClients } from "./clients.js";
import { GoogleApiError } from "./google-errors.js";
import { type NewWorkbookIds, createSpreadsheetBody, newWorkbookRequests } from "./provision-plan.js";
import { type ExistingSheet, readExistingSheets, repairRequests } from "./provision-repair.js";
import { type RetryOptions, withRetry } from "./retry.js";

/** Name of a ward's spreadsheet in Drive. */
export const wardSpreadsheetTitle = (ward: Pick<WardConfig, "name">): string => `Tự đánh giá tiêu chí - ${ward.name}`;

/** What the repair needs of each tab, and nothing more: typed values, the dropdown's list, protection names. */
export const EXISTING_FIELDS =
  "sheets(properties(sheetId,title,gridProperties(rowCount,columnCount)),protectedRanges(description),data(startRow,startColumn,rowData(values(userEnteredValue,dataValidation(condition)))))";

export interface ProvisionOptions {
  ward: WardConfig;
  catalogues: readonly Catalogue[];
  /** The wards folder: the sweep's one Drive listing covers only this folder. */
  folderId: string;
  /** What was recorded for the ward, or null for a ward without a spreadsheet yet. */
  registration: WardRegistration | null;
  retry?: RetryOptions;
}

export interface ProvisionResult {
  registration: WardRegistration;
  /** What was done, one Vietnamese line each; empty when the spreadsheet was already right. */
  actions: string[];
}

/**
 * Provisioning of one ward stopped part-way. `registration` is the spreadsheet as far as it
 * exists (a spreadsheet created before the failure must be recorded, or the next run would
 * create a second one); `actions` is what was done before the failure.
 */
export class ProvisionError extends TieuchiError {
  readonly wardId: string;
  readonly registration: WardRegistration | null;
  readonly actions: readonly string[];
  constructor(ward: WardConfig, state: ProvisionState, cause: unknown) {
    super(`Chưa chuẩn bị xong bảng tính của phường ${ward.name}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.wardId = ward.id;
    this.registration = state.registration;
    this.actions = [...state.actions];
  }
}

interface ProvisionState {
  registration: WardRegistration | null;
  actions: string[];
}

interface Context {
  clients: Pick<GoogleClients, "sheets" | "drive">;
  retry: RetryOptions;
  ward: WardConfig;
  state: ProvisionState;
}

interface Existing {
  parents: string[];
  sheets: ExistingSheet[];
}

function call<T>(ctx: Context, operation: string, idempotent: boolean, fn: () => Promise<T>): Promise<T> {
  return withRetry(operation, fn, { ...ctx.retry, idempotent });
}

const isNotFound = (error: unknown): boolean => error instanceof GoogleApiError && error.status === 404;

/** A sheet id not in `taken` (which it joins). */
function freshSheetId(taken: Set<number>): number {
  let id = randomInt(1, 2 ** 31 - 1);
  while (taken.has(id)) id = randomInt(1, 2 ** 31 - 1);
  taken.add(id);
  return id;
}

async function batchUpdate(ctx: Context, spreadsheetId: string, requests: sheets_v4.Schema$Request[], idempotent: boolean): Promise<void> {
  await call(ctx, "sheets.spreadsheets.batchUpdate", idempotent, () => ctx.clients.sheets.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests } }));
}

/** The recorded spreadsheet with its tabs, or null when it is gone (404 from Drive or Sheets). */
async function readExisting(ctx: Context, spreadsheetId: string): Promise<Existing | null> {
  try {
    const file = await call(ctx, "drive.files.get", true, () => ctx.clients.drive.files.get({ fileId: spreadsheetId, fields: "id,parents,trashed", supportsAllDrives: true }));
    if (file.data.trashed) {
      // Making a new one would strand what staff typed in the trashed one: the admin decides.
      throw new TieuchiError(`bảng tính ${spreadsheetId} đang ở thùng rác của Drive; khôi phục lại (hoặc xoá hẳn để tạo bảng tính mới) rồi chạy lại`);
    }
    const response = await call(ctx, "sheets.spreadsheets.get", true, () => ctx.clients.sheets.spreadsheets.get({ spreadsheetId, includeGridData: true, fields: EXISTING_FIELDS }));
    return { parents: file.data.parents ?? [], sheets: readExistingSheets(response.data) };
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/** The spreadsheet provisioned, and the Drive folders it sits in. */
interface Provisioned {
  registration: WardRegistration;
  parents: string[];
}

/** A new spreadsheet from the plan: create (tabs and values), then ONE batchUpdate for the layout. */
async function createWard(ctx: Context, plan: WorkbookPlan): Promise<Provisioned> {
  const taken = new Set<number>();
  const ids: NewWorkbookIds = { tabs: plan.tabs.map(() => freshSheetId(taken)), check: freshSheetId(taken) };
  const title = wardSpreadsheetTitle(ctx.ward);
  const requestBody = createSpreadsheetBody(title, plan, ids);
  // Not idempotent: a repeat after an applied 5xx would leave a second spreadsheet. Quota refusals only.
  const created = await call(ctx, "sheets.spreadsheets.create", false, () => ctx.clients.sheets.spreadsheets.create({ requestBody, fields: "spreadsheetId" }));
  const spreadsheetId = created.data.spreadsheetId;
  if (!spreadsheetId) throw new TieuchiError("Google Sheets không trả về mã của bảng tính vừa tạo");
  const registration = { spreadsheetId, checkSheetId: ids.check };
  ctx.state.registration = registration;
  const tabs = [...plan.tabs.map((t) => t.title), CHECK_TAB].map((t) => `“${t}”`).join(", ");
  ctx.state.actions.push(`Tạo bảng tính “${title}” (${spreadsheetId}) gồm các trang ${tabs}`);
  // Not idempotent either: it adds protected ranges.
  await batchUpdate(ctx, spreadsheetId, newWorkbookRequests(plan, ids), false);
  ctx.state.actions.push(
    "Đặt độ rộng cột, cố định hàng tiêu đề, tô đậm tiêu đề và tô xám các cột không sửa",
    "Thêm danh sách chọn ở cột Kết quả",
    "Bảo vệ (chỉ cảnh báo) các cột STT, Mã tiêu chí, Nội dung tiêu chí, Điểm tối đa và hàng tiêu đề",
    `Bảo vệ (chỉ cảnh báo) trang “${CHECK_TAB}”`,
  );
  const file = await call(ctx, "drive.files.get", true, () => ctx.clients.drive.files.get({ fileId: spreadsheetId, fields: "parents", supportsAllDrives: true }));
  return { registration, parents: file.data.parents ?? [] };
}

/** Only what is missing or wrong, in ONE batchUpdate (none when the spreadsheet is right). */
async function repairWard(ctx: Context, spreadsheetId: string, existing: Existing, plan: WorkbookPlan, catalogues: readonly Catalogue[]): Promise<Provisioned> {
  const taken = new Set(existing.sheets.map((s) => s.sheetId));
  const repair = repairRequests({ plan, catalogues, wardName: ctx.ward.name, sheets: existing.sheets, newSheetId: () => freshSheetId(taken) });
  if (repair.requests.length > 0) {
    // addSheet and addProtectedRange fail or double up when repeated; cell rewrites do not.
    const idempotent = !repair.requests.some((r) => r.addSheet != null || r.addProtectedRange != null);
    await batchUpdate(ctx, spreadsheetId, repair.requests, idempotent);
  }
  const registration = { spreadsheetId, checkSheetId: repair.checkSheetId };
  ctx.state.registration = registration;
  ctx.state.actions.push(...repair.actions);
  return { registration, parents: existing.parents };
}

/** Drive files have one parent: moving into the folder removes the others. */
async function moveIntoFolder(ctx: Context, fileId: string, parents: readonly string[], folderId: string): Promise<void> {
  if (parents.includes(folderId)) return;
  const removeParents = parents.join(",");
  await call(ctx, "drive.files.update", true, () =>
    ctx.clients.drive.files.update({ fileId, addParents: folderId, ...(removeParents ? { removeParents } : {}), fields: "id,parents", supportsAllDrives: true, requestBody: {} }),
  );
  ctx.state.actions.push("Chuyển bảng tính vào thư mục các phường");
}

/** Lower-cased email addresses holding any permission on the file. */
async function permittedEmails(ctx: Context, fileId: string): Promise<Set<string>> {
  const emails = new Set<string>();
  let pageToken: string | undefined;
  do {
    const token = pageToken;
    const response = await call(ctx, "drive.permissions.list", true, () =>
      ctx.clients.drive.permissions.list({ fileId, fields: "nextPageToken,permissions(id,type,emailAddress)", pageSize: 100, supportsAllDrives: true, ...(token ? { pageToken: token } : {}) }),
    );
    for (const p of response.data.permissions ?? []) if (p.emailAddress) emails.add(p.emailAddress.toLowerCase());
    pageToken = response.data.nextPageToken ?? undefined;
  } while (pageToken);
  return emails;
}

/** The invitation Drive sends with the permission. */
export function invitationMessage(ward: Pick<WardConfig, "name">): string {
  return (
    `Bảng tự đánh giá tiêu chí của phường ${ward.name}. Đồng chí mở bảng tính, đọc trang “${GUIDE_TAB}”, rồi nhập các cột Kết quả, Điểm tự chấm, Minh chứng, Ghi chú. ` +
    `Sau mỗi lần lưu, hệ thống tự kiểm tra và ghi những ô cần sửa vào trang “${CHECK_TAB}”.`
  );
}

/** Edit rights for every contact without a permission yet. Permissions are never removed. */
async function shareWithContacts(ctx: Context, fileId: string): Promise<void> {
  const wanted = [...new Map(ctx.ward.contacts.map((c) => [c.email.toLowerCase(), c.email])).values()];
  if (wanted.length === 0) return;
  const permitted = await permittedEmails(ctx, fileId);
  for (const emailAddress of wanted.filter((e) => !permitted.has(e.toLowerCase()))) {
    // Not idempotent: a repeat would send the invitation twice. Quota refusals only.
    await call(ctx, "drive.permissions.create", false, () =>
      ctx.clients.drive.permissions.create({
        fileId,
        sendNotificationEmail: true,
        emailMessage: invitationMessage(ctx.ward),
        supportsAllDrives: true,
        fields: "id",
        requestBody: { role: "writer", type: "user", emailAddress },
      }),
    );
    ctx.state.actions.push(`Chia sẻ quyền chỉnh sửa cho ${emailAddress} (đã gửi thư mời)`);
  }
}

/**
 * Create or update ONE ward spreadsheet: the guide, one tab per programme and the Kiểm tra
 * tab; then move it into the wards folder and share it with the ward's contacts. Throws a
 * ProvisionError carrying whatever registration exists so far.
 *
 * @example const { registration, actions } = await provisionWard(clients, { ward, catalogues, folderId, registration: registry[ward.id] ?? null })
 */
export async function provisionWard(clients: Pick<GoogleClients, "sheets" | "drive">, options: ProvisionOptions): Promise<ProvisionResult> {
  const ctx: Context = { clients, retry: options.retry ?? {}, ward: options.ward, state: { registration: null, actions: [] } };
  const plan = planWardWorkbook(options.catalogues, options.ward.name, null);
  try {
    const recorded = options.registration;
    const existing = recorded ? await readExisting(ctx, recorded.spreadsheetId) : null;
    let provisioned: Provisioned;
    if (recorded && existing) {
      ctx.state.registration = recorded;
      provisioned = await repairWard(ctx, recorded.spreadsheetId, existing, plan, options.catalogues);
    } else {
      if (recorded) ctx.state.actions.push(`Không còn bảng tính đã ghi nhận (${recorded.spreadsheetId}, có thể đã bị xoá): tạo bảng tính mới`);
      provisioned = await createWard(ctx, plan);
    }
    const { registration, parents } = provisioned;
    await moveIntoFolder(ctx, registration.spreadsheetId, parents, options.folderId);
    await shareWithContacts(ctx, registration.spreadsheetId);
    return { registration, actions: ctx.state.actions };
  } catch (error) {
    throw new ProvisionError(options.ward, ctx.state, error);
  }
}

/** One ward's provisioning, as data. */
export interface WardProvisionOutcome {
  wardId: string;
  wardName: string;
  /** The spreadsheet recorded for the ward after this run, or null when it still has none. */
  registration: WardRegistration | null;
  actions: string[];
  /** Why the ward failed (Vietnamese), or null. */
  error: string | null;
}

export interface ProvisionAllOptions {
  wards: readonly WardConfig[];
  catalogues: readonly Catalogue[];
  folderId: string;
  retry?: RetryOptions;
}

const sameRegistration = (a: WardRegistration, b: WardRegistration | undefined): boolean => a.spreadsheetId === b?.spreadsheetId && a.checkSheetId === b.checkSheetId;

/**
 * Provision every ward in turn, recording each registration in the registry right after its
 * ward (so a run stopped part-way keeps what it did). A failing ward is reported and the
 * others go on; a registry that cannot be written stops the run, since a spreadsheet that
 * is not recorded would be created again on the next run.
 */
export async function provisionAll(clients: Pick<GoogleClients, "sheets" | "drive">, kv: KeyValueStore, options: ProvisionAllOptions): Promise<WardProvisionOutcome[]> {
  const registry: WardRegistry = await readRegistry(kv);
  const outcomes: WardProvisionOutcome[] = [];
  for (const ward of options.wards) {
    const recorded = registry[ward.id] ?? null;
    const base = { wardId: ward.id, wardName: ward.name };
    let outcome: WardProvisionOutcome;
    try {
      const result = await provisionWard(clients, { ward, catalogues: options.catalogues, folderId: options.folderId, registration: recorded, ...(options.retry ? { retry: options.retry } : {}) });
      outcome = { ...base, registration: result.registration, actions: result.actions, error: null };
    } catch (error) {
      const failed = error instanceof ProvisionError ? error : null;
      outcome = { ...base, registration: failed?.registration ?? recorded, actions: [...(failed?.actions ?? [])], error: error instanceof Error ? error.message : String(error) };
    }
    const registration = outcome.registration;
    if (registration && !sameRegistration(registration, recorded ?? undefined)) {
      await updateJson<WardRegistry>(kv, STATE_KEYS.registry, (current) => ({ ...current, [ward.id]: registration }));
    }
    outcomes.push(outcome);
  }
  return outcomes;
}
