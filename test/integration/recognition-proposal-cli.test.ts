/**
 * The review cycle through `tieuchi report` on the sample town, read where people read it: a ward
 * submitted, then appraised in full by the supervising police in its own workbook, appears in the
 * town report beside its own figures, in summary.csv and in a TỜ TRÌNH đề nghị công nhận — written only
 * for a programme with a unit qualifying on appraised results (the sample's Nghi Tân, first programme).
 */
import { existsSync } from "node:fs";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../scripts/tieuchi.js";
import { manualClock } from "../fakes/clock.js";

const clock = manualClock("2026-11-27T03:00:00Z");
const TAB = "CA phường kiểu mẫu";
let dir: string;

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = "";
  const write = { write: (t: string) => (out += t) };
  const code = await main(args, { env: { TIEUCHI_CHROMIUM: "" }, cwd: dir, stdout: write, stderr: write }, clock);
  return { code, out };
}

/** The appraisers fill in Kết quả thẩm định (as the ward claims) on every criterion row, and the conclusion. */
async function appraiseAll(ward: string, conclusion: string): Promise<void> {
  const file = join(dir, "ws", "wards", `${ward}.xlsx`);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const sheet = workbook.getWorksheet(TAB)!;
  let appraisal = 0;
  sheet.eachRow((row) => {
    const values = (row.values as ExcelJS.CellValue[]).map((v) => (typeof v === "string" ? v : ""));
    const header = values.indexOf("Kết quả thẩm định");
    if (header > 0) appraisal = header;
    if (values[2] === "Kết luận thẩm định:") row.getCell(3).value = conclusion;
    if (appraisal && /^TC\d+$/u.test(values[2] ?? "")) row.getCell(appraisal).value = values[4] === "Đạt" ? "Đạt" : "Chưa đạt";
  });
  await workbook.xlsx.writeFile(file);
}

const reports = (): string => join(dir, "ws", "out", "reports", "2026-W48");

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tieuchi-proposal-"));
  await cli(["init", "ws"]);
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("tieuchi report through the review cycle", () => {
  it("writes a TỜ TRÌNH only for a programme with a unit qualifying on appraised results", async () => {
    // The sample: Nghi Tân's first programme appraised 22/22; Nghi Hương's second 33/34 (34/34 on its own); Thu Thủy submitted.
    await cli(["report", "ws"]);
    expect((await readdir(reports())).filter((n) => n.startsWith("to-trinh")).sort()).toEqual(["to-trinh-ca-phuong-dien-hinh.docx", "to-trinh-ca-phuong-dien-hinh.html"]);
    const proposal = await readFile(join(reports(), "to-trinh-ca-phuong-dien-hinh.html"), "utf8");
    expect(proposal).toContain("Phường Nghi Tân");
    expect(proposal).not.toContain("Thu Thủy");
    expect(proposal).toContain("công nhận 01 phường");
    expect(proposal).toContain("năm 2026");
    expect(proposal.slice(proposal.indexOf("</title>"))).not.toContain("tuần 48/2026"); // the file's title names the run's period; the letter does not
    const town = await readFile(join(reports(), "bao-cao-phuong-bao-ve-antq.html"), "utf8");
    expect(town).toContain("Nghi Hương (tự đánh giá 34/34; thẩm định 33/34)");
  }, 120_000);

  it("adds a unit once its full appraisal is concluded, and shows the step everywhere", async () => {
    await appraiseAll("thu-thuy", "Đã thẩm định");
    clock.advance(3_600_000);
    await cli(["report", "ws"]);
    const proposal = await readFile(join(reports(), "to-trinh-ca-phuong-dien-hinh.html"), "utf8");
    expect(proposal).toContain("TỜ TRÌNH");
    expect(proposal).toContain("Phường Thu Thủy");
    expect(proposal).toContain("Phường Nghi Tân");
    expect(proposal).toContain("công nhận 02 phường");
    expect(proposal).toContain("27/11/2026"); // the day the appraisal was read as concluded
    const csv = await readFile(join(dir, "ws", "out", "summary.csv"), "utf8");
    expect(csv).toMatch(/thu-thuy,Thu Thủy,22,22,.*,22\/22,Đã thẩm định\r\n/u);
    expect(existsSync(join(reports(), "to-trinh-phuong-bao-ve-antq.html"))).toBe(false);
  }, 120_000);
});
