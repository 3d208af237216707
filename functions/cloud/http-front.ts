/**
 * What stands between the Functions Framework's HTTP server and our handlers.
 *
 * The framework parses every body (JSON, text, form) before a handler runs and sends body-parser
 * failures to Express's default error page: HTML with the stack and absolute paths outside
 * production, HTML in any case (functions-framework-nodejs issue #686; PR #685 is unmerged).
 * It has no option for either. So the framework's `getServer` is wrapped once, at import: a
 * guard registered for a function answers before any byte of the body is read (the webhook
 * refuses wrong methods, tokens and headers there), and every error the framework's Express app
 * would render becomes a short plain-text answer. Both the deployed entry (main.js) and the
 * framework's test server build their servers through `getServer`, so tests exercise this path.
 */
import { createRequire } from "node:module";
import { type IncomingMessage, type Server, type ServerResponse, STATUS_CODES } from "node:http";
import { StateStoreError } from "../state-errors.js";
import { TimeBudgetExceeded } from "./time-budget.js";

/** A short plain-text answer: no HTML, no stack, no paths. */
export interface PlainAnswer {
  status: number;
  body: string;
  headers?: Readonly<Record<string, string>>;
}

/** Decides from the method and headers alone; null lets the request through to the body parsers. */
export type PreBodyGuard = (request: IncomingMessage) => Promise<PlainAnswer | null>;

type ExpressApp = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;
type GetServer = (userFunction: unknown, options: unknown) => Server;

const guards = new WeakMap<object, PreBodyGuard>();
let installed = false;

/** Send a plain-text answer, dropping whatever body the client is still sending. */
export function sendPlain(req: IncomingMessage, res: ServerResponse, answer: PlainAnswer): void {
  if (res.headersSent) {
    req.socket.destroy();
    return;
  }
  const body = answer.body;
  res.statusCode = answer.status;
  for (const [name, value] of Object.entries(answer.headers ?? {})) res.setHeader(name, value);
  res.setHeader("Content-Type", "text/plain; charset=utf-8");
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Cache-Control", "no-store");
  res.setHeader("Content-Length", Buffer.byteLength(body));
  if (!req.readableEnded) {
    res.setHeader("Connection", "close"); // do not read an unwanted body to keep the connection
    req.resume();
  }
  res.end(req.method === "HEAD" ? undefined : body);
}

/** The status a failure is answered with; the body is the status's standard phrase only. */
function statusOfFailure(error: unknown): number {
  const status = (error as { status?: unknown; statusCode?: unknown } | null)?.status ?? (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === "number" && status >= 400 && status <= 599 ? status : 500;
}

/** Express's final handler (404s and unhandled errors), in plain text. */
function plainFinalHandler(req: IncomingMessage, res: ServerResponse): (error?: unknown) => void {
  return (error) => {
    if (!error && res.headersSent) return;
    const status = error ? statusOfFailure(error) : 404;
    if (error && status >= 500) console.error(error); // the stack goes to the logs, never to the client
    sendPlain(req, res, { status, body: STATUS_CODES[status] ?? "Error" });
  };
}

/** The framework's server with the guard (if any) in front and plain-text errors behind. */
function frontOf(server: Server, guard: PreBodyGuard | undefined): Server {
  const listeners = server.listeners("request") as ExpressApp[];
  const app = listeners[0];
  if (listeners.length !== 1 || app === undefined) return server; // not the shape we know: leave it alone
  server.removeAllListeners("request");
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const decided = guard ? guard(req) : Promise.resolve(null);
    decided.then(
      (refusal) => (refusal ? sendPlain(req, res, refusal) : app(req, res, plainFinalHandler(req, res))),
      (error: unknown) => sendPlain(req, res, answerForFailure(error)),
    );
  });
  return server;
}

/**
 * Wrap the framework's getServer (once): plain-text errors for every function, and the guards
 * registered with guardBeforeBody. Reports, and leaves the framework as it is, if it moved.
 */
export function installHttpFront(): void {
  if (installed) return;
  installed = true;
  const require = createRequire(import.meta.url);
  const framework = createRequire(require.resolve("@google-cloud/functions-framework"));
  const serverModule = framework("./server.js") as { getServer?: GetServer };
  const original = serverModule.getServer;
  if (typeof original !== "function") {
    console.error("tieuchi: functions-framework has no server.getServer; HTTP guards and plain-text errors are off");
    return;
  }
  serverModule.getServer = (userFunction, options) => frontOf(original(userFunction, options), guards.get(userFunction as object));
}

/**
 * Have `guard` decide on every request to `handler` before its body is parsed, and answer
 * every framework error in plain text. Call before the framework builds its server (at import).
 */
export function guardBeforeBody<T extends object>(handler: T, guard: PreBodyGuard): T {
  installHttpFront();
  guards.set(handler, guard);
  return handler;
}

/** Answer a handler's failure: the state store out of reach → 503 (Drive retries it), else 500. */
export function answerForFailure(error: unknown): PlainAnswer {
  if (error instanceof StateStoreError || error instanceof TimeBudgetExceeded) {
    console.error(error.message);
    return { status: 503, body: "state store unavailable, retry later", headers: { "Retry-After": "30" } };
  }
  console.error(error);
  return { status: 500, body: "internal error" };
}
