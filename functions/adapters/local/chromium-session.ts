/**
 * One headless Chromium for every PDF of a report: launched once with --remote-debugging-pipe
 * and driven over the DevTools protocol (cdp-connection.ts). A few tabs are opened once and
 * reused, document after document (a new tab costs a renderer start). Each page is handed over
 * as text and written into the tab's document (Page.setDocumentContent), not navigated to: a
 * navigation costs Chromium twice the CPU of the print itself, and the pages are self-contained.
 * A tiny client instead of puppeteer: six commands are all printing needs. A Chromium that dies
 * mid-report is launched again and the document it was printing is printed once more; a page
 * that never loads fails its document and its tab is closed.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable, Writable } from "node:stream";
import { CdpConnection } from "./cdp-connection.js";

// Flags for a closed network and running as root in a sandboxed container. Not --no-pdf-header-footer:
// with the protocol pipe it crashes the renderer (Chromium 156); printToPDF takes displayHeaderFooter instead.
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** A running Chromium and its protocol pipe. */
export interface ChromiumSession {
  /**
   * Print a self-contained HTML page (its text; `name` for errors) to PDF bytes; A4 and margins
   * come from the page's @page CSS. The page's base URL is about:blank: no relative links.
   */
  printPdf(html: string, name: string): Promise<Buffer>;
  /** Pages open in the browser now (tabs kept for reuse included); 0 when none is running. */
  openPages(): Promise<number>;
  close(): Promise<void>;
}

interface ChromiumOptions {
  /** Pages printed at once, each in its own reused tab (default 2: the cores of a small machine). */
  tabs?: number;
  /** A page that has not printed by then fails its document (default 60 s). */
  timeoutMs?: number;
}

interface Tab {
  targetId: string;
  sessionId: string;
  /** The tab's main frame, whose document each page replaces. */
  frameId: string;
}

interface Browser {
  cdp: CdpConnection;
  /** Rejects when the process stops (or cannot start). */
  gone: Promise<never>;
  idle: Tab[];
  stop: () => Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once("exit", () => resolve())));
}

async function startBrowser(chromium: string): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), "tieuchi-chromium-"));
  const child = spawn(chromium, [...FLAGS, `--user-data-dir=${profile}`, "--remote-debugging-pipe", "about:blank"], { stdio: ["ignore", "pipe", "pipe", "pipe", "pipe"] });
  // Drained, never shown: headless Chromium logs dbus noise; a renderer with a closed stderr crashes.
  child.stdout?.resume();
  child.stderr?.resume();
  const cdp = new CdpConnection(child.stdio[3] as Writable, child.stdio[4] as Readable);
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
  const stop = async (): Promise<void> => {
    await cdp.send("Browser.close").catch(() => undefined);
    await cleanup();
  };
  return { cdp, gone, idle: [], stop };
}

async function openTab(cdp: CdpConnection): Promise<Tab> {
  const { targetId } = (await cdp.send("Target.createTarget", { url: "about:blank" })) as { targetId: string };
  const { sessionId } = (await cdp.send("Target.attachToTarget", { targetId, flatten: true })) as { sessionId: string };
  await cdp.send("Page.enable", {}, sessionId);
  const { frameTree } = (await cdp.send("Page.getFrameTree", {}, sessionId)) as { frameTree: { frame: { id: string } } };
  return { targetId, sessionId, frameId: frameTree.frame.id };
}

// The page's images and the like have loaded (its load event), then every embedded font face
// has decoded (they decode asynchronously): only then is the page ready to print.
const READY = `new Promise((ready) => document.readyState === "complete" ? ready() : addEventListener("load", () => ready(), { once: true }))
  .then(() => document.fonts.ready).then(() => true)`;

async function printIn(cdp: CdpConnection, tab: Tab, html: string): Promise<Buffer> {
  await cdp.send("Page.setDocumentContent", { frameId: tab.frameId, html }, tab.sessionId);
  await cdp.send("Runtime.evaluate", { expression: READY, awaitPromise: true }, tab.sessionId);
  const { data } = (await cdp.send("Page.printToPDF", { preferCSSPageSize: true, printBackground: true, displayHeaderFooter: false }, tab.sessionId)) as { data: string };
  return Buffer.from(data, "base64");
}

function deadline(name: string, ms: number): { promise: Promise<never>; clear: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Chromium did not print ${name} within ${ms / 1000} s`)), ms);
  });
  return { promise, clear: () => clearTimeout(timer) };
}

/** At most `limit` tasks at once; the rest wait their turn in order. */
function slots(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active += 1;
    try {
      return await task();
    } finally {
      active -= 1;
      waiting.shift()?.();
    }
  };
}

/** One attempt in one tab (reused when idle): a tab that failed or timed out is closed, never reused. */
async function attempt(b: Browser, page: { html: string; name: string }, timeoutMs: number): Promise<Buffer> {
  const timer = deadline(page.name, timeoutMs);
  let tab: Tab;
  try {
    tab = b.idle.pop() ?? (await Promise.race([openTab(b.cdp), b.gone, timer.promise]));
  } catch (error) {
    timer.clear();
    throw error;
  }
  try {
    const bytes = await Promise.race([printIn(b.cdp, tab, page.html), b.gone, timer.promise]);
    b.idle.push(tab);
    return bytes;
  } catch (error) {
    await b.cdp.send("Target.closeTarget", { targetId: tab.targetId }).catch(() => undefined);
    throw error;
  } finally {
    timer.clear();
  }
}

/** Launch Chromium once; print any number of pages with it (again after a crash); close it when done. */
export async function launchChromium(chromium: string, options: ChromiumOptions = {}): Promise<ChromiumSession> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const limit = slots(Math.max(1, options.tabs ?? 2));
  let current: Promise<Browser> | null = Promise.resolve(await startBrowser(chromium));
  let closing = false;
  const browser = (): Promise<Browser> => {
    if (closing) return Promise.reject(new Error("Chromium session closed"));
    current ??= startBrowser(chromium).catch((error: unknown) => {
      current = null;
      throw error;
    });
    return current;
  };
  const printPdf = (html: string, name: string): Promise<Buffer> =>
    limit(async () => {
      const first = await browser();
      try {
        return await attempt(first, { html, name }, timeoutMs);
      } catch (error) {
        if (!first.cdp.failed || closing) throw error;
        // Chromium died under this document: forget it, start another, print the document again.
        if (current && (await current.catch(() => null)) === first) current = null;
        void first.stop();
        return attempt(await browser(), { html, name }, timeoutMs);
      }
    });
  const openPages = async (): Promise<number> => {
    const b = current ? await current.catch(() => null) : null;
    if (!b || b.cdp.failed) return 0;
    const { targetInfos } = (await b.cdp.send("Target.getTargets")) as { targetInfos: Array<{ type: string }> };
    return targetInfos.filter((t) => t.type === "page").length;
  };
  const close = async (): Promise<void> => {
    closing = true;
    const b = current ? await current.catch(() => null) : null;
    current = null;
    await b?.stop();
  };
  return { printPdf, openPages, close };
}
