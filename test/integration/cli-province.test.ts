import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfigText } from "../../functions/config.js";
import { main } from "../../scripts/tieuchi.js";

const clock = { now: () => new Date("2026-11-27T03:00:00Z") };
let dir: string;

/** Run the CLI in-process, capturing what it prints. */
async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(args, { env, cwd: dir, stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } }, clock);
  return { code, out, err };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tieuchi-province-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

interface SummaryJson {
  programmes: Array<{ id: string; recognisedCount: number; wards: Array<{ id: string; status: string; met: number; errors: number }> }>;
}

describe("tieuchi init --sample province, then run", () => {
  it("writes a synthetic province of 130 xã, phường and checks every unit", async () => {
    const init = await cli(["init", "tinh", "--sample", "province"]);
    expect(init.err).toBe("");
    expect(init.code).toBe(0);
    expect(init.out).toContain("130 xã, phường");
    expect(init.out).toMatch(/… và \d+ tệp khác trong wards\//u);
    const config = await readFile(join(dir, "tinh", "tieuchi.config.yaml"), "utf8");
    expect(config).toContain("TÊN XÃ, PHƯỜNG LÀ TÊN GIẢ ĐỊNH");
    expect(config).toContain("parent: BỘ CÔNG AN");
    expect(config).toContain("issuer: CÔNG AN TỈNH NGHỆ AN");
    // Valid as written, also once a mail server is set (smtp.from is then required).
    expect(parseConfigText(config, { TIEUCHI_SMTP_URL: "smtp://127.0.0.1:2525" }).success).toBe(true);
    expect(config.match(/, kind: xã,/gu)).toHaveLength(119);
    expect(config.match(/, kind: phường,/gu)).toHaveLength(11);
    const files = await readdir(join(dir, "tinh", "wards"));
    expect(files.length).toBeGreaterThan(110);
    expect(files.length).toBeLessThan(130); // some units have sent nothing

    const run = await cli(["run", "tinh"]);
    expect(run.code).toBe(1); // a few units forgot evidence: error findings, as in real life
    expect(run.out).toMatch(/^Xã, phường {2,}/u);
    expect(run.out).toMatch(/Đạt đủ tiêu chí +\d+\/130 xã, phường/u);
    expect(run.out).toMatch(/\nXã, phường có lỗi cần sửa: /u);
    expect(await readFile(join(dir, "tinh", "out", "summary.txt"), "utf8")).toMatch(/^Xã, phường {2,}/u);
    // The xã workbooks say "Tên xã:" and it is found: no unit is told its name is missing or wrong.
    const letters = await Promise.all(files.map((f) => readFile(join(dir, "tinh", "out", "kiem-tra", f.replace(/\.xlsx$/u, ".txt")), "utf8").catch(() => "")));
    expect(letters.filter((l) => l !== "").length).toBeGreaterThan(100);
    expect(letters.filter((l) => /Chưa ghi tên|không khớp/u.test(l))).toEqual([]);
    const xa = [...config.matchAll(/id: ([a-z-]+), name: [^,]+, kind: xã,/gu)].map((m) => `${m[1]}.xlsx`).filter((f) => files.includes(f));
    const workbook = new ExcelJS.Workbook();
    // The first two xã with a file: at most one of them is the text file saved as .xlsx.
    const heads = await Promise.all(xa.slice(0, 2).map(async (f) => ({ f, zip: (await readFile(join(dir, "tinh", "wards", f))).subarray(0, 2).toString() === "PK" })));
    await workbook.xlsx.readFile(join(dir, "tinh", "wards", heads.find((h) => h.zip)!.f));
    expect(workbook.worksheets[1]?.getSheetValues().flat().filter((v) => typeof v === "string" && v.startsWith("Tên "))).toEqual(["Tên xã:"]);
    const summary = JSON.parse(await readFile(join(dir, "tinh", "out", "summary.json"), "utf8")) as SummaryJson;
    const [first] = summary.programmes;
    expect(first?.wards).toHaveLength(130);
    const byStatus = (status: string): number => first!.wards.filter((w) => w.status === status).length;
    expect(byStatus("missing")).toBe(130 - files.length);
    expect(byStatus("unreadable")).toBe(1);
    const assessed = first!.wards.filter((w) => w.status === "ok");
    expect(assessed.length).toBe(files.length - 1);
    // A realistic spread: some met everything, most miss a few, nobody is a 0 for not sending.
    expect(first!.recognisedCount).toBeGreaterThan(10);
    expect(first!.recognisedCount).toBeLessThan(60);
    expect(new Set(assessed.map((w) => w.met)).size).toBeGreaterThan(8);
    expect(first!.wards.filter((w) => w.errors > 0).length).toBeGreaterThan(0);

    // status sums a province up: counts per programme and the units by state on one line each, not 3 lines a unit.
    const status = await cli(["status", "tinh"]);
    expect(status.code).toBe(0);
    const lines = status.out.trimEnd().split("\n");
    expect(lines.length).toBeLessThan(10);
    // The unit whose file cannot be read has sent nothing usable either.
    const notSent = 130 - files.length + 1;
    expect(lines).toContain(`Công an phường điển hình, kiểu mẫu — Chưa gửi: ${notSent}; Đang cập nhật: ${130 - notSent}.`);
    expect(lines.find((l) => l.startsWith("Chưa gửi ("))).toMatch(new RegExp(`^Chưa gửi \\(${notSent} xã(, phường)?\\): `, "u"));
    expect(lines).toContain("(Xem từng đơn vị, từng đề án: tieuchi status --all.)");
    const all = await cli(["status", "tinh", "--all"]);
    expect(all.out.trimEnd().split("\n")).toHaveLength(1 + 130 * 3 + 1);

    const again = await cli(["init", "tinh", "--sample", "province"]);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/không ghi đè/u);
  }, 240_000);

  it("names the samples when the value is wrong, and keeps the town as the default", async () => {
    const wrong = await cli(["init", "x", "--sample", "tinh"]);
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain("không có mẫu “tinh”. Các mẫu: --sample town (thị xã Cửa Lò năm 2023, 7 phường (mặc định)); --sample province");
    const town = await cli(["init", "thi-xa"]);
    expect(town.code).toBe(0);
    expect(town.out).toContain("thị xã Cửa Lò năm 2023, 7 phường");
    expect((await readdir(join(dir, "thi-xa", "wards"))).length).toBe(7);
  }, 60_000);
});
