/**
 * `tieuchi status [--period P]`: where each ward's programmes stand in the review cycle of a
 * period (chưa gửi → đang cập nhật → đề nghị thẩm định → đã thẩm định / trả lại → đã chốt), from
 * the records the runs stepped, with when and by whom; nothing is read from the workbooks.
 */
import { activeWards, readConfig } from "../functions/config.js";
import { closureOf } from "../functions/app/closure-record.js";
import { reviewsOf, wardsReadIn } from "../functions/app/review-store.js";
import { currentPeriod, formatLocalDateTime, organisationDate } from "../functions/core/period.js";
import { unitLabel } from "../functions/core/organisation.js";
import type { ReviewRecord, ReviewState } from "../functions/core/review-cycle.js";
import { REVIEW_STATE_LABEL, periodLabel } from "../functions/core/vocabulary.js";
import { sentenceCase } from "../functions/core/vi-format.js";
import { workspacePaths } from "../functions/adapters/local/workspace.js";
import type { Clock } from "../functions/ports.js";
import { type CliContext, type Io, ioOf } from "./cli-io.js";
import { openLocalState } from "./local-state.js";

const when = (at: string): string => formatLocalDateTime(new Date(at));
const who = (by: string | null): string => (by ? `, ${by}` : "");

/** "Đề nghị thẩm định (lúc 02/12/2026 10:00, Nguyễn Văn A)": a record's state and its last step. */
function recordLine(record: ReviewRecord | undefined, closed: boolean, read: boolean): { state: ReviewState; text: string } {
  // No record: not sent, or (read in the period's run) updating, as no step has moved it yet.
  const none: ReviewState = read ? "updating" : "not-sent";
  if (!record) return { state: closed ? "closed" : none, text: closed ? `${REVIEW_STATE_LABEL.closed} (trước khi chốt: ${REVIEW_STATE_LABEL[none]})` : REVIEW_STATE_LABEL[none] };
  const detail: string[] = [];
  if (record.submittedAt) detail.push(`đề nghị lúc ${when(record.submittedAt)}${who(record.submittedBy)}`);
  if (record.state === "returned" && record.returnedAt) detail.push(`trả lại lúc ${when(record.returnedAt)}`);
  if (record.appraisedAt) detail.push(`thẩm định xong lúc ${when(record.appraisedAt)}${who(record.appraisedBy)}`);
  const label = closed ? `${REVIEW_STATE_LABEL.closed} (trước khi chốt: ${REVIEW_STATE_LABEL[record.state]})` : REVIEW_STATE_LABEL[record.state];
  return { state: closed ? "closed" : record.state, text: `${label}${detail.length ? ` — ${detail.join("; ")}` : ""}` };
}

/** `tieuchi status`: exit 0. */
export async function commandStatus(options: { dir: string; period: string | undefined }, ctx: CliContext, io: Io, clock: Clock): Promise<number> {
  const config = await readConfig(workspacePaths(options.dir).config, ctx.env);
  const period = options.period ?? currentPeriod(config.schedule.period, clock.now());
  const { kv } = await openLocalState(options.dir, clock, (line) => ioOf(ctx).err(line));
  const [reviews, closure, read] = await Promise.all([reviewsOf(kv, period), closureOf(kv, period), wardsReadIn(kv, period)]);
  const closed = closure?.closed === true;
  const lastClose = [...(closure?.events ?? [])].reverse().find((e) => e.kind === "close");
  io.out(`Quy trình thẩm định ${periodLabel(period)}${closed && lastClose ? ` (đã chốt lúc ${when(lastClose.at)}, người chốt: ${lastClose.by})` : ""}:`);
  const counts = new Map<ReviewState, number>();
  for (const ward of activeWards(config.wards, organisationDate(period, clock.now()))) {
    io.out(`${sentenceCase(unitLabel(ward))}`);
    const records = reviews.get(ward.id) ?? [];
    for (const catalogue of config.catalogues) {
      const line = recordLine(records.find((r) => r.programmeId === catalogue.id), closed, read.has(ward.id));
      counts.set(line.state, (counts.get(line.state) ?? 0) + 1);
      io.out(`  ${catalogue.shortName}: ${line.text}`);
    }
  }
  const totals = (Object.keys(REVIEW_STATE_LABEL) as ReviewState[]).filter((s) => counts.get(s)).map((s) => `${REVIEW_STATE_LABEL[s]}: ${counts.get(s)}`);
  io.out(`Tổng số bảng tự đánh giá theo trạng thái — ${totals.join("; ")}.`);
  if (!reviews.size && !read.size && !closed) io.out("(Chưa có bước nào được ghi nhận: trạng thái được ghi mỗi lần chạy “tieuchi run”, “tieuchi report” hoặc “tieuchi start”.)");
  return 0;
}
