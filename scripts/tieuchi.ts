/**
 * The `tieuchi` CLI: the local runtime's composition root. Builds the local adapters and
 * runs the shared use cases. Messages for staff are Vietnamese; exit codes: 0 ok,
 * 1 error findings, 2 cannot run (bad config, unreadable file, usage).
 */
import { existsSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { evaluateWorkbook } from "../functions/core/evaluate-ward.js";
import { renderFinding } from "../functions/core/messages.js";
import { formatWardFeedback } from "../functions/core/ward-feedback.js";
import { type Config, readBuiltinCatalogues, readConfig, wardFile } from "../functions/config.js";
import { formatProblem } from "../sheets-schema/catalogue.js";
import { ConfigError, SheetsReadError, TieuchiError, UsageError } from "../functions/errors.js";
import { type Clock, systemClock } from "../functions/ports.js";
import { CONFIG_FILE, readWorkbookFile } from "../functions/adapters/local/workspace.js";
import { MISSING_FILE_REASON } from "../functions/adapters/local/read-problems.js";
import { parseCommandArgs, parsePeriodOption, unknownCommand } from "./cli-args.js";
import { type CliContext, type Io, ioOf } from "./cli-io.js";
import { hasErrors, printRun, runOnce, setupRun } from "./run-command.js";

const USAGE = `Cách dùng: tieuchi <lệnh> [tham số]

Lệnh:
  init [THƯ_MỤC]              Tạo thư mục làm việc mẫu (7 phường của thị xã Cửa Lò năm 2023).
         [--sample province]  Mẫu một tỉnh giả định cỡ Nghệ An (130 xã, phường) để thử ở quy mô tỉnh.
  check TỆP.xlsx [--json]     Kiểm tra một tệp tự đánh giá. Mã thoát: 0 không lỗi, 1 có lỗi, 2 không đọc được.
         [--config TỆP]       Dùng cấu hình này (mặc định: tìm ${CONFIG_FILE} cạnh tệp).
  run [THƯ_MỤC]               Kiểm tra mọi phường, in bảng tổng hợp, ghi out/summary.json, out/summary.csv
                              và kết quả kiểm tra từng phường (out/kiem-tra/).
  report [THƯ_MỤC]            Tạo báo cáo (HTML, PDF nếu có Chromium) trong out/reports/<kỳ>/ và gửi thư
         [--period KỲ]        tổng hợp, thư báo lỗi, thư nhắc hạn (mỗi thư chỉ gửi một lần). Kỳ mặc định: kỳ đang chạy
                              theo schedule.period (tuần, tháng, quý, 6 tháng, năm). KỲ viết 2026-W48, 2026-11, 2026-Q4,
                              2026-H1, 2026 hoặc "tháng 11/2026", "quý IV/2026", "6 tháng đầu năm 2026", "năm 2026".
         [--dry-run]          Chạy thử: không ghi tệp, không gửi thư.
  start [THƯ_MỤC]             Tạo thư mục làm việc mẫu nếu chưa có, chạy, rồi theo dõi và chạy lại khi tệp được lưu;
                              gửi báo cáo theo lịch (schedule.digest) và thư nhắc hạn (schedule.deadlines).
  provision [THƯ_MỤC]         Tạo hoặc cập nhật bảng tính Google Sheets của từng phường (cần mục google trong cấu hình,
                              TIEUCHI_STATE_BUCKET, và tài khoản dịch vụ hoặc TIEUCHI_OAUTH_REFRESH_TOKEN).
  watch [THƯ_MỤC]             Mở kênh nhận thông báo thay đổi của Google Drive cho bảng tính các phường (cần TIEUCHI_CHANNEL_TOKEN).
  auth login                  Đăng nhập một tài khoản Google thường (Gmail) để hệ thống làm việc thay tài khoản đó, rồi in mã
                              làm mới để chép vào Secret Manager (cần TIEUCHI_OAUTH_CLIENT_ID, TIEUCHI_OAUTH_CLIENT_SECRET).
         [--create-folders]   Tạo luôn thư mục các phường và thư mục báo cáo trong Google Drive của tài khoản đó.
  close [THƯ_MỤC]             Chốt kỳ: số liệu và báo cáo của kỳ giữ nguyên từ nay (ghi người chốt, lúc chốt, mã số liệu);
         --period KỲ          sửa đổi sau đó được đánh dấu “sửa sau khi đã chốt kỳ”.
         [--google]           Chốt kỳ trên Google (bộ nhớ trạng thái TIEUCHI_STATE_BUCKET): khóa các trang tự đánh giá của mọi
                              bảng tính, chỉ đơn vị chủ quản (review.office) sửa được; reopen --google bỏ đúng các khóa đó.
  reopen [THƯ_MỤC]            Mở lại một kỳ đã chốt; bắt buộc ghi lý do. Lịch sử chốt và mở lại được giữ lại đầy đủ.
         --period KỲ --reason "LÝ_DO"
  trail [THƯ_MỤC]             In nhật ký thay đổi (kết quả, điểm, minh chứng, kết quả và ý kiến thẩm định của từng tiêu chí;
         [--period KỲ]        các bước đề nghị, trả lại, thẩm định, chốt, mở lại) và ghi out/nhat-ky/<kỳ>.xlsx, .csv;
                              lọc theo kỳ và theo phường.
         [--ward PHƯỜNG]
  status [THƯ_MỤC]            In quy trình thẩm định của từng phường, từng đề án: chưa gửi, đang cập nhật, đề nghị thẩm định,
         [--period KỲ]        trả lại, đã thẩm định, đã chốt (lúc nào, ai thực hiện). Quá 10 đơn vị thì in số đếm, các đơn vị
         [--all]              đã có bước thẩm định và tên các đơn vị còn lại theo trạng thái; --all in từng đơn vị.
  doctor [THƯ_MỤC]            Kiểm tra các điều kiện chạy trên Google (danh tính, API đã bật, thư mục các phường, bucket
                              trạng thái, webhook, mã bí mật của kênh, hạn mức) và chỉ cách xử lý. Mã thoát: 0 khi mọi mục đạt.

THƯ_MỤC mặc định: thư mục hiện tại nếu có ${CONFIG_FILE}, nếu không là ./workspace.`;

function defaultDir(ctx: CliContext, given: string | undefined): string {
  if (given) return resolve(ctx.cwd, given);
  return existsSync(join(ctx.cwd, CONFIG_FILE)) ? ctx.cwd : resolve(ctx.cwd, "workspace");
}

/** Run the CLI; returns the exit code. Operational errors print one line, never a stack. */
export async function main(argv: readonly string[], ctx: CliContext, clock: Clock = systemClock): Promise<number> {
  const io = ioOf(ctx);
  const [command, ...rest] = argv;
  if (rest.includes("--help") || rest.includes("-h")) {
    io.out(USAGE);
    return 0;
  }
  try {
    switch (command) {
      case "init":
        return await commandInit(rest, ctx, io, clock);
      case "check":
        return await commandCheck(rest, ctx, io, clock);
      case "run":
        return await commandRun(rest, ctx, io, clock);
      case "report":
        return await commandReport(rest, ctx, io, clock);
      case "start":
        return await (await import("./start-command.js")).commandStart(rest, ctx, io, clock); // each command loads only its own modules
      case "provision":
      case "watch": {
        const { positionals: [dir] } = parseCommandArgs(command, rest);
        const config = await readConfig(join(defaultDir(ctx, dir), CONFIG_FILE), ctx.env);
        const google = await import("./google-commands.js"); // Google clients load only for these commands
        return await (command === "provision" ? google.commandProvision : google.commandWatch)(config, ctx, io, clock);
      }
      case "auth":
        return await commandAuth(rest, ctx, io);
      case "close":
      case "reopen": {
        // Closing a period (lazy, like the other commands)
        const { positionals: [dir], values } = parseCommandArgs(command, rest);
        const period = typeof values.period === "string" ? parsePeriodOption(values.period) : undefined;
        const closing = await import("./close-command.js");
        const options = { dir: defaultDir(ctx, dir), period, reason: typeof values.reason === "string" ? values.reason : undefined };
        if (values.google === true) {
          // The cloud's period: its closing record in the state bucket, and the ward spreadsheets locked for the office.
          const config = await readConfig(join(options.dir, CONFIG_FILE), ctx.env);
          const google = await import("./google-commands.js");
          return await google.commandCloseGoogle(config, { action: command, period, reason: options.reason, by: closing.osUser() }, ctx, io, clock);
        }
        return await (command === "close" ? closing.commandClose : closing.commandReopen)(options, ctx, io, clock);
      }
      case "trail": {
        const { positionals: [dir], values } = parseCommandArgs(command, rest);
        const period = typeof values.period === "string" ? parsePeriodOption(values.period) : undefined;
        const { commandTrail } = await import("./trail-command.js");
        return await commandTrail({ dir: defaultDir(ctx, dir), period, ward: typeof values.ward === "string" ? values.ward : undefined }, ctx, io, clock);
      }
      case "status": {
        const { positionals: [dir], values } = parseCommandArgs(command, rest);
        const period = typeof values.period === "string" ? parsePeriodOption(values.period) : undefined;
        const { commandStatus } = await import("./status-command.js");
        return await commandStatus({ dir: defaultDir(ctx, dir), period, all: values.all === true }, ctx, io, clock);
      }
      case "doctor": {
        const { positionals: [dir] } = parseCommandArgs(command, rest);
        const config = await readConfig(join(defaultDir(ctx, dir), CONFIG_FILE), ctx.env);
        const { commandDoctor } = await import("./doctor-command.js"); // Google clients load only for this command
        return await commandDoctor(config, ctx, io, clock);
      }
      case undefined:
      case "help":
      case "--help":
      case "-h":
        io.out(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw unknownCommand(command);
    }
  } catch (error) {
    return reportError(error, io);
  }
}

function reportError(error: unknown, io: Io): number {
  if (error instanceof ConfigError) {
    io.err(`Lỗi: cấu hình ${error.file} không hợp lệ (${error.problems.length} lỗi):`);
    error.problems.forEach((p) => io.err(`  - ${formatProblem(p)}`));
    return 2;
  }
  if (error instanceof UsageError) {
    io.err(`Lỗi: ${error.message}`);
    io.err("Gõ “tieuchi help” để xem cách dùng.");
    return 2;
  }
  if (error instanceof TieuchiError) {
    io.err(`Lỗi: ${error.message}`);
    return 2;
  }
  throw error;
}

const SAMPLES = {
  town: "thị xã Cửa Lò năm 2023, 7 phường (mặc định)",
  province: "một tỉnh giả định cỡ Nghệ An, 130 xã, phường",
} as const;

async function commandInit(args: readonly string[], ctx: CliContext, io: Io, clock: Clock): Promise<number> {
  const { positionals: [dir], values } = parseCommandArgs("init", args);
  const sample = typeof values.sample === "string" ? values.sample.trim().toLowerCase() : "town";
  if (sample !== "town" && sample !== "province") {
    throw new UsageError(`không có mẫu “${String(values.sample)}”. Các mẫu: ${Object.entries(SAMPLES).map(([k, v]) => `--sample ${k} (${v})`).join("; ")}.`);
  }
  const target = resolve(ctx.cwd, dir ?? "workspace");
  const files = sample === "province" ? await (await import("../functions/adapters/local/init-province.js")).initProvinceWorkspace(target, clock) : await (await import("../functions/adapters/local/init-workspace.js")).initWorkspace(target, clock);
  io.out(`Đã tạo thư mục làm việc mẫu (${SAMPLES[sample]}) tại ${target}:`);
  // A province has a hundred workbooks: name the first ones and count the rest.
  files.slice(0, 10).forEach((f) => io.out(`  ${relative(target, f)}`));
  if (files.length > 10) io.out(`  … và ${files.length - 10} tệp khác trong wards/`);
  io.out(`Tiếp theo: tieuchi run ${relative(ctx.cwd, target) || "."}`);
  return 0;
}

/** The config for a workbook being checked: --config, else tieuchi.config.yaml beside it or one level up. */
async function configForFile(file: string, explicit: string | undefined, ctx: CliContext): Promise<Config | null> {
  if (explicit) return readConfig(resolve(ctx.cwd, explicit), ctx.env);
  const found = [dirname(file), dirname(dirname(file))].map((d) => join(d, CONFIG_FILE)).find((f) => existsSync(f));
  return found ? readConfig(found, ctx.env) : null;
}

async function commandCheck(args: readonly string[], ctx: CliContext, io: Io, clock: Clock): Promise<number> {
  const parsed = parseCommandArgs("check", args);
  const [given] = parsed.positionals;
  if (!given) throw new UsageError("thiếu tên tệp cần kiểm tra: tieuchi check TỆP.xlsx");
  const file = resolve(ctx.cwd, given);
  const config = await configForFile(file, typeof parsed.values.config === "string" ? parsed.values.config : undefined, ctx);
  const catalogues = config?.catalogues ?? (await readBuiltinCatalogues());
  const workbook = await readWorkbookFile(file, given);
  if (!workbook) throw new SheetsReadError(`tệp ${given}`, MISSING_FILE_REASON, { kind: "not-found" }); // the same reason as `run`
  const ward = config?.wards.find((w) => wardFile(config, w) === file);
  const evaluation = evaluateWorkbook(workbook, catalogues, ward ?? (config ? { candidates: config.wards } : null));
  const errors = evaluation.findings.filter((f) => f.severity === "error").length;
  if (parsed.values.json) {
    io.out(
      JSON.stringify({
        ward: evaluation.wardName,
        programmes: evaluation.scores.map((s) => ({ id: s.programmeId, met: s.met, total: s.total, recognised: s.recognised })),
        findings: evaluation.findings.map((f) => renderFinding(f)),
      }),
    );
  } else {
    const name = evaluation.wardName ?? "(chưa rõ phường)";
    const outcome = { ward: { id: ward?.id ?? "", name }, status: "ok" as const, reason: null, scores: evaluation.scores };
    io.out(formatWardFeedback(outcome, evaluation.findings, catalogues, clock.now(), given).trimEnd());
  }
  return errors > 0 ? 1 : 0;
}

async function commandAuth(args: readonly string[], ctx: CliContext, io: Io): Promise<number> {
  const parsed = parseCommandArgs("auth", args);
  if (parsed.positionals[0] !== "login") throw new UsageError("cách dùng: tieuchi auth login [--create-folders]");
  const { commandAuthLogin } = await import("./auth-command.js"); // the OAuth client loads only for this command
  return commandAuthLogin(ctx, io, { createFolders: parsed.values["create-folders"] === true });
}

async function commandRun(args: readonly string[], ctx: CliContext, io: Io, clock: Clock): Promise<number> {
  const { positionals: [dir] } = parseCommandArgs("run", args);
  const target = defaultDir(ctx, dir);
  const run = await runOnce(await setupRun(target, ctx, clock), clock);
  printRun(run, target, ctx, io);
  return hasErrors(run) ? 1 : 0;
}

async function commandReport(args: readonly string[], ctx: CliContext, io: Io, clock: Clock): Promise<number> {
  const parsed = parseCommandArgs("report", args);
  const target = defaultDir(ctx, parsed.positionals[0]);
  const period = typeof parsed.values.period === "string" ? parsePeriodOption(parsed.values.period) : undefined;
  const dryRun = parsed.values["dry-run"] === true;
  const setup = await setupRun(target, ctx, clock, { readOnly: dryRun });
  const { runReport } = await import("./report-command.js");
  return runReport(setup, ctx, io, clock, { ...(period ? { period } : {}), dryRun });
}

