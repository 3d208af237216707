import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../scripts/tieuchi.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tieuchi-start-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function waitFor(predicate: () => boolean, timeoutMs: number): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("tieuchi start", () => {
  it("creates the sample workspace, prints the table, and reprocesses a saved workbook", async () => {
    let out = "";
    let stop!: () => void;
    const stopSignal = new Promise<void>((resolve) => (stop = resolve));
    const running = main(["start"], { env: {}, cwd: dir, stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (out += t) }, stopSignal });

    await waitFor(() => out.includes("Đang theo dõi"), 20_000);
    expect(out).toContain("Đã tạo thư mục làm việc mẫu");
    expect(out).toMatch(/Nghi Hương\s+18\/22\s+34\/34 ✓/u);

    // Staff mark TC10 as met (with evidence) and save, as Excel would.
    const file = join(dir, "workspace", "wards", "nghi-huong.xlsx");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const sheet = workbook.getWorksheet("CA phường kiểu mẫu")!;
    const row = sheet.getColumn(2).values.findIndex((v) => v === "TC10");
    sheet.getCell(`D${row}`).value = "Đạt";
    sheet.getCell(`G${row}`).value = "Kế hoạch số 20/KH-CAP ngày 01/11/2023";
    await workbook.xlsx.writeFile(file);

    await waitFor(() => out.includes("Đã kiểm tra lại"), 10_000);
    const after = out.slice(out.indexOf("Đã kiểm tra lại"));
    expect(after).toContain("nghi-huong.xlsx");
    expect(after).toMatch(/Nghi Hương\s+19\/22\s+34\/34 ✓/u);

    // The admin edits the config: a broken one is reported and the last good one kept…
    const configFile = join(dir, "workspace", "tieuchi.config.yaml");
    const config = await readFile(configFile, "utf8");
    const before = out.length;
    await writeFile(configFile, config.replace("email: ca.nghithu@cualo.example", "email: khong-phai-email"));
    await waitFor(() => out.slice(before).includes("vẫn dùng cấu hình trước đó"), 10_000);
    expect(out.slice(before)).toContain("wards[4].contacts[0].email");
    // …and a good one is reloaded, and every ward processed again with it.
    const reloaded = out.length;
    await writeFile(configFile, config.replace("name: Nghi Thu\n    aliases: []", "name: Nghi Thu\n    aliases: [CAP Nghi Thu]"));
    await waitFor(() => out.slice(reloaded).includes("đã nạp lại tieuchi.config.yaml"), 10_000);
    expect(out.slice(reloaded)).toMatch(/Nghi Hương\s+19\/22/u);

    stop();
    expect(await running).toBe(0);
  });
});
