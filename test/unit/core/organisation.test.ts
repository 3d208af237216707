import { describe, expect, it } from "vitest";
import { type UnitKind, unitCount, unitKindOf, unitLabel, unitPolice, unitsNoun } from "../../../functions/core/organisation.js";
import { findWard, matchesWard } from "../../../functions/core/ward-identity.js";

describe("unit wording follows the kind", () => {
  it.each([
    [{ name: "Nghi Hương" }, "phường Nghi Hương"],
    [{ name: "Nghi Lộc", kind: "xã" as const }, "xã Nghi Lộc"],
    [{ name: "Phú Quốc", kind: "đặc khu" as const }, "đặc khu Phú Quốc"],
    [{ name: "Quán Hành", kind: "thị trấn" as const }, "thị trấn Quán Hành"],
  ])("%o is %s", (unit, label) => {
    expect(unitLabel(unit)).toBe(label);
    expect(unitPolice(unit)).toBe(`Công an ${label}`);
  });

  it("defaults to phường when the config names no kind", () => {
    expect(unitKindOf({})).toBe("phường");
    expect(unitKindOf({ kind: "xã" })).toBe("xã");
  });

  it.each<[UnitKind[], string]>([
    [[], "phường"],
    [["phường", "phường"], "phường"],
    [["xã", "xã"], "xã"],
    [["phường", "xã"], "xã, phường"],
    [["đặc khu", "phường", "xã", "xã"], "xã, phường, đặc khu"],
    [["thị trấn", "xã"], "xã, thị trấn"],
  ])("the collective noun of %j is “%s”", (kinds, noun) => {
    expect(unitsNoun(kinds)).toBe(noun);
  });

  it("counts units with their collective noun", () => {
    expect(unitCount(7, Array<UnitKind>(7).fill("phường"))).toBe("7 phường");
    expect(unitCount(130, [...Array<UnitKind>(112).fill("xã"), ...Array<UnitKind>(18).fill("phường")])).toBe("130 xã, phường");
    expect(unitCount(3321, ["phường", "đặc khu", "xã"])).toBe("3.321 xã, phường, đặc khu");
  });
});

describe("names typed with any kind's prefix", () => {
  const ward = { id: "nghi-loc", name: "Nghi Lộc", aliases: [] };
  it.each(["Xã Nghi Lộc", "UBND xã Nghi Lộc", "Công an xã NGHI LỘC", "nghi loc", "Phường Nghi Lộc"])("“%s” names xã Nghi Lộc", (typed) => {
    expect(matchesWard(typed, ward)).toBe(true);
  });

  it("does not match another unit or a half name", () => {
    expect(matchesWard("Xã Nghi Long", ward)).toBe(false);
    expect(matchesWard("Nghi", ward)).toBe(false);
    expect(findWard("Đặc khu Cồn Cỏ", [ward, { id: "con-co", name: "Cồn Cỏ", aliases: [] }])?.id).toBe("con-co");
  });
});
