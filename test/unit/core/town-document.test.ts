/** The town report as blocks: a ward that sent nothing is never a 0, titles match their tables, leaders' tables. */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { type Snapshot, type TownSummary, type WardOutcome, aggregateTown, toSnapshot } from "../../../functions/core/aggregate-town.js";
import type { BarChartSpec, DocBlock, DocumentView, TableView, TrendChartSpec } from "../../../functions/core/document-blocks.js";
import type { DocumentSettings } from "../../../functions/core/document-frame.js";
import { type ProgrammeScore, emptyScore } from "../../../functions/core/score-ward.js";
import { buildTownDocument } from "../../../functions/core/town-document.js";
import { DOCUMENT_SETTINGS, ISSUED_AT } from "../../fixtures/documents.js";
import { degradedOutcomes, sampleOutcomes } from "../../fixtures/outcomes.js";
import { P1, P2, builtinCatalogues } from "../../fixtures/workbooks.js";

let catalogues: Catalogue[];
let good: WardOutcome[];
let degraded: WardOutcome[];
let before: Snapshot;

beforeAll(async () => {
  catalogues = await builtinCatalogues();
  good = sampleOutcomes(catalogues);
  degraded = degradedOutcomes(good, catalogues);
  before = toSnapshot(aggregateTown(good, catalogues, { period: "2026-W47", generatedAt: "2026-11-20T03:00:00.000Z", previous: null }));
  before.programmes[0]!.wards.find((w) => w.id === "nghi-huong")!.met = 15;
});

function documentOf(outcomes: readonly WardOutcome[], id = P1, options: { previous?: Snapshot | null; settings?: DocumentSettings; number?: number | null } = {}): DocumentView {
  const previous = options.previous === undefined ? before : options.previous;
  const summary: TownSummary = aggregateTown(outcomes, catalogues, { period: "2026-W48", generatedAt: "2026-11-27T03:00:00.000Z", previous });
  const programme = summary.programmes.find((p) => p.id === id)!;
  const scores = new Map(outcomes.map((o): [string, ProgrammeScore] => [o.ward.id, o.scores.find((s) => s.programmeId === id)!]));
  return buildTownDocument({
    summary, programme, catalogue: catalogues.find((c) => c.id === id)!, scores, history: previous ? [previous] : [],
    settings: options.settings ?? DOCUMENT_SETTINGS, issuedAt: ISSUED_AT, number: options.number ?? null,
  });
}

const tables = (blocks: readonly DocBlock[]): TableView[] => blocks.flatMap((b) => (b.kind === "table" ? [b.table] : []));
const tableOf = (doc: DocumentView, id: string): TableView | undefined => tables([...doc.body, ...doc.annexes.flatMap((a) => a.body)]).find((t) => t.id === id);
const text = (blocks: readonly DocBlock[]): string => blocks.flatMap((b) => (b.kind === "paragraph" ? [b.runs.map((r) => r.text).join("")] : [])).join("\n");
const charts = (doc: DocumentView): Array<BarChartSpec | TrendChartSpec> => doc.body.flatMap((b) => (b.kind === "chart" ? [b.chart] : []));
const rowOf = (table: TableView, name: string): string[] => table.body.find((r) => r[1]?.text.startsWith(name))!.map((c) => c.text);

