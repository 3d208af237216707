import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Snapshot } from "../../../functions/core/aggregate-town.js";
import { StateDamagedError } from "../../../functions/state-errors.js";
import { openLocalState } from "../../../scripts/local-state.js";

const clock = { now: () => new Date("2026-11-27T03:00:00Z") };
const sent = (n: number) => ({ sentAt: `2026-11-2${n}T08:00:00.000Z`, messageId: `<m${n}@tieuchi.local>`, via: "smtp" });
const snapshot = (period: string, met: number): Snapshot => ({
  period,
  generatedAt: "2026-11-20T08:00:00.000Z",
  programmes: [{ id: "ca-phuong-dien-hinh", wards: [{ id: "nghi-huong", met, total: 22, recognised: false }] }],
});

let ws: string;
let state: string;
let warnings: string[];
const warn = (line: string): void => void warnings.push(line);

/** A workspace as the previous release left it. */
async function legacyWorkspace(ledger: string | Record<string, unknown>, snapshots: Record<string, string | Snapshot>): Promise<void> {
  await mkdir(join(state, "snapshots"), { recursive: true });
  await writeFile(join(state, "ledger.json"), typeof ledger === "string" ? ledger : JSON.stringify(ledger, null, 2));
  for (const [period, s] of Object.entries(snapshots)) await writeFile(join(state, "snapshots", `${period}.json`), typeof s === "string" ? s : JSON.stringify(s));
}

const entryOf = async (local: Awaited<ReturnType<typeof openLocalState>>, key: string) => (await local.ledger.update(key, () => null)).entry;

beforeEach(async () => {
  ws = await mkdtemp(join(tmpdir(), "tieuchi-local-state-"));
  state = join(ws, ".tieuchi");
  warnings = [];
});
afterEach(() => rm(ws, { recursive: true, force: true }));

describe("openLocalState over a workspace of the previous release", () => {
  const keys = ["digest|lanhdao@congan.example|2026-W47|3f2a", "ward|nghi-hoa|2026-W47|9c1d"];

  it("imports the old ledger and snapshots once, keeps the old files renamed, and never sends those messages again", async () => {
    await legacyWorkspace({ [keys[0]!]: sent(1), [keys[1]!]: sent(2) }, { "2026-W46": snapshot("2026-W46", 18), "2026-W47": snapshot("2026-W47", 20) });

    const local = await openLocalState(ws, clock, warn);

    expect(await entryOf(local, keys[0]!)).toEqual({ status: "sent", ...sent(1) });
    expect(await entryOf(local, keys[1]!)).toEqual({ status: "sent", ...sent(2) });
    expect(await local.state.listSnapshots()).toEqual([snapshot("2026-W46", 18), snapshot("2026-W47", 20)]);
    expect((await local.state.latestSnapshotBefore("2026-W48"))?.period).toBe("2026-W47");
    expect((await readdir(state)).sort()).toEqual(["kv", "ledger.json.migrated", "snapshots"]);
    expect((await readdir(join(state, "snapshots"))).sort()).toEqual(["2026-W46.json.migrated", "2026-W47.json.migrated"]);
    expect(JSON.parse(await readFile(join(state, "ledger.json.migrated"), "utf8"))).toEqual({ [keys[0]!]: sent(1), [keys[1]!]: sent(2) });
    expect(warnings).toEqual([]);
  });

  it("is idempotent, and two openings at once import each entry once", async () => {
    await legacyWorkspace({ [keys[0]!]: sent(1) }, { "2026-W47": snapshot("2026-W47", 20) });

    const [a, b] = await Promise.all([openLocalState(ws, clock, warn), openLocalState(ws, clock, warn)]);
    const again = await openLocalState(ws, clock, warn);

    for (const local of [a, b, again]) {
      expect(await entryOf(local, keys[0]!)).toEqual({ status: "sent", ...sent(1) });
      expect(await local.state.listSnapshots()).toEqual([snapshot("2026-W47", 20)]);
    }
    expect((await again.kv.list("")).length).toBe(2);
  });

  it("leaves an entry the new layout already has alone (it is newer)", async () => {
    const first = await openLocalState(ws, clock, warn);
    await first.ledger.update(keys[0]!, () => ({ status: "failed", failedAt: "2026-11-26T08:00:00.000Z", reason: "552", code: 552, attempts: 1 }));
    await first.state.saveSnapshot(snapshot("2026-W47", 21));
    await legacyWorkspace({ [keys[0]!]: sent(1) }, { "2026-W47": snapshot("2026-W47", 20) });

    const local = await openLocalState(ws, clock, warn);

    expect(await entryOf(local, keys[0]!)).toMatchObject({ status: "failed" });
    expect(await local.state.listSnapshots()).toEqual([snapshot("2026-W47", 21)]);
  });

  it.each([
    ["not JSON", "{ \"digest|a\": ", "không phải JSON hợp lệ"],
    ["not an object of entries", "[1, 2]", "không phải một bảng"],
    ["an entry without its fields", JSON.stringify({ "digest|a": { sentAt: "x" } }), "mục “digest|a” thiếu"],
  ])("stops with the old ledger's path when it is %s, and keeps it in place", async (_, text, problem) => {
    await legacyWorkspace(text, {});
    const error = await openLocalState(ws, clock, warn).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateDamagedError);
    expect((error as Error).message).toContain(join(state, "ledger.json"));
    expect((error as Error).message).toContain(problem);
    expect(await readFile(join(state, "ledger.json"), "utf8")).toBe(text);
  });

  it("sets a damaged old snapshot aside with one warning and imports the rest", async () => {
    await legacyWorkspace({}, { "2026-W45": "{ hỏng", "2026-W46": snapshot("2026-W46", 18) });

    const local = await openLocalState(ws, clock, warn);

    expect(await local.state.listSnapshots()).toEqual([snapshot("2026-W46", 18)]);
    expect((await readdir(join(state, "snapshots"))).sort()).toEqual(["2026-W45.json.damaged", "2026-W46.json.migrated"]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(join(state, "snapshots", "2026-W45.json"));
    expect(warnings[0]).toContain("2026-W45.json.damaged");
  });

  it("read-only (a dry run) shows the old state as imported but changes no file", async () => {
    await legacyWorkspace({ [keys[0]!]: sent(1) }, { "2026-W45": "{ hỏng", "2026-W47": snapshot("2026-W47", 20) });
    const listing = async () => [...(await readdir(state)).sort(), ...(await readdir(join(state, "snapshots"))).sort()];
    const before = await listing();

    const local = await openLocalState(ws, clock, warn, { readOnly: true });

    expect(await entryOf(local, keys[0]!)).toEqual({ status: "sent", ...sent(1) });
    expect(await local.state.listSnapshots()).toEqual([snapshot("2026-W47", 20)]);
    await local.state.saveSnapshot(snapshot("2026-W48", 21));
    expect(await listing()).toEqual(before);
    expect(warnings).toHaveLength(1);
  });

  it("opens a new workspace without creating anything", async () => {
    const local = await openLocalState(ws, clock, warn);
    expect(await local.state.listSnapshots()).toEqual([]);
    expect(await readdir(ws)).toEqual([]);
  });
});
