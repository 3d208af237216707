/**
 * A town where some wards sent files that cannot be read (a password, a zip bomb, a huge
 * paste), through `tieuchi run`: each of those wards gets its own reason in its feedback
 * file, and every other ward is processed as usual.
 */
import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../scripts/tieuchi.js";
import { hugePaste, zipBomb } from "../../scripts/hostile-workbooks.js";
import { DEFAULT_READ_LIMITS } from "../../functions/adapters/local/zip-entries.js";
import { corpusFile } from "../fixtures/corpus-manifest.js";

const clock = { now: () => new Date("2026-11-27T03:00:00Z") };
let dir: string;

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(args, { env: {}, cwd: dir, stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } }, clock);
  return { code, out, err };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tieuchi-corpus-town-"));
  expect((await cli(["init", "ws"])).code).toBe(0);
  const wards = join(dir, "ws", "wards");
  const base = await readFile(join(wards, "nghi-tan.xlsx"));
  await copyFile(corpusFile("password.xlsx"), join(wards, "nghi-thu.xlsx"));
  await writeFile(join(wards, "thu-thuy.xlsx"), await zipBomb(base, DEFAULT_READ_LIMITS.inflatedBytes + 1024));
  await writeFile(join(wards, "nghi-tan.xlsx"), await hugePaste(base, 200_000));
  await copyFile(corpusFile("op-comments.xlsx"), join(wards, "nghi-huong.xlsx"));
}, 60_000);

afterAll(() => rm(dir, { recursive: true, force: true }));

describe("tieuchi run over unreadable and hostile ward files", () => {
  it("gives each unreadable ward its own reason and processes the others", async () => {
    const result = await cli(["run", "ws"]);
    expect(result.code).toBe(1);
    const feedback = (id: string) => readFile(join(dir, "ws", "out", "kiem-tra", `${id}.txt`), "utf8");
    expect(await feedback("nghi-thu")).toContain("Không đọc được tệp wards/nghi-thu.xlsx: tệp được đặt mật khẩu");
    expect(await feedback("nghi-thu")).toContain("gỡ mật khẩu");
    expect(await feedback("thu-thuy")).toContain("tệp quá lớn");
    expect(await feedback("nghi-tan")).toMatch(/trang tính “CA phường kiểu mẫu” có 200\.\d{3} dòng \(tối đa 5\.000\)/u);
    const toFix = result.out.split("\n").find((l) => l.startsWith("Phường có lỗi cần sửa:")) ?? "";
    for (const name of ["Nghi Thu", "Thu Thủy", "Nghi Tân"]) expect(toFix).toContain(`${name} (không đọc được tệp)`);
    // A workbook with openpyxl comments (which exceljs alone rejects) is read like any other.
    expect(result.out).toMatch(/Nghi Hương\s+18\/22\s+34\/34/u);
    expect(result.out).toMatch(/Nghi Hòa\s+15\/22\s+27\/34/u);
  }, 60_000);
});
