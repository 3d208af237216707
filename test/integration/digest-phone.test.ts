/**
 * The leadership digest as it arrives: `tieuchi report` in-process against a real SMTP server,
 * the raw message parsed with postal-mime. The From address is the one `init` wrote, the
 * subject names each programme, the town reports (PDF, or .docx without Chromium) and the ward
 * table (.xlsx) are attached, no file:// link is in the body, and a monthly schedule or
 * `--period "quý IV/2026"` labels the period in words.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import PostalMime from "postal-mime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../scripts/tieuchi.js";
import { findChromium } from "../../functions/adapters/local/document-files.js";
import { manualClock } from "../fakes/clock.js";
import { type FakeSmtp, startFakeSmtp } from "../fakes/smtp.js";

const clock = manualClock("2026-11-27T03:00:00Z");
let dir: string;
let smtp: FakeSmtp;

async function cli(args: string[], chromium = ""): Promise<{ code: number; out: string }> {
  let out = "";
  const write = { write: (t: string) => (out += t) };
  const code = await main(args, { env: { TIEUCHI_CHROMIUM: chromium, TIEUCHI_SMTP_URL: smtp.url }, cwd: dir, stdout: write, stderr: write }, clock);
  return { code, out };
}

const CHROMIUM = findChromium({});

async function digests() {
  const parsed = await Promise.all(smtp.received.map((m) => PostalMime.parse(m.raw)));
  return parsed.filter((m) => m.to?.some((t) => t.address === "lanhdao@cualo.example"));
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tieuchi-digest-"));
  smtp = await startFakeSmtp();
  expect((await cli(["init", "ws"])).code).toBe(0);
}, 60_000);
afterAll(async () => {
  await smtp.close();
  await rm(dir, { recursive: true, force: true });
});

describe("the digest on a leader's phone", () => {
  it("comes from the office's address with each programme in the subject and the ward table attached", async () => {
    const run = await cli(["report", "ws"]);
    expect(run.code, run.out).toBe(0);
    const [digest] = await digests();
    expect(digest!.from).toEqual({ address: "tieuchi@catx-cualo.gov.vn", name: "Công an thị xã Cửa Lò" });
    expect(digest!.subject).toBe("[Tự đánh giá tiêu chí] tuần 48/2026: Công an phường điển hình, kiểu mẫu 2/7 phường đạt đủ; Phường điển hình phong trào toàn dân BVANTQ 2/7");
    expect(digest!.html).toContain("<p>Kính gửi: Lãnh đạo Công an thị xã Cửa Lò</p>");
    expect(digest!.html! + digest!.text!).not.toMatch(/file:|[/\\]out[/\\]reports/u);
    // No Chromium, so no PDF: the editable .docx goes instead.
    expect(digest!.text).toContain("Báo cáo đầy đủ: tệp đính kèm “bao-cao-ca-phuong-dien-hinh.docx”.");
    expect(digest!.attachments.filter((a) => a.filename?.endsWith(".docx")).map((a) => a.filename).sort()).toEqual(["bao-cao-ca-phuong-dien-hinh.docx", "bao-cao-phuong-bao-ve-antq.docx"]);
    const table = digest!.attachments.find((a) => a.filename === "bang-tong-hop-2026-W48.xlsx");
    expect(table?.mimeType).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(table!.content as ArrayBuffer);
    expect(book.worksheets[0]!.rowCount).toBe(1 + 7 * 2);
    expect(digest!.attachments.filter((a) => a.mimeType === "image/png").map((a) => a.contentId)).toEqual(["<chart-1>", "<chart-2>"]);
  }, 120_000);

  it("labels a monthly schedule and a quarter asked for in words", async () => {
    const config = join(dir, "ws", "tieuchi.config.yaml");
    await writeFile(config, (await readFile(config, "utf8")).replace("  period: week\n", "  period: month\n"));
    smtp.received.length = 0;
    const monthly = await cli(["report", "ws"]);
    expect(monthly.code, monthly.out).toBe(0);
    expect(monthly.out).toContain("báo cáo tháng 11/2026");
    expect((await digests())[0]!.subject).toMatch(/^\[Tự đánh giá tiêu chí\] tháng 11\/2026: /u);
    smtp.received.length = 0;
    const quarter = await cli(["report", "ws", "--period", "quý IV/2026", "--dry-run"]);
    expect(quarter.code, quarter.out).toBe(0);
    expect(quarter.out).toContain("[Tự đánh giá tiêu chí] quý IV/2026: ");
    // Keys name folders (file-safe); the words people read never show one.
    expect(quarter.out.replace(/out\/reports\/2026-Q4\//gu, "")).not.toMatch(/2026-Q4|2026-11\b/u);
  }, 120_000);

  it("refuses a period that is not one, listing the forms in Vietnamese", async () => {
    const wrong = await cli(["report", "ws", "--period", "quý 5/2026"]);
    expect(wrong.code).not.toBe(0);
    expect(wrong.out).toContain("năm 2026 không có quý 5");
    expect(wrong.out).toContain("quý: 2026-Q4 hoặc “quý IV/2026”");
  }, 60_000);

  it.skipIf(CHROMIUM === null)("attaches both town reports as PDF when Chromium printed them, under 1 MB", async () => {
    expect((await cli(["init", "ws-pdf"])).code).toBe(0);
    smtp.received.length = 0;
    const run = await cli(["report", "ws-pdf"], CHROMIUM!);
    expect(run.code, run.out).toBe(0);
    const raw = smtp.received.find((m) => m.recipients.includes("lanhdao@cualo.example"))!.raw;
    expect(raw.length).toBeLessThan(1_000_000);
    const digest = await PostalMime.parse(raw);
    const pdfs = digest.attachments.filter((a) => a.mimeType === "application/pdf");
    expect(pdfs.map((a) => a.filename).sort()).toEqual(["bao-cao-ca-phuong-dien-hinh.pdf", "bao-cao-phuong-bao-ve-antq.pdf"]);
    expect(Buffer.from(pdfs[0]!.content as ArrayBuffer).subarray(0, 5).toString()).toBe("%PDF-");
    expect(digest.text).toContain("Báo cáo đầy đủ: tệp đính kèm “bao-cao-ca-phuong-dien-hinh.pdf”.");
  }, 240_000);
});
