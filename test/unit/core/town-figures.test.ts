/** The figures a town document states: ranks with ties, change both ways, the rule in words. */
import { describe, expect, it } from "vitest";
import type { WardRow } from "../../../functions/core/aggregate-town.js";
import { gapThreshold } from "../../../functions/core/common-gaps.js";
import { averageMet, bandsText, namedList, qualifyingChange, rankWards, recognitionRuleText, wardChangeText } from "../../../functions/core/town-figures.js";

/** A ward row with only what a case sets. */
function row(id: string, met: number | "missing" | "unreadable" | "empty", extra: Partial<WardRow> = {}): WardRow {
  const absent = typeof met === "string";
  return {
    id, name: id, status: met === "missing" || met === "unreadable" ? met : "ok", filled: !absent, met: absent ? 0 : met, total: 22,
    points: null, maxPoints: null, band: null, recognised: met === 22, errors: 0, warnings: 0, leftOut: [], change: null, ...extra,
  };
}

describe("rankWards", () => {
  it.each([
    { name: "distinct", rows: [row("a", 20), row("b", 22), row("c", 18)], ranks: { b: 1, a: 2, c: 3 } },
    { name: "ties share a rank, the next rank skips", rows: [row("a", 21), row("b", 21), row("c", 19), row("d", 22)], ranks: { d: 1, a: 2, b: 2, c: 4 } },
    { name: "points break ties of criteria met", rows: [row("a", 30, { points: 40 }), row("b", 30, { points: 47.5 }), row("c", 30, { points: 40 })], ranks: { b: 1, a: 2, c: 2 } },
    { name: "missing, unreadable and empty wards are unranked, never last with 0", rows: [row("a", 5), row("m", "missing"), row("u", "unreadable"), row("e", "empty")], ranks: { a: 1 } },
  ])("$name", ({ rows, ranks }) => {
    expect(Object.fromEntries(rankWards(rows))).toEqual(ranks);
  });
});

describe("averageMet", () => {
  it("averages only assessed wards", () => {
    expect(averageMet([row("a", 20), row("b", 18), row("m", "missing"), row("u", "unreadable")])).toBe(19);
    expect(averageMet([row("m", "missing")])).toBeNull();
  });
});

describe("change wording", () => {
  const changed = (id: string, met: number, delta: number): WardRow => row(id, met, { change: { met: delta, recognisedBefore: false } });
  it.each([
    { name: "both ways", rows: [changed("Nghi Hương", 18, 3), changed("Nghi Thu", 19, -1), changed("Nghi Tân", 20, 0)], text: "tăng: Nghi Hương (+3); giảm: Nghi Thu (−1); không thay đổi: 1 phường" },
    { name: "only decreases are still listed", rows: [changed("Nghi Thu", 19, -2)], text: "giảm: Nghi Thu (−2)" },
    { name: "nothing moved", rows: [changed("a", 19, 0), changed("b", 20, 0)], text: "không thay đổi" },
    { name: "a ward that did not send is no drop", rows: [changed("a", 19, 1), row("Nghi Hải", "missing", { change: { met: -22, recognisedBefore: true } })], text: "tăng: a (+1)" },
    { name: "nothing to compare", rows: [row("a", 19), row("m", "missing")], text: null },
  ])("$name", ({ rows, text }) => expect(wardChangeText(rows)).toBe(text));
});

describe("the recognition rule and bands in words", () => {
  const criteria = Array.from({ length: 22 }, () => ({}) as never);
  it.each([
    [{ kind: "all-met" as const }, "phường được đề nghị công nhận khi đạt 22/22 tiêu chí và bảng tự đánh giá không còn lỗi"],
    [{ kind: "min-met" as const, min: 20 }, "phường được đề nghị công nhận khi đạt từ 20/22 tiêu chí trở lên và bảng tự đánh giá không còn lỗi"],
    [{ kind: "points" as const, minPercent: 87.5 }, "phường được đề nghị công nhận khi điểm tự chấm đạt từ 87,5% điểm tối đa trở lên và bảng tự đánh giá không còn lỗi"],
  ])("%o", (recognition, text) => expect(recognitionRuleText({ recognition, criteria })).toBe(text));

  it("names every band and says points do not replace the criteria", () => {
    const bands = [{ name: "Khá", minPercent: 70 }, { name: "Yếu", minPercent: 0 }, { name: "Xuất sắc", minPercent: 90 }];
    expect(bandsText({ recognition: { kind: "all-met", bands } })).toBe(
      "Điểm tự chấm của các tiêu chí chấm điểm được xếp loại Xuất sắc (từ 90% điểm tối đa), Khá (từ 70% điểm tối đa), Yếu (dưới 70%); xếp loại theo điểm không thay cho điều kiện về số tiêu chí đạt.",
    );
    expect(bandsText({ recognition: { kind: "all-met" } })).toBeNull();
  });
});

describe("gapThreshold", () => {
  it.each([
    [{ minWards: 2, minShare: null }, 7, 2],
    [{ minWards: 2, minShare: 0.5 }, 7, 4],
    [{ minWards: 2, minShare: 0.1 }, 7, 2],
    [{ minWards: 2, minShare: 0.3 }, 130, 39],
    [{ minWards: 1, minShare: null }, 0, 1],
  ])("%o over %d wards → %d", (settings, assessed, threshold) => expect(gapThreshold(settings, assessed)).toBe(threshold));
});

describe("namedList", () => {
  it.each([
    [["A"], "A"],
    [["A", "B", "C"], "A, B, C"],
    [["A", "B", "C", "D"], "A, B, C và 1 xã, phường khác"],
  ])("%o → %s", (names, text) => expect(namedList(names, "xã, phường", 3)).toBe(text));
});

describe("qualifyingChange", () => {
  it("counts wards that now meet every criterion, minus those that no longer do, among wards assessed in both periods", () => {
    const rows = [
      row("gained", 22, { change: { met: 2, recognisedBefore: false } }),
      row("lost", 20, { change: { met: -2, recognisedBefore: true } }),
      row("kept", 22, { change: { met: 0, recognisedBefore: true } }),
      row("lost-too", 21, { change: { met: -1, recognisedBefore: true } }),
      // Stored before the fix: a missing ward carried a change; it is no drop.
      row("missing", "missing", { change: { met: -22, recognisedBefore: true } }),
    ];
    expect(qualifyingChange(rows)).toBe(-1);
  });
});
