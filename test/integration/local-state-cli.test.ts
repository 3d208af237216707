/**
 * The local state as the CLI uses it: an upgrade from the previous release's files sends
 * nothing again, and damaged state is named with its path (exit 2), never a stack trace.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fileKeyValueStore } from "../../functions/adapters/local/file-kv.js";
import type { LedgerRecord } from "../../functions/app/kv-state.js";
import { main } from "../../scripts/tieuchi.js";
import { ageFile } from "../fakes/file-times.js";

const clock = { now: () => new Date("2026-11-27T03:00:00Z") };
let dir: string;
let ws: string;

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(args, { env: { TIEUCHI_CHROMIUM: "" }, cwd: dir, stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } }, clock);
  return { code, out, err };
}

const outbox = (): Promise<string[]> => readdir(join(ws, "out", "outbox")).catch(() => []);
const kv = () => fileKeyValueStore(join(ws, ".tieuchi", "kv"));

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "tieuchi-local-state-cli-"));
  ws = join(dir, "ws");
  expect((await cli(["init", ws])).code).toBe(0);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("local state through the CLI", () => {
  it("imports the previous release's ledger before the first report, so an upgrade sends nothing again", async () => {
    const first = await cli(["report", ws]);
    expect(first.err).toBe("");
    const sentFiles = await outbox();
    expect(sentFiles.length).toBeGreaterThan(0);
    // Turn the workspace into what the previous release would have left: ledger.json, no kv/.
    const old: Record<string, { sentAt: string; messageId: string; via: string }> = {};
    for (const name of await kv().list("ledger/")) {
      const record = (await kv().get<LedgerRecord>(name))!.value;
      if (record.status === "sent") old[record.key] = { sentAt: record.sentAt, messageId: record.messageId, via: record.via };
    }
    expect(Object.keys(old)).toHaveLength(sentFiles.length);
    await rm(join(ws, ".tieuchi", "kv"), { recursive: true });
    await writeFile(join(ws, ".tieuchi", "ledger.json"), JSON.stringify(old, null, 2));
    await rm(join(ws, "out", "outbox"), { recursive: true });

    const upgraded = await cli(["report", ws]);

    expect(upgraded.code).toBe(0);
    expect(await outbox()).toEqual([]);
    expect(await readdir(join(ws, ".tieuchi"))).toContain("ledger.json.migrated");
  });

  it("report --dry-run on a workspace of the previous release leaves its state files as they were", async () => {
    await mkdir(join(ws, ".tieuchi", "snapshots"), { recursive: true });
    await writeFile(join(ws, ".tieuchi", "ledger.json"), JSON.stringify({ "digest|x|2026-W47|1": { sentAt: "2026-11-20T01:00:00.000Z", messageId: "<x@tieuchi.local>", via: "smtp" } }));
    await writeFile(join(ws, ".tieuchi", "snapshots", "2026-W47.json"), JSON.stringify({ period: "2026-W47", generatedAt: "2026-11-20T01:00:00.000Z", programmes: [] }));

    const dry = await cli(["report", ws, "--dry-run"]);

    expect(dry.code).toBe(0);
    expect((await readdir(join(ws, ".tieuchi"))).sort()).toEqual(["ledger.json", "snapshots"]);
    expect(await readdir(join(ws, ".tieuchi", "snapshots"))).toEqual(["2026-W47.json"]);
  });

  it("names a damaged ledger file with its path and what to do, exit 2, no stack trace", async () => {
    await cli(["report", ws]);
    const [name] = await kv().list("ledger/");
    await writeFile(kv().fileOf(name!), "{ hỏng");

    const result = await cli(["report", ws]);

    expect(result.code).toBe(2);
    expect(result.err).toContain(`Lỗi: Tệp trạng thái ${kv().fileOf(name!)} bị hỏng (không phải JSON hợp lệ).`);
    expect(result.err).toContain("Hãy khôi phục");
    expect(result.err).not.toMatch(/\bat .*\.(ts|js):\d+/u);
  });

  it("names a damaged old ledger.json the same way before anything is sent", async () => {
    await mkdir(join(ws, ".tieuchi"), { recursive: true });
    await writeFile(join(ws, ".tieuchi", "ledger.json"), "{");

    const result = await cli(["report", ws]);

    expect(result.code).toBe(2);
    expect(result.err).toContain(join(ws, ".tieuchi", "ledger.json"));
    expect(await outbox()).toEqual([]);
  });

  it("goes on past a damaged stored snapshot, naming it in one warning", async () => {
    await cli(["run", ws]);
    const [name] = await kv().list("snapshots/");
    await writeFile(kv().fileOf(name!), "not json");

    const result = await cli(["run", ws]);

    expect(result.code).toBe(1); // the sample's deliberate mistake, as before
    expect(result.err).toContain(kv().fileOf(name!));
    expect(result.out).toContain("Nghi Hòa");
  });

  it("start first removes the temporary files killed runs left (ours, older than a minute), and only those", async () => {
    await mkdir(join(ws, "out", "kiem-tra"), { recursive: true });
    await mkdir(join(ws, ".tieuchi", "kv"), { recursive: true });
    const stale = [join(ws, "out", "kiem-tra", "nghi-hoa.txt.999.0123456789ab.tmp"), join(ws, ".tieuchi", "kv", "k.json.999.0123456789ab.tmp"), join(ws, "out", "summary.txt.998.tmp")];
    const kept = [join(ws, "out", "summary.csv.999.ba9876543210.tmp"), join(ws, "wards", "nghi-hoa.xlsx.999.0123456789ab.tmp"), join(ws, "out", "ghi-chu.tmp")];
    for (const file of [...stale, ...kept]) {
      await writeFile(file, "x");
      if (file !== kept[0]) await ageFile(file, 5 * 60_000);
    }
    let out = "";
    let stop!: () => void;
    const stopSignal = new Promise<void>((resolve) => (stop = resolve));
    const write = (t: string): void => {
      out += t;
      if (out.includes("Đang theo dõi")) stop();
    };
    expect(await main(["start", ws], { env: { TIEUCHI_CHROMIUM: "" }, cwd: dir, stdout: { write }, stderr: { write }, stopSignal }, clock)).toBe(0);

    expect(stale.filter((f) => existsSync(f))).toEqual([]);
    expect(kept.filter((f) => existsSync(f))).toEqual(kept);
  });
});
