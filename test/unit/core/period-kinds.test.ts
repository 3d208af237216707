import { describe, expect, it } from "vitest";
import { currentPeriod, organisationDate, parsePeriodKey, periodDates, periodKind, periodTense, samePeriodKind } from "../../../functions/core/period.js";
import { periodFromText, periodLabel } from "../../../functions/core/vocabulary.js";

// 27/11/2026 10:00 in Vietnam; 2026-11-30T17:30Z is already 1 December there.
const NOW = new Date("2026-11-27T03:00:00Z");

describe("currentPeriod", () => {
  it.each([
    ["week", "2026-W48"],
    ["month", "2026-11"],
    ["quarter", "2026-Q4"],
    ["half", "2026-H2"],
    ["year", "2026"],
  ] as const)("names the running %s with a sortable key", (kind, key) => {
    expect(currentPeriod(kind, NOW)).toBe(key);
    expect(periodKind(key)).toBe(kind);
  });

  it("follows the Vietnamese calendar, not UTC", () => {
    expect(currentPeriod("month", new Date("2026-11-30T17:30:00Z"))).toBe("2026-12");
    expect(currentPeriod("year", new Date("2026-12-31T17:00:00Z"))).toBe("2027");
    expect(currentPeriod("half", new Date("2026-06-30T16:59:59Z"))).toBe("2026-H1");
    expect(currentPeriod("half", new Date("2026-06-30T17:00:00Z"))).toBe("2026-H2");
  });
});

describe("periodDates for every kind", () => {
  it.each([
    ["2026-11", "2026-11-01", "2026-11-30"],
    ["2028-02", "2028-02-01", "2028-02-29"],
    ["2026-Q1", "2026-01-01", "2026-03-31"],
    ["2026-Q4", "2026-10-01", "2026-12-31"],
    ["2026-H1", "2026-01-01", "2026-06-30"],
    ["2026-H2", "2026-07-01", "2026-12-31"],
    ["2026", "2026-01-01", "2026-12-31"],
    ["2026-W49", "2026-11-30", "2026-12-06"],
  ])("%s runs from %s to %s", (key, start, end) => {
    expect(periodDates(key)).toEqual({ start, end });
  });

  it.each(["2026-13", "2026-00", "2026-Q5", "2026-H3", "2025-W53", "26", "2026-1", "tháng 11/2026"])("%s is not a key", (key) => {
    expect(parsePeriodKey(key)).toBeNull();
    expect(periodDates(key)).toBeNull();
  });
});

describe("periodTense and organisationDate for every kind", () => {
  it.each([
    ["2026-10", "closed"],
    ["2026-11", "current"],
    ["2026-12", "future"],
    ["2026-Q3", "closed"],
    ["2026-Q4", "current"],
    ["2026-H1", "closed"],
    ["2026-H2", "current"],
    ["2025", "closed"],
    ["2026", "current"],
    ["2027", "future"],
  ])("%s is %s on 27/11/2026", (key, tense) => {
    expect(periodTense(key, NOW)).toBe(tense);
  });

  it("follows a closed quarter's last day and today in a running year", () => {
    expect(organisationDate("2026-Q3", NOW)).toBe("2026-09-30");
    expect(organisationDate("2026", NOW)).toBe("2026-11-27");
  });

  it("compares only periods of one kind", () => {
    expect(samePeriodKind("2026-11", "2026-10")).toBe(true);
    expect(samePeriodKind("2026-11", "2026-W48")).toBe(false);
    expect(samePeriodKind("2026", "2026-Q4")).toBe(false);
  });
});

describe("period labels", () => {
  it.each([
    ["2026-W49", "tuần 49/2026"],
    ["2026-W05", "tuần 5/2026"],
    ["2026-11", "tháng 11/2026"],
    ["2026-03", "tháng 3/2026"],
    ["2026-Q4", "quý IV/2026"],
    ["2026-Q1", "quý I/2026"],
    ["2026-H1", "6 tháng đầu năm 2026"],
    ["2026-H2", "6 tháng cuối năm 2026"],
    ["2026", "năm 2026"],
  ])("%s reads “%s” and is read back", (key, label) => {
    expect(periodLabel(key)).toBe(label);
    expect(periodFromText(label)).toBe(key);
    expect(periodFromText(label.toUpperCase())).toBe(key);
  });

  it.each([
    ["2026-w49", "2026-W49"],
    ["2026-w5", "2026-W05"],
    ["2026-q4", "2026-Q4"],
    ["2026-h2", "2026-H2"],
    ["2026-3", "2026-03"],
    ["  Quý 4 / 2026 ", "2026-Q4"],
    ["quý IV năm 2026", "2026-Q4"],
    ["tháng 11 năm 2026", "2026-11"],
    ["Tuần 48 năm 2026", "2026-W48"],
  ])("reads “%s” as %s", (text, key) => {
    expect(periodFromText(text)).toBe(key);
  });

  it.each(["tuần 53/2025", "tháng 13/2026", "quý V/2026", "2026-W00", "hôm nay", "6 tháng giữa năm 2026", ""])("refuses “%s”", (text) => {
    expect(periodFromText(text)).toBeNull();
  });
});
