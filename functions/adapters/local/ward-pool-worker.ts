/**
 * The worker thread of the ward pool (ward-pool.ts): parses a ward's workbook bytes, so the main
 * thread only hashes, evaluates and writes. Every answer
 * is plain data (structured clone): a read problem travels as its target, message and kind.
 */
import type { RawWorkbook } from "../../core/cells.js";
import { SheetsReadError, type SheetsReadKind } from "../../errors.js";
import { readXlsxBuffer } from "./xlsx-reader.js";

/** What the pool asks of a worker. */
export interface PoolTask {
  kind: "parse";
  bytes: Uint8Array;
  label: string;
}

/** A parse answer: the workbook, or the read problem the ward is told about. */
export type ParseAnswer = { workbook: RawWorkbook } | { problem: { target: string; message: string; kind: SheetsReadKind } };

async function parse(bytes: Uint8Array, label: string): Promise<ParseAnswer> {
  try {
    return { workbook: await readXlsxBuffer(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), label) };
  } catch (error) {
    if (!(error instanceof SheetsReadError)) throw error;
    return { problem: { target: error.target, message: error.message, kind: error.kind } };
  }
}

/** The worker's entry point (piscina calls the default export with each task). */
export default async function handle(task: PoolTask): Promise<ParseAnswer> {
  return parse(task.bytes, task.label);
}
