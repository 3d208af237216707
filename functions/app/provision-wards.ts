/**
 * Provisioning of every ward's spreadsheet: create what is missing, repair what drifted,
 * share with the ward's contacts, and record each spreadsheet in the registry.
 *
 * A new spreadsheet is claimed before it is created: its id is reserved and stored first,
 * then the file is created with that id and built, and only built spreadsheets enter the
 * registry, in one write at the end of the run (the sweep never sees a half-built one). A run
 * that dies anywhere on the way is finished by the next run from the stored reservations;
 * creating with the same id again answers "exists", so no ward ever gets two spreadsheets.
 */
import type { WardConfig } from "../config.js";
import { TieuchiError } from "../errors.js";
import type { KeyValueStore, ShareResult, WardSpreadsheets } from "../ports.js";
import { StateStoreError } from "../state-errors.js";
import { STATE_KEYS, type WardRegistration, type WardRegistry, readRegistry } from "./cloud-ward.js";
import { dateTimeVi } from "../core/vi-format.js";
import { acquireLease, releaseLease, updateJson } from "./kv-state.js";

/** Held by the one provisioning run allowed at a time (two would build the same reserved spreadsheet twice). */
export const PROVISION_LEASE_KEY = "provision/lease.json";
/** Longer than any run; a run that died frees it after this. */
export const PROVISION_LEASE_MS = 30 * 60_000;

/** Another provisioning run holds the lease. */
export class ProvisionBusyError extends TieuchiError {}

/** Where a ward's reserved, not yet registered, spreadsheet id is kept. */
export const reservationKey = (wardId: string): string => `provision/reserved/${wardId}.json`;

interface Reservation {
  spreadsheetId: string;
  reservedAt: string;
}

export interface ProvisionPorts {
  spreadsheets: WardSpreadsheets;
  kv: KeyValueStore;
  clock: { now(): Date };
}

/** One ward's provisioning, as data. */
export interface WardProvisionOutcome {
  wardId: string;
  wardName: string;
  /** The spreadsheet recorded for the ward after this run, or null when it still has none. */
  registration: WardRegistration | null;
  /** What was done, one Vietnamese line each; empty when everything was already right. */
  actions: string[];
  /** Contacts the domain's sharing policy refused; the ward's spreadsheet is ready all the same. */
  refused: ShareResult["refused"];
  /** Why the ward failed (Vietnamese), or null. */
  error: string | null;
}

const sameRegistration = (a: WardRegistration, b: WardRegistration | null): boolean => a.spreadsheetId === b?.spreadsheetId && a.checkSheetId === b.checkSheetId;

/** The ward's stored reservation, or a new id stored before anything is created (a concurrent run's wins). */
async function reservedId(ports: ProvisionPorts, wardId: string): Promise<string> {
  const key = reservationKey(wardId);
  const stored = await ports.kv.get<Reservation>(key);
  if (stored) return stored.value.spreadsheetId;
  const reservation: Reservation = { spreadsheetId: await ports.spreadsheets.reserveId(), reservedAt: ports.clock.now().toISOString() };
  if ((await ports.kv.put(key, reservation, null)) !== null) return reservation.spreadsheetId;
  const winner = await ports.kv.get<Reservation>(key);
  if (!winner) throw new StateStoreError("put", key, "bản ghi giữ chỗ vừa bị người khác ghi rồi xóa; chạy lại");
  return winner.value.spreadsheetId;
}

/** What one ward's provisioning got to, kept when it fails part-way. */
interface Progress {
  actions: string[];
  /** The built spreadsheet, or null. */
  registration: WardRegistration | null;
  /** It came from a reservation, to delete once the registry holds it. */
  reserved: boolean;
}

/** Reserve (or resume), create, build: each step safe to repeat after a crash. */
async function createWard(ports: ProvisionPorts, ward: WardConfig, progress: Progress): Promise<WardRegistration> {
  const spreadsheetId = await reservedId(ports, ward.id);
  const created = await ports.spreadsheets.createFile(spreadsheetId, ward);
  progress.actions.push(
    created === "created" ? `Tạo bảng tính mới (${spreadsheetId}) trong thư mục các phường` : `Tiếp tục với bảng tính ${spreadsheetId} đã tạo ở lần chạy trước (lần đó dừng giữa chừng)`,
  );
  const built = await ports.spreadsheets.build(spreadsheetId, ward);
  if (!built) {
    await ports.kv.delete(reservationKey(ward.id));
    throw new TieuchiError(`bảng tính ${spreadsheetId} vừa tạo đã bị xóa; chạy lại để tạo bảng tính khác`);
  }
  progress.actions.push(...built.actions);
  progress.reserved = true;
  return { spreadsheetId, checkSheetId: built.checkSheetId };
}

