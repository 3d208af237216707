/**
 * The one-Chromium session under trouble: Chromium killed between two documents (and during
 * one) is launched again and every document still prints; a page that never loads fails after
 * the deadline and its tab is closed (no tab left behind); reused tabs print each page's own
 * content. The local store does not print a page again whose HTML, DOCX and PDF are already there.
 */
import { execFile } from "node:child_process";
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { launchChromium } from "../../functions/adapters/local/chromium-session.js";
import { findChromium, localDocumentStore } from "../../functions/adapters/local/document-files.js";
import { loadTemplates } from "../../functions/render/templates.js";
import { WARD_VIEW } from "../fixtures/document-views.js";

const run = promisify(execFile);
const chromium = findChromium(process.env);
let dir: string;
let wrapper: string;
let pids: string;
let hanging: Server;

/** A page as the store hands it over: its text (printed in place, never navigated to). */
const page = (body: string): string => `<!doctype html><meta charset="utf-8"><style>@page{size:A4}</style><body>${body}</body>`;
const launches = async (): Promise<string[]> => (await readFile(pids, "utf8").catch(() => "")).split("\n").filter(Boolean);
const lastPid = async (): Promise<number> => Number((await launches()).at(-1));
const pdfText = async (bytes: Buffer): Promise<string> => {
  const file = join(dir, `t${Math.random().toString(36).slice(2)}.pdf`);
  await writeFile(file, bytes);
  return (await run("pdftotext", [file, "-"])).stdout;
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tieuchi-chromium-session-"));
  if (!chromium) return;
  // The same Chromium behind a script that notes each launch's pid (exec keeps the pid).
  pids = join(dir, "pids");
  wrapper = join(dir, "chromium.sh");
  await writeFile(wrapper, `#!/bin/sh\necho $$ >> ${pids}\nexec ${chromium} "$@"\n`);
  await chmod(wrapper, 0o755);
  // A server that never answers /never (an image from it keeps the page loading forever), and
  // answers /once only from the second request on.
  let onceSeen = 0;
  hanging = createServer((request, response) => {
    if (request.url === "/once" && onceSeen++ > 0) response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => hanging.listen(0, "127.0.0.1", resolve));
});
afterAll(async () => {
  hanging?.closeAllConnections();
  hanging?.close();
  await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!chromium)(`one Chromium for many documents${chromium ? "" : " — SKIPPED: no Chromium"}`, () => {
  it("prints each page's own text in reused tabs", async () => {
    const session = await launchChromium(wrapper, { tabs: 2 });
    try {
      const texts = await Promise.all(["một", "hai", "ba", "bốn", "năm"].map(async (w) => pdfText(await session.printPdf(page(`Trang ${w}`), `p-${w}`))));
      expect(texts.map((t) => t.trim())).toEqual(["Trang một", "Trang hai", "Trang ba", "Trang bốn", "Trang năm"]);
      // about:blank of the launch + the two reused tabs: no tab per document.
      expect(await session.openPages()).toBeLessThanOrEqual(3);
    } finally {
      await session.close();
    }
  }, 60_000);

  it("launches Chromium again when it is killed between two documents, and during one", async () => {
    const before = (await launches()).length;
    const session = await launchChromium(wrapper, { tabs: 1 });
    try {
      expect((await pdfText(await session.printPdf(page("Trước"), "k1"))).trim()).toBe("Trước");
      process.kill(await lastPid(), "SIGKILL");
      expect((await pdfText(await session.printPdf(page("Sau"), "k2"))).trim()).toBe("Sau");
      expect((await launches()).length).toBe(before + 2);
      // Killed while a page is still loading: that document is printed again by the next Chromium.
      const slow = page(`Chậm<img src="http://127.0.0.1:${(hanging.address() as AddressInfo).port}/once">`);
      const printing = session.printPdf(slow, "k3");
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      process.kill(await lastPid(), "SIGKILL");
      expect((await pdfText(await printing)).trim()).toBe("Chậm");
      expect((await launches()).length).toBe(before + 3);
    } finally {
      await session.close();
    }
  }, 90_000);

  it("fails a page that never loads at the deadline, closes its tab, and goes on printing", async () => {
    const session = await launchChromium(chromium!, { tabs: 1, timeoutMs: 1_500 });
    try {
      await session.printPdf(page("Được"), "ok");
      const pages = await session.openPages();
      const slow = page(`<img src="http://127.0.0.1:${(hanging.address() as AddressInfo).port}/never">`);
      await expect(session.printPdf(slow, "never")).rejects.toThrow(/did not print never within 1.5 s/u);
      // Target.closeTarget answers before Chromium drops the target from its list on a busy machine: wait for it.
      await vi.waitFor(async () => expect(await session.openPages()).toBe(pages - 1), { timeout: 5_000, interval: 100 });
      expect((await pdfText(await session.printPdf(page("Tiếp"), "ok2"))).trim()).toBe("Tiếp");
      expect(await session.openPages()).toBe(pages);
    } finally {
      await session.close();
    }
  }, 60_000);

  it("the store prints a page once: a second report with the same content keeps the PDF", async () => {
    const templates = await loadTemplates();
    const out = join(dir, "out");
    const publishOnce = async () => {
      const store = localDocumentStore({ outDir: out, templates, chromium: wrapper });
      try {
        return await store.publish("2023-10", { key: "ward/a", name: "phuong-a", title: "Thông báo", view: WARD_VIEW });
      } finally {
        await store.close?.();
      }
    };
    const first = await publishOnce();
    const printed = (await stat(first.pdf!)).mtimeMs;
    const launched = (await launches()).length;
    const second = await publishOnce();
    expect(second).toEqual(first);
    expect((await stat(second.pdf!)).mtimeMs).toBe(printed);
    expect((await launches()).length).toBe(launched); // no Chromium started for it
  }, 60_000);
});
