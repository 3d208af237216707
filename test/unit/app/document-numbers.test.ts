/** Document numbers in sequence mode: one per document key, kept on re-rendering, never given twice. */
import { describe, expect, it } from "vitest";
import { allocateDocumentNumbers } from "../../../functions/app/document-numbers.js";
import type { NumberRequest } from "../../../functions/core/document-frame.js";
import { memoryKeyValueStore } from "../../fakes/memory-kv.js";

const town = (period: string, programme = "ca-phuong-dien-hinh"): NumberRequest => ({ key: `town/${programme}/${period}`, kind: "town-report", year: 2026, start: 1 });
const numbersOf = async (kv: ReturnType<typeof memoryKeyValueStore>, requests: NumberRequest[]): Promise<number[]> => {
  const given = await allocateDocumentNumbers(kv, requests);
  return requests.map((r) => given.get(r.key)!);
};

describe("allocateDocumentNumbers", () => {
  it("numbers documents of a kind in the order asked and keeps each document's number", async () => {
    const kv = memoryKeyValueStore();
    expect(await numbersOf(kv, [town("2026-10"), town("2026-10", "phuong-bao-ve-antq")])).toEqual([1, 2]);
    expect(await numbersOf(kv, [town("2026-11"), town("2026-10")])).toEqual([3, 1]);
    expect(await numbersOf(kv, [town("2026-10"), town("2026-10")])).toEqual([1, 1]);
  });

  it("keeps one sequence per kind and per year", async () => {
    const kv = memoryKeyValueStore();
    const notice: NumberRequest = { key: "ward/nghi-hoa/2026-10", kind: "ward-notice", year: 2026, start: 1 };
    expect(await numbersOf(kv, [town("2026-10"), notice, { ...town("2027-01"), year: 2027 }, town("2026-11")])).toEqual([1, 1, 1, 2]);
  });

  it("starts at `start`, and moves on when start is raised past the numbers given", async () => {
    const kv = memoryKeyValueStore();
    expect(await numbersOf(kv, [{ ...town("2026-10"), start: 40 }, { ...town("2026-11"), start: 40 }])).toEqual([40, 41]);
    expect(await numbersOf(kv, [{ ...town("2026-12"), start: 50 }])).toEqual([50]);
    expect(await numbersOf(kv, [{ ...town("2026-09"), start: 1 }])).toEqual([51]);
  });

  it("never gives one number twice, nor two numbers to one document, when runs overlap", async () => {
    const kv = memoryKeyValueStore();
    const keys = Array.from({ length: 12 }, (_, i) => town(`2026-W${String(i + 1).padStart(2, "0")}`));
    const runs = await Promise.all([keys, [...keys].reverse(), keys.slice(3, 9)].map((batch) => allocateDocumentNumbers(kv, batch)));
    for (const k of keys) expect(new Set(runs.flatMap((run) => (run.has(k.key) ? [run.get(k.key)] : []))).size).toBe(1);
    const final = keys.map((k) => runs[0]!.get(k.key)!);
    expect(new Set(final).size).toBe(12);
    expect(await numbersOf(kv, keys)).toEqual(final);
    expect(kv.conflicts).toBeGreaterThan(0);
  });
});
