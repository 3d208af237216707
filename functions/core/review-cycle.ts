/**
 * The programme's review cycle per ward and programme: the ward submits (Trạng thái: Đề nghị
 * thẩm định), the supervising police appraises criterion by criterion and concludes (Đã thẩm
 * định) or returns the tab (Trả lại), the ward corrects and submits again. Pure: a reading of
 * the tab and the previous record give the next record and the events to act on (the app
 * stores the record and sends the one Trả lại email per return).
 */
import {
  type AppraisalValue,
  type ConclusionValue,
  SUBMISSION_VALUES,
  parseAppraisalValue,
  parseConclusionValue,
  parseSubmissionValue,
} from "../../sheets-schema/layout.js";
import { type Finding, isWardError } from "./findings.js";
import type { CriterionRow, ProgrammeSheet } from "./parse-ward.js";
import type { Catalogue } from "../../sheets-schema/catalogue.js";
import { type RowPositions, rowPositions } from "./row-positions.js";
import type { ProgrammeScore } from "./score-ward.js";
import { cellText } from "./validate-review.js";

/** Where a ward's programme stands in the cycle ("closed": its period is closed, set by the app). */
export type ReviewState = "not-sent" | "updating" | "submitted" | "returned" | "appraised" | "closed";

/** What one reading of a programme's tab says about the cycle. */
export interface ReviewReading {
  programmeId: string;
  /** The Trạng thái cell says Đề nghị thẩm định. */
  submitted: boolean;
  /** The ward's own error findings on the tab (the appraiser's never count). */
  errors: number;
  /** Canonical text of the ward's own cells (result, points, evidence, note per code): changes when the ward edits. */
  wardKey: string;
  conclusion: "appraised" | "returned" | null;
  /** Canonical text of the appraiser's cells (appraisal and note per code). */
  appraisalKey: string;
  appraisalComplete: boolean;
  /** Where the Trạng thái and Kết luận cells are ("C5", "C6"); absent in readings stored before they were kept. */
  submissionCell?: string;
  conclusionCell?: string;
  /** The criteria the appraiser sends back: appraised Chưa đạt, or given an Ý kiến thẩm định. */
  returned: Array<{ criterion: string; appraisal: AppraisalValue | null; note: string | null }>;
}

export type ReviewEventKind = "submitted" | "refused" | "returned" | "resubmitted" | "appraised" | "withdrawn";

/** Something that happened in the cycle, when (ISO time) and by whom where the runtime knows. */
export interface ReviewEvent {
  at: string;
  by: string | null;
  kind: ReviewEventKind;
}

/** The stored state of one ward's programme in one period. */
export interface ReviewRecord {
  programmeId: string;
  state: ReviewState;
  submittedAt: string | null;
  submittedBy: string | null;
  returnedAt: string | null;
  /** The appraisalKey of the last return: the same return is never sent twice. */
  returnKey: string | null;
  /** The ward's wardKey when it was returned (kept for the record; a resubmission is chosen in Trạng thái). */
  returnWardKey: string | null;
  appraisedAt: string | null;
  appraisedBy: string | null;
  /** The wardKey last refused for errors: a refusal is told once per content. */
  refusedKey: string | null;
  /**
   * The Kết luận cell's “Trả lại” is the last return's until a reading shows it blank or changed:
   * a leftover “Trả lại” never returns a resubmitted tab (absent in older records: the returnKey rule).
   */
  staleReturn?: boolean;
  events: ReviewEvent[];
}

const SUBMITTED = SUBMISSION_VALUES[1];
const CONCLUSION_STATE: Record<ConclusionValue, "appraised" | "returned"> = { "Đã thẩm định": "appraised", "Trả lại": "returned" };
const NOTHING = ""; // the key of cells all blank (a tab without the appraiser's columns)

/**
 * What a tab says about the cycle, from its parsed sheet, its score, the ward's findings and the
 * programme's catalogue (whose criteria the score counts).
 *
 * @example reviewReading(sheet, score, findings, catalogue).submitted // true when Trạng thái is “Đề nghị thẩm định”
 */
