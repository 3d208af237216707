/**
 * DocumentStore over the workspace: DIR/out/reports/<period>/<name>.html, plus a PDF printed
 * by headless Chromium when one is installed (Debian: apt-get install chromium).
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import type { DocumentStore } from "../../ports.js";
import { tempPathFor, writeFileAtomic } from "./files.js";

const run = promisify(execFile);
const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];

/** The Chromium to print with: TIEUCHI_CHROMIUM, else a usual install path; null when none. */
export function findChromium(env: Readonly<Record<string, string | undefined>>): string | null {
  const configured = env.TIEUCHI_CHROMIUM;
  if (configured !== undefined) return configured === "" || !existsSync(configured) ? null : configured;
  return CANDIDATES.find((c) => existsSync(c)) ?? null;
}

// Flags for a closed network and running as root in a sandboxed container.
const CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-pdf-header-footer"];

/** Print an HTML file to PDF (A4 and margins come from the document's own @page CSS). */
export async function printPdf(chromium: string, htmlFile: string, pdfFile: string): Promise<void> {
  const profile = await mkdtemp(join(tmpdir(), "tieuchi-chromium-"));
  // Printed beside the target and renamed, so a reader never opens half a PDF (H5, issue 8).
  const temp = tempPathFor(pdfFile);
  try {
    await run(chromium, [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, `--print-to-pdf=${temp}`, pathToFileURL(htmlFile).href], { timeout: 60_000 });
    await rename(temp, pdfFile);
  } finally {
    await rm(temp, { force: true });
    await rm(profile, { recursive: true, force: true });
  }
}

/** Screenshot an HTML file to PNG (used to look at reports in tests and by hand). */
export async function screenshotPng(chromium: string, htmlFile: string, pngFile: string, size = "1240,1754"): Promise<void> {
  const profile = await mkdtemp(join(tmpdir(), "tieuchi-chromium-"));
  try {
    await run(chromium, [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, `--window-size=${size}`, "--hide-scrollbars", `--screenshot=${pngFile}`, pathToFileURL(htmlFile).href], { timeout: 60_000 });
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

/** Run at most `limit` tasks at once (Chromium is memory-hungry; 2 cores here). */
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

export function localDocumentStore(options: { outDir: string; chromium: string | null; concurrency?: number }): DocumentStore {
  const limit = limiter(options.concurrency ?? 3);
  return {
    publish: async (period, document) => {
      const dir = join(options.outDir, "reports", period);
      const html = join(dir, `${document.name}.html`);
      await writeFileAtomic(html, document.html);
      if (!options.chromium) return { location: html, pdf: null };
      const pdf = join(dir, `${document.name}.pdf`);
      const chromium = options.chromium;
      await limit(() => printPdf(chromium, html, pdf));
      return { location: html, pdf };
    },
  };
}
