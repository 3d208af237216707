import { describe, expect, it } from "vitest";
import { parseConfigText } from "../../functions/config.js";

const BASE = `
agency:
  parent: CÔNG AN TỈNH NGHỆ AN
  issuer: CÔNG AN TỈNH NGHỆ AN
  documentCode: CAT
  place: Nghệ An
  signer: { authority: GIÁM ĐỐC, name: Nguyễn Văn An }
programmes:
  - { id: ca-phuong-dien-hinh, catalogue: "builtin:ca-phuong-dien-hinh" }
`;

const problemsOf = (source: string): Array<{ path: string; message: string }> => {
  const result = parseConfigText(source, {});
  return result.success ? [] : result.problems.map(({ path, message }) => ({ path, message }));
};

describe("organisation and unit kinds in the config", () => {
  it("accepts kinds, groups and the supervising level with dates", () => {
    const result = parseConfigText(
      `${BASE}organisation: { level: tỉnh, name: Nghệ An, effectiveFrom: "2025-07-01" }
wards:
  - { id: nghi-loc, name: Nghi Lộc, kind: xã, group: Cụm 1 }
  - { id: vinh-hung, name: Vinh Hưng, kind: phường }
  - { id: cua-lo, name: Cửa Lò }
`,
      {},
    );
    if (!result.success) throw new Error(JSON.stringify(result.problems));
    expect(result.data.organisation).toEqual({ level: "tỉnh", name: "Nghệ An", effectiveFrom: "2025-07-01" });
    expect(result.data.wards.map((w) => [w.kind, w.group])).toEqual([["xã", "Cụm 1"], ["phường", undefined], [undefined, undefined]]);
  });

  it("lists the valid kinds and levels in Vietnamese", () => {
    const problems = problemsOf(`${BASE}organisation: { level: quận, name: Vinh }
wards:
  - { id: nghi-loc, name: Nghi Lộc, kind: huyện }
`);
    expect(problems).toEqual([
      { path: "organisation.level", message: expect.stringContaining("cần một trong các cấp: tỉnh, thành phố, thị xã, huyện") },
      { path: "wards[0].kind", message: expect.stringContaining("cần một trong các loại đơn vị: xã, phường, đặc khu, thị trấn") },
    ]);
  });

  it("checks the order of the organisation's dates and names a unit by its kind", () => {
    const problems = problemsOf(`${BASE}organisation: { level: thị xã, name: Cửa Lò, effectiveFrom: "2023-01-01", effectiveTo: "2022-12-31" }
wards:
  - { id: nghi-loc, name: Nghi Lộc, kind: xã, effectiveFrom: "2024-02-01", effectiveTo: "2024-01-01" }
  - { id: nghi-loc, name: Nghi Long, kind: xã }
`);
    expect(problems.map((p) => p.path)).toEqual(expect.arrayContaining(["organisation.effectiveTo", "wards[0].effectiveTo", "wards[1].id"]));
    expect(problems.find((p) => p.path === "wards[0].effectiveTo")?.message).toContain("xã sẽ không có mặt trong kỳ nào");
    expect(problems.find((p) => p.path === "organisation.effectiveTo")?.message).toContain("đơn vị chủ quản sẽ không có mặt");
  });

  it("names a clashing unit by its kind", () => {
    const problems = problemsOf(`${BASE}wards:
  - { id: nghi-loc, name: Nghi Lộc, kind: xã }
  - { id: nghi-loc-2, name: Nghi Lộc, kind: xã }
`);
    expect(problems[0]?.message).toContain("của xã nghi-loc (wards[0])");
  });
});
