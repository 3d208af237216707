/**
 * The .docx a clerk edits, read back from its XML: NĐ 30 page geometry in twips, a real PAGE
 * field in the header and none on page 1, Times New Roman, header rows that repeat, rows that
 * never split, charts as PNG images, placeholders highlighted, keeps around the signature.
 */
import JSZip from "jszip";
import { beforeAll, describe, expect, it } from "vitest";
import { renderDocumentDocx } from "../../../functions/render/document-docx.js";
import { TOWN_VIEW, WARD_VIEW } from "../../fixtures/document-views.js";

let zip: JSZip;
let xml: string;

const part = async (name: string): Promise<string> => (await zip.file(name)?.async("string")) ?? "";
/** The paragraphs (w:p) whose text contains `text`. */
const paragraphsWith = (text: string): string[] => [...xml.matchAll(/<w:p\b[\s\S]*?<\/w:p>/gu)].map((m) => m[0]).filter((p) => p.includes(text));

beforeAll(async () => {
  zip = await JSZip.loadAsync(await renderDocumentDocx(TOWN_VIEW, "Báo cáo"));
  xml = await part("word/document.xml");
});

describe("the town report as .docx", () => {
  it("is A4 portrait with the NĐ 30 margins (twips)", () => {
    expect(xml).toMatch(/<w:pgSz w:w="11906" w:h="16838" w:orient="portrait"\/>/u);
    const margin = /<w:pgMar ([^>]*)\/>/u.exec(xml)?.[1] ?? "";
    const value = (name: string) => Number(new RegExp(`w:${name}="(\\d+)"`, "u").exec(margin)?.[1]);
    const mm = (twips: number) => (twips * 25.4) / 1440;
    expect(mm(value("top"))).toBeGreaterThanOrEqual(20);
    expect(mm(value("top"))).toBeLessThanOrEqual(25);
    expect(mm(value("bottom"))).toBeGreaterThanOrEqual(20);
    expect(mm(value("left"))).toBeGreaterThanOrEqual(30);
    expect(mm(value("left"))).toBeLessThanOrEqual(35);
    expect(mm(value("right"))).toBeGreaterThanOrEqual(15);
    expect(mm(value("right"))).toBeLessThanOrEqual(20);
  });

  it("numbers pages with a PAGE field centred in the header, none on page 1", async () => {
    expect(xml).toContain("<w:titlePg/>");
    const rels = await part("word/_rels/document.xml.rels");
    const target = (type: string) => {
      const id = new RegExp(`<w:headerReference w:type="${type}" r:id="([^"]+)"`, "u").exec(xml)?.[1];
      return new RegExp(`Id="${id}"[^>]*Target="([^"]+)"`, "u").exec(rels)?.[1] ?? "";
    };
    const main = await part(`word/${target("default")}`);
    const first = await part(`word/${target("first")}`);
    expect(main).toMatch(/<w:instrText[^>]*>PAGE<\/w:instrText>/u);
    expect(main).toContain('<w:jc w:val="center"/>');
    expect(first).not.toContain("PAGE");
  });

  it("names Times New Roman, black, 14 pt by default", async () => {
    const styles = await part("word/styles.xml");
    expect(styles).toMatch(/<w:rFonts w:ascii="Times New Roman" w:cs="Times New Roman" w:eastAsia="Times New Roman" w:hAnsi="Times New Roman"\/>/u);
    expect(styles).toContain('<w:color w:val="000000"/>');
    expect(styles).toContain('<w:sz w:val="28"/>');
    expect(xml).not.toMatch(/w:ascii="(?!Times New Roman)/u);
  });

  it("lays the header blocks out in a borderless two-column table with short rules", () => {
    const frame = /<w:tbl>[\s\S]*?<\/w:tbl>/u.exec(xml)?.[0] ?? "";
    expect(frame).toContain("CÔNG AN THỊ XÃ CỬA LÒ");
    expect(frame).toContain("Độc lập - Tự do - Hạnh phúc");
    expect(frame.match(/<w:gridCol /gu)).toHaveLength(2);
    const borders = [...frame.matchAll(/<w:(?:tblBorders|tcBorders)>[\s\S]*?<\/w:(?:tblBorders|tcBorders)>/gu)].map((m) => m[0]);
    expect(borders.length).toBeGreaterThan(0);
    for (const b of borders) expect(b).not.toContain('w:val="single"');
    // The rules: empty paragraphs with a top border, under the issuer and under the slogan.
    expect(frame.match(/<w:pBdr><w:top w:val="single"/gu)).toHaveLength(2);
    const placeDate = paragraphsWith("Cửa Lò, ngày 02 tháng 11 năm 2023")[0] ?? "";
    expect(placeDate).toContain("<w:i/>");
    expect(paragraphsWith("Số: 05/BC-CATX")).toHaveLength(1);
  });

  it("justifies body text with a 1.27 cm first-line indent and keeps headings with what follows", () => {
    const lead = paragraphsWith("Thực hiện Đề án")[0] ?? "";
    expect(lead).toContain('<w:jc w:val="both"/>');
    expect(lead).toContain('w:firstLine="720"');
    for (const heading of ["I. TÌNH HÌNH CHUNG", "II. KẾT QUẢ THỰC HIỆN", "2. Kết quả thực hiện các tiêu chí"]) {
      const p = paragraphsWith(heading)[0] ?? "";
      expect(p).toContain("<w:keepNext/>");
      expect(p).toContain("<w:keepLines/>");
    }
  });

  it("repeats table header rows, never splits a row, and keeps the caption with its table", () => {
    const tables = [...xml.matchAll(/<w:tbl>[\s\S]*?<\/w:tbl>/gu)].map((m) => m[0]);
    const results = tables.find((t) => t.includes("Số tiêu chí đạt") && t.includes("Nghi Hải"))!;
    const rows = [...results.matchAll(/<w:tr>[\s\S]*?<\/w:tr>/gu)].map((m) => m[0]);
    expect(rows[0]).toContain("<w:tblHeader/>");
    expect(rows.filter((r) => r.includes("<w:tblHeader/>"))).toHaveLength(1);
    expect(rows.every((r) => r.includes("<w:cantSplit/>"))).toBe(true);
    expect(paragraphsWith("Bảng 1. Kết quả tự đánh giá")[0]).toContain("<w:keepNext/>");
    // The missing ward spans the figures, in italics: never a 0.
    const missing = rows.find((r) => r.includes("Nghi Tân"))!;
    expect(missing).toContain('<w:gridSpan w:val="4"/>');
    expect(missing).not.toContain(">0/22<");
  });

  it("embeds the charts as PNG images", async () => {
    const images = Object.keys(zip.files).filter((f) => f.startsWith("word/media/"));
    expect(images).toHaveLength(2);
    for (const image of images) expect((await zip.file(image)!.async("nodebuffer")).subarray(1, 4).toString()).toBe("PNG");
    expect(xml.match(/<pic:pic\b/gu)).toHaveLength(2);
    expect(paragraphsWith("Biểu đồ 1.")[0]).toContain("<w:keepNext/>");
  });

  it("marks the places for prose as highlighted, editable text", () => {
    const places = paragraphsWith("[Phần do cán bộ soạn thảo viết");
    expect(places).toHaveLength(7);
    for (const p of places) expect(p).toContain('<w:highlight w:val="yellow"/>');
  });

  it("keeps the signature block with the paragraph before it, in one unsplittable row", () => {
    const before = paragraphsWith("đề xuất, kiến nghị với cấp trên")[0] ?? "";
    expect(before).toContain("<w:keepNext/>");
    const tables = [...xml.matchAll(/<w:tbl>[\s\S]*?<\/w:tbl>/gu)].map((m) => m[0]);
    const closing = tables.find((t) => t.includes("Nơi nhận:"))!;
    expect(closing).toContain("<w:cantSplit/>");
    expect(closing).toContain("KT. TRƯỞNG CÔNG AN");
    const title = paragraphsWith("Nơi nhận:")[0] ?? "";
    expect(title).toMatch(/<w:b\/>[\s\S]*<w:i\/>[\s\S]*<w:sz w:val="24"\/>/u);
    expect(paragraphsWith("- Lưu: VT, TM.")[0]).toContain('<w:sz w:val="22"/>');
  });

  it("starts the annex on a new page", () => {
    expect(paragraphsWith("PHỤ LỤC")[0]).toContain("<w:pageBreakBefore/>");
  });
});

describe("the ward notice as .docx", () => {
  it("is addressed to the ward and has no annex or image", async () => {
    const notice = await JSZip.loadAsync(await renderDocumentDocx(WARD_VIEW));
    const text = (await notice.file("word/document.xml")!.async("string")).replace(/<[^>]+>/gu, "");
    expect(text).toContain("THÔNG BÁO");
    expect(text).toContain("Kính gửi: Công an phường Nghi Tân");
    expect(text).not.toContain("PHỤ LỤC");
    expect(Object.keys(notice.files).some((f) => f.startsWith("word/media/"))).toBe(false);
  });
});
