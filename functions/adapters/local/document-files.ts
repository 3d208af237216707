/**
 * DocumentStore over the workspace: DIR/out/reports/<period>/<name>.html and <name>.docx, plus a
 * PDF printed by headless Chromium when one is installed (Debian: apt-get install chromium).
 * One Chromium prints every PDF of a report (chromium-session.ts); `close()` stops it.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
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

/** The browser, launched on the first PDF and shared until closed. */
function sharedBrowser(chromium: string, tabs: number): { get: () => Promise<ChromiumSession>; close: () => Promise<void> } {
  let session: Promise<ChromiumSession> | null = null;
  return {
    get: () => {
      session ??= launchChromium(chromium, { tabs }).catch((error: unknown) => {
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
  /** Pages printed at once by the one Chromium (its reused tabs). */
  concurrency?: number;
}

/** The same page already written with its PDF and DOCX beside it: nothing to render again. */
async function unchanged(html: string, text: string, others: readonly string[]): Promise<boolean> {
  if (!others.every((f) => existsSync(f))) return false;
  const before = await readFile(html, "utf8").catch(() => null);
  return before === text;
}

/** HTML + DOCX (+ PDF when Chromium is there) per document, written atomically. */
export function localDocumentStore(options: LocalDocumentStoreOptions): DocumentStore {
  const browser = options.chromium ? sharedBrowser(options.chromium, options.concurrency ?? 2) : null;
  const publish = async (period: string, document: DocumentToPublish): Promise<PublishedFiles> => {
    const dir = join(options.outDir, "reports", period);
    const html = join(dir, `${document.name}.html`);
    const docx = join(dir, `${document.name}.docx`);
    const pdf = browser ? join(dir, `${document.name}.pdf`) : null;
    const text = await renderDocumentHtml(options.templates, document.view, document.title);
    // The HTML is the whole document (font and charts inline): same page, same DOCX and PDF.
    if (await unchanged(html, text, pdf ? [docx, pdf] : [docx])) return { location: html, pdf, docx };
    // An older PDF goes first: if printing fails, the next report sees no PDF and prints again.
    if (pdf) await rm(pdf, { force: true });
    await writeFileAtomic(docx, await renderDocumentDocx(document.view, document.title), { durable: false });
    await writeFileAtomic(html, text, { durable: false });
    if (browser && pdf) {
      // Printed from the text just written (self-contained: nothing relative to resolve), then
      // written beside the target and renamed, so a reader never opens half a PDF.
      await writeFileAtomic(pdf, await (await browser.get()).printPdf(text, html), { durable: false });
    }
    return { location: html, pdf, docx };
  };
  return { publish, close: async () => browser?.close() };
}
