/**
 * One cold start of the Cloud Functions entry, in a fresh process: import functions/index.js,
 * serve sheetsWebhook through the Functions Framework, answer one notification with a wrong
 * "sync" notification (it builds the whole composition root but needs no network). Prints JSON
 * timings for scripts/bench.ts.
 */
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";

const started = performance.now();
await import("../functions/index.js");
const imported = performance.now();
const { getTestServer } = await import("@google-cloud/functions-framework/testing");
const server = getTestServer("sheetsWebhook").listen(0, "127.0.0.1");
await new Promise((resolve) => server.once("listening", resolve));
const { port } = server.address() as { port: number };
const response = await fetch(`http://127.0.0.1:${port}/`, {
  method: "POST",
  headers: { "X-Goog-Channel-ID": "c", "X-Goog-Channel-Token": "secret", "X-Goog-Resource-State": "sync", "X-Goog-Message-Number": "1" },
});
const answered = performance.now();
server.close();
// The client modules are CommonJS: the require cache shows whether the monolithic googleapis entry came in.
const loaded = Object.keys(createRequire(import.meta.url).cache);
const monolithic = loaded.some((f) => /[/\\]node_modules[/\\]googleapis[/\\]/u.test(f));
console.log(JSON.stringify({ status: response.status, importMs: imported - started, firstResponseMs: answered - started, rssMiB: process.memoryUsage().rss / 1048576, monolithic }));
