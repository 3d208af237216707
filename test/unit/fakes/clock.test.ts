import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { manualClock } from "../../fakes/clock.js";

describe("manualClock", () => {
  it("moves only when told to, and sleep advances it", async () => {
    const clock = manualClock("2026-12-01T08:00:00+07:00");
    expect(clock.now().toISOString()).toBe("2026-12-01T01:00:00.000Z");
    expect(clock.ms()).toBe(Date.parse("2026-12-01T01:00:00Z"));
    clock.advance(1_500);
    await clock.sleep(60_000);
    expect(clock.now().toISOString()).toBe("2026-12-01T01:01:01.500Z");
    expect(() => clock.advance(-1)).toThrow(/cannot advance/);
    expect(() => manualClock("tomorrow")).toThrow(/not an ISO date/);
  });

  it("overlaps sleeps taken at once, as real waits do: each wakes at its own instant, the earliest first", async () => {
    const clock = manualClock("2026-12-01T01:00:00Z");
    const t0 = clock.ms();
    const woke: Array<[number, number]> = [];
    const nap = (ms: number) => clock.sleep(ms).then(() => void woke.push([ms, clock.ms() - t0]));
    await Promise.all([nap(5_000), nap(1_000), nap(1_000), nap(1_000)]);
    expect(woke).toEqual([[1_000, 1_000], [1_000, 1_000], [1_000, 1_000], [5_000, 5_000]]); // not 8 s: the waits overlap
    clock.advance(10_000);
    await clock.sleep(0);
    expect(clock.ms() - t0).toBe(15_000);
  });
});

/** Every fake takes the test's clock; only the client helper may read the real one (google-auth-library checks expiry_date against it). */
describe("the fakes never read the system clock", () => {
  const root = join(import.meta.dirname, "../../fakes");
  const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? files(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : []));
  const allowed = new Set(["google/clients.ts"]);

  it.each(files(root).map((file) => relative(root, file)))("%s", (file) => {
    if (allowed.has(file)) return;
    const code = readFileSync(join(root, file), "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
    expect(code).not.toMatch(/Date\.now\(|new Date\(\)|performance\.now\(/);
  });
});
