/** The `reports` block of the config: numbering, the ward notice's Nơi nhận, which criteria are "common". */
import { describe, expect, it } from "vitest";
import { parseConfigText } from "../../functions/config.js";

const BASE = `
agency:
  parent: Công an tỉnh Nghệ An
  issuer: Công an thị xã Cửa Lò
  documentCode: CATX
  place: Cửa Lò
  signer: { authority: Trưởng Công an thị xã, name: Nguyễn Văn An }
programmes:
  - { id: ca-phuong-dien-hinh, catalogue: "builtin:ca-phuong-dien-hinh" }
wards:
  - { id: thu-thuy, name: Thu Thủy }
`;

const parse = (reports: string) => parseConfigText(`${BASE}reports:\n${reports}`, {});

describe("config reports", () => {
  it("defaults to blank numbers, no extra notice lines and criteria not met by 2 wards", () => {
    const result = parseConfigText(BASE, {});
    if (!result.success) throw new Error(JSON.stringify(result.problems));
    expect(result.data.reports).toEqual({ numbering: { mode: "blank", start: 1 }, distribution: [], noticeDistribution: [], archive: "VT", commonGaps: { minWards: 2, minShare: null } });
  });

  it("reads a sequence, the notice's Nơi nhận and a share", () => {
    const result = parse("  numbering: { mode: sequence, start: 40 }\n  noticeDistribution: [Lãnh đạo Công an thị xã (để b/c)]\n  commonGaps: { minWards: 3, minShare: 0.3 }\n");
    if (!result.success) throw new Error(JSON.stringify(result.problems));
    expect(result.data.reports).toMatchObject({ numbering: { mode: "sequence", start: 40 }, noticeDistribution: ["Lãnh đạo Công an thị xã (để b/c)"], commonGaps: { minWards: 3, minShare: 0.3 } });
  });

  it("says what replaces the old fixed number", () => {
    const result = parse("  number: 5\n");
    expect(result.success ? null : result.problems[0]?.message).toBe(
      "khóa “number” không còn dùng (mọi văn bản sẽ mang cùng một số): thay bằng “numbering: { mode: blank }” để văn thư cấp số khi ban hành, hoặc “numbering: { mode: sequence, start: 5 }” để tự cấp số theo loại văn bản và năm, bắt đầu từ 5",
    );
  });

  it.each([
    ["the old fixed number", "  number: 5\n", "reports.number"],
    ["an unknown mode", "  numbering: { mode: auto }\n", "reports.numbering.mode"],
    ["a start of 0", "  numbering: { mode: sequence, start: 0 }\n", "reports.numbering.start"],
    ["a share above 1", "  commonGaps: { minShare: 30 }\n", "reports.commonGaps.minShare"],
    ["no ward at all", "  commonGaps: { minWards: 0 }\n", "reports.commonGaps.minWards"],
  ])("refuses %s at its path", (_label, reports, path) => {
    const result = parse(reports);
    expect(result.success ? [] : result.problems.map((p) => p.path)).toEqual([path]);
  });
});
