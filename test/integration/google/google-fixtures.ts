/** Shared set-up for the Google adapter tests: the fake server, real clients, a sample ward spreadsheet. */
import { createGoogleClients, type GoogleClients } from "../../../functions/adapters/google/clients.js";
import { SAMPLE_WARDS, sampleAnswers } from "../../../functions/adapters/local/sample-town.js";
import type { WardConfig } from "../../../functions/config.js";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { planWardWorkbook } from "../../../sheets-schema/workbook-plan.js";
import { fakeGoogleAuth } from "../../fakes/google/clients.js";
import { type CellValue, type FakeGoogle, fakeServiceAccount, fakeUser } from "../../fakes/google/server.js";

/** Real clients (retry off, as in production) pointed at the fake. */
export function clientsFor(fake: FakeGoogle): GoogleClients {
  return createGoogleClients({ auth: fakeGoogleAuth(), rootUrl: fake.url });
}

/** Retry without waiting, so tests never sleep. */
export const noWait = { sleep: async (): Promise<void> => {} };

export function wardConfig(id = "nghi-huong"): WardConfig {
  const sample = SAMPLE_WARDS.find((w) => w.id === id);
  if (!sample) throw new Error(`no sample ward ${id}`);
  return { id: sample.id, name: sample.name, aliases: sample.aliases, contacts: [] };
}

/** Every tab of a sample ward's workbook, from the same plan `init` and provisioning lay out. */
export function wardTabs(catalogues: readonly Catalogue[], id = "nghi-huong"): Record<string, CellValue[][]> {
  const sample = SAMPLE_WARDS.find((w) => w.id === id);
  if (!sample) throw new Error(`no sample ward ${id}`);
  const plan = planWardWorkbook(catalogues, sample.typedName, "02/11/2023", sampleAnswers(sample, catalogues));
  return Object.fromEntries(plan.tabs.map((tab) => [tab.title, tab.rows.map((row) => row.map((cell) => cell.value))]));
}

/** Creates the ward's spreadsheet in the fake and returns its id. */
export function createWardSpreadsheet(fake: FakeGoogle, catalogues: readonly Catalogue[], options: { id?: string; parents?: string[]; rename?: Record<string, string> } = {}): string {
  const tabs = Object.entries(wardTabs(catalogues, options.id)).map(([title, rows]) => [options.rename?.[title] ?? title, rows] as const);
  return fake.sheets.create(`Tự đánh giá - ${wardConfig(options.id).name}`, Object.fromEntries(tabs), options.parents ? { parents: options.parents } : {});
}

export interface SharedDriveWorld {
  driveId: string;
  /** Made by hand by the admin (not by the app): the product's drive.file scope cannot add files to it. */
  wardsFolderId: string;
  reportsFolderId: string;
  /** The town spreadsheet, when asked for: seeded in the reports folder (a staff member made it). */
  townSpreadsheetId?: string;
}

/**
 * The Workspace set-up of the README: a shared drive with the service account as Content manager
 * ("fileOrganizer") and the office's admin as Manager, holding the wards and reports folders.
 */
export function sharedDriveWorld(fake: FakeGoogle, options: { town?: boolean; name?: string } = {}): SharedDriveWorld {
  const driveId = fake.drive.addSharedDrive({
    name: options.name ?? "Công an thị xã Cửa Lò",
    members: [
      { email: fakeServiceAccount, role: "fileOrganizer" },
      { email: fakeUser, role: "organizer" },
    ],
  });
  const wardsFolderId = fake.drive.addFolder({ name: "Các phường", parents: [driveId] });
  const reportsFolderId = fake.drive.addFolder({ name: "Báo cáo", parents: [driveId] });
  const world: SharedDriveWorld = { driveId, wardsFolderId, reportsFolderId };
  if (options.town) world.townSpreadsheetId = fake.sheets.create("Tổng hợp tiêu chí", { "Tổng hợp": [] }, { parents: [reportsFolderId] });
  return world;
}