export function reviewReading(sheet: ProgrammeSheet, score: ProgrammeScore, findings: readonly Finding[], catalogue: Catalogue): ReviewReading {
  const submission = cellText(sheet.submission);
  const conclusion = cellText(sheet.conclusion);
  const parsedConclusion = conclusion === null ? undefined : parseConclusionValue(conclusion);
  return {
    programmeId: sheet.programmeId,
    submitted: sheet.found && submission !== null && parseSubmissionValue(submission) === SUBMITTED,
    errors: findings.filter((f) => f.tab === sheet.tab && isWardError(f)).length,
    conclusion: parsedConclusion ? CONCLUSION_STATE[parsedConclusion] : null,
    appraisalComplete: score.appraisal?.complete ?? false,
    ...(sheet.submission ? { submissionCell: sheet.submission.a1 } : {}),
    ...(sheet.conclusion ? { conclusionCell: sheet.conclusion.a1 } : {}),
    ...readRows(sheet, rowPositions(sheet.rows, catalogue)),
  };
}

/**
 * The two keys, one line per criterion row as read (code, then the cells), in row order, and ""
 * when all those cells are blank; and the catalogue criteria a return sends back (appraised Chưa
 * đạt, or given an Ý kiến thẩm định; first row of each; `positions`: each row's criterion in the
 * catalogue). One pass: it runs on every reading.
 */
function readRows(sheet: ProgrammeSheet, positions: RowPositions): Pick<ReviewReading, "wardKey" | "appraisalKey" | "returned"> {
  // Each part appended to the key by itself: a line made first and then appended cost twice as much (issue 11).
  let wardKey = "";
  let appraisalKey: string | null = null;
  let wardTyped = false;
  const returned: ReviewReading["returned"] = [];
  for (let index = 0; index < sheet.rows.length; index++) {
    const row = sheet.rows[index];
    if (!row || row.code === null) continue;
    const c = row.cells;
    const result = cellText(c.result);
    const points = cellText(c.points);
    const evidence = cellText(c.evidence);
    const wardNote = cellText(c.note);
    const appraisal = cellText(c.appraisal);
    const note = cellText(c.appraisalNote);
    // Typed when any of the four has text: told without building and comparing the line.
    wardTyped ||= Boolean(result || points || evidence || wardNote);
    // Most tabs have no appraisal yet: its key is made from the first appraiser's cell on (the blank lines before it filled in then).
    if (appraisalKey === null && (appraisal !== null || note !== null)) appraisalKey = blankAppraisals(sheet.rows, index);
    wardKey += row.code;
    wardKey += "\t";
    wardKey += result ?? "";
    wardKey += "\t";
    wardKey += points ?? "";
    wardKey += "\t";
    wardKey += evidence ?? "";
    wardKey += "\t";
    wardKey += wardNote ?? "";
    wardKey += "\n";
    if (appraisalKey !== null) appraisalKey += `${row.code}\t${appraisal ?? ""}\t${note ?? ""}\n`;
    const position = positions.at[index] ?? -1;
    const code = positions.index.criterionAt[position]?.code;
    if (code === undefined || positions.firstOf[position] !== index) continue;
    const value = appraisal === null ? null : (parseAppraisalValue(appraisal) ?? null);
    if (value === "Chưa đạt" || note !== null) returned.push({ criterion: code, appraisal: value, note });
  }
  return { wardKey: wardTyped ? wardKey : NOTHING, appraisalKey: appraisalKey ?? NOTHING, returned };
}

/** The appraisal key's lines of the rows with a code before index `until`, all of whose appraiser's cells are blank. */
function blankAppraisals(rows: readonly CriterionRow[], until: number): string {
  let key = "";
  for (let i = 0; i < until; i++) {
    const code = rows[i]?.code ?? null;
    if (code !== null) key += `${code}\t\t\n`;
  }
  return key;
}

/** The record of a programme nobody has submitted yet. */
function freshRecord(programmeId: string): ReviewRecord {
  return { programmeId, state: "not-sent", submittedAt: null, submittedBy: null, returnedAt: null, returnKey: null, returnWardKey: null, appraisedAt: null, appraisedBy: null, refusedKey: null, staleReturn: false, events: [] };
}

interface Step {
  record: ReviewRecord;
  events: ReviewEvent[];
}

