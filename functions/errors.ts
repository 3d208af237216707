/**
 * Operational failures (not staff mistakes, which are Findings). Each names the operation
 * and its target and keeps the cause; exit codes and HTTP statuses are mapped in one place.
 */
import { type SchemaProblem, formatProblem } from "../sheets-schema/catalogue.js";

export class TieuchiError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The configuration (or a catalogue it names) is invalid; lists every problem with its path. */
export class ConfigError extends TieuchiError {
  readonly problems: readonly SchemaProblem[];
  readonly file: string;
  constructor(file: string, problems: readonly SchemaProblem[]) {
    super(`Cấu hình ${file} không hợp lệ (${problems.length} lỗi):\n${problems.map((p) => `  - ${formatProblem(p)}`).join("\n")}`);
    this.file = file;
    this.problems = problems;
  }
}

/** Why a workbook could not be read, for machines (the sentence is in the message). */
export type SheetsReadKind =
  | "empty" | "legacy-xls" | "encrypted" | "corrupt" | "not-workbook" | "too-large" | "too-many-rows" | "io" | "not-found" | "access";

/** A ward workbook could not be read at all (missing, corrupt, not an xlsx). */
export class SheetsReadError extends TieuchiError {
  readonly target: string;
  readonly kind: SheetsReadKind;
  constructor(target: string, reason: string, options?: { cause?: unknown; kind?: SheetsReadKind }) {
    super(`Không đọc được ${target}: ${reason}`, options?.cause === undefined ? {} : { cause: options.cause });
    this.target = target;
    this.kind = options?.kind ?? "io";
  }
}

/** Command-line usage mistakes. */
export class UsageError extends TieuchiError {}

/** A period that cannot be reported as asked: not a period, not begun, or closed with no stored figures. */
export class PeriodError extends TieuchiError {}

/** A Google period lock or unlock failed; the message is a Vietnamese sentence fit for the office (the raw error is the cause). */
export class PeriodLockError extends TieuchiError {}

/**
 * A message could not be delivered. `permanent` (a 5xx refusal of this message: no such
 * mailbox, too large) means sending it again unchanged cannot succeed; otherwise (4xx, server
 * down, login refused) a later attempt may.
 */
export class DeliveryError extends TieuchiError {
  readonly target: string;
  readonly responseCode: number | null;
  readonly permanent: boolean;
  constructor(target: string, reason: string, responseCode: number | null, options?: { cause?: unknown; permanent?: boolean }) {
    super(`Không gửi được thư tới ${target}: ${reason}`, options?.cause === undefined ? {} : { cause: options.cause });
    this.target = target;
    this.responseCode = responseCode;
    this.permanent = options?.permanent ?? false;
  }
}

/** A template failed to parse or render; names the file (and line when known). */
export class TemplateError extends TieuchiError {}
