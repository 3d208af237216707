/**
 * Command-line arguments, checked against one table of commands and their options. Every
 * mistake is a UsageError in Vietnamese naming the valid choices (like functions-framework's
 * options.ts): an unknown command lists the commands, an unknown option the command's options.
 */
import { closestKey } from "../functions/config-schema.js";
import { PERIOD_KIND_NAME, periodFromText, writtenPeriod } from "../functions/core/vocabulary.js";
import { UsageError } from "../functions/errors.js";

interface OptionSpec {
  type: "boolean" | "string";
  /** Placeholder shown in the usage ("KỲ", "TỆP") and an example value. */
  value?: { name: string; example: string };
}

interface CommandSpec {
  /** What the command takes besides options, as shown to staff ("[THƯ_MỤC]"). */
  operand: string;
  maxPositionals: number;
  options: Readonly<Record<string, OptionSpec>>;
}

const DIR = { operand: "[THƯ_MỤC]", maxPositionals: 1, options: {} } as const;

/** Every command and what it accepts: the one source for parsing and for the messages. */
const COMMAND_SPECS = {
  init: { ...DIR, options: { sample: { type: "string", value: { name: "MẪU", example: "province" } } } },
  check: { operand: "TỆP.xlsx", maxPositionals: 1, options: { json: { type: "boolean" }, config: { type: "string", value: { name: "TỆP", example: "tieuchi.config.yaml" } } } },
  run: DIR,
  report: { ...DIR, options: { period: { type: "string", value: { name: "KỲ", example: "2026-11" } }, "dry-run": { type: "boolean" } } },
  start: DIR,
  provision: DIR,
  watch: DIR,
  auth: { operand: "login", maxPositionals: 1, options: { "create-folders": { type: "boolean" } } },
  doctor: DIR,
  close: { ...DIR, options: { period: { type: "string", value: { name: "KỲ", example: "2026-11" } }, google: { type: "boolean" } } },
  reopen: { ...DIR, options: { period: { type: "string", value: { name: "KỲ", example: "2026-11" } }, reason: { type: "string", value: { name: "LÝ_DO", example: "\"bổ sung minh chứng\"" } }, google: { type: "boolean" } } },
  status: { ...DIR, options: { period: { type: "string", value: { name: "KỲ", example: "2026-11" } }, all: { type: "boolean" } } },
  trail: { ...DIR, options: { period: { type: "string", value: { name: "KỲ", example: "2026-11" } }, ward: { type: "string", value: { name: "PHƯỜNG", example: "nghi-hoa" } } } },
} as const satisfies Record<string, CommandSpec>;

type CommandName = keyof typeof COMMAND_SPECS;
const COMMAND_NAMES = [...Object.keys(COMMAND_SPECS), "help"];

/** The UsageError for a command that does not exist: the closest one and the list. */
export function unknownCommand(name: string): UsageError {
  const guess = closestKey(name.replace(/^-+/u, ""), COMMAND_NAMES);
  return new UsageError(`không có lệnh “${name}”${guess ? `; có phải “${guess}”?` : "."} Các lệnh: ${COMMAND_NAMES.join(", ")}.`);
}

const shown = (name: string, option: OptionSpec): string => `--${name}${option.value ? ` ${option.value.name}` : ""}`;

function optionList(command: CommandName): string {
  const options = Object.entries(COMMAND_SPECS[command].options as Record<string, OptionSpec>);
  return options.length ? `Các tham số của lệnh ${command}: ${options.map(([n, o]) => shown(n, o)).join(", ")}.` : `Lệnh ${command} không có tham số nào bắt đầu bằng “--”.`;
}

interface ParsedArgs {
  values: Record<string, string | true | undefined>;
  positionals: string[];
}

/**
 * Parse a command's arguments (`--name`, `--name value`, `--name=value`, `--` ends options).
 *
 * @example parseCommandArgs("report", ["ws", "--period", "2026-W48"]) // → { values: { period: "2026-W48" }, positionals: ["ws"] }
 */
export function parseCommandArgs(command: CommandName, args: readonly string[]): ParsedArgs {
  const spec: CommandSpec = COMMAND_SPECS[command];
  const values: ParsedArgs["values"] = {};
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    const [name = "", inline] = arg.replace(/^--?/u, "").split(/=(.*)/su);
    const option = spec.options[name];
    if (!option) {
      const guess = closestKey(name, Object.keys(spec.options));
      throw new UsageError(`lệnh ${command} không có tham số “${arg}”${guess ? `; có phải “--${guess}”?` : "."} ${optionList(command)}`);
    }
    if (option.type === "boolean") {
      if (inline !== undefined) throw new UsageError(`tham số “--${name}” không nhận giá trị: chỉ ghi “--${name}”.`);
      values[name] = true;
      continue;
    }
    const value = inline ?? args[i + 1];
    if (value === undefined || value === "" || (inline === undefined && value.startsWith("-"))) {
      throw new UsageError(`thiếu giá trị sau “--${name}”: ghi ${shown(name, option)}, ví dụ --${name} ${option.value?.example ?? ""}.`.replace(" .", "."));
    }
    if (inline === undefined) i++;
    values[name] = value;
  }
  if (positionals.length > spec.maxPositionals) {
    throw new UsageError(`thừa “${positionals[spec.maxPositionals]}”: lệnh ${command} chỉ nhận ${spec.operand} (cách dùng: tieuchi ${command} ${spec.operand}). ${optionList(command)}`);
  }
  return { values, positionals };
}

const PERIOD_FORMS =
  "tuần: 2026-W48 hoặc “tuần 48/2026”; tháng: 2026-11 hoặc “tháng 11/2026”; quý: 2026-Q4 hoặc “quý IV/2026”; " +
  "6 tháng: 2026-H1 hoặc “6 tháng đầu năm 2026” (H2: “6 tháng cuối năm 2026”); năm: 2026 hoặc “năm 2026” " +
  "(chữ có dấu cách thì đặt trong dấu nháy kép, ví dụ --period \"quý IV/2026\")";

/**
 * The --period value as a period key: a key ("2026-W48", "2026-11", "2026-q4") or the words
 * staff write ("tháng 11/2026", "quý IV/2026", "6 tháng đầu năm 2026"); otherwise a UsageError
 * listing the accepted forms.
 *
 * @example parsePeriodOption("quý IV/2026") === "2026-Q4"
 */
export function parsePeriodOption(value: string): string {
  const key = periodFromText(value);
  if (key !== null) return key;
  const written = writtenPeriod(value);
  if (written) throw new UsageError(`năm ${written.year} không có ${PERIOD_KIND_NAME[written.kind]} ${written.index}. Các dạng dùng được: ${PERIOD_FORMS}.`);
  throw new UsageError(`kỳ “${value}” không đúng dạng. Các dạng dùng được: ${PERIOD_FORMS}.`);
}
