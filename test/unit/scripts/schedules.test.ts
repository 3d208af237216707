import { describe, expect, it } from "vitest";
import { formatNext, startSchedules } from "../../../scripts/schedules.js";

const config = (digest: string | null, deadlines = 0) => ({
  schedule: { digest, period: "week" as const, deadlines: Array.from({ length: deadlines }, () => ({ date: "2026-11-30", title: "Hạn", remindDaysBefore: [7], step: "submission" as const })) },
});

describe("startSchedules", () => {
  it("announces the next run of the digest and of the daily reminder check, in Vietnam time", () => {
    const said: string[] = [];
    const schedules = startSchedules(config("0 7 * * 1", 1), { report: async () => undefined, onError: () => undefined, announce: (t) => said.push(t) });
    schedules.stop();
    expect(said).toHaveLength(2);
    expect(said[0]).toMatch(/^Báo cáo tuần và thư tổng hợp \(lịch “0 7 \* \* 1”\): lần tới 07:00 Thứ Hai, \d{2}\/\d{2}\/\d{4}\.$/u);
    expect(said[1]).toMatch(/^Kiểm tra hạn và gửi thư nhắc \(8 giờ sáng hằng ngày\): lần tới 08:00 /u);
  });

  it("formats the next run in Vietnam time", () => {
    expect(formatNext(new Date("2026-11-30T00:00:00Z"))).toBe("07:00 Thứ Hai, 30/11/2026");
  });

  it("schedules nothing without a digest or deadlines", () => {
    const said: string[] = [];
    startSchedules(config(null), { report: async () => undefined, onError: () => undefined, announce: (t) => said.push(t) }).stop();
    expect(said).toEqual([]);
  });

  it("runs the report when the cron fires, one run at a time, and stops", async () => {
    let runs = 0;
    let concurrent = 0;
    let overlap = false;
    const done = new Promise<void>((resolve) => {
      const schedules = startSchedules(config("* * * * * *"), {
        report: async () => {
          concurrent += 1;
          overlap ||= concurrent > 1;
          await new Promise((r) => setTimeout(r, 1500)); // longer than the interval
          concurrent -= 1;
          runs += 1;
          if (runs === 2) {
            schedules.stop();
            resolve();
          }
        },
        onError: () => undefined,
        announce: () => undefined,
      });
    });
    await done;
    expect(overlap).toBe(false);
  });
});
