/**
 * The fan-out simulation in the suite (scripts/bench-simulation.ts prints the same figures in
 * `npm run bench`): on the strict fake with Sheets and Storage quotas and Cloud Tasks delivering
 * duplicates in a seeded random order, every edit reaches its Kiểm tra tab, none twice, no
 * quota refusal is left unhandled, and the identity never goes over its 60 requests a minute.
 */
import { describe, expect, it } from "vitest";
import { simulate } from "../../../scripts/bench-simulation.js";

const units = Number(process.env.TIEUCHI_SIM_UNITS ?? 130);

describe(`fan-out simulation, ${units} units`, () => {
  it("a working day, then a deadline where every unit changes: every change processed once, within the quota", async () => {
    const results = await simulate({ units, scenarios: ["working-day", "deadline"] });
    expect(results.map((r) => [r.scenario, r.edits])).toEqual([["working-day", 2 * units], ["deadline", units]]);
    for (const r of results) {
      const scenario = r.scenario;
      expect({ lost: r.lost, twice: r.processedTwice, left: r.leftUnhandled }).toEqual({ lost: 0, twice: 0, left: 0 });
      expect(r.duplicateDeliveries).toBeGreaterThan(0);
      expect(r.peakReadsPerMinute).toBeLessThanOrEqual(60);
      expect(r.peakWritesPerMinute).toBeLessThanOrEqual(60);
      expect(r.quotaRefusals).toBe(0); // tasks spaced by scheduleTime at the quota's pace, Google's burst (100) included: no 429 at all
      // Drive's lag (1 min) and its push, then the queue at 22 units a minute. The deadline day starts with the daily
      // listing's re-check of every unit; changes take two slots in three of that lane instead of waiting behind it: a
      // deadline burst of up to 14 units a minute waits for no one, a bigger one drains at 14 a minute.
      const drainMin = units / 30 <= 14 ? 0 : units / 14 - 30;
      expect(r.p95Ms).toBeLessThan(scenario === "deadline" ? (drainMin + 2) * 60_000 : 10 * 60_000);
    }
  }, 240_000);
});
