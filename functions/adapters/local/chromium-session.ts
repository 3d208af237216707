/**
 * One headless Chromium for every PDF of a report: launched once with --remote-debugging-pipe
 * and driven over the DevTools protocol (NUL-separated JSON on fds 3/4), one tab per document.
 * A tiny client instead of puppeteer: four commands are all printing needs.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable, Writable } from "node:stream";

// Flags for a closed network and running as root in a sandboxed container. Not --no-pdf-header-footer:
// with the protocol pipe it crashes the renderer (Chromium 156); printToPDF takes displayHeaderFooter instead.
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

interface Pending {
  resolve: (result: Record<string, unknown>) => void;
  reject: (error: Error) => void;
}

interface CdpEvent {
  method: string;
  sessionId?: string;
}

/** A running Chromium and its protocol pipe. */
export interface ChromiumSession {
  /** Print a page (file:// URL) to PDF bytes; A4 and margins come from the page's @page CSS. */
  printPdf(url: string): Promise<Buffer>;
  close(): Promise<void>;
}

class Connection {
  private nextId = 1;
  private buffer = "";
  private readonly pending = new Map<number, Pending>();
  private readonly waiters: Array<{ match: (event: CdpEvent) => boolean; resolve: () => void }> = [];
  private closed: Error | null = null;

  constructor(private readonly input: Writable, output: Readable) {
    output.setEncoding("utf8");
    output.on("data", (chunk: string) => this.receive(chunk));
  }

  send(method: string, params: object = {}, sessionId?: string): Promise<Record<string, unknown>> {
    if (this.closed) return Promise.reject(this.closed);
    const id = this.nextId++;
    const message = JSON.stringify({ id, method, params, ...(sessionId === undefined ? {} : { sessionId }) });
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.input.write(`${message}\0`);
    });
  }

  /** Resolves on the first event that matches (registered before the command that causes it). */
  once(match: (event: CdpEvent) => boolean): Promise<void> {
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  fail(error: Error): void {
    this.closed = error;
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    let end = this.buffer.indexOf("\0");
    while (end >= 0) {
      this.dispatch(JSON.parse(this.buffer.slice(0, end)) as { id?: number; result?: Record<string, unknown>; error?: { message: string } } & CdpEvent);
      this.buffer = this.buffer.slice(end + 1);
      end = this.buffer.indexOf("\0");
    }
  }

  private dispatch(message: { id?: number; result?: Record<string, unknown>; error?: { message: string } } & CdpEvent): void {
    if (message.id !== undefined) {
      const p = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error) p?.reject(new Error(`Chromium: ${message.error.message}`));
      else p?.resolve(message.result ?? {});
      return;
    }
    const index = this.waiters.findIndex((w) => w.match(message));
    if (index >= 0) this.waiters.splice(index, 1)[0]?.resolve();
  }
}

async function print(cdp: Connection, url: string): Promise<Buffer> {
  const { targetId } = (await cdp.send("Target.createTarget", { url: "about:blank" })) as { targetId: string };
  try {
    const { sessionId } = (await cdp.send("Target.attachToTarget", { targetId, flatten: true })) as { sessionId: string };
    await cdp.send("Page.enable", {}, sessionId);
    const loaded = cdp.once((e) => e.method === "Page.loadEventFired" && e.sessionId === sessionId);
    const navigated = (await cdp.send("Page.navigate", { url }, sessionId)) as { errorText?: string };
    // A missing or unreadable file would print Chromium's error page as the PDF.
    if (navigated.errorText) throw new Error(`Chromium could not open ${url}: ${navigated.errorText}`);
    await loaded;
    // Embedded fonts decode asynchronously: print only once every face is ready.
    await cdp.send("Runtime.evaluate", { expression: "document.fonts.ready.then(() => true)", awaitPromise: true }, sessionId);
    const { data } = (await cdp.send("Page.printToPDF", { preferCSSPageSize: true, printBackground: true, displayHeaderFooter: false }, sessionId)) as { data: string };
    return Buffer.from(data, "base64");
  } finally {
    await cdp.send("Target.closeTarget", { targetId }).catch(() => undefined);
  }
}

/** A page that never finishes loading fails its document instead of holding the report forever. */
const PRINT_TIMEOUT_MS = 60_000;
function deadline(url: string): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(new Error(`Chromium did not print ${url} within ${PRINT_TIMEOUT_MS / 1000} s`)), PRINT_TIMEOUT_MS).unref());
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", () => resolve())));
}

/** Launch Chromium once; print any number of pages with it; close it when done. */
export async function launchChromium(chromium: string): Promise<ChromiumSession> {
  const profile = await mkdtemp(join(tmpdir(), "tieuchi-chromium-"));
  const child = spawn(chromium, [...FLAGS, `--user-data-dir=${profile}`, "--remote-debugging-pipe", "about:blank"], { stdio: ["ignore", "pipe", "pipe", "pipe", "pipe"] });
  // Drained, never shown: headless Chromium logs dbus noise; a renderer with a closed stderr crashes.
  child.stdout?.resume();
  child.stderr?.resume();
  const cdp = new Connection(child.stdio[3] as Writable, child.stdio[4] as Readable);
  const gone = new Promise<never>((_, reject) => {
    child.once("error", (error) => reject(error));
    child.once("exit", (code, signal) => reject(new Error(`Chromium stopped (${signal ?? code ?? "?"})`)));
  });
  gone.catch((error: unknown) => cdp.fail(error instanceof Error ? error : new Error(String(error))));
  const cleanup = async (): Promise<void> => {
    await Promise.race([exited(child), new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await rm(profile, { recursive: true, force: true });
  };
  try {
    await Promise.race([cdp.send("Browser.getVersion"), gone]);
  } catch (error) {
    child.kill("SIGKILL");
    await cleanup();
    throw error;
  }
  return {
    printPdf: (url) => Promise.race([print(cdp, url), gone, deadline(url)]),
    close: async () => {
      await cdp.send("Browser.close").catch(() => undefined);
      await cleanup();
    },
  };
}