describe("a ward without a usable workbook", () => {
  it("is a labelled gap in the bar chart and the trend, never 0", () => {
    const [bar, trend] = charts(documentOf(degraded)) as [BarChartSpec, TrendChartSpec];
    expect(bar.values[bar.categories.indexOf("Nghi Hải")]).toBeNull();
    expect(bar.values[bar.categories.indexOf("Thu Thủy")]).toBeNull();
    expect(bar.gapLabel).toBe("Chưa gửi");
    expect(trend.series.find((s) => s.name === "Nghi Hải")!.values).toEqual([20, null]);
  });

  it("has its status across its figures in the tables, and no column in the matrix", () => {
    const doc = documentOf(degraded);
    const results = tableOf(doc, "ward-results")!;
    const missing = results.body.find((r) => r[1]?.text === "Nghi Hải")!;
    expect(missing.slice(2)).toEqual([{ text: "Chưa gửi bảng tự đánh giá", align: "center", colSpan: 7, muted: true }]);
    expect(rowOf(results, "Thu Thủy").slice(2)).toEqual(["Không đọc được tệp"]);
    expect(rowOf(tableOf(doc, "group-results")!, "Nghi Hải").slice(2)).toEqual(["Chưa gửi bảng tự đánh giá"]);
    expect(tableOf(doc, "criteria-matrix")!.head[0]!.map((c) => c.text)).toEqual(["Tiêu chí", "Nghi Hòa", "Nghi Hương", "Nghi Tân", "Nghi Thu", "Nghi Thủy"]);
    expect(text(doc.annexes[0]!.body)).toBe("Không có kết quả tự đánh giá: Nghi Hải (chưa gửi bảng tự đánh giá), Thu Thủy (không đọc được tệp).");
  });

  it("is named as the Google runtime names it there", () => {
    const summary = aggregateTown(degraded, catalogues, { period: "2026-W48", generatedAt: "2026-11-27T03:00:00.000Z", previous: null });
    const scores = new Map(degraded.map((o): [string, ProgrammeScore] => [o.ward.id, o.scores.find((s) => s.programmeId === P1)!]));
    const doc = buildTownDocument({ summary, programme: summary.programmes[0]!, catalogue: catalogues[0]!, scores, history: [], settings: DOCUMENT_SETTINGS, issuedAt: ISSUED_AT, number: null, runtime: "google" });
    expect(rowOf(tableOf(doc, "ward-results")!, "Thu Thủy").slice(2)).toEqual(["Không đọc được bảng tính"]);
    expect(text(doc.body)).toContain("không đọc được bảng tính: Thu Thủy");
  });

  it("is left out of the average and of the change, and the lead paragraph counts no drop", () => {
    const body = text(documentOf(degraded).body);
    // (15 + 18 + 21 + 19 + 21) / 5; with the two wards as 0 it would be 13,4.
    expect(body).toContain("Có 7 phường thực hiện đề án, 5 phường có kết quả tự đánh giá (chưa gửi bảng tự đánh giá: Nghi Hải; không đọc được tệp: Thu Thủy). Bình quân mỗi phường có kết quả đạt 18,8/22 tiêu chí.");
    expect(body).toContain("số tiêu chí đạt tăng: Nghi Hương (+3); giảm: Nghi Tân (−1); không thay đổi: 3 phường. Không so sánh: Nghi Hải, Thu Thủy");
    expect(body).not.toMatch(/giảm (20|22)|−22|−20/u);
    expect(body).toContain("số phường đủ điều kiện đề nghị công nhận giảm 1"); // Nghi Tân: 22/22 before, an error now; Thu Thủy is not compared
  });
});

describe("for any set of wards without a workbook", () => {
  it("none is ever drawn, ranked, averaged or compared as a number", () => {
    fc.assert(
      fc.property(fc.subarray(["nghi-hai", "nghi-hoa", "nghi-huong", "nghi-tan", "nghi-thu", "nghi-thuy", "thu-thuy"]), fc.boolean(), (absent, unreadable) => {
        const status = unreadable ? ("unreadable" as const) : ("missing" as const);
        const outcomes = good.map((o) => (absent.includes(o.ward.id) ? { ...o, status, scores: catalogues.map(emptyScore) } : o));
        const doc = documentOf(outcomes, P2);
        const bar = charts(doc)[0] as BarChartSpec;
        const results = tableOf(doc, "ward-results")!;
        for (const w of good) {
          const i = bar.categories.indexOf(w.ward.name);
          const row = results.body.find((r) => r[1]!.text.startsWith(w.ward.name))!;
          if (absent.includes(w.ward.id)) {
            expect(bar.values[i]).toBeNull();
            expect(row.slice(2)).toHaveLength(1);
            expect(row[2]!.muted).toBe(true);
          } else expect(bar.values[i]).toBeTypeOf("number");
        }
        expect(text(doc.body)).not.toMatch(/\b0\/34\b|−3[0-4]\b|giảm 3[0-4]\b/u);
      }),
      { numRuns: 25 },
    );
  });
});

