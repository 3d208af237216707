/**
 * `tieuchi close --period P` and `tieuchi reopen --period P --reason "…"`: freeze a period's
 * figures, or open them again with a recorded reason, over the workspace's state store. The
 * actor is the OS user running the command (this is the composition root: app code never reads
 * the environment).
 */
import { rm } from "node:fs/promises";
import { userInfo } from "node:os";
import { join } from "node:path";
import { closePeriod, pendingAppraisals, reopenPeriod } from "../functions/app/period-close.js";
import { snapshotKey } from "../functions/app/snapshot-store.js";
import { readConfig } from "../functions/config.js";
import { REVIEW_STATE_LABEL } from "../functions/core/vocabulary.js";
import type { Closure, ClosureEvent } from "../functions/app/closure-record.js";
import { formatLocalDateTime } from "../functions/core/period.js";
import { periodLabel, sentenceCase } from "../functions/core/vi-format.js";
import { UsageError } from "../functions/errors.js";
import type { Clock, StoredSnapshot } from "../functions/ports.js";
import type { CliContext, Io } from "./cli-io.js";
import { ioOf } from "./cli-io.js";
import { openLocalState } from "./local-state.js";
import { workspacePaths } from "../functions/adapters/local/workspace.js";

/** The OS user name, or a plain word when the system cannot say. */
export function osUser(): string {
  try {
    return userInfo().username || "không rõ";
  } catch {
    return "không rõ";
  }
}

const when = (at: string): string => formatLocalDateTime(new Date(at));

/** One line of a period's close/reopen history. */
function eventLine(event: ClosureEvent): string {
  return event.kind === "close"
    ? `  - ${when(event.at)}: chốt kỳ, người chốt: ${event.by}, mã số liệu ${event.hash.slice(0, 12)}…`
    : `  - ${when(event.at)}: mở lại, người mở: ${event.by}, lý do: “${event.reason}”`;
}

function printHistory(closure: Closure, io: Io): void {
  io.out(`Lịch sử chốt và mở lại ${periodLabel(closure.period)}:`);
  closure.events.forEach((e) => io.out(eventLine(e)));
}

/** Programme short names by id, from the workspace's config (ids when it cannot be read). */
async function programmeNamesOf(dir: string, ctx: CliContext): Promise<Map<string, string>> {
  const config = await readConfig(workspacePaths(dir).config, ctx.env).catch(() => null);
  return new Map((config?.catalogues ?? []).map((c) => [c.id, c.shortName]));
}

interface CloseOptions {
  dir: string;
  period: string | undefined;
  reason?: string | undefined;
}

function requirePeriod(command: "close" | "reopen", period: string | undefined): string {
  if (period) return period;
  throw new UsageError(`lệnh ${command} cần ghi rõ kỳ: tieuchi ${command} --period 2026-11${command === "reopen" ? ' --reason "lý do mở lại"' : ""}.`);
}

/** `tieuchi close`: exit 0 when this command closed the period (already closed: a PeriodError, exit 2). */
export async function commandClose(options: CloseOptions, ctx: CliContext, io: Io, clock: Clock): Promise<number> {
  const period = requirePeriod("close", options.period);
  const { kv } = await openLocalState(options.dir, clock, (line) => ioOf(ctx).err(line));
  // Read before the close freezes it: the states the wards were in (closing is the office's decision, so only a warning).
  const before = (await kv.get<StoredSnapshot>(snapshotKey(period)).catch(() => null))?.value;
  const closure = await closePeriod(kv, period, { by: osUser(), clock });
  io.out(`Đã chốt ${periodLabel(period)}. Mã số liệu đã chốt (sha256): ${closure.hash ?? ""}.`);
  const pending = before ? pendingAppraisals(before) : [];
  if (pending.length) {
    const names = await programmeNamesOf(options.dir, ctx);
    io.out(`Cảnh báo: ${pending.length} bảng tự đánh giá chưa được thẩm định xong khi chốt kỳ (số liệu chốt là kết quả tự đánh giá):`);
    pending.forEach((p) => io.out(`  - ${p.ward}, ${names.get(p.programmeId) ?? p.programmeId}: ${REVIEW_STATE_LABEL[p.state]}`));
  }
  io.out(`Từ nay số liệu và báo cáo của kỳ này giữ nguyên; các sửa đổi sau đó được ghi nhận “sửa sau khi đã chốt kỳ”. Muốn mở lại: tieuchi reopen --period ${period} --reason "lý do".`);
  printHistory(closure, io);
  return 0;
}

/** `tieuchi reopen`: the reason is required (UsageError in Vietnamese when missing). */
export async function commandReopen(options: CloseOptions, ctx: CliContext, io: Io, clock: Clock): Promise<number> {
  const period = requirePeriod("reopen", options.period);
  if (!options.reason?.trim()) throw new UsageError(`mở lại ${periodLabel(period)} cần ghi lý do: tieuchi reopen --period ${period} --reason "lý do mở lại".`);
  const { kv } = await openLocalState(options.dir, clock, (line) => ioOf(ctx).err(line));
  const closure = await reopenPeriod(kv, period, options.reason, { by: osUser(), clock });
  // The next run checks every ward again, so no feedback keeps a “sửa sau khi đã chốt kỳ” warning (the cache is always safe to drop).
  await rm(join(workspacePaths(options.dir).state, "parse-cache"), { recursive: true, force: true });
  io.out(`${sentenceCase(periodLabel(period))} đã được mở lại. Lý do: “${options.reason.trim()}”. Lần chạy tiếp theo sẽ tính lại số liệu từ các bảng tự đánh giá.`);
  printHistory(closure, io);
  return 0;
}
