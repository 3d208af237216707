import { createHash } from "node:crypto";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../scripts/tieuchi.js";
import { builtinCatalogues, cellOf, sampleWorkbook } from "../fixtures/workbooks.js";

const run = promisify(execFile);
const clock = { now: () => new Date("2026-11-27T03:00:00Z") };
let dir: string;
let ws: string;
const CAP = "CA phường kiểu mẫu";
const ANTQ = "Phong trào toàn dân BVANTQ";
/** A criterion's cell in the workbook `init` writes for a ward (found by code: the layout moves, a literal address would not). */
let at: (ward: string, tab: string, code: string, column: "C" | "D" | "E" | "G") => string;

/** Run the CLI in-process, capturing what it prints. */
async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(args, { env, cwd: dir, stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } }, clock);
  return { code, out, err };
}

async function editWorkbook(file: string, tab: string, edits: Record<string, ExcelJS.CellValue>): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const sheet = workbook.getWorksheet(tab)!;
  for (const [a1, value] of Object.entries(edits)) sheet.getCell(a1).value = value;
  await workbook.xlsx.writeFile(file);
}

async function hashes(folder: string): Promise<Record<string, string>> {
  const names = (await readdir(folder)).sort();
  return Object.fromEntries(await Promise.all(names.map(async (n) => [n, createHash("sha256").update(await readFile(join(folder, n))).digest("hex")])));
}