describe("the ward table", () => {
  it("ranks with ties, counts in-progress apart from not met, shows points with band beside criteria met", () => {
    const results = tableOf(documentOf(good, P2), "ward-results")!;
    expect(results.head[0]!.map((c) => c.text)).toEqual(["STT", "Phường", "Số tiêu chí đạt", "Tỷ lệ", "Đang thực hiện", "Chưa đạt", "Điểm tự chấm (xếp loại theo điểm)", "Đạt đủ tiêu chí", "Xếp hạng", "Thay đổi so với kỳ trước"]);
    expect(rowOf(results, "Nghi Hòa")).toEqual(["2", "Nghi Hòa", "27/34", "79,4%", "3", "4", "47/50 (Xuất sắc)", "Chưa", "7", "0"]);
    expect(results.body.map((r) => `${r[1]!.text}:${r[8]!.text}`)).toEqual(["Nghi Hải:4", "Nghi Hòa:7", "Nghi Hương:2", "Nghi Tân:3", "Nghi Thu:6", "Nghi Thủy:5", "Thu Thủy:1"]);
  });

  it("states the rule and names the wards that qualify", () => {
    const body = text(documentOf(good, P1).body);
    expect(body).toContain("Theo bộ tiêu chí, phường được đề nghị công nhận khi đạt 22/22 tiêu chí và bảng tự đánh giá không còn lỗi. Có 2 phường đủ điều kiện đề nghị công nhận: Nghi Tân, Thu Thủy (2/7 phường có kết quả, 28,6%).");
    expect(text(documentOf(good, P2).body)).toContain("xếp loại theo điểm không thay cho điều kiện về số tiêu chí đạt.");
  });
});

describe("“Các tiêu chí nhiều phường chưa đạt”", () => {
  const withGaps = (minWards: number): DocumentSettings => ({ ...DOCUMENT_SETTINGS, reports: { ...DOCUMENT_SETTINGS.reports, commonGaps: { minWards, minShare: null } } });

  it.each([2, 3, 5])("lists only criteria not met by at least %d wards, and says so", (minWards) => {
    const table = tableOf(documentOf(good, P1, { settings: withGaps(minWards) }), "common-gaps")!;
    expect(table.caption).toBe(`Bảng 3. Các tiêu chí nhiều phường chưa đạt (từ ${minWards} phường trở lên chưa đạt)`);
    expect(table.body.length).toBeGreaterThan(0);
    for (const r of table.body) expect(Number(r[3]!.text)).toBeGreaterThanOrEqual(minWards);
    expect(table.note).toMatch(new RegExp(`^Không liệt kê \\d+ tiêu chí có dưới ${minWards} phường chưa đạt`, "u"));
  });

  it("is a sentence, not an empty table, when no criterion reaches the threshold", () => {
    const doc = documentOf(good, P1, { settings: withGaps(7) });
    expect(tableOf(doc, "common-gaps")).toBeUndefined();
    expect(text(doc.body)).toContain("Không có tiêu chí nào từ 7 phường trở lên chưa đạt.");
  });
});

describe("the annex matrix", () => {
  function manyWards(n: number): WardOutcome[] {
    return Array.from({ length: n }, (_, i) => {
      const from = good[i % good.length]!;
      const name = `Phường ${String(i + 1).padStart(2, "0")}`;
      return { ...from, ward: { id: `p${String(i + 1).padStart(2, "0")}`, name } };
    });
  }

  it("marks Đ / CĐ / ĐTH with a legend and a total row", () => {
    const matrix = tableOf(documentOf(good, P2), "criteria-matrix")!;
    expect(matrix.compact).toBe(true);
    expect(matrix.note).toBe("Ký hiệu: Đ: Đạt; CĐ: Chưa đạt; ĐTH: Đang thực hiện; L: Có lỗi, chưa tính; —: chưa nhập kết quả.");
    const tc12 = matrix.body.find((r) => r[0]!.text === "TC12")!.map((c) => c.text);
    expect(tc12).toEqual(["TC12", "Đ", "ĐTH", "Đ", "Đ", "CĐ", "Đ", "Đ"]);
    expect(matrix.body.at(-1)!.map((c) => c.text)).toEqual(["Số tiêu chí đạt", "32/34", "27/34", "34/34", "33/34", "29/34", "30/34", "34/34"]);
  });

  it.each([
    [10, ["criteria-matrix"], [10]],
    [25, ["criteria-matrix-1", "criteria-matrix-2", "criteria-matrix-3"], [10, 10, 5]],
  ])("with %d wards is split into tables of at most 10 wards", (n, ids, columns) => {
    const matrices = tables(documentOf(manyWards(n), P1, { previous: null }).annexes[0]!.body);
    expect(matrices.map((t) => t.id)).toEqual(ids);
    expect(matrices.map((t) => t.head[0]!.length - 1)).toEqual(columns);
    if (n > 10) expect(matrices[2]!.caption).toBe("Bảng PL3. Kết quả từng tiêu chí (phần 3/3)");
  });
});

