/** The notice to a ward: addressed to it, its own Nơi nhận, one paragraph when nothing could be read. */
import { beforeAll, describe, expect, it } from "vitest";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import type { Snapshot } from "../../../functions/core/aggregate-town.js";
import type { DocBlock, DocumentView } from "../../../functions/core/document-blocks.js";
import { evaluateWorkbook } from "../../../functions/core/evaluate-ward.js";
import { emptyScore } from "../../../functions/core/score-ward.js";
import { type WardDocumentInput, buildWardDocument } from "../../../functions/core/ward-document.js";
import { DOCUMENT_SETTINGS, ISSUED_AT } from "../../fixtures/documents.js";
import { builtinCatalogues, cellOf, sampleWorkbook, withCell } from "../../fixtures/workbooks.js";

let catalogues: Catalogue[];
const WARD = { id: "nghi-hoa", name: "Nghi Hòa" };
const REASON = "Không đọc được tệp wards/nghi-hoa.xlsx: tệp bị hỏng hoặc chưa lưu xong.";

beforeAll(async () => {
  catalogues = await builtinCatalogues();
});

function notice(over: Partial<WardDocumentInput> = {}): DocumentView {
  const evaluation = evaluateWorkbook(sampleWorkbook(catalogues, WARD.id), catalogues, { ...WARD, aliases: [] });
  return buildWardDocument({
    ward: WARD, period: "2026-11", catalogues, scores: evaluation.scores, findings: evaluation.findings, history: [],
    settings: DOCUMENT_SETTINGS, issuedAt: ISSUED_AT, number: 12, ...over,
  });
}

const paragraphs = (blocks: readonly DocBlock[]): string[] => blocks.flatMap((b) => (b.kind === "paragraph" ? [b.runs.map((r) => r.text).join("")] : []));

