import { describe, expect, it } from "vitest";
import { NOTICE_LINES, documentLines } from "../../../scripts/document-lines.js";

const town = { key: "town/p1/2026-W49", title: "Báo cáo P1 (tuần 49/2026)", location: "ws/out/reports/2026-W49/bao-cao-p1.html", pdf: "x.pdf", docx: "x.docx" };
const notice = (id: string, prefix: string) => ({ key: `ward/${id}/2026-W49`, title: `Thông báo ${prefix} ${id} (tuần 49/2026)`, location: `ws/out/reports/2026-W49/${prefix}-${id}.html`, pdf: `${id}.pdf`, docx: `${id}.docx` });
const show = (p: string): string => p;

describe("documentLines", () => {
  it("lists every document of a town's few wards, with the files beside the HTML", () => {
    const lines = documentLines([town, notice("nghi-huong", "phuong")], { show, kinds: ["phường"], period: "tuần 49/2026" });
    expect(lines).toEqual([
      "  Báo cáo P1 (tuần 49/2026): ws/out/reports/2026-W49/bao-cao-p1.html (+ DOCX, PDF)",
      "  Thông báo phuong nghi-huong (tuần 49/2026): ws/out/reports/2026-W49/phuong-nghi-huong.html (+ DOCX, PDF)",
    ]);
  });

  it("puts a province's notices on one line: count with the units' kinds, folder, name patterns", () => {
    const notices = Array.from({ length: 130 }, (_, i) => notice(`don-vi-${i}`, i % 3 === 0 ? "phuong" : i === 7 ? "dac-khu" : "xa"));
    const lines = documentLines([town, ...notices], { show, kinds: ["xã", "phường", "đặc khu"], period: "tuần 49/2026" });
    expect(lines).toEqual([
      "  Báo cáo P1 (tuần 49/2026): ws/out/reports/2026-W49/bao-cao-p1.html (+ DOCX, PDF)",
      "  Thông báo cho 130 xã, phường, đặc khu (tuần 49/2026): ws/out/reports/2026-W49/ (phuong-*.html, xa-*.html, dac-khu-*.html) (+ DOCX, PDF)",
    ]);
  });

  it("still lists them one by one at the limit", () => {
    const notices = Array.from({ length: NOTICE_LINES }, (_, i) => notice(`w${i}`, "xa"));
    expect(documentLines(notices, { show, kinds: ["xã"], period: "tuần 49/2026" })).toHaveLength(NOTICE_LINES);
  });
});
