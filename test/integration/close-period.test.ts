/**
 * `tieuchi close` / `reopen` through the CLI on the sample workspace: a period closed while it
 * still runs keeps its figures, snapshot and documents after a workbook edit; the edit is
 * flagged "sửa sau khi đã chốt kỳ"; reopening needs a reason and is kept in the history.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { snapshotKey } from "../../functions/app/snapshot-store.js";
import { fileKeyValueStore } from "../../functions/adapters/local/file-kv.js";
import { main } from "../../scripts/tieuchi.js";

let dir: string;
const now = new Date("2026-10-01T03:00:00Z"); // Thursday of week 40: the period still runs
const clock = { now: () => now };

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = "";
  const write = { write: (t: string) => (out += t) };
  const code = await main(args, { env: { TIEUCHI_CHROMIUM: "" }, cwd: dir, stdout: write, stderr: write }, clock);
  return { code, out };
}

const ws = (): string => join(dir, "ws");
const snapshotText = (): Promise<string> => readFile(fileKeyValueStore(join(ws(), ".tieuchi", "kv")).fileOf(snapshotKey("2026-W40")), "utf8");
const townReport = (): Promise<string> => readFile(join(ws(), "out", "reports", "2026-W40", "bao-cao-ca-phuong-dien-hinh.html"), "utf8");
/** The town table of a `run`: its output up to the line naming the files written. */
const tableOf = (out: string): string => out.slice(0, out.indexOf("Phường có lỗi") >= 0 ? out.indexOf("Phường có lỗi") : out.indexOf("Đã ghi"));

/** Nghi Hương marks every criterion of the first programme "Chưa đạt". */
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
  dir = await mkdtemp(join(tmpdir(), "tieuchi-close-"));
  await cli(["init", "ws"]);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("tieuchi close and reopen", () => {
  it("freezes the running week: figures, snapshot and report stay after an edit, which is flagged", async () => {
    expect((await cli(["close", "ws", "--period", "2026-W40"])).out).toContain("Chưa có số liệu đã lưu đầy đủ của tuần 40/2026");
    const first = await cli(["report", "ws"]);
    expect(first.code).toBeLessThan(2);
    const firstRun = await cli(["run", "ws"]);
    const reportThen = await townReport();
    const stored = await snapshotText();

    const closed = await cli(["close", "ws", "--period", "tuần 40/2026"]);
    expect(closed.code).toBe(0);
    expect(closed.out).toContain("Đã chốt tuần 40/2026. Mã số liệu đã chốt (sha256): ");
    expect(closed.out).toContain(`chốt kỳ, người chốt: ${userInfo().username}`);
    const twice = await cli(["close", "ws", "--period", "2026-W40"]);
    expect(twice.code).toBe(2);
    expect(twice.out).toContain("Lỗi: Tuần 40/2026 đã được chốt trước đó (chốt lúc 01/10/2026 10:00");

    // The document of the closed week: the figures of then, every ward's review state "Đã chốt".
    await cli(["report", "ws", "--period", "2026-W40"]);
    const reportClosed = await townReport();
    expect(reportClosed).not.toBe(reportThen);
    expect(reportClosed).toContain("Đã chốt");

    // The run right after the close: the same figures, every ward's step now “Đã chốt”.
    const closedRun = await cli(["run", "ws"]);
    const figures = (out: string): string[] => tableOf(out).split("\n").map((l) => (l.match(/\d+\/\d+(?: ✓)?/gu) ?? []).join(" "));
    expect(figures(closedRun.out)).toEqual(figures(firstRun.out));
    expect(closedRun.out).toContain("· Đã chốt");
    await wipeNghiHuong();
    const after = await cli(["run", "ws"]);
    expect(after.code).toBeLessThan(2);
    expect(tableOf(after.out)).toBe(tableOf(closedRun.out));
    expect(after.out).toContain("Tuần 40/2026 đã chốt: bảng trên là số liệu đã chốt, giữ nguyên. Sửa sau khi đã chốt kỳ: Nghi Hương");
    expect(await snapshotText()).toBe(stored);
    const letter = await readFile(join(ws(), "out", "kiem-tra", "nghi-huong.txt"), "utf8");
    expect(letter).toContain("được sửa sau khi đã chốt kỳ (tuần 40/2026)");
    expect(await readFile(join(ws(), "out", "kiem-tra", "nghi-thu.txt"), "utf8")).not.toContain("đã chốt kỳ");

    const current = await cli(["report", "ws"]); // no --period: the running week, closed
    expect(current.out).toContain("Tuần 40/2026 đã chốt: dựng lại báo cáo từ số liệu đã lưu");
    const report = await cli(["report", "ws", "--period", "2026-W40"]);
    expect(report.code).toBe(0);
    expect(report.out).toContain("Tuần 40/2026 đã chốt: dựng lại báo cáo từ số liệu đã lưu");
    expect(report.out).toContain("Kỳ đã chốt nên không gửi thư");
    // Rendered from the frozen copy: as right after the close, whatever was edited since.
    expect(await townReport()).toBe(reportClosed);
    expect(await snapshotText()).toBe(stored);
  }, 120_000);

  it("reopens only with a reason, prints the history, and the next run counts the edit", async () => {
    const bare = await cli(["reopen", "ws", "--period", "2026-W40"]);
    expect(bare.code).toBe(2);
    expect(bare.out).toContain("Lỗi: mở lại tuần 40/2026 cần ghi lý do: tieuchi reopen --period 2026-W40 --reason");
    const stored = await snapshotText();
    const reopened = await cli(["reopen", "ws", "--period", "2026-W40", "--reason", "Phường Nghi Hương nhập lại kết quả"]);
    expect(reopened.code).toBe(0);
    expect(reopened.out).toContain("Tuần 40/2026 đã được mở lại. Lý do: “Phường Nghi Hương nhập lại kết quả”.");
    expect(reopened.out).toMatch(/Lịch sử chốt và mở lại tuần 40\/2026:\n {2}- 01\/10\/2026 10:00: chốt kỳ, .*\n {2}- 01\/10\/2026 10:00: mở lại, người mở: .*, lý do: “Phường Nghi Hương nhập lại kết quả”/u);
    const run = await cli(["run", "ws"]);
    expect(run.out).not.toContain("đã chốt");
    expect(await readFile(join(ws(), "out", "kiem-tra", "nghi-huong.txt"), "utf8")).not.toContain("đã chốt kỳ");
    expect(await snapshotText()).not.toBe(stored);
  }, 120_000);
});
