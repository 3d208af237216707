/**
 * DocumentStore over the workspace: DIR/out/reports/<period>/<name>.html and <name>.docx, plus a
 * PDF printed by headless Chromium when one is installed (Debian: apt-get install chromium).
 * One Chromium prints every PDF of a report (chromium-session.ts); `close()` stops it.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import type { DocumentStore, DocumentToPublish, PublishedFiles } from "../../ports.js";
import { renderDocumentDocx } from "../../render/document-docx.js";
import { renderDocumentHtml } from "../../render/document-html.js";
import type { TemplateSet } from "../../render/templates.js";
import { type ChromiumSession, launchChromium } from "./chromium-session.js";
import { writeFileAtomic } from "./files.js";

const run = promisify(execFile);
const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];

/** The Chromium to print with: TIEUCHI_CHROMIUM, else a usual install path; null when none. */
export function findChromium(env: Readonly<Record<string, string | undefined>>): string | null {
  const configured = env.TIEUCHI_CHROMIUM;
  if (configured !== undefined) return configured === "" || !existsSync(configured) ? null : configured;
  return CANDIDATES.find((c) => existsSync(c)) ?? null;
}

/** Screenshot an HTML file to PNG (used to look at reports in tests and by hand). */
export async function screenshotPng(chromium: string, htmlFile: string, pngFile: string, size = "1240,1754"): Promise<void> {
  const profile = await mkdtemp(join(tmpdir(), "tieuchi-chromium-"));
  const flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
  try {
    await run(chromium, [...flags, `--user-data-dir=${profile}`, `--window-size=${size}`, "--hide-scrollbars", `--screenshot=${pngFile}`, pathToFileURL(htmlFile).href], { timeout: 60_000 });
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

/** Run at most `limit` tasks at once (tabs of the one Chromium; 2 cores here). */
function limiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
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

/** The browser, launched on the first PDF and shared until closed. */
function sharedBrowser(chromium: string): { get: () => Promise<ChromiumSession>; close: () => Promise<void> } {
  let session: Promise<ChromiumSession> | null = null;
  return {
    get: () => {
      session ??= launchChromium(chromium).catch((error: unknown) => {
        session = null;
        throw error;
      });
      return session;
    },
    close: async () => {
      const running = session;
      session = null;
      if (running) await (await running.catch(() => null))?.close();
    },
  };
}

export interface LocalDocumentStoreOptions {
  outDir: string;
  templates: TemplateSet;
  chromium: string | null;
  /** Pages printed at once by the one Chromium. */
  concurrency?: number;
}

/** HTML + DOCX (+ PDF when Chromium is there) per document, written atomically. */
export function localDocumentStore(options: LocalDocumentStoreOptions): DocumentStore {
  const limit = limiter(options.concurrency ?? 2);
  const browser = options.chromium ? sharedBrowser(options.chromium) : null;
  const publish = async (period: string, document: DocumentToPublish): Promise<PublishedFiles> => {
    const dir = join(options.outDir, "reports", period);
    const html = join(dir, `${document.name}.html`);
    const docx = join(dir, `${document.name}.docx`);
    await writeFileAtomic(html, await renderDocumentHtml(options.templates, document.view, document.title), { durable: false });
    await writeFileAtomic(docx, await renderDocumentDocx(document.view, document.title), { durable: false });
    if (!browser) return { location: html, pdf: null, docx };
    const pdf = join(dir, `${document.name}.pdf`);
    // Written beside the target and renamed, so a reader never opens half a PDF.
    const bytes = await limit(async () => (await browser.get()).printPdf(pathToFileURL(html).href));
    await writeFileAtomic(pdf, bytes, { durable: false });
    return { location: html, pdf, docx };
  };
  return { publish, close: async () => browser?.close() };
}