beforeAll(async () => {
  const catalogues = await builtinCatalogues();
  at = (ward, tab, code, column) => cellOf(sampleWorkbook(catalogues, ward, { review: true }), tab, code, column);
  dir = await mkdtemp(join(tmpdir(), "tieuchi-cli-"));
  ws = join(dir, "ws");
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("tieuchi CLI on a local workspace", () => {
  it("init writes the sample town and refuses to overwrite it", async () => {
    const first = await cli(["init", "ws"]);
    expect(first.code).toBe(0);
    expect((await readdir(join(ws, "wards"))).sort()).toEqual(["nghi-hai.xlsx", "nghi-hoa.xlsx", "nghi-huong.xlsx", "nghi-tan.xlsx", "nghi-thu.xlsx", "nghi-thuy.xlsx", "thu-thuy.xlsx"]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(join(ws, "wards", "nghi-huong.xlsx"));
    expect(workbook.worksheets.map((s) => s.name)).toEqual(["Hướng dẫn", "CA phường kiểu mẫu", "Phong trào toàn dân BVANTQ"]);
    const sheet = workbook.getWorksheet(CAP)!;
    const [result, text] = [at("nghi-huong", CAP, "TC01", "D"), at("nghi-huong", CAP, "TC01", "C")];
    expect(sheet.getCell(result).dataValidation).toMatchObject({ type: "list", formulae: ['"Đạt,Chưa đạt,Đang thực hiện"'] });
    expect(sheet.getCell(result).protection).toMatchObject({ locked: false });
    expect(sheet.getCell(text).protection?.locked ?? true).toBe(true); // locked is the default
    expect((sheet as unknown as { sheetProtection?: { sheet?: boolean } }).sheetProtection).toMatchObject({ sheet: true });
    expect(sheet.getCell(text).fill).toMatchObject({ type: "pattern", pattern: "solid" });
    const again = await cli(["init", "ws"]);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/không ghi đè/u);
  });

  it("check passes a clean sample workbook", async () => {
    const result = await cli(["check", "ws/wards/nghi-huong.xlsx", "--json"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toEqual({
      ward: "Nghi Hương",
      programmes: [
        { id: "ca-phuong-dien-hinh", met: 18, total: 22, recognised: false },
        { id: "phuong-bao-ve-antq", met: 34, total: 34, recognised: true },
      ],
      findings: [],
    });
  });

  it("check reports mistakes typed with exceljs at their cells, exit 1, without touching the file", async () => {
    const file = join(ws, "wards", "nghi-thu.xlsx");
    const cells = { result: at("nghi-thu", CAP, "TC01", "D"), evidence: at("nghi-thu", CAP, "TC02", "G"), points: at("nghi-thu", ANTQ, "TC25", "E"), error: at("nghi-thu", ANTQ, "TC02", "D") };
    await editWorkbook(file, CAP, { [cells.result]: "dat roi", [cells.evidence]: null, C3: "Nghi Hương" });
    await editWorkbook(file, ANTQ, { [cells.points]: "11", [cells.error]: { formula: "1/0", result: { error: "#DIV/0!" } } as ExcelJS.CellValue });
    const before = await hashes(join(ws, "wards"));
    const result = await cli(["check", "ws/wards/nghi-thu.xlsx", "--json"]);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.out) as { findings: Array<Record<string, unknown>> };
    expect(report.findings.map((f) => `${f.tab}!${f.cell} ${f.code}`)).toEqual([
      `${CAP}!C3 ward-mismatch`,
      `${CAP}!${cells.result} result-invalid`,
      `${CAP}!${cells.evidence} evidence-missing`,
      `${ANTQ}!${cells.error} cell-error-value`,
      `${ANTQ}!${cells.points} points-out-of-range`,
    ]);
    expect(Object.keys(report.findings[0]!)).toEqual(["severity", "tab", "cell", "criterion", "code", "message"]);
    expect(report.findings[1]!.message).toBe("Giá trị “dat roi” không hợp lệ ở cột Kết quả. Hãy chọn một trong các giá trị: Đạt, Chưa đạt, Đang thực hiện.");
    expect(report.findings[4]!.message).toBe("Điểm tự chấm 11 nằm ngoài khoảng cho phép. Hãy nhập một số từ 0 đến 10.");
    expect(await hashes(join(ws, "wards"))).toEqual(before);

    const human = await cli(["check", "ws/wards/nghi-thu.xlsx"]);
    expect(human.code).toBe(1);
    expect(human.out).toContain(`[Lỗi] Trang tính “CA phường kiểu mẫu”, ô ${cells.result}, tiêu chí TC01: Giá trị “dat roi” không hợp lệ`);
  });

  it("check exits 2 with one line for a file it cannot read", async () => {
    await writeFile(join(dir, "broken.xlsx"), "this is not a zip");
    const broken = await cli(["check", "broken.xlsx"]);
    expect(broken).toMatchObject({ code: 2, out: "" });
    expect(broken.err.trim().split("\n")).toEqual([
      "Lỗi: Không đọc được tệp broken.xlsx: đây không phải bảng tính Excel (.xlsx). Hãy mở tệp bằng Excel, chọn Tệp → Lưu thành và Lưu lại dưới dạng .xlsx (Excel Workbook), rồi thay tệp này bằng tệp mới.",
    ]);
    const missing = await cli(["check", "nothing.xlsx"]);
    expect(missing.code).toBe(2);
    expect(missing.err.trim()).toBe("Lỗi: Không đọc được tệp nothing.xlsx: không tìm thấy tệp này. Hãy kiểm tra tên tệp và đường dẫn (gõ đúng cả dấu và đuôi .xlsx), hoặc chạy lệnh ngay trong thư mục chứa tệp.");
  });

  it("run processes every ward, writes summary.json/csv and findings files, and changes no workbook", async () => {
    const before = await hashes(join(ws, "wards"));
    const result = await cli(["run", "ws"]);
    expect(result.code).toBe(1); // Nghi Thu still has the mistakes typed above
    expect(result.out).toMatch(/Nghi Thu\s+17\/22\s+27\/34\s+5/u);
    expect(result.out).toContain("Phường có lỗi cần sửa: Nghi Hòa (1), Nghi Thu (5)");
    const summary = JSON.parse(await readFile(join(ws, "out", "summary.json"), "utf8")) as { programmes: Array<{ id: string; name: string; criteria: number; wards: Array<Record<string, unknown>> }> };
    expect(summary.programmes.map((p) => [p.id, p.criteria, p.wards.length])).toEqual([["ca-phuong-dien-hinh", 22, 7], ["phuong-bao-ve-antq", 34, 7]]);
    expect(summary.programmes[0]!.wards.find((w) => w.id === "nghi-thu")).toMatchObject({ name: "Nghi Thu", met: 17, total: 22, recognised: false, errors: 3 });
    expect(await readFile(join(ws, "out", "summary.csv"), "utf8")).toContain("nghi-thu,Nghi Thu,17,22");
    const letter = await readFile(join(ws, "out", "kiem-tra", "nghi-thu.txt"), "utf8");
    expect(letter).toContain(`Trang tính “Phong trào toàn dân BVANTQ”, ô ${at("nghi-thu", ANTQ, "TC25", "E")}, tiêu chí TC25`);
    expect(await hashes(join(ws, "wards"))).toEqual(before);
  });

  it("lists every config problem with its path and exits 2", async () => {
    const bad = join(dir, "bad");
    await cli(["init", "bad"]);
    const config = await readFile(join(bad, "tieuchi.config.yaml"), "utf8");
    await writeFile(join(bad, "tieuchi.config.yaml"), config.replace("email: ca.nghihai@cualo.example", "email: not-an-email").replace("id: nghi-tan", "id: Nghi Tan").replace("builtin:phuong-bao-ve-antq", "builtin:khong-co"));
    const result = await cli(["run", "bad"]);
    expect(result.code).toBe(2);
    expect(result.err).toContain("wards[0].contacts[0].email");
    expect(result.err).toContain("wards[3].id");
    expect(result.err).toContain("programmes[1].catalogue");
  });

  it("the installed launcher prints no stack trace on a bad file", async () => {
    const error = await run("node", [join(process.cwd(), "bin", "tieuchi.js"), "check", join(dir, "broken.xlsx")]).catch((e: { code: number; stderr: string }) => e);
    expect(error).toMatchObject({ code: 2 });
    expect((error as { stderr: string }).stderr).not.toMatch(/\n\s+at /u);
  });
});
