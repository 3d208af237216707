/**
 * Findings: what is wrong in a ward's workbook, cell by cell. Plain data, never thrown.
 * A finding carries its parameters as data (`params`, typed per code); the Vietnamese
 * sentence is rendered late from messages.ts (like zod's issues and locales), so anything
 * hashed from findings depends on data, never on wording.
 */
import type { AppraisalValue, ConclusionValue, ResultValue, SubmissionValue } from "../../sheets-schema/layout.js";

/**
 * The typed parameters of each finding code: what staff typed (`value`, in full; messages
 * shorten it for display), what is allowed, the range, the header or ward expected.
 */
export interface FindingParamsByCode {
  "tab-missing": Record<string, never>;
  "header-row-missing": Record<string, never>;
  /** The header the layout expects, as staff read it ("Minh chứng"). */
  "header-missing": { header: string };
  /** The configured ward name, or null when the file's ward is not known. */
  "ward-name-missing": { expected: string | null };
  "ward-mismatch": { value: string; expected: string };
  "criterion-missing": { criterion: string };
  /** `programme`: the catalogue's short name. */
  "criterion-unknown": { value: string; programme: string };
  "criterion-duplicate": { criterion: string; firstRow: number };
  "criterion-code-missing": { row: number };
  "result-missing": { criterion: string; allowed: readonly ResultValue[] };
  "result-invalid": { value: string; allowed: readonly ResultValue[] };
  "points-missing": { criterion: string; min: number; max: number };
  "points-not-number": { value: string; min: number; max: number };
  "points-out-of-range": { value: number; min: number; max: number };
  "points-not-applicable": { criterion: string };
  "evidence-missing": { criterion: string };
  /** The error literal the cell shows ("#REF!"). */
  "cell-error-value": { value: string };
  "legacy-encoding": { value: string };
  /** `copy`: the title of a copy of the programme's tab; `edited`: its input differs from the tab that counts. */
  "tab-copy": { copy: string; edited: boolean };
  /** The programme's tab is missing but `copy` looks like a copy of it. */
  "tab-copy-only": { copy: string };
  /** A cell covered by the merged `range`, whose value belongs to its top-left cell `anchor`; `header`: the column. */
  "merged-cell": { range: string; anchor: string; header: string };
  /** A points value turned into a date: `typed` as the clerk typed it ("9/10"), `suggestion` the points meant ("9"). */
  "points-date": { typed: string; suggestion: string; min: number; max: number };
  /** `value`: the text as typed, invisible characters kept; `read`: what was read once they were removed. */
  "invisible-characters": { value: string; read: string };
  /** The tab's input differs from the closed `period`'s snapshot at these `criteria` (closing a period). */
  "edited-after-close": { period: string; criteria: readonly string[] };
  // The review cycle (issue 12): the ward's Trạng thái cell, the appraiser's cells.
  "submission-invalid": { value: string; allowed: readonly SubmissionValue[] };
  /** The ward chose Đề nghị thẩm định while the tab still has `errors` error findings. */
  "submission-blocked": { errors: number };
  "appraisal-invalid": { value: string; allowed: readonly AppraisalValue[] };
  /** Đã thẩm định while these criteria have no Kết quả thẩm định (one finding, at the Kết luận cell). */
  "appraisal-missing": { criteria: readonly string[] };
  /** Chưa đạt without Ý kiến thẩm định at `criterion`; or (criterion null) Trả lại without any Ý kiến on the tab. */
  "appraisal-note-missing": { criterion: string | null };
  "conclusion-invalid": { value: string; allowed: readonly ConclusionValue[] };
  /** A Kết luận thẩm định typed while the ward has not chosen Đề nghị thẩm định. */
  "conclusion-before-submission": Record<string, never>;
  /** The Kết luận cell still says Trả lại from the return before the ward's resubmission (set by the app from the record). */
  "conclusion-stale": Record<string, never>;
  /** The tab was returned and its Trạng thái still says Đề nghị thẩm định: edits are not a resubmission yet (set by the app). */
  "returned-still-submitted": Record<string, never>;
}

export type FindingCode = keyof FindingParamsByCode;

/** Every code once: a Record, so the compiler refuses a code left out or unknown. */
const CODES: Record<FindingCode, true> = {
  "tab-missing": true,
  "header-row-missing": true,
  "header-missing": true,
  "ward-name-missing": true,
  "ward-mismatch": true,
  "criterion-missing": true,
  "criterion-unknown": true,
  "criterion-duplicate": true,
  "criterion-code-missing": true,
  "result-missing": true,
  "result-invalid": true,
  "points-missing": true,
  "points-not-number": true,
  "points-out-of-range": true,
  "points-not-applicable": true,
  "evidence-missing": true,
  "cell-error-value": true,
  "legacy-encoding": true,
  "tab-copy": true,
  "tab-copy-only": true,
  "merged-cell": true,
  "points-date": true,
  "invisible-characters": true,
  "edited-after-close": true,
  "submission-invalid": true,
  "submission-blocked": true,
  "appraisal-invalid": true,
  "appraisal-missing": true,
  "appraisal-note-missing": true,
  "conclusion-invalid": true,
  "conclusion-before-submission": true,
  "conclusion-stale": true,
  "returned-still-submitted": true,
};

export const FINDING_CODES = Object.keys(CODES) as readonly FindingCode[];

export type Severity = "error" | "warning";

/** One mistake at one cell, of one code, with that code's parameters. */
export interface FindingOf<C extends FindingCode> {
  severity: Severity;
  /** Tab title as it appears in the workbook. */
  tab: string;
  /** A1 address of the offending cell. */
  cell: string;
  /** Criterion code the finding is about, or null for tab-level findings. */
  criterion: string | null;
  code: C;
  params: FindingParamsByCode[C];
}

/** A finding of any code: a union discriminated by `code`. */
export type Finding = { [C in FindingCode]: FindingOf<C> }[FindingCode];

/** How validation records a finding on the tab it is checking. */
export type EmitFinding = <C extends FindingCode>(severity: Severity, cell: string, criterion: string | null, code: C, params: FindingParamsByCode[C]) => void;

export function isError(finding: Finding): boolean {
  return finding.severity === "error";
}

/** Codes about the supervising police's cells (Kết quả / Ý kiến / Kết luận thẩm định): shown, never counted against the ward. */
const APPRAISER_CODES: ReadonlySet<FindingCode> = new Set<FindingCode>(["appraisal-invalid", "appraisal-missing", "appraisal-note-missing", "conclusion-invalid", "conclusion-before-submission", "conclusion-stale"]);

/** An error of the ward's own: it blocks a submission and leaves its criterion out of the count. */
export function isWardError(finding: Finding): boolean {
  return finding.severity === "error" && !APPRAISER_CODES.has(finding.code);
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1 };

/** Order findings as staff read a sheet: by tab, then row, then column; errors first on a tie. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    a.tab.localeCompare(b.tab) ||
    cellRow(a.cell) - cellRow(b.cell) ||
    cellColumn(a.cell) - cellColumn(b.cell) ||
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    a.code.localeCompare(b.code)
  );
}

function cellRow(a1: string): number {
  return Number(/\d+/u.exec(a1)?.[0] ?? 0);
}

function cellColumn(a1: string): number {
  const letters = /^[A-Z]+/u.exec(a1)?.[0] ?? "";
  return Array.from(letters).reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
}
