/**
 * The digest's attachments and size: the town reports attached as PDF (or linked when they are
 * Google Docs), the full ward table as a real .xlsx, and the whole message under 1 MB at 3,000
 * wards (no per-ward table in the body; the largest PDFs, then the charts left out, with a note for each).
 */
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import type { Catalogue } from "../../../sheets-schema/catalogue.js";
import { DIGEST_MAX_BYTES, type DigestFiles, type DigestSource, composeDigest } from "../../../functions/app/compose-messages.js";
import { wireSize } from "../../../functions/app/mail-size.js";
import type { TownRun } from "../../../functions/app/run-town.js";
import { type Config, parseConfigText } from "../../../functions/config.js";
import { type WardOutcome, aggregateTown } from "../../../functions/core/aggregate-town.js";
import { digestFiles } from "../../../functions/adapters/mail/digest-files.js";
import { sampleConfigYaml } from "../../../functions/adapters/local/sample-town.js";
import { loadTemplates, type TemplateSet } from "../../../functions/render/templates.js";
import { sampleOutcomes } from "../../fixtures/outcomes.js";
import { P1, P2, builtinCatalogues } from "../../fixtures/workbooks.js";

const PERIOD = "2026-11";
let catalogues: Catalogue[];
let config: Config;
let templates: TemplateSet;
let outcomes: WardOutcome[];

beforeAll(async () => {
  catalogues = await builtinCatalogues();
  const parsed = parseConfigText(sampleConfigYaml("2026-11-01"), {});
  if (!parsed.success) throw new Error(JSON.stringify(parsed.problems));
  config = { ...parsed.data, baseDir: "/tmp", catalogues, smtpUrl: null };
  templates = await loadTemplates();
  outcomes = sampleOutcomes(catalogues);
});

/** A town of `count` wards, cycling the sample wards' scores. */
function town(count: number): TownRun {
  const list = Array.from({ length: count }, (_, i): WardOutcome => {
    const o = outcomes[i % outcomes.length]!;
    return count === outcomes.length ? o : { ...o, ward: { id: `phuong-${i}`, name: `Phường ${String(i + 1).padStart(4, "0")}` } };
  });
  return { summary: aggregateTown(list, catalogues, { period: PERIOD, generatedAt: "2026-11-27T03:00:00.000Z", previous: null }), wards: [] };
}

/** Real .xlsx rendering; PDFs of the given sizes (bytes) by path. */
function files(pdfSizes: Record<string, number>): DigestFiles {
  const real = digestFiles({ readLocalFiles: true });
  return { ...real, readFile: async (path) => (path in pdfSizes ? Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.alloc(pdfSizes[path]!, 32)]) : null) };
}

const local = (id: string): DigestSource => ({ programmeId: id, title: `Báo cáo ${id} (tháng 11/2026)`, location: `/ws/out/reports/${PERIOD}/bao-cao-${id}.html`, pdf: `/ws/out/reports/${PERIOD}/bao-cao-${id}.pdf` });

async function sheetRows(content: Buffer): Promise<number> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(content as unknown as ArrayBuffer);
  const sheet = book.worksheets[0]!;
  // People read the table: the period in words, never its key.
  expect(sheet.getCell("A2").value).toBe("tháng 11/2026");
  return sheet.rowCount;
}

