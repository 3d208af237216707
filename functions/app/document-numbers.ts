/**
 * Document numbers in sequence mode: one sequence per document kind and year ("Số: 07/BC-CATX"),
 * allocated once per document key and stored, so rendering a document again (a later run of the
 * same period, a closed period re-rendered) prints the number it was given. Over any
 * KeyValueStore with compare-and-set, so two runtimes or overlapping runs never hand out one
 * number twice.
 */
import type { DocumentKind } from "../core/document-blocks.js";
import { KIND_ABBREVIATION, type NumberRequest } from "../core/document-frame.js";
import type { KeyValueStore } from "../ports.js";
import { updateJson } from "./kv-state.js";

const PREFIX = "document-numbers/";

interface NumberRecord {
  number: number;
  kind: DocumentKind;
  year: number;
}

interface CounterRecord {
  next: number;
}

const documentKey = (key: string): string => `${PREFIX}documents/${key}`;
const counterKey = (kind: DocumentKind, year: number): string => `${PREFIX}counters/${KIND_ABBREVIATION[kind]}-${year}`;

/**
 * The numbers of a run's documents: each one's stored number, or the next of its kind and year
 * (never below `start`, so a clerk who numbered documents by hand can move the sequence on).
 * One compare-and-set per kind and year hands out a whole batch, in the order requested. Two
 * runs numbering the same new document at once never give it two numbers nor one number to two
 * documents; the loser's number is then skipped (a gap, said in the README).
 *
 * @example (await allocateDocumentNumbers(kv, [{ key: "town/ca-phuong-dien-hinh/2026-11", kind: "town-report", year: 2026, start: 1 }])).get("town/ca-phuong-dien-hinh/2026-11") // → 1
 */
export async function allocateDocumentNumbers(kv: KeyValueStore, requests: readonly NumberRequest[]): Promise<Map<string, number>> {
  const numbers = new Map<string, number>();
  const stored = await Promise.all(requests.map((r) => kv.get<NumberRecord>(documentKey(r.key))));
  const missing = new Map<string, NumberRequest[]>();
  requests.forEach((r, i) => {
    const found = stored[i];
    if (found) numbers.set(r.key, found.value.number);
    else if (!numbers.has(r.key)) missing.set(counterKey(r.kind, r.year), [...(missing.get(counterKey(r.kind, r.year)) ?? []), r]);
  });
  for (const [counter, batch] of missing) {
    const unique = [...new Map(batch.map((r) => [r.key, r])).values()];
    const start = Math.max(...unique.map((r) => r.start));
    const taken = await updateJson<CounterRecord>(kv, counter, (current) => ({ next: Math.max(current?.next ?? start, start) + unique.length }));
    const first = taken.next - unique.length;
    await Promise.all(unique.map(async (r, i) => numbers.set(r.key, await record(kv, r, first + i))));
  }
  return numbers;
}

/** Store a document's number; when another run stored one first, that one is the document's. */
async function record(kv: KeyValueStore, request: NumberRequest, number: number): Promise<number> {
  const value: NumberRecord = { number, kind: request.kind, year: request.year };
  if ((await kv.put(documentKey(request.key), value, null)) !== null) return number;
  return (await kv.get<NumberRecord>(documentKey(request.key)))?.value.number ?? number;
}
