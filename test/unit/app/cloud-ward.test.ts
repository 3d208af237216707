import { beforeAll, describe, expect, it } from "vitest";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { type CloudWardPorts, processWardIfChanged, registryCache, STATE_KEYS, type WardState } from "../../../functions/app/cloud-ward.js";
import type { WardConfig } from "../../../functions/config.js";
import type { RawWorkbook } from "../../../functions/core/cells.js";
import type { KeyValueStore, WardFeedback } from "../../../functions/ports.js";
import { manualClock } from "../../fakes/clock.js";
import { memoryKeyValueStore } from "../../fakes/memory-kv.js";
import { allMetWorkbook, builtinCatalogues, sampleWorkbook } from "../../fixtures/workbooks.js";

describe("registryCache", () => {
  it("reads the registry once within its time to live, again after it or after invalidate", async () => {
    const kv = memoryKeyValueStore();
    let reads = 0;
    const counting = { ...kv, get: <T,>(key: string) => ((reads += 1), kv.get<T>(key)) };
    let now = 0;
    const cache = registryCache(counting, { now: () => new Date(now) }, 1000);
    await kv.put(STATE_KEYS.registry, { "nghi-huong": { spreadsheetId: "a", checkSheetId: null } }, null);
    expect(await cache.get()).toEqual({ "nghi-huong": { spreadsheetId: "a", checkSheetId: null } });
    await cache.get();
    expect(reads).toBe(1);
    now = 1001;
    await cache.get();
    expect(reads).toBe(2);
    cache.invalidate();
    await cache.get();
    expect(reads).toBe(3);
  });
});

describe("processWardIfChanged under racing reads", () => {
  let catalogues: Catalogue[];
  beforeAll(async () => {
    catalogues = await builtinCatalogues();
  });
  const ward: WardConfig = { id: "nghi-hoa", name: "Nghi Hòa", aliases: ["Nghi Hoà"], contacts: [] };

  /** A ward whose sheet reads and Kiểm tra writes can each be held until the test lets them go. */
  function racingWard() {
    const clock = manualClock("2026-12-01T02:00:00Z");
    const kv = memoryKeyValueStore();
    const tab: WardFeedback[] = [];
    const held = { reads: [] as Array<Promise<void>>, writes: [] as Array<Promise<void>> };
    let workbook: RawWorkbook = sampleWorkbook(catalogues, "nghi-hoa"); // TC02 marked Đạt without evidence
    const ports: CloudWardPorts = {
      clock,
      kv,
      sheets: {
        read: async () => {
          const seen = workbook; // what the sheet held when the read started
          await held.reads.shift();
          return seen;
        },
      },
      feedback: {
        write: async (feedback) => {
          const gate = held.writes.shift();
          if (gate) await gate;
          tab.push(feedback);
        },
      },
    };
    const gate = (): { wait: Promise<void>; open(): void } => {
      let open = (): void => undefined;
      const wait = new Promise<void>((resolve) => (open = resolve));
      return { wait, open };
    };
    return { clock, kv, tab, held, ports, gate, fix: () => void (workbook = allMetWorkbook(catalogues, "Nghi Hòa")) };
  }
  const stored = async (kv: KeyValueStore) => (await kv.get<WardState>(STATE_KEYS.ward("nghi-hoa")))?.value;
  const errorsOf = (findings: readonly { severity: string }[] | undefined) => findings?.filter((f) => f.severity === "error").length;

  it("keeps the newer result when the older read finishes last, in state and on the Kiểm tra tab", async () => {
    const w = racingWard();
    const slowRead = w.gate();
    w.held.reads.push(slowRead.wait);
    const older = processWardIfChanged(ward, catalogues, w.ports); // reads the sheet with the mistake, slowly
    await new Promise((resolve) => setImmediate(resolve));
    w.fix();
    w.clock.advance(2_000);
    const newer = await processWardIfChanged(ward, catalogues, w.ports, { file: { id: "f", name: "Nghi Hòa", version: "8", modifiedTime: "2026-12-01T02:00:01.000Z", lastModifyingUser: null } });
    expect(newer.status).toBe("processed");
    slowRead.open();

    expect((await older).status).toBe("superseded");
    const state = await stored(w.kv);
    expect(errorsOf(state?.findings)).toBe(0);
    expect(state?.processedAt).toBe("2026-12-01T02:00:02.000Z");
    expect(state?.inputVersion).toEqual({ version: "8", modifiedTime: "2026-12-01T02:00:01.000Z" });
    expect(w.tab.map((t) => errorsOf(t.findings))).toEqual([0]);
  });

  it("writes the Kiểm tra tab again when an older read's write lands after a newer one's", async () => {
    const w = racingWard();
    const slowWrite = w.gate();
    w.held.writes.push(slowWrite.wait);
    const older = processWardIfChanged(ward, catalogues, w.ports); // its tab write is slow
    while (w.held.writes.length > 0) await new Promise((resolve) => setImmediate(resolve));
    w.fix();
    w.clock.advance(2_000);
    expect((await processWardIfChanged(ward, catalogues, w.ports)).status).toBe("processed");
    slowWrite.open(); // the stale write lands last…
    expect((await older).status).toBe("superseded");

    // …and is overwritten from the newest recorded result.
    expect(w.tab.map((t) => errorsOf(t.findings))).toEqual([0, 1, 0]);
    expect(errorsOf((await stored(w.kv))?.findings)).toBe(0);
  });

  it("writes its tab again when an older read recorded first but its write may have landed after", async () => {
    const w = racingWard();
    const slowWrite = w.gate();
    w.held.writes.push(slowWrite.wait);
    const older = processWardIfChanged(ward, catalogues, w.ports);
    while (w.held.writes.length > 0) await new Promise((resolve) => setImmediate(resolve));
    w.fix();
    w.clock.advance(2_000);
    // The newer read writes its tab at once, but its record is slow to reach the store.
    const slowRecord = w.gate();
    const newer = processWardIfChanged(ward, catalogues, { ...w.ports, kv: { ...w.kv, put: async (...args) => (await slowRecord.wait, w.kv.put(...args)) } });
    while (w.tab.length === 0) await new Promise((resolve) => setImmediate(resolve));
    w.clock.advance(1_000);
    slowWrite.open(); // the older write lands after the newer one, and is recorded first
    expect((await older).status).toBe("processed");
    slowRecord.open();

    expect((await newer).status).toBe("processed");
    expect(w.tab.map((t) => errorsOf(t.findings))).toEqual([0, 1, 0]);
    const state = await stored(w.kv);
    expect(errorsOf(state?.findings)).toBe(0);
    expect(state?.processedAt).toBe("2026-12-01T02:00:02.000Z");
  });

  it("writes the tab on the next read when an instance died during its write", async () => {
    const w = racingWard();
    w.held.writes.push(new Promise<void>(() => undefined)); // the instance dies during its write
    void processWardIfChanged(ward, catalogues, w.ports);
    while (w.held.writes.length > 0) await new Promise((resolve) => setImmediate(resolve));
    expect(await stored(w.kv)).toBeUndefined(); // nothing recorded: the result waits for its tab

    w.clock.advance(60_000);
    expect((await processWardIfChanged(ward, catalogues, w.ports)).status).toBe("processed");
    expect(w.tab).toHaveLength(1);
    expect(errorsOf((await stored(w.kv))?.findings)).toBe(1);
  });
});
