/**
 * `tieuchi start`: init the sample workspace if missing, run, then keep watching. A saved
 * workbook is processed again (debounced); a saved config is reloaded, and a broken one is
 * reported while the last good one stays in use. Schedules follow the config.
 */
import { relative, resolve } from "node:path";
import { readConfig } from "../functions/config.js";
import { formatLocalDateTime } from "../functions/core/period.js";
import { formatProblem } from "../sheets-schema/catalogue.js";
import { ConfigError } from "../functions/errors.js";
import type { Clock } from "../functions/ports.js";
import { initWorkspace, isWorkspace } from "../functions/adapters/local/init-workspace.js";
import { localParseCache } from "../functions/adapters/local/parse-cache.js";
import { CONFIG_FILE, workspacePaths } from "../functions/adapters/local/workspace.js";
import { removeStaleTempFiles } from "../functions/adapters/local/files.js";
import { loadTemplates } from "../functions/render/templates.js";
import { parseCommandArgs } from "./cli-args.js";
import type { CliContext, Io } from "./cli-io.js";
import { runReport } from "./report-command.js";
import { type RunSetup, printRun, runOnce, setupRun } from "./run-command.js";
import { startSchedules } from "./schedules.js";
import { isWorkbookName, watchWorkspace } from "./watch-workspace.js";

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export async function commandStart(args: readonly string[], ctx: CliContext, io: Io, clock: Clock): Promise<number> {
  const { positionals } = parseCommandArgs("start", args);
  const target = resolve(ctx.cwd, positionals[0] ?? "workspace");
  if (!(await isWorkspace(target))) {
    await initWorkspace(target, clock);
    io.out(`Đã tạo thư mục làm việc mẫu tại ${target}.`);
  }
  // What killed runs left: our own temporary names only, older than a minute, where we write.
  const paths = workspacePaths(target);
  await removeStaleTempFiles([paths.out, paths.state]);
  await removeStaleTempFiles([target], { recursive: false });
  let setup: RunSetup = await setupRun(target, ctx, clock);
  await loadTemplates(); // a broken template fails now, naming its file and line, not at the first scheduled report
  printRun(await runOnce(setup, clock), target, ctx, io);
  io.out(`Đang theo dõi ${relative(ctx.cwd, workspacePaths(target).wards) || "wards"}/ và ${CONFIG_FILE}: lưu tệp để kiểm tra lại. Nhấn Ctrl+C để dừng.`);
  const stop = ctx.stopSignal ?? stopOnSignal();
  const onError = (error: unknown): void => io.err(`Lỗi: ${message(error)}`);
  const schedule = () => startSchedules(setup.config, { report: () => runReport(setup, ctx, io, clock, { dryRun: false }).then(() => undefined), onError, announce: (text) => io.out(text) });
  let schedules = schedule();
  void stop.then(() => schedules.stop());
  const rerun = async (why: string): Promise<void> => {
    const run = await runOnce(setup, clock);
    io.out(`\nĐã kiểm tra lại lúc ${formatLocalDateTime(clock.now())} (${why}):`);
    printRun(run, target, ctx, io);
  };
  const reloadConfig = async (): Promise<void> => {
    try {
      const config = await readConfig(workspacePaths(target).config, ctx.env);
      setup = { ...setup, config, sheets: localParseCache(config, config.catalogues, setup.pool.parse) };
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      io.err(`Lỗi: cấu hình ${error.file} không hợp lệ (${error.problems.length} lỗi); vẫn dùng cấu hình trước đó:`);
      error.problems.forEach((p) => io.err(`  - ${formatProblem(p)}`));
      return;
    }
    schedules.stop();
    schedules = schedule();
    await rerun(`đã nạp lại ${CONFIG_FILE}`);
  };
  await Promise.all([
    watchWorkspace(workspacePaths(target).wards, { accept: isWorkbookName, onChange: (names) => rerun(`tệp thay đổi: ${names.join(", ")}`), onError, stop }),
    watchWorkspace(target, { accept: (name) => name === CONFIG_FILE, onChange: reloadConfig, onError, stop }),
  ]);
  return 0;
}

function stopOnSignal(): Promise<void> {
  return new Promise((done) => {
    process.once("SIGINT", () => done());
    process.once("SIGTERM", () => done());
  });
}
