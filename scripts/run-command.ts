/** Processing the workspace once, shared by `run`, `report` and `start`. */
import { join, relative } from "node:path";
import { activeWards, type Config, wardFile } from "../functions/config.js";
import { readConfigRemembered } from "./config-cache.js";
import { currentPeriod, localDate } from "../functions/core/period.js";
import { unitKindOf, unitsNoun } from "../functions/core/organisation.js";
import { formatTownTable, formatWardsToFix } from "../functions/core/town-output.js";
import { periodLabel, sentenceCase } from "../functions/core/vi-format.js";
import { runTown, type TownRun, WARD_CONCURRENCY } from "../functions/app/run-town.js";
import { DEFAULT_THREADS, openWardPool, type WardPool, type WardPoolOptions } from "../functions/adapters/local/ward-pool.js";
import { closedPeriodGuard } from "../functions/app/closed-run.js";
import { recordTrail, trailBaseline, trailPrefix } from "../functions/app/trail-store.js";
import { listedKeyValueStore } from "../functions/app/listed-kv.js";
import { readingOf } from "../functions/core/change-trail.js";
import { type ParseCache, localParseCache } from "../functions/adapters/local/parse-cache.js";
import { localFeedbackSink, localSummarySink, workspacePaths } from "../functions/adapters/local/workspace.js";
import type { Clock } from "../functions/ports.js";
import type { ReviewEventKind } from "../functions/core/review-cycle.js";
import { type CliContext, type Io, ioOf } from "./cli-io.js";
import { type LocalState, openLocalState } from "./local-state.js";

export interface RunSetup {
  dir: string;
  config: Config;
  /** The workspace files through the parse cache (.tieuchi/parse-cache/): only changed wards are read again. */
  sheets: ParseCache;
  /** Opened once per setup (the legacy import runs then), shared by every run of a `start`. */
  local: LocalState;
  /** Worker threads that parse workbooks and render feedback (TIEUCHI_THREADS; 0: in-process). */
  pool: WardPool;
}

/**
 * The pool's settings from the environment: TIEUCHI_THREADS worker threads (0 turns them off; default
 * DEFAULT_THREADS: none on two cores), TIEUCHI_THREADS_FROM tasks in-process first (tests, the bench).
 */
function poolOptions(env: Readonly<Record<string, string | undefined>>): WardPoolOptions {
  const whole = (text: string | undefined): number | null => (text !== undefined && /^\s*\d{1,6}\s*$/u.test(text) ? Number(text) : null);
  const from = whole(env.TIEUCHI_THREADS_FROM);
  return { threads: Math.min(whole(env.TIEUCHI_THREADS) ?? DEFAULT_THREADS, 16), ...(from === null ? {} : { inProcessFirst: from }) };
}

/** `readOnly`: state writes stay in memory (for `report --dry-run`). */
export async function setupRun(dir: string, ctx: CliContext, clock: Clock, options: { readOnly?: boolean } = {}): Promise<RunSetup> {
  const config = await readConfigRemembered(workspacePaths(dir).config, ctx.env, join(workspacePaths(dir).state, "config-cache.json"), options);
  const local = await openLocalState(dir, clock, (line) => ioOf(ctx).err(line), options);
  const pool = openWardPool(poolOptions(ctx.env));
  return { dir, config, sheets: localParseCache(config, config.catalogues, pool.parse), local, pool };
}

/** Who last saved a ward's workbook (its lastModifiedBy property), for the trail and the review cycle. */
export function workbookAuthor(config: Config): (ward: string) => Promise<string | null> {
  return async (id) => {
    const ward = config.wards.find((w) => w.id === id);
    // Loaded only when a reading changed or the cycle moved: an unchanged run never opens a zip.
    return ward ? (await import("../functions/adapters/local/workbook-author.js")).workbookLastModifiedBy(wardFile(config, ward)) : null;
  };
}

