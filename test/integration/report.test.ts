import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import PostalMime, { type Email } from "postal-mime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messageIdFor } from "../../functions/adapters/mail/message-id.js";
import { main } from "../../scripts/tieuchi.js";
import { manualClock } from "../fakes/clock.js";
import { type FakeSmtp, startFakeSmtp } from "../fakes/smtp.js";
import { builtinCatalogues, cellOf, sampleWorkbook } from "../fixtures/workbooks.js";

// Three days before the sample deadline (30/11): reminders are due for wards that still owe work.
// Moved on by the tests so that a message refused for now becomes due again.
const clock = manualClock("2026-11-27T03:00:00Z");
let dir: string;
let smtp: FakeSmtp;
const TAB = "CA phường kiểu mẫu";
/** Cells of the workbooks `init` writes, found by criterion (never a literal address: the layout moves). */
let cells: { nghiThuTc01: string; nghiHuongTc10: string; nghiHuongTc10Evidence: string };

async function cli(args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  let out = "";
  const write = { write: (t: string) => (out += t) };
  const code = await main(args, { env: { TIEUCHI_CHROMIUM: "", ...env }, cwd: dir, stdout: write, stderr: write }, clock);
  return { code, out };
}

async function editWorkbook(ward: string, tab: string, edits: Record<string, ExcelJS.CellValue>): Promise<void> {
  const file = join(dir, "ws", "wards", `${ward}.xlsx`);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  for (const [a1, value] of Object.entries(edits)) workbook.getWorksheet(tab)!.getCell(a1).value = value;
  await workbook.xlsx.writeFile(file);
}

const parsed = (): Promise<Email[]> => Promise.all(smtp.received.map((m) => PostalMime.parse(m.raw)));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tieuchi-report-"));
  smtp = await startFakeSmtp();
  const catalogues = await builtinCatalogues();
  const written = (id: string) => sampleWorkbook(catalogues, id, { review: true });
  cells = {
    nghiThuTc01: cellOf(written("nghi-thu"), TAB, "TC01", "D"),
    nghiHuongTc10: cellOf(written("nghi-huong"), TAB, "TC10", "D"),
    nghiHuongTc10Evidence: cellOf(written("nghi-huong"), TAB, "TC10", "G"),
  };
  await cli(["init", "ws"], {});
  // Nghi Thu types a value that is not allowed, and staff markup that must stay text.
  await editWorkbook("nghi-thu", TAB, { [cells.nghiThuTc01]: "<script>alert(1)</script>" });
});
afterAll(async () => {
  await smtp.close();
  await rm(dir, { recursive: true, force: true });
});

