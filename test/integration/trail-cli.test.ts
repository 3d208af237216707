/** `tieuchi trail` through the CLI: a workbook edit between two runs is listed, exported as .xlsx and .csv. */
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../scripts/tieuchi.js";

let dir: string;
let now = new Date("2026-10-01T03:00:00Z");
const clock = { now: () => now };

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = "";
  const write = { write: (t: string) => (out += t) };
  const code = await main(args, { env: { TIEUCHI_CHROMIUM: "" }, cwd: dir, stdout: write, stderr: write }, clock);
  return { code, out };
}

const ws = (): string => join(dir, "ws");

/** Nghi Hương sets TC01 of the first programme to `result`, saved as `by` (the lastModifiedBy property). */
async function setTc01(result: string, by?: string): Promise<void> {
  const file = join(ws(), "wards", "nghi-huong.xlsx");
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  if (by) workbook.lastModifiedBy = by;
  workbook.getWorksheet("CA phường kiểu mẫu")!.eachRow((row) => {
    if (String(row.getCell(2).value ?? "") === "TC01") row.getCell(4).value = result;
  });
  await workbook.xlsx.writeFile(file);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tieuchi-trail-"));
  await cli(["init", "ws"]);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("tieuchi trail", () => {
  it("lists the change between two runs and writes the change log", async () => {
    await setTc01("Đạt");
    await cli(["run", "ws"]);
    // The sample's own review cycle (Nghi Tân and Nghi Hương submitted and appraised, Thu Thủy submitted) is in the trail from the first run; no change yet.
    expect((await cli(["trail", "ws"])).out).toContain("Nhật ký thay đổi (mọi kỳ): 0 thay đổi, 5 bước thẩm định và chốt kỳ.");
    now = new Date("2026-10-01T05:15:00Z");
    await setTc01("Chưa đạt", "Nguyễn Thị Lan & <Tổ 2>");
    await cli(["run", "ws"]);
    await cli(["run", "ws"]); // nothing changed since: nothing appended

    const trail = await cli(["trail", "ws", "--period", "tuần 40/2026"]);
    expect(trail.code).toBe(0);
    expect(trail.out).toContain("Nhật ký thay đổi (tuần 40/2026): 1 thay đổi, 5 bước thẩm định và chốt kỳ.");
    expect(trail.out).toContain("01/10/2026 10:00 — Phường Thu Thủy, Công an phường điển hình, kiểu mẫu: Gửi đề nghị thẩm định (người thực hiện: ");
    expect(trail.out).toContain("01/10/2026 12:15 — Phường Nghi Hương, ");
    expect(trail.out).toContain(", TC01: kết quả “Đạt” → “Chưa đạt” (người sửa: Nguyễn Thị Lan & <Tổ 2>)");
    expect(trail.out).toContain("Đã ghi ws/out/nhat-ky/2026-W40.xlsx (mở bằng Excel) và ws/out/nhat-ky/2026-W40.csv.");

    const csv = await readFile(join(ws(), "out", "nhat-ky", "2026-W40.csv"), "utf8");
    expect(csv.split(/\r?\n/u).filter(Boolean)).toHaveLength(7);
    expect(csv).toContain('01/10/2026 12:15,Phường Nghi Hương,"Công an phường điển hình, kiểu mẫu",TC01,Kết quả,Đạt,Chưa đạt,Nguyễn Thị Lan & <Tổ 2>');
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(join(ws(), "out", "nhat-ky", "2026-W40.xlsx"));
    const sheet = book.getWorksheet("Nhật ký thay đổi")!;
    expect(sheet.getRow(1).getCell(1).value).toBe("Thời điểm");
    expect([2, 4, 6, 7].map((col) => sheet.getRow(7).getCell(col).value)).toEqual(["Phường Nghi Hương", "TC01", "Đạt", "Chưa đạt"]);
    expect(sheet.rowCount).toBe(7);
  }, 120_000);

  it("filters by ward and refuses an unknown one", async () => {
    const other = await cli(["trail", "ws", "--ward", "Nghi Thu"]);
    expect(other.out).toContain("Chưa ghi nhận thay đổi nào (mọi kỳ, phường Nghi Thu).");
    expect((await cli(["trail", "ws", "--ward", "nghi huong"])).out).toContain("1 thay đổi");
    expect(existsSync(join(ws(), "out", "nhat-ky", "tat-ca-nghi-huong.xlsx"))).toBe(true);
    const unknown = await cli(["trail", "ws", "--ward", "Hà Nội"]);
    expect(unknown.code).toBe(2);
    expect(unknown.out).toContain("Lỗi: không có phường “Hà Nội” trong cấu hình.");
  }, 60_000);
});