describe("a province of xã and phường", () => {
  it("names the units by their kinds and keeps every chart bounded", () => {
    const units = Array.from({ length: 30 }, (_, i) => ({ ...good[i % good.length]!, ward: { id: `u${i + 10}`, name: `Đơn vị ${i + 10}` } }));
    const summary = aggregateTown(units, catalogues, { period: "2026-11", generatedAt: "2026-11-27T03:00:00.000Z", previous: null });
    const programme = summary.programmes.find((p) => p.id === P1)!;
    const scores = new Map(units.map((o): [string, ProgrammeScore] => [o.ward.id, o.scores.find((x) => x.programmeId === P1)!]));
    const index = new Map(units.map((o, i) => [o.ward.id, { kind: i % 3 === 0 ? ("xã" as const) : ("phường" as const) }]));
    const doc = buildTownDocument({ summary, programme, catalogue: catalogues[0]!, scores, history: [], settings: DOCUMENT_SETTINGS, issuedAt: ISSUED_AT, number: null, units: index });
    expect(tableOf(doc, "ward-results")!.head[0]![1]!.text).toBe("Xã, phường");
    expect(tableOf(doc, "ward-results")!.body.slice(0, 2).map((r) => r[1]!.text)).toEqual(["xã Đơn vị 10", "phường Đơn vị 11 (1 lỗi; chưa tính: TC02)"]);

    expect(text(doc.body)).toContain("Có 30 xã, phường thực hiện đề án, 30 xã, phường có kết quả tự đánh giá.");
    const bars = charts(doc).filter((c): c is BarChartSpec => c.kind === "bar");
    expect(bars.length).toBeGreaterThan(1);
    for (const bar of bars) expect(bar.categories.length).toBeLessThanOrEqual(25);
    expect(bars.flatMap((b) => b.categories).filter((c) => c.startsWith("xã xã"))).toEqual([]);
    expect(tables(doc.annexes[1]!.body).map((t) => t.head[0]!.length - 1)).toEqual([10, 10, 10]);
  });

  it("moves the per-unit tables to Phụ lục 1 past 25 units and keeps the body to bounded charts and tables", () => {
    const units = Array.from({ length: 30 }, (_, i) => ({ ...good[i % good.length]!, ward: { id: `u${i + 10}`, name: `Đơn vị ${i + 10}` } }));
    const summary = aggregateTown(units, catalogues, { period: "2026-11", generatedAt: "2026-11-27T03:00:00.000Z", previous: null });
    const programme = summary.programmes.find((p) => p.id === P1)!;
    const scores = new Map(units.map((o): [string, ProgrammeScore] => [o.ward.id, o.scores.find((x) => x.programmeId === P1)!]));
    const doc = buildTownDocument({ summary, programme, catalogue: catalogues[0]!, scores, history: [], settings: DOCUMENT_SETTINGS, issuedAt: ISSUED_AT, number: null });
    expect(tables(doc.body).map((t) => t.id)).not.toContain("ward-results");
    expect(tables(doc.body).every((t) => t.body.length <= 30)).toBe(true);
    expect(text(doc.body)).toContain("tại Phụ lục 1 (Bảng PL1.1 và Bảng PL1.2)");
    expect(doc.annexes.map((a) => a.title)).toEqual(["PHỤ LỤC 1", "PHỤ LỤC 2"]);
    expect(tables(doc.annexes[0]!.body).map((t) => t.caption.split(".")[0] + "." + t.caption.split(".")[1])).toEqual(["Bảng PL1.1", "Bảng PL1.2"]);
    expect(tableOf(doc, "ward-results")!.body).toHaveLength(30);
    expect(tables(doc.annexes[1]!.body)[0]!.caption).toBe("Bảng PL2.1. Kết quả từng tiêu chí (phần 1/3)");
    const bodyCaptions = tables(doc.body).map((t) => t.caption);
    expect(bodyCaptions[0]).toMatch(/^Bảng 1\. /u);
  });

  it("keeps the ward tables in the body for a town of 7 wards", () => {
    const doc = documentOf(good);
    expect(tables(doc.body).map((t) => t.id)).toContain("ward-results");
    expect(doc.annexes.map((a) => a.title)).toEqual(["PHỤ LỤC"]);
  });
});

