/**
 * The trail of changes (issue 12): what a ward changed between two readings of its workbook,
 * criterion by criterion — the result, the points, the evidence (and, once appraisal columns
 * exist, the appraisal) — with when each reading was taken and by whom where the runtime
 * knows it. Pure: readings in, changes out.
 */
import type { WardOutcome } from "./aggregate-town.js";
import type { CriterionCells } from "./criterion-cells.js";
import type { OutputTable, TableCell } from "./output-table.js";
import type { ReviewEvent } from "./review-cycle.js";
import { formatLocalDateTime } from "./period.js";
import type { CriterionStatus } from "./score-ward.js";
import { decimalVi } from "./vi-format.js";
import { CRITERION_STATUS_LABEL } from "./vocabulary.js";

/** What one criterion read as. `evidence` / `appraisal`: absent when the reading does not carry them. */
export interface CriterionReading {
  programme: string;
  code: string;
  status: CriterionStatus;
  points: number | null;
  evidence?: string | null;
  /** The appraised result ("met" / "not-met") and the appraiser's Ý kiến thẩm định. */
  appraisal?: string | null;
  appraisalNote?: string | null;
}

/** One reading of a ward's workbook. */
export interface WardReading {
  ward: string;
  /** ISO instant of the reading. */
  at: string;
  /**
   * Who last changed the workbook, where known: locally the workbook's lastModifiedBy core
   * property, on Google the Drive file's lastModifyingUser; null when unknown.
   */
  by: string | null;
  criteria: CriterionReading[];
}

export type ChangedField = "result" | "points" | "evidence" | "appraisal" | "appraisalNote";

/** One field of one criterion that changed between two readings. */
export interface CriterionChange {
  ward: string;
  programme: string;
  criterion: string;
  field: ChangedField;
  /** The value before (null: none, or the criterion was not read before) and after. */
  before: string | number | null;
  after: string | number | null;
  at: string;
  by: string | null;
}

/**
 * A reading of a ward's outcome: results and points, the appraisal (+ Ý kiến; blank before any),
 * and with `cells` (the run's own read of the workbook) the evidence too.
 */
export function readingOf(outcome: WardOutcome, at: string, by: string | null, cells?: readonly CriterionCells[]): WardReading {
  const evidence = cells && new Map(cells.map((c) => [keyOf(c), c.evidence]));
  const criteria = outcome.scores.flatMap((s) => {
    const appraised = s.appraisal && new Map(s.appraisal.criteria.map((a) => [a.code, a]));
    return s.criteria.map((c): CriterionReading => ({
      programme: s.programmeId,
      code: c.code,
      status: c.status,
      points: c.points,
      ...(evidence ? { evidence: evidence.get(keyOf({ programme: s.programmeId, code: c.code })) ?? null } : {}),
      // A tab nobody has appraised reads as blank appraisal cells, so the first appraisal is a change.
      appraisal: appraised?.get(c.code)?.result ?? null,
      appraisalNote: appraised?.get(c.code)?.note ?? null,
    }));
  });
  return { ward: outcome.ward.id, at, by, criteria };
}

const keyOf = (c: Pick<CriterionReading, "programme" | "code">): string => `${c.programme}\u0000${c.code}`;

/** The fields of a criterion to compare: evidence and appraisal only when both readings carry them. */
function fieldsOf(before: CriterionReading | undefined, after: CriterionReading): Array<[ChangedField, string | number | null, string | number | null]> {
  const fields: Array<[ChangedField, string | number | null, string | number | null]> = [
    ["result", before?.status ?? null, after.status],
    ["points", before?.points ?? null, after.points],
  ];
  if (after.evidence !== undefined && (before === undefined || before.evidence !== undefined)) fields.push(["evidence", before?.evidence ?? null, after.evidence]);
  if (after.appraisal !== undefined && (before === undefined || before.appraisal !== undefined)) fields.push(["appraisal", before?.appraisal ?? null, after.appraisal]);
  if (after.appraisalNote !== undefined && (before === undefined || before.appraisalNote !== undefined)) fields.push(["appraisalNote", before?.appraisalNote ?? null, after.appraisalNote]);
  return fields;
}

/**
 * What changed from `previous` to `current` (same ward), in the order of `current`'s criteria.
 * A first reading (`previous` null) has no changes: the trail starts there.
 *
 * @example diffReadings(before, after) // → [{ ward: "nghi-hoa", programme: "ca", criterion: "TC01", field: "result", before: "not-met", after: "met", at, by }]
 */
export function diffReadings(previous: WardReading | null, current: WardReading): CriterionChange[] {
  if (previous === null) return [];
  const before = new Map(previous.criteria.map((c) => [keyOf(c), c]));
  return current.criteria.flatMap((c) =>
    fieldsOf(before.get(keyOf(c)), c)
      .filter(([, was, now]) => was !== now)
      .map(([field, was, now]) => ({ ward: current.ward, programme: c.programme, criterion: c.code, field, before: was, after: now, at: current.at, by: current.by })),
  );
}