/**
 * The next record after one reading, and the events it made (pure; stepping the same reading
 * again changes nothing and emits nothing). Every transition is chosen in a cell, since the
 * service never writes the Trạng thái or Kết luận cells. The ward's side first: not submitted →
 * updating ("withdrawn" if it was submitted); submitted with errors → updating + "refused" (once
 * per content); submitted clean → submitted ("submitted", or "resubmitted" after a return). Then
 * the appraiser's, while submitted: Trả lại → returned + "returned"; Đã thẩm định with every
 * criterion appraised → appraised + "appraised". A returned tab stays returned, whatever the
 * ward edits, while its Trạng thái still says Đề nghị thẩm định: the ward chooses Đang cập nhật
 * (→ updating), then Đề nghị thẩm định again. After that the Kết luận cell's old Trả lại is stale
 * (staleReturn) until a reading shows it blank or changed; Đã thẩm định counts at once. An
 * appraised tab stays appraised while its conclusion says so; a closed one stays closed; the
 * appraisal time is kept only while appraised.
 */
export function stepReview(prev: ReviewRecord | null, reading: ReviewReading, at: string, by: string | null): Step {
  const record: ReviewRecord = { ...(prev ?? freshRecord(reading.programmeId)) };
  const events: ReviewEvent[] = [];
  const emit = (kind: ReviewEventKind): void => void events.push({ at, by, kind });
  if (record.state === "closed") return { record, events };
  if (record.staleReturn && reading.conclusion !== "returned") record.staleReturn = false;
  if (!holds(record, reading)) {
    stepWard(record, reading, at, by, emit);
    if (record.state === "submitted") stepAppraiser(record, reading, at, by, emit);
  }
  if (record.state !== "appraised") Object.assign(record, { appraisedAt: null, appraisedBy: null });
  return { record: { ...record, events: [...record.events, ...events] }, events };
}

/** True while a state outlasts the reading: appraised and still concluded so; returned and still submitted (not re-appraised). */
function holds(record: ReviewRecord, reading: ReviewReading): boolean {
  if (record.state === "appraised") return reading.conclusion === "appraised";
  if (record.state === "returned") {
    const reappraised = reading.conclusion === "appraised" && reading.appraisalComplete && reading.errors === 0;
    return reading.submitted && !reappraised;
  }
  return false;
}

function stepWard(record: ReviewRecord, reading: ReviewReading, at: string, by: string | null, emit: (kind: ReviewEventKind) => void): void {
  const was = record.state;
  if (!reading.submitted) {
    if (was === "submitted" || was === "appraised") emit("withdrawn");
    record.state = "updating";
    return;
  }
  if (reading.errors > 0) {
    if (record.refusedKey !== reading.wardKey) emit("refused");
    record.state = "updating";
    record.refusedKey = reading.wardKey;
    return;
  }
  record.state = "submitted";
  // Re-appraised straight from a return (Đã thẩm định chosen over the Trả lại): no new submission.
  if (was === "submitted" || was === "appraised" || was === "returned") return;
  const again = record.returnedAt !== null;
  emit(again ? "resubmitted" : "submitted");
  Object.assign(record, { submittedAt: at, submittedBy: by, ...(again ? { staleReturn: (record.staleReturn ?? true) && reading.conclusion === "returned" } : {}) });
}

/** A Trả lại counts unless it is the last return's, left in the cell (staleReturn; older records: the same appraisal). */
function stepAppraiser(record: ReviewRecord, reading: ReviewReading, at: string, by: string | null, emit: (kind: ReviewEventKind) => void): void {
  const leftover = record.staleReturn ?? reading.appraisalKey === record.returnKey;
  if (reading.conclusion === "returned" && !leftover) {
    Object.assign(record, { state: "returned", returnedAt: at, returnKey: reading.appraisalKey, returnWardKey: reading.wardKey, staleReturn: true });
    emit("returned");
  } else if (reading.conclusion === "appraised" && reading.appraisalComplete) {
    Object.assign(record, { state: "appraised", appraisedAt: at, appraisedBy: by });
    emit("appraised");
  }
}

/** True when the Kết luận cell's “Trả lại” is the last return's, left there since the ward resubmitted. */
export const staleConclusion = (record: ReviewRecord | undefined): boolean => record?.state === "submitted" && record.staleReturn === true;