describe("numbers and the trend", () => {
  it.each([
    [{ mode: "blank" as const, start: 1 }, 7, "Số: \u00A0\u00A0\u00A0\u00A0\u00A0\u00A0/BC-CATX"],
    [{ mode: "sequence" as const, start: 1 }, 7, "Số: 07/BC-CATX"],
    [{ mode: "sequence" as const, start: 1 }, null, "Số: \u00A0\u00A0\u00A0\u00A0\u00A0\u00A0/BC-CATX"],
  ])("numbering %o with %s prints “%s”", (numbering, number, printed) => {
    const settings = { ...DOCUMENT_SETTINGS, reports: { ...DOCUMENT_SETTINGS.reports, numbering } };
    expect(documentOf(good, P1, { settings, number }).frame.number).toBe(printed);
  });

  it("tabulates how many wards sent and qualify per period", () => {
    const trend = tableOf(documentOf(degraded, P1), "qualifying-trend")!;
    expect(trend.body.map((r) => r.map((c) => c.text))).toEqual([
      ["tuần 47/2026", "7", "2", "19,1/22"],
      ["tuần 48/2026", "5", "0", "18,8/22"],
    ]);
    expect(tableOf(documentOf(degraded, P1, { previous: null }), "qualifying-trend")).toBeUndefined();
  });
});

describe("the block list", () => {
  it("reads in the order of a sơ kết report", () => {
    const outline = documentOf(degraded, P1).body.map((b) => {
      if (b.kind === "heading") return `${"#".repeat(b.level)} ${b.text}`;
      if (b.kind === "table") return `[table ${b.table.id}] ${b.table.caption}`;
      if (b.kind === "chart") return `[chart ${b.chart.kind}] ${b.caption}`;
      if (b.kind === "placeholder") return "[placeholder]";
      return b.kind === "paragraph" ? `¶ ${b.runs.map((r) => r.text).join("").slice(0, 60)}` : b.kind;
    });
    expect(outline).toMatchInlineSnapshot(`
      [
        "¶ Thực hiện Đề án “Xây dựng Công an phường điển hình, kiểu mẫu",
        "[placeholder]",
        "# I. TÌNH HÌNH CHUNG",
        "[placeholder]",
        "# II. KẾT QUẢ THỰC HIỆN",
        "## 1. Công tác lãnh đạo, chỉ đạo, tuyên truyền",
        "[placeholder]",
        "## 2. Kết quả thực hiện các tiêu chí",
        "¶ Có 7 phường thực hiện đề án, 5 phường có kết quả tự đánh giá",
        "¶ Theo bộ tiêu chí, phường được đề nghị công nhận khi đạt 22/2",
        "¶ So với tuần 47/2026 (tính trên các phường có kết quả ở cả ha",
        "[table ward-results] Bảng 1. Kết quả tự đánh giá tiêu chí của các phường (tuần 48/2026)",
        "[chart bar] Biểu đồ 1. Số tiêu chí đạt của từng phường",
        "[table group-results] Bảng 2. Kết quả tự đánh giá theo nhóm tiêu chí",
        "¶ Các tiêu chí từ 2 phường trở lên chưa đạt được tổng hợp tại ",
        "[table common-gaps] Bảng 3. Các tiêu chí nhiều phường chưa đạt (từ 2 phường trở lên chưa đạt)",
        "[table qualifying-trend] Bảng 4. Kết quả qua các kỳ báo cáo",
        "[chart trend] Biểu đồ 2. Số tiêu chí đạt qua các kỳ",
        "¶ Phường còn lỗi trong bảng tự đánh giá (các tiêu chí có lỗi c",
        "## 3. Mô hình, điển hình tiên tiến",
        "[placeholder]",
        "# III. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN",
        "[placeholder]",
        "# IV. BÀI HỌC KINH NGHIỆM",
        "[placeholder]",
        "# V. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI",
        "[placeholder]",
        "# VI. ĐỀ XUẤT, KIẾN NGHỊ",
        "[placeholder]",
        "[placeholder]",
      ]
    `);
  });
});
