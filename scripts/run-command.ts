/** Processing the workspace once, shared by `run`, `report` and `start`. */
import { join, relative } from "node:path";
import { activeWards, type Config, readConfig } from "../functions/config.js";
import { localDate } from "../functions/core/period.js";
import { formatTownTable, formatWardsToFix } from "../functions/core/town-output.js";
import { runTown, type TownRun } from "../functions/app/run-town.js";
import { cachedSheetSource } from "../functions/adapters/local/cached-sheet-source.js";
import { localFeedbackSink, localSummarySink, workspacePaths } from "../functions/adapters/local/workspace.js";
import type { Clock, SheetSource } from "../functions/ports.js";
import { type CliContext, type Io, ioOf } from "./cli-io.js";
import { type LocalState, openLocalState } from "./local-state.js";

export interface RunSetup {
  dir: string;
  config: Config;
  sheets: SheetSource;
  /** Opened once per setup (the legacy import runs then), shared by every run of a `start`. */
  local: LocalState;
}

/** `readOnly`: state writes stay in memory (for `report --dry-run`). */
export async function setupRun(dir: string, ctx: CliContext, clock: Clock, options: { readOnly?: boolean } = {}): Promise<RunSetup> {
  const config = await readConfig(workspacePaths(dir).config, ctx.env);
  const local = await openLocalState(dir, clock, (line) => ioOf(ctx).err(line), options);
  return { dir, config, sheets: cachedSheetSource(config), local };
}

export async function runOnce(setup: RunSetup, clock: Clock): Promise<TownRun> {
  const { config, dir } = setup;
  const wards = activeWards(config.wards, localDate(clock.now()));
  return runTown(wards, config.catalogues, {
    sheets: setup.sheets,
    feedback: localFeedbackSink(config, config.catalogues),
    summary: localSummarySink(dir),
    state: setup.local.state,
    clock,
  });
}

export function printRun(run: TownRun, dir: string, ctx: CliContext, io: Io): void {
  io.out(formatTownTable(run.summary));
  const unreadable = run.wards.filter((w) => w.outcome.status === "unreadable");
  unreadable.forEach((w) => io.out(`! ${w.outcome.reason}`));
  const out = relative(ctx.cwd, workspacePaths(dir).out) || ".";
  // An unreadable ward is a ward with a problem: listed here too (H9c, issue 9 item 6).
  const toFix = formatWardsToFix(
    run.wards.map((w) => ({ name: w.ward.name, status: w.outcome.status, errors: w.findings.filter((f) => f.severity === "error").length })),
  );
  if (toFix) io.out(`${toFix}. Chi tiết: ${join(out, "kiem-tra")}/`);
  io.out(`Đã ghi ${join(out, "summary.xlsx")} (mở bằng Excel), ${join(out, "summary.csv")}, ${join(out, "summary.json")} và kết quả kiểm tra từng phường (${join(out, "kiem-tra")}/).`);
}

export function hasErrors(run: TownRun): boolean {
  return run.wards.some((w) => w.findings.some((f) => f.severity === "error") || w.outcome.status === "unreadable");
}

