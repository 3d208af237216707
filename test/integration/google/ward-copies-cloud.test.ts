/**
 * The cloud handling of one ward (read, validate, Kiểm tra tab, state) over the strict fake,
 * for the two things only a full tab listing shows: a copy of a programme tab that staff edit
 * in Google Sheets, and a paste far past the row limit.
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
import { newSheet } from "../../fakes/google/sheets-batch.js";
import { ensureGridSize, updateCell, writeValue } from "../../fakes/google/sheets-model.js";
import { builtinCatalogues } from "../../fixtures/workbooks.js";
import { clientsFor, createWardSpreadsheet, wardConfig } from "./google-fixtures.js";

const TAB1 = "CA phường kiểu mẫu";
const COPY = `Bản sao của ${TAB1}`;
const clock = manualClock("2026-12-01T02:00:00Z");
let fake: FakeGoogle;
let catalogues: Catalogue[];

beforeAll(async () => {
  [fake, catalogues] = await Promise.all([startFakeGoogle({ now: clock.ms }), builtinCatalogues()]);
});
afterAll(() => fake.close());

function portsFor(id: string): CloudWardPorts {
  const retry = { sleep: clock.sleep };
  const clients = clientsFor(fake);
  const kv = gcsKeyValueStore({ auth: fakeGoogleAuth(), bucket: `state-${id.slice(0, 8).toLowerCase()}`, rootUrl: fake.url, retry, now: clock.ms });
  return {
    kv,
    clock,
    sheets: googleSheetSource({ clients, catalogues, spreadsheetIdOf: async () => id, retry }),
    feedback: googleCheckTab({ clients, catalogues, spreadsheetIdOf: async () => id, checkSheetIdOf: async () => null, retry }),
  };
}

describe("a ward in the cloud (strict fake)", () => {
  it("tells staff on the Kiểm tra tab that their edited “Bản sao của …” tab is not counted", async () => {
    const ward = wardConfig("nghi-huong");
    const id = createWardSpreadsheet(fake, catalogues);
    const ports = portsFor(id);
    expect((await processWardIfChanged(ward, catalogues, ports)).status).toBe("processed");
    expect(JSON.stringify(fake.sheets.values(id, CHECK_TAB))).not.toContain("bản sao");

    // Staff duplicate the tab and mark TC05 in the copy only (Google names the copy “Bản sao của …”).
    const rows = fake.sheets.values(id, TAB1).map((r) => r.map((v) => (v === "" ? null : v)));
    const edited = rows.map((r) => (r[1] === "TC05" ? r.map((v, c) => (c === 3 ? (v === "Đạt" ? "Chưa đạt" : "Đạt") : v)) : r));
    fake.sheets.mutate(id, (s) => newSheet(s, { title: COPY }, "addSheet"));
    fake.sheets.setValues(id, COPY, "A1", edited);
    clock.advance(60_000);
    const result = await processWardIfChanged(ward, catalogues, ports);
    expect(result.status).toBe("processed");
    expect(result.state?.findings.map((f) => [f.code, f.severity, f.tab])).toContainEqual(["tab-copy", "error", TAB1]);
    const tab = JSON.stringify(fake.sheets.values(id, CHECK_TAB));
    expect(tab).toContain(`Trang tính “${COPY}” là bản sao của trang tính “${TAB1}” và có nội dung khác`);
  });

  it("records a paste of 200,000 rows as unreadable with the local reader's reason, after two bounded reads", async () => {
    const ward = wardConfig("nghi-huong");
    const id = createWardSpreadsheet(fake, catalogues);
    const ports = portsFor(id);
    fake.sheets.mutate(id, (s) => {
      const sheet = s.sheets.find((t) => t.title === TAB1)!;
      const start = sheet.grid.length;
      ensureGridSize(sheet, 200_000, 3);
      for (let r = start; r < 200_000; r++) ["dán nhầm", r + 1, `TC${r}`].forEach((v, c) => updateCell(sheet, r, c, (cell) => writeValue(cell, v)));
    });
    fake.resetLog();
    const result = await processWardIfChanged(ward, catalogues, ports);
    expect(result.status).toBe("failed");
    expect(fake.requests.filter((r) => r.api === "sheets" && r.method === "GET").length).toBe(2);
    const state = (await ports.kv.get<WardState>(STATE_KEYS.ward(ward.id)))?.value;
    expect(state?.outcome.status).toBe("unreadable");
    expect(state?.outcome.reason).toContain(`trang tính “${TAB1}” có 200.000 dòng (tối đa 5.000)`);
  });
});
