import { beforeAll, describe, expect, it } from "vitest";
import { degradedOutcomes, sampleOutcomes } from "../../fixtures/outcomes.js";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { type WardOutcome, aggregateTown, toSnapshot } from "../../../functions/core/aggregate-town.js";
import { type DigestDocument, type DigestInput, buildDigestView } from "../../../functions/core/digest-view.js";
import { P1, P2, builtinCatalogues } from "../../fixtures/workbooks.js";

let catalogues: Catalogue[];
let outcomes: WardOutcome[];
const META = { period: "2026-11", generatedAt: "2026-11-27T03:00:00.000Z", previous: null };
const INPUT: DigestInput = { issuer: "Công an thị xã Cửa Lò", documents: new Map(), table: "bang-tong-hop-2026-11.xlsx", runtime: "local" };

beforeAll(async () => {
  catalogues = await builtinCatalogues();
  outcomes = sampleOutcomes(catalogues);
});

/** Last month with Thu Thủy short of CAP, Nghi Hương 3 criteria lower, Nghi Thu 2 higher. */
function withPrevious() {
  const before = toSnapshot(aggregateTown(outcomes, catalogues, { ...META, period: "2026-10" }));
  const ward = (programme: string, id: string) => before.programmes.find((p) => p.id === programme)!.wards.find((w) => w.id === id)!;
  Object.assign(ward(P1, "thu-thuy"), { met: 21, recognised: false });
  ward(P1, "nghi-huong").met = 15;
  ward(P1, "nghi-thu").met = 21;
  return aggregateTown(outcomes, catalogues, { ...META, previous: before });
}

