/**
 * Worker threads for a local run (piscina): ward workbooks are parsed off the main thread, which
 * keeps hashing, evaluating and writing (feedback tables are rendered in-process: writing the
 * parts directly costs less than a trip to a worker). The first wards of a run go in-process (a run with a few changed wards never pays the start of
 * a worker); past `inProcessFirst` the pool starts. Without the built worker entry (sources
 * run by vitest) everything stays in-process. A worker that dies (out of memory on a hostile
 * file) costs its ward only: that ward is unreadable with a reason, the pool goes on.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import type { ResourceLimits } from "node:worker_threads";
import type { Piscina as PiscinaPool } from "piscina";
import type { RawWorkbook } from "../../core/cells.js";
import type { OutputTable } from "../../core/output-table.js";
import { SheetsReadError } from "../../errors.js";
import type { ParseAnswer, PoolTask } from "./ward-pool-worker.js";

export interface WardPoolOptions {
  /** Worker threads; 0 keeps everything in-process. */
  threads: number;
  /** Parses done in-process before the pool starts (the crossover measured in scripts/bench-run.ts). */
  inProcessFirst?: number;
  /** The built worker entry; by default ward-pool-worker.js beside this file. */
  workerFile?: string;
  /** Heap ceilings of each worker (tests make a worker run out of memory). */
  resourceLimits?: ResourceLimits;
}

export interface WardPool {
  /** Workbook bytes to a RawWorkbook; throws SheetsReadError as readXlsxBuffer does. */
  parse(bytes: Buffer, label: string): Promise<RawWorkbook>;
  /** The .xlsx bytes of a table (renderTableXlsx, always in-process). */
  renderXlsx(table: OutputTable, meta: { creator: string; created: Date }): Promise<Buffer>;
  /** Worker threads this pool uses: 0 when off or when the built worker entry is missing. */
  readonly threads: number;
  /** Tasks run on a worker so far (for tests and the bench). */
  readonly stats: { pooled: number };
  close(): Promise<void>;
}

/**
 * Worker threads by default: none on two cores, one on three, two from four. Measured at 700 wards
 * on 2 shared cores (bench "run"): one worker saved ~10% of the wall time at best and cost 10–20%
 * more CPU and 25–85 MB more memory; two were slower. The main thread (hashing, evaluating, state)
 * needs a core of its own.
 */
export const DEFAULT_THREADS = Math.max(0, Math.min(2, availableParallelism() - 2));
/**
 * Parses (one per changed ward) in-process before the pool starts. Measured on 2 shared cores
 * (bench "run"): a worker's start costs ~2 s and ~60 MB; at 40 and 300 changed wards the run was
 * slower with it, at 700 ~13% faster. So about the first 300 wards stay in-process.
 */
const IN_PROCESS_FIRST = 300;

/** Said for a ward whose worker died (out of memory, killed) while reading its workbook. */
export const WORKER_DIED_REASON =
  "việc đọc tệp này đã dừng giữa chừng vì tệp quá nặng hoặc có nội dung bất thường (hết bộ nhớ khi đọc). Hãy mở tệp bằng Excel, xóa các ảnh, bảng dán thừa rồi lưu lại dưới dạng .xlsx.";

type Piscina = PiscinaPool<PoolTask, ParseAnswer>;

/** A pool for `threads` workers, started only when a run reaches `inProcessFirst` tasks. */
export function openWardPool(options: WardPoolOptions): WardPool {
  const workerFile = options.workerFile ?? fileURLToPath(new URL("./ward-pool-worker.js", import.meta.url));
  const usable = options.threads > 0 && existsSync(workerFile);
  const first = options.inProcessFirst ?? IN_PROCESS_FIRST;
  const stats = { pooled: 0 };
  let tasks = 0;
  let pool: Promise<Piscina> | null = null;
  const start = async (): Promise<Piscina> => {
    const { Piscina } = await import("piscina");
    const threads = options.threads;
    return new Piscina<PoolTask, ParseAnswer>({ filename: workerFile, minThreads: threads, maxThreads: threads, idleTimeout: 2000, ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}) });
  };
  /** The pool for this parse, or null when it goes in-process. */
  const poolFor = (): Promise<Piscina> | null => {
    tasks += 1;
    if (!usable || tasks <= first) return null;
    pool ??= start();
    stats.pooled += 1;
    return pool;
  };
  return {
    threads: usable ? options.threads : 0,
    stats,
    parse: async (bytes, label) => {
      const workers = poolFor();
      if (!workers) return (await import("./xlsx-reader.js")).readXlsxBuffer(bytes, label);
      const answer = await (await workers).run({ kind: "parse", bytes, label }).catch((error: unknown) => {
        throw new SheetsReadError(`tệp ${label}`, WORKER_DIED_REASON, { kind: "too-large", cause: error });
      });
      if ("workbook" in answer) return answer.workbook;
      const { target, message, kind } = answer.problem;
      throw new SheetsReadError(target, message.slice(`Không đọc được ${target}: `.length), { kind });
    },
    renderXlsx: async (table, meta) => (await import("./table-xlsx.js")).renderTableXlsx(table, meta),
    close: async () => {
      if (pool) await (await pool).destroy();
      pool = null;
    },
  };
}