/** One ward: build or repair (or create), then share. */
async function provisionWard(ports: ProvisionPorts, ward: WardConfig, recorded: WardRegistration | null, progress: Progress): Promise<ShareResult["refused"]> {
  if (recorded) {
    const built = await ports.spreadsheets.build(recorded.spreadsheetId, ward);
    if (built) {
      progress.actions.push(...built.actions);
      progress.registration = { spreadsheetId: recorded.spreadsheetId, checkSheetId: built.checkSheetId };
    } else {
      progress.actions.push(`Không còn bảng tính đã ghi nhận (${recorded.spreadsheetId}, có thể đã bị xóa): tạo bảng tính mới`);
    }
  }
  progress.registration ??= await createWard(ports, ward, progress);
  const shared = await ports.spreadsheets.share(progress.registration.spreadsheetId, ward);
  progress.actions.push(...shared.actions);
  return shared.refused;
}

/**
 * Record every new or changed registration in ONE registry write (Cloud Storage takes about
 * one write a second per object), then drop the reservations it now covers. A run that dies
 * before this loses nothing: the next one resumes each ward from its reservation.
 */
async function recordAll(kv: KeyValueStore, registry: WardRegistry, done: ReadonlyArray<{ wardId: string; progress: Progress }>): Promise<void> {
  const changed: WardRegistry = {};
  for (const { wardId, progress } of done) {
    if (progress.registration && !sameRegistration(progress.registration, registry[wardId] ?? null)) changed[wardId] = progress.registration;
  }
  if (Object.keys(changed).length > 0) await updateJson<WardRegistry>(kv, STATE_KEYS.registry, (current) => ({ ...current, ...changed }));
  for (const { wardId } of done.filter(({ progress }) => progress.reserved && progress.registration)) await kv.delete(reservationKey(wardId));
}

/**
 * Provision every ward in turn. A failing ward is reported and the others go on; an
 * unreachable state store stops the run.
 *
 * @example const outcomes = await provisionWards({ spreadsheets, kv, clock }, activeWards(config.wards, today))
 */
export async function provisionWards(ports: ProvisionPorts, wards: readonly WardConfig[]): Promise<WardProvisionOutcome[]> {
  const lease = await acquireLease(ports.kv, PROVISION_LEASE_KEY, PROVISION_LEASE_MS, ports.clock.now());
  if (!lease.taken) {
    throw new ProvisionBusyError(
      `Một lượt “tieuchi provision” khác đang chạy (bắt đầu lúc ${dateTimeVi(new Date(lease.heldSince))}). Chờ lượt đó xong rồi chạy lại; ` +
        `nếu lượt đó đã bị dừng giữa chừng, có thể chạy lại sau ${dateTimeVi(new Date(lease.until))}.`,
    );
  }
  try {
    return await provisionUnderLease(ports, wards);
  } finally {
    await releaseLease(ports.kv, PROVISION_LEASE_KEY, lease.id);
  }
}

async function provisionUnderLease(ports: ProvisionPorts, wards: readonly WardConfig[]): Promise<WardProvisionOutcome[]> {
  const registry = await readRegistry(ports.kv);
  const outcomes: WardProvisionOutcome[] = [];
  const done: Array<{ wardId: string; progress: Progress }> = [];
  for (const ward of wards) {
    const progress: Progress = { actions: [], registration: null, reserved: false };
    done.push({ wardId: ward.id, progress });
    let refused: ShareResult["refused"] = [];
    let error: string | null = null;
    try {
      refused = await provisionWard(ports, ward, registry[ward.id] ?? null, progress);
    } catch (failure) {
      if (failure instanceof StateStoreError) throw failure;
      error = failure instanceof Error ? failure.message : String(failure);
    }
    const registration = progress.registration ?? registry[ward.id] ?? null;
    outcomes.push({ wardId: ward.id, wardName: ward.name, registration, actions: progress.actions, refused, error });
  }
  await recordAll(ports.kv, registry, done);
  return outcomes;
}