describe("buildDigestView", () => {
  it("names each programme with its figure in the subject, under one prefix, with the period in words", () => {
    const view = buildDigestView(aggregateTown(outcomes, catalogues, META), INPUT);
    expect(view.subject).toBe("[Tự đánh giá tiêu chí] tháng 11/2026: Công an phường điển hình, kiểu mẫu 2/7 phường đạt đủ; Phường điển hình phong trào toàn dân BVANTQ 2/7");
    expect(view.salutation).toBe("Kính gửi: Lãnh đạo Công an thị xã Cửa Lò");
    expect(view.heading).toBe("Kết quả tự đánh giá tiêu chí của các phường, tháng 11/2026");
    expect(view.programmes.map((p) => [p.shortName, p.headline, p.chartCid])).toEqual([
      ["Công an phường điển hình, kiểu mẫu", "2/7 phường đạt đủ tiêu chí (22/22 tiêu chí)", "chart-1"],
      ["Phường điển hình phong trào toàn dân BVANTQ", "2/7 phường đạt đủ tiêu chí (34/34 tiêu chí)", "chart-2"],
    ]);
  });

  it("says there is nothing to compare with in the first period", () => {
    const view = buildDigestView(aggregateTown(outcomes, catalogues, META), INPUT);
    expect(view.programmes[0]!.change).toBe("Chưa có số liệu kỳ trước để so sánh.");
    expect(view.programmes[0]!.changes).toEqual([]);
  });

  it("gives the change since the last period in words, the wards that newly qualified, rises and falls", () => {
    const view = buildDigestView(withPrevious(), INPUT);
    const p1 = view.programmes[0]!;
    expect(p1.change).toBe("So với tháng 10/2026: số phường đạt đủ tiêu chí tăng 1; tổng số tiêu chí đạt tăng 2.");
    expect(p1.changes).toEqual(["Mới đạt đủ tiêu chí: Thu Thủy.", "Số tiêu chí đạt tăng: Nghi Hương (+3), Thu Thủy (+1).", "Số tiêu chí đạt giảm: Nghi Thu (−2)."]);
    expect(view.programmes[1]!.change).toBe("So với tháng 10/2026: số phường đạt đủ tiêu chí không thay đổi; tổng số tiêu chí đạt không thay đổi.");
  });

  it("shows a short ward table with the state of each ward, never a 0 for a ward that sent nothing", () => {
    const view = buildDigestView(aggregateTown(degradedOutcomes(outcomes, catalogues), catalogues, META), INPUT);
    const p1 = view.programmes[0]!;
    expect(p1.wards.find((w) => w.name === "Nghi Hải")).toEqual({ name: "Nghi Hải", met: "", note: "Chưa gửi bảng tự đánh giá", state: "" });
    expect(p1.wards.find((w) => w.name === "Thu Thủy")).toEqual({ name: "Thu Thủy", met: "", note: "Không đọc được tệp", state: "" });
    expect(p1.wards.find((w) => w.name === "Nghi Tân")).toEqual({ name: "Nghi Tân", met: "21/22 (95,5%)", note: "1 lỗi", state: "" });
    expect(p1.attention).toEqual([
      "Chưa gửi hoặc chưa nhập kết quả (1 phường): Nghi Hải.",
      "Không đọc được tệp (1 phường): Thu Thủy.",
      "Còn lỗi trong bảng tự đánh giá (2 phường): Nghi Hòa, Nghi Tân.",
    ]);
    const fine = buildDigestView(aggregateTown(outcomes, catalogues, META), INPUT).programmes[0]!.wards;
    expect(fine.find((w) => w.name === "Thu Thủy")).toEqual({ name: "Thu Thủy", met: "22/22 (100%)", note: "Đạt đủ tiêu chí", state: "" });
  });

  it("lists at most five lagging criteria, most wards first", () => {
    const lagging = buildDigestView(aggregateTown(outcomes, catalogues, META), INPUT).programmes[0]!.lagging;
    expect(lagging.map((l) => [l.code, l.notMet])).toEqual([["TC20", "5 phường"], ["TC14", "4 phường"], ["TC22", "3 phường"], ["TC10", "2 phường"], ["TC02", "1 phường"]]);
  });

  it("links only https documents, else names the attached PDF or the file, never a path", () => {
    const documents = new Map<string, DigestDocument>([
      [P1, { title: "Báo cáo CAP (tháng 11/2026)", url: "https://docs.google.com/document/d/abc/edit", attached: null, fileName: null }],
      [P2, { title: "Báo cáo BVANTQ (tháng 11/2026)", url: null, attached: "bao-cao-phuong-bao-ve-antq.pdf", fileName: "bao-cao-phuong-bao-ve-antq.pdf" }],
    ]);
    const view = buildDigestView(aggregateTown(outcomes, catalogues, META), { ...INPUT, documents });
    expect(view.programmes.map((p) => p.document)).toEqual([
      { text: "Báo cáo đầy đủ: Báo cáo CAP (tháng 11/2026)", url: "https://docs.google.com/document/d/abc/edit" },
      { text: "Báo cáo đầy đủ: tệp đính kèm “bao-cao-phuong-bao-ve-antq.pdf”.", url: null },
    ]);
    const local = new Map<string, DigestDocument>([[P1, { title: "x", url: "file:///home/vt/out/a.html", attached: null, fileName: "bao-cao-ca-phuong-dien-hinh.html" }]]);
    const shown = buildDigestView(aggregateTown(outcomes, catalogues, META), { ...INPUT, documents: local }).programmes[0]!.document!;
    expect(shown.url).toBeNull();
    expect(shown.text).toContain("tệp “bao-cao-ca-phuong-dien-hinh.html”");
  });

  it("keeps the table and every list bounded at thousands of wards", () => {
    const many: WardOutcome[] = Array.from({ length: 3000 }, (_, i) => ({ ward: { id: `p-${i}`, name: `Phường ${String(i).padStart(4, "0")}` }, status: "missing", reason: null, scores: [] }));
    const view = buildDigestView(aggregateTown(many, catalogues, META), INPUT);
    const p1 = view.programmes[0]!;
    expect(p1.wards).toEqual([]);
    expect(p1.wardsNote).toBe("Kết quả của 3.000 phường: xem bảng đầy đủ trong tệp đính kèm “bang-tong-hop-2026-11.xlsx”.");
    expect(p1.attention[0]).toMatch(/^Chưa gửi hoặc chưa nhập kết quả \(3\.000 phường\): Phường 0000, .* và 2\.990 phường khác\.$/u);
  });

  it("writes other kinds of period in words", () => {
    for (const [period, label] of [["2026-Q4", "quý IV/2026"], ["2026-H2", "6 tháng cuối năm 2026"], ["2026", "năm 2026"], ["2026-W48", "tuần 48/2026"]]) {
      const view = buildDigestView(aggregateTown(outcomes, catalogues, { ...META, period: period! }), INPUT);
      expect(view.subject.startsWith(`[Tự đánh giá tiêu chí] ${label}: `)).toBe(true);
    }
  });
});

describe("a digest of xã and phường", () => {
  it("names the units by their kinds", () => {
    const units = new Map(outcomes.map((o, i) => [o.ward.id, { kind: i < 4 ? ("xã" as const) : ("phường" as const) }]));
    const view = buildDigestView(aggregateTown(degradedOutcomes(outcomes, catalogues), catalogues, META), { ...INPUT, units });
    expect(view.subject).toMatch(/^\[Tự đánh giá tiêu chí\] tháng 11\/2026: Công an phường điển hình, kiểu mẫu \d\/7 xã, phường đạt đủ; /u);
    expect(view.heading).toBe("Kết quả tự đánh giá tiêu chí của các xã, phường, tháng 11/2026");
    const p1 = view.programmes[0]!;
    expect([p1.unit, p1.unitHeader]).toEqual(["xã, phường", "Xã, phường"]);
    expect(p1.headline).toMatch(/^\d\/7 xã, phường đạt đủ tiêu chí/u);
    expect(p1.attention[0]).toBe("Chưa gửi hoặc chưa nhập kết quả (1 xã, phường): Nghi Hải.");
  });
});
