import { beforeAll, describe, expect, it } from "vitest";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { type CloudWardPorts, processWardIfChanged } from "../../../functions/app/cloud-ward.js";
import { findingsFingerprint } from "../../../functions/app/content-keys.js";
import type { WardConfig } from "../../../functions/config.js";
import type { RawWorkbook } from "../../../functions/core/cells.js";
import { manualClock } from "../../fakes/clock.js";
import { memoryKeyValueStore } from "../../fakes/memory-kv.js";
import { builtinCatalogues, cellOf, sampleWorkbook, withCell } from "../../fixtures/workbooks.js";

const ward: WardConfig = { id: "nghi-hoa", name: "Nghi Hòa", aliases: ["Nghi Hoà"], contacts: [] };
let catalogues: Catalogue[];
beforeAll(async () => {
  catalogues = await builtinCatalogues();
});

describe("the cloud's \"findings changed\" hash", () => {
  it("is the findings' fingerprint: an edit that changes no finding keeps the debounce running, a new mistake restarts it", async () => {
    const clock = manualClock("2026-12-01T02:00:00Z");
    const tab = catalogues[0]!.tabTitle;
    const base = sampleWorkbook(catalogues, "nghi-hoa"); // TC02 marked Đạt without evidence
    let workbook: RawWorkbook = base;
    const ports: CloudWardPorts = { clock, kv: memoryKeyValueStore(), sheets: { read: async () => workbook }, feedback: { write: async () => undefined } };

    const first = await processWardIfChanged(ward, catalogues, ports);
    expect(first.state.findingsHash).toBe(findingsFingerprint(first.state.findings));

    clock.advance(60_000);
    workbook = withCell(base, tab, cellOf(base, tab, "TC01", "H"), "Ghi chú mới"); // input changed, findings did not
    const noted = await processWardIfChanged(ward, catalogues, ports);
    expect(noted.status).toBe("processed");
    expect(noted.state.findingsHash).toBe(first.state.findingsHash);
    expect(noted.state.findingsChangedAt).toBe(first.state.findingsChangedAt);

    clock.advance(60_000);
    workbook = withCell(workbook, tab, cellOf(base, tab, "TC03", "D"), "dat roi");
    const broken = await processWardIfChanged(ward, catalogues, ports);
    expect(broken.state.findingsHash).not.toBe(first.state.findingsHash);
    expect(broken.state.findingsChangedAt).toBe("2026-12-01T02:02:00.000Z");
  });
});
