/**
 * The schedules `tieuchi start` keeps while it watches: the digest on its cron expression
 * and a daily reminder check, both in Asia/Ho_Chi_Minh. Each run is a full report run; the
 * ledger makes repeated runs send nothing twice.
 */
import { Cron } from "croner";
import type { Config } from "../functions/config.js";
import { PERIOD_KIND_NAME } from "../functions/core/vocabulary.js";

const TIMEZONE = "Asia/Ho_Chi_Minh";
/** Reminders are checked every morning at 08:00 Vietnam time. */
export const REMINDER_CRON = "0 8 * * *";

/** "07:00 Thứ Hai, 30/11/2026" in Vietnam time. */
export function formatNext(instant: Date): string {
  const part = (options: Intl.DateTimeFormatOptions): string => new Intl.DateTimeFormat("vi-VN", { timeZone: TIMEZONE, ...options }).format(instant);
  const time = part({ hour: "2-digit", minute: "2-digit", hour12: false });
  const weekday = part({ weekday: "long" });
  const date = part({ day: "2-digit", month: "2-digit", year: "numeric" });
  return `${time} ${weekday.charAt(0).toUpperCase()}${weekday.slice(1)}, ${date}`;
}

export interface ScheduleHooks {
  report(): Promise<void>;
  onError(error: unknown): void;
  announce(text: string): void;
}

export function startSchedules(config: Pick<Config, "schedule">, hooks: ScheduleHooks): { stop(): void } {
  const jobs: Cron[] = [];
  let running: Promise<void> = Promise.resolve();
  // One report at a time: a digest and a reminder check falling together run one after the other.
  const enqueue = (): void => {
    running = running.then(hooks.report).catch(hooks.onError);
  };
  const planned: Array<[string, string]> = [];
  if (config.schedule.digest) planned.push([config.schedule.digest, `Báo cáo ${PERIOD_KIND_NAME[config.schedule.period]} và thư tổng hợp (lịch “${config.schedule.digest}”)`]);
  if (config.schedule.deadlines.length) planned.push([REMINDER_CRON, "Kiểm tra hạn và gửi thư nhắc (8 giờ sáng hằng ngày)"]);
  for (const [expression, label] of planned) {
    const job = new Cron(expression, { timezone: TIMEZONE, protect: true }, enqueue);
    jobs.push(job);
    const next = job.nextRun();
    if (next) hooks.announce(`${label}: lần tới ${formatNext(next)}.`);
  }
  return { stop: () => jobs.forEach((j) => j.stop()) };
}
