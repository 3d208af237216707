/**
 * Bounded cost for hostile workbooks: a zip bomb, a header that lies about its size, a huge
 * paste, too many cells, a file too big. Each is refused with one Vietnamese reason saying
 * what happened and what to do, and the other wards of the town are still processed.
 */
import { readFile } from "node:fs/promises";
import { beforeAll, describe, expect, it } from "vitest";
import { processWard } from "../../../functions/app/run-town.js";
import type { WardConfig } from "../../../functions/config.js";
import { SheetsReadError, type SheetsReadKind } from "../../../functions/errors.js";
import { readXlsxBuffer } from "../../../functions/adapters/local/xlsx-reader.js";
import { DEFAULT_READ_LIMITS, type ReadLimits } from "../../../functions/adapters/local/zip-entries.js";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { hugePaste, withDeclaredSize, zipBomb } from "../../../scripts/hostile-workbooks.js";
import { builtinCatalogues } from "../../fixtures/workbooks.js";
import { corpusFile } from "../../fixtures/corpus-manifest.js";

const SMALL: ReadLimits = { fileBytes: 1024 * 1024, declaredBytes: 8 * 1024 * 1024, inflatedBytes: 2 * 1024 * 1024, rowsPerTab: 500, cells: 300 };
// openpyxl's layout of the sample: sheet2.xml is "CA phường kiểu mẫu".
const P1_PART = "xl/worksheets/sheet2.xml";
let base: Buffer;
let catalogues: Catalogue[];

beforeAll(async () => {
  base = await readFile(corpusFile("op-plain.xlsx"));
  catalogues = await builtinCatalogues();
});

async function refusal(data: Buffer, limits: ReadLimits = DEFAULT_READ_LIMITS): Promise<{ kind: SheetsReadKind; message: string }> {
  const error = await readXlsxBuffer(data, "nghi-thu.xlsx", limits).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof SheetsReadError)) throw new Error(`expected a SheetsReadError, got ${String(error)}`);
  return { kind: error.kind, message: error.message };
}

describe("reading limits", () => {
  it("reads the base workbook within the small limits used below", async () => {
    expect((await readXlsxBuffer(base, "nghi-thu.xlsx", { ...SMALL, cells: 20_000 })).sheets).toHaveLength(3);
  });

  it("refuses a zip bomb while inflating, with the default limits", async () => {
    const bomb = await zipBomb(base, DEFAULT_READ_LIMITS.inflatedBytes + 1024 * 1024);
    expect(bomb.length).toBeLessThan(200 * 1024);
    const { kind, message } = await refusal(bomb);
    expect(kind).toBe("too-large");
    expect(message).toMatch(/^Không đọc được tệp nghi-thu\.xlsx: tệp quá lớn: khi giải nén, nội dung vượt 48 MB/u);
    expect(message).toContain("Hãy xóa các dòng thừa bên dưới bảng");
  });

  it("catches a header that says an entry is small while it inflates past the limit", async () => {
    const bomb = withDeclaredSize(await zipBomb(base, 3 * 1024 * 1024), P1_PART, 1_000);
    expect((await refusal(bomb, SMALL)).kind).toBe("too-large");
  });

  it("refuses from the central directory alone when the declared sizes are too large", async () => {
    const declared = withDeclaredSize(base, "xl/theme/theme1.xml", 9 * 1024 * 1024);
    const { kind, message } = await refusal(declared, SMALL);
    expect(kind).toBe("too-large");
    expect(message).toContain("tệp quá lớn: khi giải nén, nội dung là 9,");
    expect(message).toContain("MB (tối đa 8 MB)");
  });

  it("names the tab and the row count of a huge paste, and says to delete the rows", async () => {
    const { kind, message } = await refusal(await hugePaste(base, 200_000));
    expect(kind).toBe("too-many-rows");
    expect(message).toBe(
      "Không đọc được tệp nghi-thu.xlsx: trang tính “CA phường kiểu mẫu” có 200.031 dòng (tối đa 5.000). Hãy xóa hẳn các dòng thừa bên dưới bảng (chọn các dòng, bấm chuột phải → Xóa, không chỉ xóa nội dung), rồi lưu lại.",
    );
  });

  it("refuses too many cells over the whole workbook", async () => {
    expect(await refusal(base, SMALL)).toMatchObject({ kind: "too-many-rows", message: expect.stringContaining("quá nhiều ô dữ liệu (hơn 300 ô)") });
  });

  it("refuses a file larger than the limit before opening it", async () => {
    const { kind, message } = await refusal(base, { ...SMALL, fileBytes: 10 * 1024 });
    expect(kind).toBe("too-large");
    expect(message).toContain("nghi-thu.xlsx: tệp quá lớn (");
  });

  it("still processes the other wards of the town when one ward's file is a bomb", async () => {
    const bomb = await zipBomb(base, DEFAULT_READ_LIMITS.inflatedBytes + 1024);
    const wards: WardConfig[] = [
      { id: "nghi-thu", name: "Nghi Thu", aliases: [], contacts: [] },
      { id: "nghi-huong", name: "Nghi Hương", aliases: [], contacts: [] },
    ];
    const files: Record<string, Buffer> = { "nghi-thu": bomb, "nghi-huong": base };
    const runs = await Promise.all(wards.map((w) => processWard(w, catalogues, { read: (ward) => readXlsxBuffer(files[ward.id]!, `tệp ${ward.id}.xlsx`) })));
    expect(runs.map((r) => r.outcome.status)).toEqual(["unreadable", "ok"]);
    expect(runs[0]!.outcome.reason).toContain("tệp quá lớn");
    expect(runs[1]!.outcome.scores.map((s) => s.met)).toEqual([18, 34]);
  });
});
