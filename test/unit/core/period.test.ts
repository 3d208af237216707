import { describe, expect, it } from "vitest";
import { activeWards, type WardConfig } from "../../../functions/config.js";
import { organisationDate, periodDates, periodTense, weekPeriod } from "../../../functions/core/period.js";

describe("periodDates", () => {
  it.each([
    ["2026-W40", { start: "2026-09-28", end: "2026-10-04" }],
    ["2026-W01", { start: "2025-12-29", end: "2026-01-04" }],
    ["2020-W53", { start: "2020-12-28", end: "2021-01-03" }],
    ["2023-W47", { start: "2023-11-20", end: "2023-11-26" }],
  ])("%s runs from Monday to Sunday", (period, dates) => {
    expect(periodDates(period)).toEqual(dates);
    expect(weekPeriod(new Date(`${dates.start}T00:00:00+07:00`))).toBe(period);
    expect(weekPeriod(new Date(`${dates.end}T23:59:59+07:00`))).toBe(period);
  });

  it.each(["2025-W53", "2026-W00", "2026-48", "tuần 48"])("%s is not a period key", (period) => {
    expect(periodDates(period)).toBeNull();
  });
});

describe("periodTense and organisationDate", () => {
  const now = new Date("2026-11-27T03:00:00Z"); // week 48
  it("tells closed, current and future weeks apart", () => {
    expect(periodTense("2026-W40", now)).toBe("closed");
    expect(periodTense("2025-W52", now)).toBe("closed");
    expect(periodTense("2026-W48", now)).toBe("current");
    expect(periodTense("2026-W49", now)).toBe("future");
  });

  it("follows a closed period's last day, and today while it runs", () => {
    expect(organisationDate("2023-W47", now)).toBe("2023-11-26");
    expect(organisationDate("2026-W48", now)).toBe("2026-11-27");
  });

  it("keeps a ward merged away in 2024 in 2023's list of wards", () => {
    const wards: WardConfig[] = [
      { id: "nghi-thu", name: "Nghi Thu", aliases: [], contacts: [], effectiveFrom: "2023-01-01", effectiveTo: "2024-11-30" },
      { id: "cua-lo", name: "Cửa Lò", aliases: [], contacts: [], effectiveFrom: "2025-07-01" },
    ];
    expect(activeWards(wards, organisationDate("2023-W47", now)).map((w) => w.id)).toEqual(["nghi-thu"]);
    expect(activeWards(wards, organisationDate("2026-W48", now)).map((w) => w.id)).toEqual(["cua-lo"]);
  });
});
