/**
 * The schedules `tieuchi start` keeps while it watches: the digest on its cron expression
 * and a daily reminder check, both in Asia/Ho_Chi_Minh. Each run is a full report run; the
 * ledger makes repeated runs send nothing twice.
 */
import { Cron } from "croner";
import type { Config } from "../functions/config.js";

const TIMEZONE = "Asia/Ho_Chi_Minh";
/** Reminders are checked every morning at 08:00 Vietnam time. */
export const REMINDER_CRON = "0 8 * * *";

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
  const expressions = [config.schedule.digest, config.schedule.deadlines.length ? REMINDER_CRON : null].filter((e): e is string => e !== null);
  for (const expression of new Set(expressions)) {
    const job = new Cron(expression, { timezone: TIMEZONE, protect: true }, enqueue);
    jobs.push(job);
    const next = job.nextRun();
    if (next) hooks.announce(`Lịch “${expression}”: lần chạy tới ${next.toLocaleString("vi-VN", { timeZone: TIMEZONE })}.`);
  }
  return { stop: () => jobs.forEach((j) => j.stop()) };
}