/** The names staff read instead of ids: wards ("Phường Nghi Hòa") and programmes (short names). */
export interface TrailNames {
  ward: (id: string) => string;
  programme: (id: string) => string;
}

export const FIELD_LABEL: Record<ChangedField, string> = { result: "Kết quả", points: "Điểm tự chấm", evidence: "Minh chứng", appraisal: "Kết quả thẩm định", appraisalNote: "Ý kiến thẩm định" };

/** A changed value as staff read it: a result by its label, points as a number, none as "(trống)". */
export function shownValue(field: ChangedField, value: string | number | null): string | number {
  if (value === null || value === "") return "(trống)";
  if ((field === "result" || field === "appraisal") && typeof value === "string" && value in CRITERION_STATUS_LABEL) return CRITERION_STATUS_LABEL[value as CriterionStatus];
  return value;
}

const whoOf = (by: string | null): string => by ?? "không rõ";

/**
 * One change as a line of the CLI: "01/10/2026 10:00 — Phường Nghi Hương, CA phường kiểu mẫu, TC01: kết quả “Đạt” → “Chưa đạt” (người sửa: không rõ)".
 */
export function trailLine(change: CriterionChange, names: TrailNames): string {
  const value = (v: string | number | null): string => {
    const shown = shownValue(change.field, v);
    return typeof shown === "number" ? decimalVi(shown) : `“${shown}”`;
  };
  return `${formatLocalDateTime(new Date(change.at))} — ${names.ward(change.ward)}, ${names.programme(change.programme)}, ${change.criterion}: ${FIELD_LABEL[change.field].toLowerCase()} ${value(change.before)} → ${value(change.after)} (người sửa: ${whoOf(change.by)})`;
}

/** A step of the review cycle or of the period's closing, as the trail shows it. */
export interface TrailEvent {
  kind: ReviewEvent["kind"] | "closed" | "reopened";
  at: string;
  by: string | null;
  /** The ward and programme, null for the closing of the whole period. */
  ward: string | null;
  programme: string | null;
  /** The reason of a reopening. */
  reason?: string;
}

const EVENT_LABEL: Record<TrailEvent["kind"], string> = {
  submitted: "Gửi đề nghị thẩm định",
  resubmitted: "Gửi lại đề nghị thẩm định sau khi bổ sung",
  refused: "Chưa nhận đề nghị thẩm định (bảng còn lỗi)",
  withdrawn: "Chuyển về “Đang cập nhật”",
  returned: "Trả lại để bổ sung, sửa",
  appraised: "Kết luận “Đã thẩm định”",
  closed: "Chốt kỳ",
  reopened: "Mở lại kỳ",
};

export const eventWhat = (e: TrailEvent): string => `${EVENT_LABEL[e.kind]}${e.reason ? ` (lý do: “${e.reason}”)` : ""}`;

/** "02/12/2026 10:00 — Phường Nghi Hương, CA phường kiểu mẫu: Trả lại để bổ sung, sửa (người thực hiện: thamdinh)". */
export function trailEventLine(event: TrailEvent, names: TrailNames): string {
  const where = event.ward === null ? "Cả kỳ" : `${names.ward(event.ward)}${event.programme ? `, ${names.programme(event.programme)}` : ""}`;
  return `${formatLocalDateTime(new Date(event.at))} — ${where}: ${eventWhat(event)} (người thực hiện: ${whoOf(event.by)})`;
}

/** One change as a row of the change log. */
function changeRow(c: CriterionChange, names: TrailNames): TableCell[] {
  return [formatLocalDateTime(new Date(c.at)), names.ward(c.ward), names.programme(c.programme), c.criterion, FIELD_LABEL[c.field], shownValue(c.field, c.before), shownValue(c.field, c.after), whoOf(c.by)];
}

function eventRow(e: TrailEvent, names: TrailNames): TableCell[] {
  return [formatLocalDateTime(new Date(e.at)), e.ward === null ? "Cả kỳ" : names.ward(e.ward), e.programme ? names.programme(e.programme) : "", "", e.kind === "closed" || e.kind === "reopened" ? "Chốt kỳ" : "Thẩm định", "", eventWhat(e), whoOf(e.by)];
}

/** The change log as a table (.xlsx and .csv): one row per changed field and per step of the cycle, oldest first. */
export function trailTable(changes: readonly CriterionChange[], names: TrailNames, events: readonly TrailEvent[] = []): OutputTable {
  const rows = [...changes.map((c) => ({ at: c.at, row: changeRow(c, names) })), ...events.map((e) => ({ at: e.at, row: eventRow(e, names) }))];
  return {
    title: "Nhật ký thay đổi",
    header: ["Thời điểm", "Đơn vị", "Bộ tiêu chí", "Tiêu chí", "Nội dung", "Trước", "Sau", "Người sửa"],
    widths: [18, 28, 28, 10, 18, 20, 28, 24],
    // Stable: changes keep their order within one instant.
    rows: rows.sort((a, b) => a.at.localeCompare(b.at)).map((r) => r.row),
  };
}
