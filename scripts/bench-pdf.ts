/**
 * Bench section "pdf": printing N documents with ONE Chromium over the DevTools pipe (what the
 * local store does) against the former way, one `chromium --print-to-pdf` process per document,
 * and the DOCX rendering of the same documents. Skipped (no rows) without Chromium.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { launchChromium } from "../functions/adapters/local/chromium-session.js";
import { findChromium } from "../functions/adapters/local/document-files.js";
import type { DocumentView } from "../functions/core/document-blocks.js";
import { renderDocumentDocx } from "../functions/render/document-docx.js";
import { renderDocumentHtml } from "../functions/render/document-html.js";
import { loadTemplates } from "../functions/render/templates.js";
import type { BenchRow } from "./bench-table.js";

const run = promisify(execFile);
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-pdf-header-footer"];

async function timed(task: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await task();
  return performance.now() - start;
}

/** Two at a time, as the local store prints. */
async function pairs<T>(items: readonly T[], task: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += 2) await Promise.all(items.slice(i, i + 2).map(task));
}

/** `views`: the documents of a report (e.g. the sample town's), repeated to `count`. */
export async function pdfRows(views: readonly DocumentView[], count = 30): Promise<BenchRow[]> {
  const chromium = findChromium(process.env);
  if (!chromium || views.length === 0) return [];
  const dir = await mkdtemp(join(tmpdir(), "tieuchi-bench-pdf-"));
  try {
    const templates = await loadTemplates();
    const pages = await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const file = join(dir, `d${i}.html`);
        const html = await renderDocumentHtml(templates, views[i % views.length]!, `Văn bản ${i}`);
        await writeFile(file, html);
        return { file, html };
      }),
    );
    const files = pages.map((p) => p.file);
    const perProcess = await timed(() =>
      pairs(files, (f) => run(chromium, [...FLAGS, `--user-data-dir=${f}.profile`, `--print-to-pdf=${f}.a.pdf`, pathToFileURL(f).href], { timeout: 120_000 })),
    );
    const oneBrowser = await timed(async () => {
      const session = await launchChromium(chromium);
      try {
        await pairs(pages, async (p) => writeFile(`${p.file}.b.pdf`, await session.printPdf(p.html, p.file)));
      } finally {
        await session.close();
      }
    });
    const docx = await timed(() => Promise.all(Array.from({ length: count }, (_, i) => renderDocumentDocx(views[i % views.length]!))));
    return [
      { section: "pdf", figure: `${count} documents printed to PDF, one Chromium`, value: Math.round(oneBrowser), unit: "ms", baseline: { label: "one chromium process per document", value: Math.round(perProcess) }, runs: 1 },
      { section: "pdf", figure: `${count} documents rendered to DOCX (charts as PNG)`, value: Math.round(docx), unit: "ms", runs: 1 },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
