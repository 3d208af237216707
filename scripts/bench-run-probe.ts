/**
 * Child process for `npm run bench`: one `tieuchi run DIR` as a user starts it (a fresh
 * process, the CLI's own output discarded), then one JSON line with the time from the start
 * of the command to its end and this process's peak resident memory.
 */
import { performance } from "node:perf_hooks";
import { main } from "./tieuchi.js";

const dir = process.argv[2];
if (dir === undefined) throw new Error("usage: bench-run-probe DIR");
const quiet = { write: () => true };
const start = performance.now();
// Only the worker-thread settings pass through (TIEUCHI_THREADS=0: everything on the main thread).
const env = Object.fromEntries(["TIEUCHI_THREADS", "TIEUCHI_THREADS_FROM"].flatMap((k) => (process.env[k] === undefined ? [] : [[k, process.env[k]]])));
const code = await main(["run", dir], { env, cwd: dir, stdout: quiet, stderr: quiet });
const usage = process.resourceUsage();
process.stdout.write(`${JSON.stringify({ ms: performance.now() - start, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, code, maxRssKb: usage.maxRSS })}\n`);
