/**
 * Findings: what is wrong in a ward's workbook, cell by cell. Plain data, never thrown.
 * Vietnamese messages live in messages.ts, keyed by code.
 */

export const FINDING_CODES = [
  "tab-missing",
  "header-row-missing",
  "header-missing",
  "ward-name-missing",
  "ward-mismatch",
  "criterion-missing",
  "criterion-unknown",
  "criterion-duplicate",
  "criterion-code-missing",
  "result-missing",
  "result-invalid",
  "points-missing",
  "points-not-number",
  "points-out-of-range",
  "points-not-applicable",
  "evidence-missing",
  "cell-error-value",
  "legacy-encoding",
] as const;

export type FindingCode = (typeof FINDING_CODES)[number];

export type Severity = "error" | "warning";

/** One mistake at one cell, with a Vietnamese message telling staff what to type. */
export interface Finding {
  severity: Severity;
  /** Tab title as it appears in the workbook. */
  tab: string;
  /** A1 address of the offending cell. */
  cell: string;
  /** Criterion code the finding is about, or null for tab-level findings. */
  criterion: string | null;
  code: FindingCode;
  message: string;
}

export function isError(finding: Finding): boolean {
  return finding.severity === "error";
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
