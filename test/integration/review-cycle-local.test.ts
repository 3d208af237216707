/**
 * The review cycle on the local runtime, through the CLI on a workspace made by `tieuchi init`,
 * the workbooks edited with exceljs as the ward and the appraiser would (and once saved by
 * LibreOffice when it is installed), the mail through a real SMTP server:
 * submit with an error (refused, told why) → fix and submit → the office is told → the appraiser
 * disagrees on one criterion and returns it (one Trả lại letter, not two) → the ward fixes and
 * submits again → appraised → closed (pending wards warned) → an edit after the close is flagged
 * at its cell and changes no closed figure → reopened with a reason; the trail names every step.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { appendFile, copyFile, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import PostalMime from "postal-mime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../scripts/tieuchi.js";
import { manualClock } from "../fakes/clock.js";
import { type FakeSmtp, startFakeSmtp } from "../fakes/smtp.js";

const clock = manualClock("2026-10-01T03:00:00Z"); // Thursday of week 40/2026
let dir: string;
let smtp: FakeSmtp;
const TAB = "CA phường kiểu mẫu";
const WARD_MAIL = "ca.nghihoa@cualo.example";
const OFFICE = "thamdinh@cualo.example";

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = "";
  const write = { write: (t: string) => (out += t) };
  const code = await main(args, { env: { TIEUCHI_CHROMIUM: "", TIEUCHI_SMTP_URL: smtp.url }, cwd: dir, stdout: write, stderr: write }, clock);
  return { code, out };
}

const ws = (...parts: string[]): string => join(dir, "ws", ...parts);
const workbookFile = (): string => ws("wards", "nghi-hoa.xlsx");

/** Where things are on the tab, found by their labels and headers (the layout is data, not fixed here). */
interface TabMap {
  sheet: ExcelJS.Worksheet;
  column: Map<string, number>;
  rowOf: (code: string) => ExcelJS.Row;
  labelValue: (label: string) => ExcelJS.Cell;
}

function mapTab(sheet: ExcelJS.Worksheet): TabMap {
  const column = new Map<string, number>();
  let header = 0;
  const labels = new Map<string, ExcelJS.Cell>();
  sheet.eachRow((row, n) => {
    row.eachCell((cell, c) => {
      const text = String(cell.value ?? "");
      if (text === "Mã tiêu chí") header = n;
      if (text.endsWith(":")) labels.set(text, row.getCell(c + 1));
    });
  });
  sheet.getRow(header).eachCell((cell, c) => void column.set(String(cell.value), c));
  const codeColumn = column.get("Mã tiêu chí")!;
  const rowOf = (code: string): ExcelJS.Row => {
    let found: ExcelJS.Row | undefined;
    sheet.eachRow((row, n) => {
      if (n > header && String(row.getCell(codeColumn).value ?? "") === code) found ??= row;
    });
    if (!found) throw new Error(`no row ${code}`);
    return found;
  };
  return { sheet, column, rowOf, labelValue: (label) => labels.get(label)! };
}

/** Open the ward's workbook, change it as `who`, save it. */
async function edit(who: string, change: (tab: TabMap) => void): Promise<void> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(workbookFile());
  book.lastModifiedBy = who;
  change(mapTab(book.getWorksheet(TAB)!));
  await book.xlsx.writeFile(workbookFile());
  clock.advance(10 * 60_000);
}

const set = (tab: TabMap, code: string, header: string, value: string | null): void => {
  tab.rowOf(code).getCell(tab.column.get(header)!).value = value;
};

async function mails(): Promise<Array<{ to: string[]; subject: string; text: string }>> {
  const parsed = await Promise.all(smtp.received.map((m) => PostalMime.parse(m.raw)));
  return parsed.map((m) => ({ to: (m.to ?? []).map((t) => t.address ?? ""), subject: m.subject ?? "", text: m.text ?? "" }));
}

/** Every file of the workspace's state with its content (the review records are among them). */
async function stateFiles(): Promise<Array<[string, string]>> {
  const root = ws(".tieuchi");
  const names = (await readdir(root, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort();
  return Promise.all(names.map(async (n): Promise<[string, string]> => [n, await readFile(n, "utf8")]));
}

const feedbackFile = (): Promise<string> => readFile(ws("out", "kiem-tra", "nghi-hoa.txt"), "utf8");

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tieuchi-review-"));
  smtp = await startFakeSmtp();
  expect((await cli(["init", "ws"])).code).toBe(0);
  await appendFile(ws("tieuchi.config.yaml"), `\nreview:\n  appraisers: [${OFFICE}]\n  office: [${OFFICE}]\n`);
}, 60_000);
afterAll(async () => {
  await smtp.close();
  await rm(dir, { recursive: true, force: true });
});