export async function runOnce(setup: RunSetup, clock: Clock): Promise<TownRun> {
  const { config, dir } = setup;
  const wards = activeWards(config.wards, localDate(clock.now()));
  // A running period closed with `tieuchi close` keeps its figures; edits are flagged.
  const period = currentPeriod(config.schedule.period, clock.now());
  const guard = await closedPeriodGuard(setup.local.kv, period, config.catalogues);
  // The review records and trails that exist, from one listing: a ward with none costs no read (most wards, most runs).
  const kv = await listedKeyValueStore(setup.local.kv, ["review", trailPrefix(period)]);
  const baseline = await trailBaseline(setup.local.kv, period, (ward) => setup.sheets.previousRun(ward));
  const feedback = localFeedbackSink(config, config.catalogues, setup.pool.renderXlsx);
  const summary = localSummarySink(dir, wards.map(unitKindOf));
  const whoChanged = workbookAuthor(config);
  const run = await runTown(wards, config.catalogues, {
    sheets: setup.sheets,
    cache: setup.sheets,
    feedback: guard ? guard.feedback(feedback) : feedback,
    summary: guard ? guard.summary(summary) : summary,
    state: setup.local.state,
    clock,
    // Nothing in the review cycle moves once the period is closed.
    ...(guard ? {} : { review: { kv, whoChanged } }),
  }, { periodKind: config.schedule.period, concurrency: WARD_CONCURRENCY + setup.pool.threads, settleCache: false });
  // The trail of changes, per ward and criterion, appended only when a reading differs; a ward whose remembered
  // reading the period's trail already holds (recorded by an earlier run, then noted in the cache) is not compared again.
  const at = clock.now().toISOString();
  const { period: trailPeriod } = run.summary;
  const toRecord = run.wards.filter((w) => w.outcome.status === "ok" && setup.sheets.trailedIn(w.ward.id) !== trailPeriod);
  await recordTrail(kv, trailPeriod, toRecord.map((w) => readingOf(w.outcome, at, null, w.sheet?.criteria)), { baseline, whoChanged });
  setup.sheets.markTrailed(toRecord.map((w) => w.ward.id), trailPeriod);
  // The cache's one store of this run: its entries and their trail marks together.
  await setup.sheets.settle();
  return guard ? guard.finish(run) : run;
}

export function printRun(run: TownRun, dir: string, ctx: CliContext, io: Io): void {
  // The kinds of the configured units word the table ("Xã, phường", "22/130 xã, phường").
  const kinds = run.wards.map((w) => unitKindOf(w.ward));
  io.out(formatTownTable(run.summary, kinds));
  const unreadable = run.wards.filter((w) => w.outcome.status === "unreadable");
  unreadable.forEach((w) => io.out(`! ${w.outcome.reason}`));
  const out = relative(ctx.cwd, workspacePaths(dir).out) || ".";
  // An unreadable ward is a ward with a problem: listed here too (H9c, issue 9 item 6).
  const toFix = formatWardsToFix(
    run.wards.map((w) => ({ name: w.ward.name, status: w.outcome.status, errors: w.findings.filter((f) => f.severity === "error").length })),
    kinds,
  );
  if (toFix) io.out(`${toFix}. Chi tiết: ${join(out, "kiem-tra")}/`);
  // A closed period's figures stay; the wards that changed their workbook since are named.
  const edited = run.wards.filter((w) => w.findings.some((f) => f.code === "edited-after-close")).map((w) => w.ward.name);
  if (edited.length) io.out(`${sentenceCase(periodLabel(run.summary.period))} đã chốt: bảng trên là số liệu đã chốt, giữ nguyên. Sửa sau khi đã chốt kỳ: ${edited.join(", ")} (xem ${join(out, "kiem-tra")}/).`);
  reviewLines(run).forEach((line) => io.out(line));
  io.out(`Đã ghi ${join(out, "summary.xlsx")} (mở bằng Excel), ${join(out, "summary.csv")}, ${join(out, "summary.json")} và kết quả kiểm tra từng ${unitsNoun(kinds)} (${join(out, "kiem-tra")}/).`);
}

/** What moved in the review cycle during this run, one line per ward and programme ("Nghi Hòa, CA phường kiểu mẫu: Trả lại để bổ sung, sửa"). */
function reviewLines(run: TownRun): string[] {
  const names = new Map(run.summary.programmes.map((p) => [p.id, p.shortName]));
  const moved = run.wards.flatMap((w) => (w.events ?? []).map((e) => `  - ${w.ward.name}, ${names.get(e.programmeId) ?? e.programmeId}: ${REVIEW_EVENT_SAID[e.kind]}`));
  return moved.length ? ["Thẩm định — thay đổi trong lần chạy này:", ...moved] : [];
}

/** A review event as the run reports it. */
const REVIEW_EVENT_SAID: Record<ReviewEventKind, string> = {
  submitted: "đã đề nghị thẩm định",
  resubmitted: "đã gửi lại đề nghị thẩm định sau khi bổ sung",
  refused: "chưa nhận đề nghị thẩm định vì bảng còn lỗi (xem kết quả kiểm tra)",
  withdrawn: "chuyển về “Đang cập nhật”",
  returned: "được trả lại để bổ sung, sửa (thư trả lại gửi khi chạy “tieuchi report”)",
  appraised: "đã thẩm định xong",
};

export function hasErrors(run: TownRun): boolean {
  return run.wards.some((w) => w.findings.some((f) => f.severity === "error") || w.outcome.status === "unreadable");
}