describe("digest attachments", () => {
  it("attaches both town reports as PDF and the ward table as .xlsx, and says so in the body", async () => {
    const sizes = { [local(P1).pdf!]: 40_000, [local(P2).pdf!]: 50_000 };
    const message = (await composeDigest(town(7), config, templates, { documents: [local(P1), local(P2)], files: files(sizes), runtime: "local" }))!;
    const names = message.attachments.map((a) => [a.filename, a.contentType]);
    expect(names).toEqual(
      expect.arrayContaining([
        [`bao-cao-${P1}.pdf`, "application/pdf"],
        [`bao-cao-${P2}.pdf`, "application/pdf"],
        ["bang-tong-hop-2026-11.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
      ]),
    );
    expect(message.text).toContain(`Báo cáo đầy đủ: tệp đính kèm “bao-cao-${P1}.pdf”.`);
    expect(message.text).toContain("Bảng kết quả đầy đủ của các phường: tệp đính kèm “bang-tong-hop-2026-11.xlsx”.");
    const table = message.attachments.find((a) => a.filename.endsWith(".xlsx"))!;
    expect(await sheetRows(table.content)).toBe(1 + 7 * 2);
    expect(message.attachments.filter((a) => a.contentType === "image/png").map((a) => a.cid)).toEqual(["chart-1", "chart-2"]);
    expect(message.html).toContain('src="cid:chart-1"');
  });

  it("links a Google Doc over https and attaches nothing for it", async () => {
    const doc: DigestSource = { programmeId: P1, title: "Báo cáo CAP (tháng 11/2026)", location: "https://docs.google.com/document/d/1AbC/edit", pdf: null };
    const message = (await composeDigest(town(7), config, templates, { documents: [doc], files: files({}), runtime: "google" }))!;
    expect(message.html).toContain('<a href="https://docs.google.com/document/d/1AbC/edit">Báo cáo đầy đủ: Báo cáo CAP (tháng 11/2026)</a>');
    expect(message.attachments.filter((a) => a.contentType === "application/pdf")).toEqual([]);
    expect(message.html).not.toContain("spreadsheets");
    const google = { ...config, google: { wardsFolderId: "w", reportsFolderId: "r", townSpreadsheetId: "1TownSheet", feedbackDebounceMinutes: 10 } };
    const withSheet = (await composeDigest(town(7), google, templates, { documents: [doc], files: files({}), runtime: "google" }))!;
    expect(withSheet.html).toContain('<a href="https://docs.google.com/spreadsheets/d/1TownSheet/edit">Bảng tổng hợp trực tuyến (Google Sheets, trang tính “Tổng hợp”)</a>');
    expect(withSheet.text).toContain("Bảng tổng hợp trực tuyến (Google Sheets, trang tính “Tổng hợp”): https://docs.google.com/spreadsheets/d/1TownSheet/edit");
  });

  it("stays under 1 MB at 3,000 wards: the PDF that does not fit left out with a note, the bounded charts kept", async () => {
    const sizes = { [local(P1).pdf!]: 700_000, [local(P2).pdf!]: 90_000 };
    const message = (await composeDigest(town(3000), config, templates, { documents: [local(P1), local(P2)], files: files(sizes), runtime: "local" }))!;
    expect(wireSize(message)).toBeLessThanOrEqual(DIGEST_MAX_BYTES);
    const names = message.attachments.map((a) => a.filename);
    expect(names).not.toContain(`bao-cao-${P1}.pdf`);
    expect(names).toEqual(expect.arrayContaining([`bao-cao-${P2}.pdf`, "bang-tong-hop-2026-11.xlsx"]));
    expect(message.text).toContain(`Tệp “bao-cao-${P1}.pdf” (0,7 MB) không đính kèm vì quá lớn so với thư`);
    expect(message.text).toContain(`Báo cáo đầy đủ: tệp “bao-cao-${P1}.pdf” trong thư mục báo cáo của kỳ, trên máy tổng hợp.\n`);
    expect(message.text).toContain("Kết quả của 3.000 phường: xem bảng đầy đủ trong tệp đính kèm “bang-tong-hop-2026-11.xlsx”.");
    expect(Buffer.byteLength(message.html)).toBeLessThan(60_000);
    // One distribution chart per programme: its size does not grow with the number of units.
    expect(message.attachments.filter((a) => a.contentType === "image/png").map((a) => a.cid)).toEqual(["chart-1", "chart-2"]);
    expect(message.text).not.toContain("lược bỏ");
    const table = message.attachments.find((a) => a.filename.endsWith(".xlsx"))!;
    expect(await sheetRows(table.content)).toBe(1 + 3000 * 2);
  });

  it("leaves the charts out, with a note, only when the table and charts alone would not fit", async () => {
    const heavy: DigestFiles = { ...files({}), chartPng: async () => Buffer.alloc(450_000, 1) };
    const message = (await composeDigest(town(130), config, templates, { documents: [local(P1), local(P2)], files: heavy, runtime: "local" }))!;
    expect(wireSize(message)).toBeLessThanOrEqual(DIGEST_MAX_BYTES);
    expect(message.attachments.filter((a) => a.contentType === "image/png")).toEqual([]);
    expect(message.html).not.toContain("cid:chart-");
    expect(message.text).toContain("Biểu đồ đã được lược bỏ để thư nhỏ gọn; xem biểu đồ trong báo cáo đầy đủ.");
    expect(message.attachments.map((a) => a.filename)).toContain("bang-tong-hop-2026-11.xlsx");
  });

  it("keeps one bounded chart per programme at 130 units, under 1 MB", async () => {
    const message = (await composeDigest(town(130), config, templates, { documents: [local(P1), local(P2)], files: files({ [local(P1).pdf!]: 60_000, [local(P2).pdf!]: 60_000 }), runtime: "local" }))!;
    expect(wireSize(message)).toBeLessThanOrEqual(DIGEST_MAX_BYTES);
    expect(message.attachments.filter((a) => a.contentType === "image/png").map((a) => a.cid)).toEqual(["chart-1", "chart-2"]);
    expect(message.attachments.filter((a) => a.contentType === "application/pdf")).toHaveLength(2);
    expect(message.text).not.toContain("lược bỏ");
  });

  it("attaches the .docx when no PDF was printed", async () => {
    const source: DigestSource = { ...local(P1), pdf: null, docx: `/ws/out/reports/${PERIOD}/bao-cao-${P1}.docx` };
    const message = (await composeDigest(town(7), config, templates, { documents: [source], files: files({ [source.docx!]: 30_000 }), runtime: "local" }))!;
    const docx = message.attachments.find((a) => a.filename === `bao-cao-${P1}.docx`);
    expect(docx?.contentType).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    expect(message.text).toContain(`Báo cáo đầy đủ: tệp đính kèm “bao-cao-${P1}.docx”.`);
  });
});
