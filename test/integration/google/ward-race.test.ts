/**
 * Two handlings of one ward racing against the strict fake (Sheets, Cloud Storage with its one
 * write per second per object, one manual clock): the older read finishes last, and neither the
 * stored state nor the Kiểm tra tab may go back to what it saw.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CloudWardPorts, processWardIfChanged, STATE_KEYS, type WardState } from "../../../functions/app/cloud-ward.js";
import { googleCheckTab } from "../../../functions/adapters/google/check-tab.js";
import { gcsKeyValueStore } from "../../../functions/adapters/google/gcs-store.js";
import { googleSheetSource } from "../../../functions/adapters/google/sheet-source.js";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { CHECK_TAB } from "../../../sheets-schema/layout.js";
import { manualClock } from "../../fakes/clock.js";
import { fakeGoogleAuth } from "../../fakes/google/clients.js";
import { type FakeGoogle, startFakeGoogle } from "../../fakes/google/server.js";
import { builtinCatalogues, cellOf, sampleWorkbook } from "../../fixtures/workbooks.js";
import { clientsFor, createWardSpreadsheet, wardConfig } from "./google-fixtures.js";

const TAB1 = "CA phường kiểu mẫu";
const clock = manualClock("2026-12-01T02:00:00Z");
let fake: FakeGoogle;
let catalogues: Catalogue[];

beforeAll(async () => {
  [fake, catalogues] = await Promise.all([startFakeGoogle({ now: clock.ms }), builtinCatalogues()]);
});
afterAll(() => fake.close());

describe("racing handlings of one ward (strict fake)", () => {
  it("keeps the newer result in state and on the Kiểm tra tab when the older read finishes last", async () => {
    const ward = wardConfig("nghi-hoa");
    const id = createWardSpreadsheet(fake, catalogues, { id: "nghi-hoa" }); // TC02 marked Đạt without evidence
    const retry = { sleep: clock.sleep };
    const clients = clientsFor(fake);
    const kv = gcsKeyValueStore({ auth: fakeGoogleAuth(), bucket: "state", rootUrl: fake.url, retry, now: clock.ms });
    const sheets = googleSheetSource({ clients, catalogues, spreadsheetIdOf: async () => id, retry });
    const ports: CloudWardPorts = { kv, clock, sheets, feedback: googleCheckTab({ clients, catalogues, spreadsheetIdOf: async () => id, checkSheetIdOf: async () => null, retry }) };
    const checkTab = (): string => JSON.stringify(fake.sheets.values(id, CHECK_TAB));
    const batchGets = (): number => fake.requests.filter((r) => r.path.endsWith("/values:batchGet")).length;
    expect((await processWardIfChanged(ward, catalogues, ports)).status).toBe("processed");
    expect(checkTab()).toContain("TC02");

    // An older handling reads the sheet (still with the mistake), and its answer is slow to come back.
    clock.advance(60_000);
    let release = (): void => undefined;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const slowRead = async (w: typeof ward) => {
      const workbook = await sheets.read(w);
      await slow;
      return workbook;
    };
    const olderPorts: CloudWardPorts = { ...ports, sheets: { read: slowRead } };
    const readsBefore = batchGets();
    const older = processWardIfChanged(ward, catalogues, olderPorts);
    while (batchGets() === readsBefore) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 50)); // its answer is in hand (held by the gate)

    // Staff add the evidence; a newer handling reads and records it.
    fake.sheets.setValues(id, TAB1, cellOf(sampleWorkbook(catalogues, "nghi-hoa"), TAB1, "TC02", "G"), [["Kế hoạch số 7/KH-CAP"]]);
    clock.advance(2_000);
    expect((await processWardIfChanged(ward, catalogues, ports)).status).toBe("processed");
    expect(checkTab()).not.toContain("TC02");

    release();
    expect((await older).status).toBe("superseded");
    const state = (await kv.get<WardState>(STATE_KEYS.ward("nghi-hoa")))?.value;
    expect(state?.findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(checkTab()).not.toContain("TC02");
  });
});
