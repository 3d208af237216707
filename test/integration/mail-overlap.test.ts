/**
 * Fault tests of the local report's mail against a real SMTP server: two reports at once on
 * one workspace, a permanent refusal (552) and a temporary one (451).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../scripts/tieuchi.js";
import { manualClock } from "../fakes/clock.js";
import { acceptedIds, type FakeSmtp, startFakeSmtp } from "../fakes/smtp.js";

const clock = manualClock("2026-11-27T03:00:00Z");
let dir: string;
let smtp: FakeSmtp;

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = "";
  const write = { write: (t: string) => (out += t) };
  const code = await main(args, { env: { TIEUCHI_CHROMIUM: "", TIEUCHI_SMTP_URL: smtp.url }, cwd: dir, stdout: write, stderr: write }, clock);
  return { code, out };
}

async function breakWorkbooks(ws: string, wards: readonly string[]): Promise<void> {
  for (const ward of wards) {
    const file = join(dir, ws, "wards", `${ward}.xlsx`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const sheet = workbook.getWorksheet("CA phường kiểu mẫu")!;
    sheet.eachRow((row) => {
      if (row.getCell(2).value === "TC01") row.getCell(4).value = "Có lẽ"; // TC01's Kết quả, wherever the layout puts its row
    });
    await workbook.xlsx.writeFile(file);
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tieuchi-overlap-"));
});
afterEach(() => smtp?.close());
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("two reports at once on one workspace", () => {
  it("get each message accepted exactly once; the second run leaves what the first is sending", async () => {
    smtp = await startFakeSmtp({ dataDelayMs: 40 });
    await cli(["init", "ws"]);
    await breakWorkbooks("ws", ["nghi-thu", "nghi-hai", "nghi-tan"]);

    const [one, other] = await Promise.all([cli(["report", "ws"]), cli(["report", "ws"])]);

    expect([one.code, other.code]).toEqual([0, 0]);
    const ids = acceptedIds(smtp.received);
    expect(ids.length).toBeGreaterThanOrEqual(5);
    expect(new Set(ids).size).toBe(ids.length);
    const third = await cli(["report", "ws"]);
    expect(third.out).toContain(`Thư: đã gửi 0 thư qua máy chủ thư 127.0.0.1`);
    expect(third.out).toContain(`${ids.length} thư đã gửi trước đó nên bỏ qua`);
    expect(smtp.received).toHaveLength(ids.length);
  });
});

describe("refusals", () => {
  it("a permanent 552 is reported once with exit 1, then skipped with exit 0 and not sent again", async () => {
    smtp = await startFakeSmtp();
    await cli(["init", "ws552"]);
    smtp.refusals.set("lanhdao@cualo.example", { code: 552, text: "5.3.4 Message size exceeds fixed maximum message size", stage: "data" });

    const first = await cli(["report", "ws552"]);
    expect(first.code).toBe(1);
    expect(first.out).toMatch(/✗ \[Tự đánh giá tiêu chí\] tuần 48\/2026: .*máy chủ thư từ chối \(552 5\.3\.4 Message size exceeds/u);
    expect(first.out).toContain("máy chủ thư từ chối hẳn: không gửi lại thư này cho đến khi nội dung thay đổi");
    const accepted = smtp.received.length;

    smtp.refusals.clear();
    clock.advance(2 * 3600_000);
    const second = await cli(["report", "ws552"]);
    expect(second.code).toBe(0);
    // Two letters go to lanhdao@: the digest and the notice of the sample's “Đề nghị thẩm định” (Thu Thủy).
    expect(second.out).toContain("2 thư máy chủ thư đã từ chối hẳn ở lần chạy trước (đã báo) nên không gửi lại");
    expect(second.out).not.toContain("✗");
    expect(smtp.received).toHaveLength(accepted);
  });

  it("a temporary 451 is retried only after its backoff", async () => {
    smtp = await startFakeSmtp();
    await cli(["init", "ws451"]);
    smtp.refusals.set("lanhdao@cualo.example", { code: 451, text: "4.3.0 Local error in processing", stage: "data" });

    const first = await cli(["report", "ws451"]);
    expect(first.code).toBe(1);
    expect(first.out).toMatch(/✗ \[Tự đánh giá tiêu chí\] tuần.*\(451 4\.3\.0 Local error in processing\) \(sẽ gửi lại ở lần chạy sau, từ /u);
    smtp.refusals.clear();
    const accepted = smtp.received.length;

    const early = await cli(["report", "ws451"]);
    expect(early.code).toBe(0);
    expect(early.out).toContain("2 thư chờ đến giờ gửi lại"); // the digest and the “Đề nghị thẩm định” notice
    expect(smtp.received).toHaveLength(accepted);

    clock.advance(60_000);
    const due = await cli(["report", "ws451"]);
    expect(due.code).toBe(0);
    expect(due.out).toContain("Thư: đã gửi 2 thư qua máy chủ thư");
    expect(smtp.received).toHaveLength(accepted + 2);
  });
});
