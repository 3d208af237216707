/**
 * `tieuchi status [--period P]`: where each ward's programmes stand in the review cycle of a
 * period (chưa gửi → đang cập nhật → đề nghị thẩm định → đã thẩm định / trả lại → đã chốt), from
 * the records the runs stepped, with when and by whom; nothing is read from the workbooks. A
 * province's 130 units are summed up (counts, the units a step moved, the others by state on one
 * line each) unless --all asks for every unit.
 */
import { activeWards, readConfig, type WardConfig } from "../functions/config.js";
import { closureOf } from "../functions/app/closure-record.js";
import { reviewsOf, wardsReadIn } from "../functions/app/review-store.js";
import { currentPeriod, formatLocalDateTime, organisationDate } from "../functions/core/period.js";
import { unitCount, unitKindOf, unitLabel } from "../functions/core/organisation.js";
import type { ReviewRecord, ReviewState } from "../functions/core/review-cycle.js";
import { REVIEW_STATE_LABEL, periodLabel } from "../functions/core/vocabulary.js";
import { sentenceCase } from "../functions/core/vi-format.js";
import { workspacePaths } from "../functions/adapters/local/workspace.js";
import type { Clock } from "../functions/ports.js";
import type { Catalogue } from "../sheets-schema/catalogue.js";
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

const STATE_ORDER = Object.keys(REVIEW_STATE_LABEL) as ReviewState[];

/** "Chưa gửi: 14; Đang cập nhật: 116": how many programme tabs are in each state, in the cycle's order. */
function stateCounts(programmes: ReadonlyArray<{ state: ReviewState }>): string {
  const counts = new Map<ReviewState, number>();
  for (const p of programmes) counts.set(p.state, (counts.get(p.state) ?? 0) + 1);
  return STATE_ORDER.filter((s) => counts.get(s)).map((s) => `${REVIEW_STATE_LABEL[s]}: ${counts.get(s)}`).join("; ");
}

/** Units listed one by one without --all; past it, units no step has moved are named in one line per state. */
const LISTED_UNITS = 10;

interface UnitStatus {
  ward: WardConfig;
  programmes: Array<{ name: string; state: ReviewState; text: string }>;
  /** Some programme of it has a record: a step (submission, return, appraisal) was taken. */
  moved: boolean;
}

function unitLines(unit: UnitStatus): string[] {
  return [sentenceCase(unitLabel(unit.ward)), ...unit.programmes.map((p) => `  ${p.name}: ${p.text}`)];
}

/** A province's status: counts per programme, the units a step moved, then the others by state, named on one line. */
function compactLines(units: readonly UnitStatus[], catalogues: readonly Catalogue[]): string[] {
  const lines = catalogues.map((c) => `${c.shortName} — ${stateCounts(units.flatMap((u) => u.programmes.filter((p) => p.name === c.shortName)))}.`);
  const moved = units.filter((u) => u.moved);
  if (moved.length) lines.push(`Đơn vị đã có bước đề nghị, trả lại hoặc thẩm định (${unitCount(moved.length, moved.map((u) => unitKindOf(u.ward)))}):`, ...moved.flatMap(unitLines));
  const byText = new Map<string, UnitStatus[]>();
  for (const u of units.filter((x) => !x.moved)) {
    const texts = [...new Set(u.programmes.map((p) => p.text))];
    const text = texts.length === 1 ? texts[0]! : u.programmes.map((p) => `${p.name}: ${p.text}`).join("; ");
    byText.set(text, [...(byText.get(text) ?? []), u]);
  }
  const rank = (group: UnitStatus[]): number => STATE_ORDER.indexOf(group[0]!.programmes[0]?.state ?? "not-sent");
  const names = new Intl.Collator("vi");
  for (const [text, group] of [...byText].sort(([, a], [, b]) => rank(a) - rank(b))) {
    group.sort((a, b) => names.compare(a.ward.name, b.ward.name));
    lines.push(`${text} (${unitCount(group.length, group.map((u) => unitKindOf(u.ward)))}): ${group.map((u) => u.ward.name).join(", ")}.`);
  }
  lines.push("(Xem từng đơn vị, từng đề án: tieuchi status --all.)");
  return lines;
}

/** `tieuchi status`: exit 0. */
export async function commandStatus(options: { dir: string; period: string | undefined; all?: boolean }, ctx: CliContext, io: Io, clock: Clock): Promise<number> {
  const config = await readConfig(workspacePaths(options.dir).config, ctx.env);
  const period = options.period ?? currentPeriod(config.schedule.period, clock.now());
  const { kv } = await openLocalState(options.dir, clock, (line) => ioOf(ctx).err(line));
  const [reviews, closure, read] = await Promise.all([reviewsOf(kv, period), closureOf(kv, period), wardsReadIn(kv, period)]);
  const closed = closure?.closed === true;
  const lastClose = [...(closure?.events ?? [])].reverse().find((e) => e.kind === "close");
  io.out(`Quy trình thẩm định ${periodLabel(period)}${closed && lastClose ? ` (đã chốt lúc ${when(lastClose.at)}, người chốt: ${lastClose.by})` : ""}:`);
  const units = activeWards(config.wards, organisationDate(period, clock.now())).map((ward): UnitStatus => {
    const records = reviews.get(ward.id) ?? [];
    const programmes = config.catalogues.map((c) => ({ name: c.shortName, ...recordLine(records.find((r) => r.programmeId === c.id), closed, read.has(ward.id)) }));
    return { ward, programmes, moved: records.length > 0 };
  });
  const lines = units.length > LISTED_UNITS && !options.all ? compactLines(units, config.catalogues) : units.flatMap(unitLines);
  lines.forEach((line) => io.out(line));
  io.out(`Tổng số bảng tự đánh giá theo trạng thái — ${stateCounts(units.flatMap((u) => u.programmes))}.`);
  if (!reviews.size && !read.size && !closed) io.out("(Chưa có bước nào được ghi nhận: trạng thái được ghi mỗi lần chạy “tieuchi run”, “tieuchi report” hoặc “tieuchi start”.)");
  return 0;
}
