/**
 * Fault test: `tieuchi report` killed with SIGKILL at seeded points while another report runs
 * on the same workspace, against a slow SMTP server (the kill often lands after the message
 * has reached the server and before its 250 is recorded). Then one more run to completion:
 * every message has arrived, and the only repeats are those of the crash window, at most one
 * per kill and with the same Message-ID as the first copy.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import ExcelJS from "exceljs";
import PostalMime from "postal-mime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../scripts/tieuchi.js";
import { type FakeSmtp, startFakeSmtp } from "../fakes/smtp.js";

// The CLI compiled apart from dist/, so the test never races a build of the working copy.
const BUILD = join(process.cwd(), "node_modules", ".cache", "tieuchi-report-kill");
const CLI = join(BUILD, "cli.mjs");
const DATA_DELAY_MS = 250;
let dir: string;
// Two servers sharing nothing but the test's view: the victim sends through one, the survivor
// through the other, so the kill can wait until both are in the middle of sending.
let smtp: FakeSmtp;
let victimSmtp: FakeSmtp;

beforeAll(async () => {
  await mkdir(BUILD, { recursive: true });
  // Type errors elsewhere do not stop tsc from emitting; a missing output fails the spawn below.
  await promisify(execFile)("npx", ["tsc", "-p", "tsconfig.build.json", "--outDir", BUILD]).catch(() => undefined);
  await writeFile(CLI, 'import { main } from "./scripts/tieuchi.js";\nprocess.exitCode = await main(process.argv.slice(2), { env: process.env, cwd: process.cwd() });\n');
  dir = await mkdtemp(join(tmpdir(), "tieuchi-kill-"));
  smtp = await startFakeSmtp({ dataDelayMs: DATA_DELAY_MS });
  victimSmtp = await startFakeSmtp({ dataDelayMs: DATA_DELAY_MS });
}, 120_000);
afterAll(async () => {
  await smtp.close();
  await victimSmtp.close();
  await rm(dir, { recursive: true, force: true });
});

/** mulberry32: the kill points are random but the same on every run of the suite. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function inProcess(args: string[]): Promise<string> {
  let out = "";
  const write = { write: (t: string) => (out += t) };
  await main(args, { env: { TIEUCHI_CHROMIUM: "" }, cwd: dir, stdout: write, stderr: write });
  return out;
}

function child(ws: string, server: FakeSmtp = smtp): { process: ChildProcess; done: Promise<{ code: number | null; out: string }> } {
  const proc = spawn(process.execPath, [CLI, "report", ws], { cwd: dir, env: { ...process.env, TIEUCHI_SMTP_URL: server.url, TIEUCHI_CHROMIUM: "" } });
  let out = "";
  proc.stdout.on("data", (d: Buffer) => (out += d.toString()));
  proc.stderr.on("data", (d: Buffer) => (out += d.toString()));
  return { process: proc, done: new Promise((resolve) => proc.on("exit", (code) => resolve({ code, out }))) };
}

/** Waits for `condition`; past `timeoutMs` it throws, or with `soft` just returns. */
async function until(condition: () => boolean, timeoutMs = 30_000, soft = false): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) {
      if (soft) return;
      throw new Error("timed out");
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function workspace(name: string): Promise<number> {
  await inProcess(["init", name]);
  for (const ward of ["nghi-thu", "nghi-hai", "nghi-tan"]) {
    const file = join(dir, name, "wards", `${ward}.xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const sheet = workbook.getWorksheet("CA phường kiểu mẫu")!;
    sheet.eachRow((row) => {
      if (row.getCell(2).value === "TC01") row.getCell(4).value = "Có lẽ"; // TC01's Kết quả, wherever the layout puts its row
    });
    await workbook.xlsx.writeFile(file);
  }
  const dry = await inProcess(["report", name, "--dry-run"]);
  return Number(/Sẽ gửi (\d+) thư/u.exec(dry)?.[1] ?? "0");
}

describe("tieuchi report killed at random points", () => {
  it.each([1, 2, 3])("seed %i: every message arrives, repeats only from the crash window with the same Message-ID", async (seed) => {
    const random = seeded(seed);
    const ws = `ws-${seed}`;
    const expected = await workspace(ws);
    expect(expected).toBeGreaterThanOrEqual(4);
    smtp.received.length = 0;
    victimSmtp.received.length = 0;
    const [victimBefore, survivorBefore] = [victimSmtp.dataReceived, smtp.dataReceived];

    const [victim, survivor] = [child(ws, victimSmtp), child(ws)];
    // The two share the messages out between them, so the victim may get to send only half of them.
    const point = 1 + Math.floor(random() * Math.floor(expected / 2));
    const sentByVictim = (): number => victimSmtp.dataReceived - victimBefore;
    await until(() => sentByVictim() >= point || sentByVictim() + smtp.dataReceived - survivorBefore >= expected);
    // Both runs sending at once, unless the survivor finds nothing left to send for a while.
    await until(() => smtp.dataReceived > survivorBefore, 3000, true);
    await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * DATA_DELAY_MS * 1.5)));
    victim.process.kill("SIGKILL");
    await victim.done;
    expect((await survivor.done).code).toBe(0);

    const last = await child(ws).done;
    expect(last.code, last.out).toBe(0);
    expect(last.out).not.toContain("đang được một lần chạy khác gửi");
    await new Promise((resolve) => setTimeout(resolve, DATA_DELAY_MS * 2));

    const mails = await Promise.all([...victimSmtp.received, ...smtp.received].map((m) => PostalMime.parse(m.raw)));
    const byKey = new Map<string, string[]>();
    for (const m of mails) {
      const key = m.headers.find((h) => h.key === "x-tieuchi-key")!.value;
      byKey.set(key, [...(byKey.get(key) ?? []), m.messageId ?? ""]);
    }
    expect(byKey.size).toBe(expected);
    const repeats = [...byKey.values()].filter((ids) => ids.length > 1);
    expect(mails.length - byKey.size).toBeLessThanOrEqual(1);
    for (const ids of repeats) expect(new Set(ids).size).toBe(1);
  }, 60_000);
});
