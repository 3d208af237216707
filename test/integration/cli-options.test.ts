/**
 * Command-line mistakes as staff type them: each answered in Vietnamese with the valid
 * choices, exit code 2, through `main()`.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../scripts/tieuchi.js";

const clock = { now: () => new Date("2026-11-27T03:00:00Z") };
let dir = "";

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(args, { env: {}, cwd: dir, stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } }, clock);
  return { code, out, err };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tieuchi-cli-options-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("CLI option errors", () => {
  it.each([
    ["an unknown command", ["chek", "ws"], "Lỗi: không có lệnh “chek”; có phải “check”? Các lệnh: init, check, run, report, start, provision, watch, auth, doctor, close, reopen, status, trail, help."],
    ["a command typed as an option", ["--report"], "Lỗi: không có lệnh “--report”; có phải “report”?"],
    ["a mistyped option", ["check", "a.xlsx", "--jsonn"], "Lỗi: lệnh check không có tham số “--jsonn”; có phải “--json”? Các tham số của lệnh check: --json, --config TỆP."],
    ["an option of another command", ["run", "--dry-run"], "Lỗi: lệnh run không có tham số “--dry-run”. Lệnh run không có tham số nào bắt đầu bằng “--”."],
    ["a short option", ["report", "-n"], "Các tham số của lệnh report: --period KỲ, --dry-run."],
    ["--period without its value", ["report", "--period"], "Lỗi: thiếu giá trị sau “--period”: ghi --period KỲ, ví dụ --period 2026-11."],
    ["--period followed by another option", ["report", "--period", "--dry-run"], "thiếu giá trị sau “--period”"],
    ["--config without its value", ["check", "a.xlsx", "--config"], "Lỗi: thiếu giá trị sau “--config”: ghi --config TỆP, ví dụ --config tieuchi.config.yaml."],
    ["a month that does not exist", ["report", "--period", "2026-13"], "Lỗi: năm 2026 không có tháng 13. Các dạng dùng được: tuần: 2026-W48 hoặc “tuần 48/2026”; tháng: 2026-11 hoặc “tháng 11/2026”; quý: 2026-Q4 hoặc “quý IV/2026”"],
    ["a quarter that does not exist", ["report", "--period", "quý 5/2026"], "Lỗi: năm 2026 không có quý 5."],
    ["a date for --period", ["report", "--period=27/11/2026"], "Lỗi: kỳ “27/11/2026” không đúng dạng. Các dạng dùng được: "],
    ["a week the year does not have", ["report", "--period", "2026-W54"], "Lỗi: năm 2026 không có tuần 54"],
    ["a value given to a switch", ["check", "a.xlsx", "--json=yes"], "Lỗi: tham số “--json” không nhận giá trị: chỉ ghi “--json”."],
    ["two folders", ["run", "ws", "ws2"], "Lỗi: thừa “ws2”: lệnh run chỉ nhận [THƯ_MỤC] (cách dùng: tieuchi run [THƯ_MỤC])."],
    ["an option of start", ["start", "--watch"], "Lỗi: lệnh start không có tham số “--watch”."],
  ])("%s", async (_label, args, expected) => {
    const result = await cli(args);
    expect(result.code).toBe(2);
    expect(result.out).toBe("");
    expect(result.err).toContain(expected);
    expect(result.err).toContain("Gõ “tieuchi help” để xem cách dùng.");
    expect(result.err).not.toMatch(/Unknown|argument missing|ERR_PARSE_ARGS|ENOENT/u);
  });

  it("prints the usage for --help after a command", async () => {
    const result = await cli(["report", "--help"]);
    expect(result).toMatchObject({ code: 0, err: "" });
    expect(result.out).toContain("--period KỲ");
  });

  it("accepts --period in lower case and --name=value", async () => {
    const result = await cli(["report", "nowhere", "--period=2026-w48", "--dry-run"]);
    expect(result.err).not.toContain("kỳ");
    expect(result.err).toContain("không có tệp này"); // the config is missing, said without ENOENT
  });

  it("reports a YAML syntax error of the config in Vietnamese with its line and column", async () => {
    await writeFile(join(dir, "tieuchi.config.yaml"), "agency:\n  parent: Công an tỉnh Nghệ An\n  parent: Công an tỉnh Hà Tĩnh\nwards:\n\t- id: a\n");
    const result = await cli(["run", "."]);
    expect(result.code).toBe(2);
    expect(result.err.split("\n").slice(1, 3)).toEqual([
      "  - dòng 3, cột 3: khóa “parent” bị lặp: trong cùng một mục mỗi khóa chỉ được ghi một lần; hãy xóa hoặc gộp dòng lặp",
      "  - dòng 5, cột 1: không dùng phím Tab để thụt lề, hãy dùng dấu cách (mỗi cấp 2 dấu cách)",
    ]);
  });

  it("names an unknown built-in catalogue with the ones that exist", async () => {
    await writeFile(
      join(dir, "tieuchi.config.yaml"),
      `agency: { parent: A, issuer: B, documentCode: C, place: D, signer: { authority: E, name: F } }
programmes: [{ id: x, catalogue: "builtin:ca-phuong" }]
wards: [{ id: a, name: A }]
`,
    );
    const result = await cli(["run", "."]);
    expect(result.code).toBe(2);
    expect(result.err).toContain("programmes[0].catalogue: không có bộ tiêu chí có sẵn “builtin:ca-phuong”; các bộ có sẵn: builtin:ca-phuong-dien-hinh, builtin:phuong-bao-ve-antq");
  });
});