describe("the ward notice", () => {
  it("is a THÔNG BÁO to the ward's police, numbered TB, with the ward first in Nơi nhận", () => {
    const doc = notice();
    expect([doc.kind, doc.title, doc.recipient, doc.frame.number]).toEqual(["ward-notice", "THÔNG BÁO", "Kính gửi: Công an phường Nghi Hòa", "Số: 12/TB-CATX"]);
    expect(doc.summary).toEqual(["Kết quả kiểm tra bảng tự đánh giá tiêu chí của phường Nghi Hòa", "(tháng 11/2026)"]);
    expect(doc.frame.distribution).toEqual(["- Công an phường Nghi Hòa;", "- Lãnh đạo Công an thị xã Cửa Lò (để b/c);", "- Lưu: VT, TM."]);
  });

  it("takes its Nơi nhận after the ward from reports.noticeDistribution, and the unit's kind from config", () => {
    const settings = { ...DOCUMENT_SETTINGS, reports: { ...DOCUMENT_SETTINGS.reports, noticeDistribution: ["Đồng chí Trưởng Công an thị xã (để b/c)", "Đội Tham mưu"] } };
    const doc = notice({ settings, ward: { ...WARD, kind: "xã" } });
    expect(doc.recipient).toBe("Kính gửi: Công an xã Nghi Hòa");
    expect(doc.frame.distribution).toEqual(["- Công an xã Nghi Hòa;", "- Đồng chí Trưởng Công an thị xã (để b/c);", "- Đội Tham mưu;", "- Lưu: VT, TM."]);
  });

  it("states criteria met beside points and band, and the rule, so a high band is not read as recognition", () => {
    const text = paragraphs(notice().body).join("\n");
    expect(text).toContain("Phường tự đánh giá đạt 27/34 tiêu chí (79,4%); 3 tiêu chí đang thực hiện; 4 tiêu chí chưa đạt. Điểm tự chấm 47/50, xếp loại theo điểm: Xuất sắc. Theo bộ tiêu chí, phường được đề nghị công nhận khi đạt 34/34 tiêu chí và bảng tự đánh giá không còn lỗi. Phường chưa đủ điều kiện đề nghị công nhận.");
  });

  it("lists the criteria not met with their status, and earlier periods of its own kind", () => {
    const history: Snapshot[] = [
      { period: "2026-W44", generatedAt: "", programmes: [{ id: catalogues[0]!.id, wards: [{ id: WARD.id, met: 1, total: 22, recognised: false, assessed: true }] }] },
      { period: "2026-09", generatedAt: "", programmes: [{ id: catalogues[0]!.id, wards: [{ id: WARD.id, met: 0, total: 22, recognised: false, assessed: false }] }] },
      { period: "2026-10", generatedAt: "", programmes: [{ id: catalogues[0]!.id, wards: [{ id: WARD.id, met: 14, total: 22, recognised: false, assessed: true }] }] },
    ];
    const doc = notice({ history });
    const table = doc.body.flatMap((b) => (b.kind === "table" ? [b.table] : [])).find((t) => t.id === `not-met-${catalogues[1]!.id}`)!;
    expect(new Set(table.body.map((r) => r[2]!.text))).toEqual(new Set(["Chưa đạt", "Đang thực hiện"]));
    expect(paragraphs(doc.body)).toContain("Kết quả các kỳ trước: tháng 9/2026 chưa có kết quả; tháng 10/2026 đạt 14/22.");
  });

  it.each([
    ["missing", null, "Đến tháng 11/2026, Công an thị xã Cửa Lò chưa nhận được bảng tự đánh giá tiêu chí của phường Nghi Hòa. Đề nghị Công an phường Nghi Hòa hoàn thành và gửi bảng tự đánh giá để tổng hợp, báo cáo.", "local"],
    ["unreadable", REASON, `Đến tháng 11/2026, Công an thị xã Cửa Lò chưa tổng hợp được kết quả tự đánh giá tiêu chí của phường Nghi Hòa. ${REASON} Đề nghị Công an phường Nghi Hòa kiểm tra và gửi lại tệp.`, "local"],
    ["unreadable", "tệp bị khóa", "Đến tháng 11/2026, Công an thị xã Cửa Lò chưa tổng hợp được kết quả tự đánh giá tiêu chí của phường Nghi Hòa. Tệp bị khóa. Đề nghị Công an phường Nghi Hòa kiểm tra và gửi lại tệp.", "local"],
    ["unreadable", "Không đọc được bảng tính: trang tính bị khóa.", "Đến tháng 11/2026, Công an thị xã Cửa Lò chưa tổng hợp được kết quả tự đánh giá tiêu chí của phường Nghi Hòa. Không đọc được bảng tính: trang tính bị khóa. Đề nghị Công an phường Nghi Hòa xem lý do ở trang tính “Kiểm tra” của bảng tính và sửa theo hướng dẫn.", "google"],
  ] as const)("for a %s workbook is one short paragraph", (status, reason, text, runtime) => {
    const doc = notice({ scores: catalogues.map(emptyScore), findings: [], status: { status, reason }, runtime });
    expect(doc.body).toEqual([{ kind: "paragraph", runs: [{ text }] }]);
  });

  it("for a workbook with nothing typed is one short paragraph", () => {
    const doc = notice({ scores: catalogues.map(emptyScore), findings: [], status: { status: "ok", reason: null } });
    expect(paragraphs(doc.body)).toEqual(["Đến tháng 11/2026, bảng tự đánh giá tiêu chí của phường Nghi Hòa chưa nhập kết quả của tiêu chí nào. Đề nghị Công an phường Nghi Hòa nhập kết quả tự đánh giá để tổng hợp, báo cáo."]);
    expect(doc.body).toHaveLength(1);
  });

  it("says “không có lỗi” only for a workbook with none, and asks for what is left", () => {
    const allMet = notice({ findings: [] });
    expect(paragraphs(allMet.body)).toContain("Bảng tự đánh giá không có lỗi.");
    const workbook = sampleWorkbook(catalogues, WARD.id);
    const address = cellOf(workbook, catalogues[0]!.tabTitle, "TC01", "D");
    const evaluation = evaluateWorkbook(withCell(workbook, catalogues[0]!.tabTitle, address, "??"), catalogues, { ...WARD, aliases: [] });
    const broken = notice({ scores: evaluation.scores, findings: evaluation.findings });
    const findings = broken.body.flatMap((b) => (b.kind === "table" && b.table.id === "findings" ? [b.table] : []))[0]!;
    expect(findings.body[0]!.map((c) => c.text).slice(1, 4)).toEqual(["Lỗi", `trang tính “${catalogues[0]!.tabTitle}”, ô ${address}`, "TC01"]);
    expect(paragraphs(broken.body).at(-1)).toBe("Đề nghị Công an phường Nghi Hòa sửa các lỗi nêu trên, tiếp tục thực hiện các tiêu chí chưa đạt và cập nhật bảng tự đánh giá.");
  });

  it("reads, for a ward with results, as a block outline", () => {
    const outline = notice().body.map((b) => (b.kind === "heading" ? `## ${b.text}` : b.kind === "table" ? `[table ${b.table.id}] ${b.table.caption}` : b.kind === "paragraph" ? `¶ ${b.runs[0]!.text.slice(0, 50)}` : b.kind));
    expect(outline).toMatchInlineSnapshot(`
      [
        "¶ Công an thị xã Cửa Lò thông báo kết quả kiểm tra b",
        "## 1. Đề án “Xây dựng Công an phường điển hình, kiểu mẫu về an ninh trật tự và văn minh đô thị”",
        "¶ Phường tự đánh giá đạt 15/22 tiêu chí (68,2%); 3 t",
        "[table not-met-ca-phuong-dien-hinh] Bảng 1. Các tiêu chí chưa được đánh giá đạt của Đề án “Công an phường điển hình, kiểu mẫu”",
        "## 2. Đề án “Xây dựng phường điển hình về phong trào toàn dân bảo vệ an ninh Tổ quốc”",
        "¶ Phường tự đánh giá đạt 27/34 tiêu chí (79,4%); 3 t",
        "[table not-met-phuong-bao-ve-antq] Bảng 2. Các tiêu chí chưa được đánh giá đạt của Đề án “Phường điển hình phong trào toàn dân BVANTQ”",
        "## 3. Các lỗi cần sửa trong bảng tự đánh giá",
        "[table findings] Bảng 3. Vị trí và nội dung các lỗi cần sửa",
        "¶ Đề nghị Công an phường Nghi Hòa sửa các lỗi nêu tr",
      ]
    `);
  });
});