describe("the review cycle of one ward, locally", () => {
  it("refuses a submission with an error and says why", async () => {
    await cli(["run", "ws"]);
    await edit("Trần Thị Lan", (tab) => void (tab.labelValue("Trạng thái:").value = "Đề nghị thẩm định"));
    const run = await cli(["run", "ws"]);
    expect(run.out).toContain("Nghi Hòa, Công an phường điển hình, kiểu mẫu: chưa nhận đề nghị thẩm định vì bảng còn lỗi");
    expect(await feedbackFile()).toContain("Chưa nhận đề nghị thẩm định");
    const status = await cli(["status", "ws"]);
    expect(status.out).toMatch(/Phường Nghi Hòa\n {2}Công an phường điển hình, kiểu mẫu: Đang cập nhật\n/u);
  }, 60_000);

  it("takes the clean submission and tells the office once", async () => {
    await edit("Trần Thị Lan", (tab) => set(tab, "TC02", "Minh chứng", "Kế hoạch số 12/KH-CAP ngày 05/01/2023"));
    // A dry run says it would send the notice, and writes no review record (nor anything else).
    const before = await stateFiles();
    const sent = smtp.received.length;
    const dry = await cli(["report", "ws", "--dry-run"]);
    expect(dry.out).toContain("Phường Nghi Hòa đề nghị thẩm định");
    expect(await stateFiles()).toEqual(before);
    expect(smtp.received).toHaveLength(sent);
    const run = await cli(["run", "ws"]);
    expect(run.out).toContain("Nghi Hòa, Công an phường điển hình, kiểu mẫu: đã đề nghị thẩm định");
    expect(run.out).toMatch(/\nNghi Hòa +\d+\/22 · Đề nghị thẩm định /u);
    expect((await cli(["status", "ws"])).out).toMatch(/Phường Nghi Hòa\n {2}Công an phường điển hình, kiểu mẫu: Đề nghị thẩm định — đề nghị lúc 01\/10\/2026 10:\d\d, Trần Thị Lan\n/u);
    smtp.received.length = 0;
    await cli(["report", "ws"]);
    await cli(["report", "ws"]);
    const notices = (await mails()).filter((m) => m.to.includes(OFFICE) && m.subject.includes("Nghi Hòa"));
    expect(notices.map((m) => m.subject)).toEqual(["[Tự đánh giá tiêu chí] Phường Nghi Hòa đề nghị thẩm định “Công an phường điển hình, kiểu mẫu” (tuần 40/2026)"]);
    expect(notices[0]?.text).toContain("(người gửi: Trần Thị Lan)");
  }, 120_000);

  it("sends one Trả lại letter with the criterion, the appraised result and the reason", async () => {
    await edit("Tổ thẩm định", (tab) => {
      tab.sheet.eachRow((row) => {
        const code = String(row.getCell(tab.column.get("Mã tiêu chí")!).value ?? "");
        if (/^TC\d+$/u.test(code)) row.getCell(tab.column.get("Kết quả thẩm định")!).value = row.getCell(tab.column.get("Kết quả")!).value === "Đạt" ? "Đạt" : "Chưa đạt";
      });
      set(tab, "TC01", "Kết quả thẩm định", "Chưa đạt");
      set(tab, "TC01", "Ý kiến thẩm định", "Nghị quyết chưa có chữ ký; đề nghị bổ sung bản có chữ ký");
      tab.labelValue("Kết luận thẩm định:").value = "Trả lại";
    });
    smtp.received.length = 0;
    const run = await cli(["run", "ws"]);
    expect(run.out).toContain("Nghi Hòa, Công an phường điển hình, kiểu mẫu: được trả lại để bổ sung, sửa");
    await cli(["report", "ws"]);
    await cli(["report", "ws"]);
    const letters = (await mails()).filter((m) => m.to.includes(WARD_MAIL) && m.subject.includes("trả lại"));
    expect(letters).toHaveLength(1);
    expect(letters[0]?.subject).toBe("[Tự đánh giá tiêu chí] Phường Nghi Hòa: bảng tự đánh giá “Công an phường điển hình, kiểu mẫu” được trả lại để bổ sung (tuần 40/2026)");
    expect(letters[0]?.text).toContain("TC01: ");
    expect(letters[0]?.text).toContain("Kết quả thẩm định: Chưa đạt");
    expect(letters[0]?.text).toContain("Ý kiến thẩm định: Nghị quyết chưa có chữ ký; đề nghị bổ sung bản có chữ ký");
    expect((await cli(["status", "ws"])).out).toMatch(/Phường Nghi Hòa\n {2}Công an phường điển hình, kiểu mẫu: Trả lại — /u);
  }, 120_000);

  it("keeps the return while the ward edits under “Đề nghị thẩm định”, takes the resubmission after “Đang cập nhật”, then the appraisal", async () => {
    // An edit while Trạng thái still says Đề nghị thẩm định is not a resubmission: still returned, no notice.
    await edit("Trần Thị Lan", (tab) => set(tab, "TC01", "Minh chứng", "Nghị quyết số 05-NQ/ĐU"));
    smtp.received.length = 0;
    expect((await cli(["run", "ws"])).out).not.toContain("đã gửi lại đề nghị thẩm định");
    await cli(["report", "ws"]);
    expect((await mails()).filter((m) => m.to.includes(OFFICE) && m.subject.includes("Nghi Hòa"))).toEqual([]);
    expect((await cli(["status", "ws"])).out).toMatch(/Phường Nghi Hòa\n {2}Công an phường điển hình, kiểu mẫu: Trả lại — /u);
    expect(await feedbackFile()).toContain("khi ô “Trạng thái:” (trang tính “CA phường kiểu mẫu”, ô C5) vẫn ghi “Đề nghị thẩm định”, các chỉnh sửa chưa được coi là gửi lại. Hãy chọn “Đang cập nhật” khi bắt đầu sửa, sửa xong chọn lại “Đề nghị thẩm định”.");
    // “Đang cập nhật” while fixing, then “Đề nghị thẩm định” again: resubmitted.
    await edit("Trần Thị Lan", (tab) => void (tab.labelValue("Trạng thái:").value = "Đang cập nhật"));
    await cli(["run", "ws"]);
    await edit("Trần Thị Lan", (tab) => {
      set(tab, "TC01", "Minh chứng", "Nghị quyết số 05-NQ/ĐU (bản có chữ ký)");
      tab.labelValue("Trạng thái:").value = "Đề nghị thẩm định";
    });
    expect((await cli(["run", "ws"])).out).toContain("Nghi Hòa, Công an phường điển hình, kiểu mẫu: đã gửi lại đề nghị thẩm định sau khi bổ sung");
    const stale = "Kết luận “Trả lại” ở ô “Kết luận thẩm định:” (trang tính “CA phường kiểu mẫu”, ô C6) là của lần thẩm định trước";
    expect(await feedbackFile()).toContain(stale);
    // The appraiser's first edit under the old “Trả lại” sends no second letter; the warning stays.
    await edit("Tổ thẩm định", (tab) => set(tab, "TC01", "Kết quả thẩm định", "Đạt"));
    smtp.received.length = 0;
    await cli(["run", "ws"]);
    expect(await feedbackFile()).toContain(stale);
    await cli(["report", "ws"]);
    expect((await mails()).filter((m) => m.to.includes(WARD_MAIL) && m.subject.includes("trả lại"))).toEqual([]);
    await edit("Tổ thẩm định", (tab) => {
      set(tab, "TC01", "Ý kiến thẩm định", null);
      tab.labelValue("Kết luận thẩm định:").value = "Đã thẩm định";
    });
    const run = await cli(["run", "ws"]);
    expect(run.out).toContain("Nghi Hòa, Công an phường điển hình, kiểu mẫu: đã thẩm định xong");
    expect(await feedbackFile()).not.toContain("là của lần thẩm định trước");
    expect((await cli(["status", "ws"])).out).toMatch(/Phường Nghi Hòa\n {2}Công an phường điển hình, kiểu mẫu: Đã thẩm định — đề nghị lúc .*; thẩm định xong lúc .*, Tổ thẩm định\n/u);
  }, 120_000);

  it("closes with a warning for the wards not appraised, flags an edit at its cell, keeps the figures, reopens", async () => {
    const closed = await cli(["close", "ws", "--period", "2026-W40"]);
    expect(closed.code).toBe(0);
    expect(closed.out).toMatch(/Cảnh báo: \d+ bảng tự đánh giá chưa được thẩm định xong khi chốt kỳ/u);
    expect(closed.out).toContain("  - Nghi Hải, Công an phường điển hình, kiểu mẫu: Đang cập nhật");
    expect(closed.out).not.toContain("  - Nghi Hòa, Công an phường điển hình, kiểu mẫu");
    // The closed week as a run shows it: every ward “Đã chốt”, Nghi Hòa with its appraised figure.
    const before = await cli(["run", "ws"]);
    expect(before.out).toMatch(/Nghi Hòa +\d+\/22 · Đã chốt \d+\/22/u);
    let cell = "";
    await edit("Trần Thị Lan", (tab) => {
      const row = tab.rowOf("TC03");
      const result = row.getCell(tab.column.get("Kết quả")!);
      result.value = result.value === "Đạt" ? "Chưa đạt" : "Đạt";
      cell = result.address;
    });
    const after = await cli(["run", "ws"]);
    const table = (out: string): string => out.slice(0, out.indexOf("Đạt đủ tiêu chí"));
    expect(table(after.out)).toBe(table(before.out));
    expect(after.out).toContain("Sửa sau khi đã chốt kỳ: Nghi Hòa");
    expect(await feedbackFile()).toContain(`ô ${cell}`);
    expect((await cli(["status", "ws"])).out).toMatch(/Phường Nghi Hòa\n {2}Công an phường điển hình, kiểu mẫu: Đã chốt \(trước khi chốt: Đã thẩm định\)/u);
    const reopened = await cli(["reopen", "ws", "--period", "2026-W40", "--reason", "Phường Nghi Hòa sửa kết quả TC03"]);
    expect(reopened.code).toBe(0);
  }, 120_000);

  it("names every change and every step in the trail", async () => {
    const trail = await cli(["trail", "ws", "--ward", "nghi-hoa", "--period", "2026-W40"]);
    const lines = trail.out.split("\n");
    const has = (pattern: RegExp): void => expect(lines.some((l) => pattern.test(l)), String(pattern)).toBe(true);
    has(/Phường Nghi Hòa, Công an phường điển hình, kiểu mẫu: Chưa nhận đề nghị thẩm định \(bảng còn lỗi\) \(người thực hiện: Trần Thị Lan\)/u);
    has(/TC02: minh chứng “\(trống\)” → “Kế hoạch số 12\/KH-CAP ngày 05\/01\/2023” \(người sửa: Trần Thị Lan\)/u);
    has(/Công an phường điển hình, kiểu mẫu: Gửi đề nghị thẩm định \(người thực hiện: Trần Thị Lan\)/u);
    has(/TC01: kết quả thẩm định “\(trống\)” → “Chưa đạt” \(người sửa: Tổ thẩm định\)/u);
    has(/TC01: ý kiến thẩm định “\(trống\)” → “Nghị quyết chưa có chữ ký; đề nghị bổ sung bản có chữ ký” \(người sửa: Tổ thẩm định\)/u);
    has(/Trả lại để bổ sung, sửa \(người thực hiện: Tổ thẩm định\)/u);
    has(/Gửi lại đề nghị thẩm định sau khi bổ sung \(người thực hiện: Trần Thị Lan\)/u);
    has(/Kết luận “Đã thẩm định” \(người thực hiện: Tổ thẩm định\)/u);
    has(/Cả kỳ: Chốt kỳ \(người thực hiện: /u);
    has(/Cả kỳ: Mở lại kỳ \(lý do: “Phường Nghi Hòa sửa kết quả TC03”\)/u);
    const csv = await readFile(ws("out", "nhat-ky", "2026-W40-nghi-hoa.csv"), "utf8");
    expect(csv).toContain("Thẩm định,,Trả lại để bổ sung, sửa".replace("Trả lại để bổ sung, sửa", '"Trả lại để bổ sung, sửa"'));
  }, 60_000);

  const soffice = ["/usr/bin/soffice", "/usr/local/bin/soffice"].find((p) => existsSync(p));
  it.skipIf(!soffice)("reads a workbook saved by LibreOffice with its review cells", async () => {
    const out = join(dir, "lo");
    execFileSync(soffice!, ["--headless", `-env:UserInstallation=file://${join(dir, "lo-profile")}`, "--convert-to", "xlsx", "--outdir", out, workbookFile()], { timeout: 120_000, stdio: "ignore" });
    await copyFile(join(out, "nghi-hoa.xlsx"), workbookFile());
    clock.advance(60_000);
    const run = await cli(["run", "ws"]);
    expect(run.code).toBeLessThan(2);
    // Still appraised (LibreOffice kept the Trạng thái, the appraisal and the Kết luận).
    expect((await cli(["status", "ws"])).out).toMatch(/Phường Nghi Hòa\n {2}Công an phường điển hình, kiểu mẫu: Đã thẩm định/u);
  }, 180_000);
});