describe("tieuchi report over SMTP", () => {
  it("delivers the digest, and reports a message refused for now as failed, to be sent again later", async () => {
    smtp.refusals.set("ca.nghithu@cualo.example", { code: 450, text: "4.2.1 Mailbox busy, try again later", stage: "rcpt" });
    const first = await cli(["report", "ws"], { TIEUCHI_SMTP_URL: smtp.url });
    expect(first.code).toBe(1);
    // Sent: the digest, Nghi Hòa's feedback (its sample has one mistake), a reminder to every ward still updating a
    // programme (all seven; Nghi Thu's feedback and reminder are refused for now), and the notice that Thu Thủy asks for
    // appraisal (the review cycle, issue 12).
    expect(first.out).toContain("Thư: đã gửi 9 thư qua máy chủ thư 127.0.0.1");
    expect(first.out).toContain("2 thư lỗi");
    expect(first.out).toMatch(/✗ \[Tự đánh giá tiêu chí\] Phường Nghi Thu: 1 lỗi .*máy chủ thư từ chối \(450/u);
    expect(first.out).toContain("sẽ gửi lại ở lần chạy sau, từ 10:01 ngày 27/11/2026");

    expect(smtp.received).toHaveLength(9);
    expect((await parsed()).filter((m) => m.subject?.includes("đề nghị thẩm định")).map((m) => m.subject)).toEqual([
      "[Tự đánh giá tiêu chí] Phường Thu Thủy đề nghị thẩm định “Công an phường điển hình, kiểu mẫu” (tuần 48/2026)",
    ]);
    const digest = (await parsed()).find((m) => m.subject?.startsWith("[Tự đánh giá tiêu chí] tuần"));
    expect(digest!.subject).toBe("[Tự đánh giá tiêu chí] tuần 48/2026: Công an phường điển hình, kiểu mẫu 2/7 phường đạt đủ; Phường điển hình phong trào toàn dân BVANTQ 2/7");
    expect(digest!.to?.map((a) => a.address)).toEqual(["lanhdao@cualo.example"]);
    expect(digest!.cc?.map((a) => a.address)).toEqual(["doithammuu@cualo.example"]);
    expect(digest!.text).toContain("Nghi Hương: 18/22 (81,8%)");
    expect(digest!.html).toContain('src="cid:chart-1"');
    expect(digest!.html).toContain('src="cid:chart-2"');
    const charts = digest!.attachments.filter((a) => a.mimeType === "image/png");
    expect(charts.map((a) => a.contentId)).toEqual(["<chart-1>", "<chart-2>"]);
    expect(Buffer.from(charts[0]!.content as ArrayBuffer).subarray(1, 4).toString()).toBe("PNG");
    const key = digest!.headers.find((h) => h.key === "x-tieuchi-key")!.value;
    expect(digest!.messageId).toBe(messageIdFor(key));
  });

  it("waits for the backoff, then sends the refused messages, and the digest not again", async () => {
    smtp.refusals.clear();
    const early = await cli(["report", "ws"], { TIEUCHI_SMTP_URL: smtp.url });
    expect(early.code).toBe(0);
    expect(early.out).toContain("2 thư chờ đến giờ gửi lại");
    expect(smtp.received).toHaveLength(9);

    clock.advance(60_000);
    const second = await cli(["report", "ws"], { TIEUCHI_SMTP_URL: smtp.url });
    expect(second.code).toBe(0);
    expect(second.out).toContain("Thư: đã gửi 2 thư qua máy chủ thư");
    // The digest and the two wards with mistakes (the other reminders and the notice are the cycle's, above).
    const mails = (await parsed()).filter((m) => /tuần 48\/2026:|Nghi Hòa|Nghi Thu/u.test(m.subject ?? ""));
    expect(mails.map((m) => m.subject)).toEqual([
      "[Tự đánh giá tiêu chí] tuần 48/2026: Công an phường điển hình, kiểu mẫu 2/7 phường đạt đủ; Phường điển hình phong trào toàn dân BVANTQ 2/7",
      "[Tự đánh giá tiêu chí] Phường Nghi Hòa: 1 lỗi cần sửa trong bảng tự đánh giá (tuần 48/2026)",
      "[Tự đánh giá tiêu chí] Phường Nghi Hòa: còn 3 ngày đến hạn “Phường hoàn thành tự đánh giá, phân loại tiêu chí” (30/11/2026)",
      "[Tự đánh giá tiêu chí] Phường Nghi Thu: 1 lỗi cần sửa trong bảng tự đánh giá (tuần 48/2026)",
      "[Tự đánh giá tiêu chí] Phường Nghi Thu: còn 3 ngày đến hạn “Phường hoàn thành tự đánh giá, phân loại tiêu chí” (30/11/2026)",
    ]);
    const feedback = mails[3]!;
    expect(feedback.to?.map((a) => a.address)).toEqual(["ca.nghithu@cualo.example"]);
    expect(feedback.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(feedback.html).not.toContain("<script>");
    expect(feedback.text).toContain(`trang tính “CA phường kiểu mẫu”, ô ${cells.nghiThuTc01}, tiêu chí TC01.\n   Giá trị “<script>alert(1)</script>” không hợp lệ`);
  });

  it("sends nothing when nothing changed, and a new digest when the figures change", async () => {
    const third = await cli(["report", "ws"], { TIEUCHI_SMTP_URL: smtp.url });
    expect(third.out).toContain("Thư: đã gửi 0 thư qua máy chủ thư 127.0.0.1");
    expect(third.out).toContain("11 thư đã gửi trước đó nên bỏ qua");
    expect(smtp.received).toHaveLength(11);

    await editWorkbook("nghi-huong", TAB, { [cells.nghiHuongTc10]: "Đạt", [cells.nghiHuongTc10Evidence]: "Kế hoạch số 20/KH-CAP ngày 01/11/2023" });
    const fourth = await cli(["report", "ws"], { TIEUCHI_SMTP_URL: smtp.url });
    expect(fourth.out).toContain("Thư: đã gửi 1 thư qua máy chủ thư");
    const last = (await parsed()).at(-1)!;
    expect(last.text).toContain("Nghi Hương: 19/22");
  });

  it("writes the town reports, ward notices and the sample's tờ trình (Nghi Tân appraised 22/22) as printable HTML and editable DOCX", async () => {
    const reports = join(dir, "ws", "out", "reports", "2026-W48");
    const names = ["bao-cao-ca-phuong-dien-hinh", "bao-cao-phuong-bao-ve-antq", "phuong-nghi-hai", "phuong-nghi-hoa", "phuong-nghi-huong", "phuong-nghi-tan", "phuong-nghi-thu", "phuong-nghi-thuy", "phuong-thu-thuy", "to-trinh-ca-phuong-dien-hinh"];
    expect((await readdir(reports)).sort()).toEqual(names.flatMap((n) => [`${n}.docx`, `${n}.html`]));
    const town = await readFile(join(reports, "bao-cao-ca-phuong-dien-hinh.html"), "utf8");
    expect(town).toContain("@page { size: A4 portrait; margin: 20mm 15mm 20mm 30mm;");
    expect(town).toContain("Cửa Lò, ngày 27 tháng 11 năm 2026");
    const ward = await readFile(join(reports, "phuong-nghi-thu.html"), "utf8");
    expect(ward).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(ward).not.toContain("<script>");
  });
});

describe("tieuchi report without SMTP", () => {
  it("writes each message once into the outbox as .eml", async () => {
    const outbox = join(dir, "ws2", "out", "outbox");
    await cli(["init", "ws2"], {});
    const first = await cli(["report", "ws2"], {});
    expect(first.out).toContain("vào thư mục ws2/out/outbox/ (chưa cấu hình máy chủ thư nên chưa gửi đi");
    const files = (await readdir(outbox)).sort();
    // The digest, Nghi Hòa's feedback, seven reminders (every ward still updates a programme) and the Thu Thủy notice.
    expect(files.map((f) => f.split("-")[0])).toEqual(["digest", "feedback", ...Array<string>(7).fill("reminder"), "review"]);
    const mail = await PostalMime.parse(await readFile(join(outbox, files[0]!)));
    expect(mail.subject).toMatch(/^\[Tự đánh giá tiêu chí\] tuần 48\/2026: /u);
    await cli(["report", "ws2"], {});
    expect((await readdir(outbox)).sort()).toEqual(files);
  });

  it("--dry-run writes nothing and sends nothing", async () => {
    await cli(["init", "ws3"], {});
    const dry = await cli(["report", "ws3", "--dry-run", "--period", "2026-W49"], {});
    expect(dry.code).toBe(0);
    expect(dry.out).toContain("[Chạy thử] Sẽ gửi 10 thư (không gửi, không ghi sổ):");
    expect(existsSync(join(dir, "ws3", "out"))).toBe(false);
    expect(existsSync(join(dir, "ws3", ".tieuchi"))).toBe(false);
  });
});
