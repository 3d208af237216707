import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { snapshotKey } from "../../functions/app/snapshot-store.js";
import { fileKeyValueStore } from "../../functions/adapters/local/file-kv.js";
import { main } from "../../scripts/tieuchi.js";

let dir: string;
let now = new Date("2026-10-01T03:00:00Z"); // Thursday of week 40
const clock = { now: () => now };

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = "";
  const write = { write: (t: string) => (out += t) };
  const code = await main(args, { env: { TIEUCHI_CHROMIUM: "" }, cwd: dir, stdout: write, stderr: write }, clock);
  return { code, out };
}

const ws = (): string => join(dir, "ws");
const snapshotFile = (period: string): string => fileKeyValueStore(join(ws(), ".tieuchi", "kv")).fileOf(snapshotKey(period));
const townReport = (period: string): Promise<string> => readFile(join(ws(), "out", "reports", period, "bao-cao-ca-phuong-dien-hinh.html"), "utf8");

/** Nghi Hương marks every criterion of the first programme "Chưa đạt" (as if it had started over). */
async function wipeNghiHuong(): Promise<void> {
  const file = join(ws(), "wards", "nghi-huong.xlsx");
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const sheet = workbook.getWorksheet("CA phường kiểu mẫu")!;
  sheet.eachRow((row, n) => {
    if (n > 5 && /^TC\d+/u.test(String(row.getCell(2).value ?? ""))) row.getCell(4).value = "Chưa đạt";
  });
  await workbook.xlsx.writeFile(file);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tieuchi-history-"));
  await cli(["init", "ws"]);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("tieuchi report --period of a closed period", () => {
  it("re-renders week 40 weeks later from its snapshot, which stays byte-identical", async () => {
    expect((await cli(["report", "ws"])).code).toBeLessThan(2);
    const stored = await readFile(snapshotFile("2026-W40"));
    const reportThen = await townReport("2026-W40");

    now = new Date("2026-10-22T03:00:00Z"); // week 43
    await wipeNghiHuong();
    const current = await cli(["report", "ws"]);
    expect(current.code).toBeLessThan(2);
    expect(existsSync(snapshotFile("2026-W43"))).toBe(true);

    const again = await cli(["report", "ws", "--period", "2026-W40"]);
    expect(again.code).toBe(0);
    expect(again.out).toContain("Tuần 40/2026 đã kết thúc: dựng lại báo cáo từ số liệu đã lưu lúc 01/10/2026 10:00, không đọc lại các bảng tự đánh giá");
    expect(again.out).toContain("Kỳ đã kết thúc nên không gửi thư");
    expect(await readFile(snapshotFile("2026-W40"))).toEqual(stored);
    expect(await townReport("2026-W40")).toBe(reportThen);
  });

  it("refuses a closed period with no snapshot, exit code 2", async () => {
    const refused = await cli(["report", "ws", "--period", "2026-W39"]);
    expect(refused.code).toBe(2);
    expect(refused.out).toContain("Không có số liệu đã lưu của tuần 39/2026");
    expect(existsSync(join(ws(), "out", "reports", "2026-W39"))).toBe(false);
  });

  it("moves a damaged older snapshot aside with one warning and runs on", async () => {
    await writeFile(snapshotFile("2026-W40"), '{"version":"1-x","value":{"period":"2026-W4');
    const run = await cli(["run", "ws"]);
    expect(run.code).toBeLessThan(2);
    expect(run.out).not.toContain("SyntaxError");
    const warnings = run.out.split("\n").filter((line) => line.includes("tuần 40/2026") && line.includes("snapshots-damaged/2026-W40-"));
    expect(warnings).toHaveLength(1);
    expect(existsSync(snapshotFile("2026-W40"))).toBe(false);
    const kept = (await readdir(join(ws(), ".tieuchi", "kv"))).filter((name) => name.startsWith("snapshots-damaged"));
    expect(kept).toHaveLength(1);

    // The next run has nothing more to say, and the period is now refused rather than recomputed.
    expect((await cli(["run", "ws"])).out).not.toContain("snapshots-damaged");
    expect((await cli(["report", "ws", "--period", "2026-W40"])).code).toBe(2);
  });
});
