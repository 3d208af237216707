/**
 * View-models of the review cycle's emails (issue 12): the "Trả lại" letter to a ward (the
 * criteria sent back, the appraised result and the appraiser's reasons) and the notice to the
 * supervising office that a ward asks for appraisal ("đề nghị thẩm định"). Pure.
 */
import type { ReviewReading } from "./review-cycle.js";
import { type ReminderView, SUBJECT_PREFIX } from "./email-views.js";
import { type UnitRef, unitKindOf, unitLabel, unitNoun, unitPolice } from "./organisation.js";
import { formatLocalDateTime } from "./period.js";
import { periodLabel, sheetPlace } from "./vocabulary.js";
import { CONCLUSION_CELL, SUBMISSION_CELL } from "../../sheets-schema/workbook-plan.js";
import { dateVi, sentenceCase } from "./vi-format.js";

export interface ReturnView {
  subject: string;
  salutation: string;
  /** "phường", "xã". */
  unit: string;
  /** "phường Nghi Hòa". */
  unitName: string;
  programme: string;
  period: string;
  /** When the appraiser returned it ("02/12/2026 10:00"). */
  returnedAt: string;
  criteria: Array<{ index: number; code: string; text: string; appraisal: string; note: string }>;
  /** The tab and the two columns the ward reads, named as it sees them. */
  tab: string;
  /** Who is asked to act, as the salutation names it ("Công an phường Nghi Hòa"). */
  police: string;
  /** Where the Trạng thái cell is ("trang tính “CA phường kiểu mẫu”, ô C5"). */
  statusPlace: string;
}

/**
 * The Trả lại letter: every criterion the appraiser sent back (appraised Chưa đạt, or given an
 * Ý kiến thẩm định), with the criterion's text so the ward need not look it up.
 *
 * @example buildReturnView({ ward, programme: "CA phường kiểu mẫu", tab, period: "2026-11", returnedAt, returned, criterionText }).subject
 * // → "[Tự đánh giá tiêu chí] Phường Nghi Hòa: bảng tự đánh giá “CA phường kiểu mẫu” được trả lại để bổ sung (tháng 11/2026)"
 */
export function buildReturnView(input: {
  ward: UnitRef;
  programme: string;
  tab: string;
  period: string;
  returnedAt: string;
  returned: ReviewReading["returned"];
  criterionText: (code: string) => string;
}): ReturnView {
  return {
    subject: `${SUBJECT_PREFIX} ${sentenceCase(unitLabel(input.ward))}: bảng tự đánh giá “${input.programme}” được trả lại để bổ sung (${periodLabel(input.period)})`,
    salutation: `Kính gửi: ${unitPolice(input.ward)}`,
    unit: unitNoun(unitKindOf(input.ward)),
    unitName: unitLabel(input.ward),
    programme: input.programme,
    period: periodLabel(input.period),
    returnedAt: formatLocalDateTime(new Date(input.returnedAt)),
    tab: input.tab,
    police: unitPolice(input.ward),
    statusPlace: sheetPlace(input.tab, SUBMISSION_CELL),
    criteria: input.returned.map((c, i) => ({
      index: i + 1,
      code: c.criterion,
      text: input.criterionText(c.criterion),
      appraisal: c.appraisal ?? "(chưa ghi)",
      note: c.note ?? "(không ghi ý kiến)",
    })),
  };
}

export interface SubmissionNoticeView {
  subject: string;
  salutation: string;
  wardName: string;
  programme: string;
  period: string;
  submittedAt: string;
  submittedBy: string;
  /** The ward's own figures as submitted ("19/22"). */
  met: string;
  resubmitted: boolean;
  /** Where the Kết luận thẩm định cell is ("trang tính “CA phường kiểu mẫu”, ô C6"). */
  conclusionPlace: string;
}

/** The notice to the office: a ward asks for appraisal of one programme (again, after a return). */
export function buildSubmissionNoticeView(input: {
  office: string;
  ward: UnitRef;
  programme: string;
  tab: string;
  period: string;
  submittedAt: string;
  submittedBy: string | null;
  met: string;
  resubmitted: boolean;
}): SubmissionNoticeView {
  const what = input.resubmitted ? "gửi lại đề nghị thẩm định" : "đề nghị thẩm định";
  return {
    subject: `${SUBJECT_PREFIX} ${sentenceCase(unitLabel(input.ward))} ${what} “${input.programme}” (${periodLabel(input.period)})`,
    salutation: `Kính gửi: ${input.office}`,
    wardName: sentenceCase(unitLabel(input.ward)),
    programme: input.programme,
    period: periodLabel(input.period),
    submittedAt: formatLocalDateTime(new Date(input.submittedAt)),
    submittedBy: input.submittedBy ?? "không rõ",
    met: input.met,
    resubmitted: input.resubmitted,
    conclusionPlace: sheetPlace(input.tab, CONCLUSION_CELL),
  };
}

/**
 * The appraisal-deadline reminder to the office, in the shape of a ward reminder (same
 * templates): the wards that asked for appraisal and are not yet appraised.
 */
export function buildAppraisalReminderView(input: { office: string; deadline: { date: string; title: string }; daysLeft: number; pending: ReadonlyArray<{ ward: UnitRef; programme: string; submittedAt: string | null }> }): ReminderView {
  const deadline = dateVi(new Date(`${input.deadline.date}T00:00:00+07:00`));
  const title = `“${input.deadline.title}”`;
  const when = input.daysLeft === 0 ? `hôm nay là hạn cuối ${title} (${deadline})` : `còn ${input.daysLeft} ngày đến hạn ${title} (${deadline})`;
  return {
    subject: `${SUBJECT_PREFIX} ${sentenceCase(when)}: ${input.pending.length} bảng tự đánh giá chờ thẩm định`,
    wardName: "",
    salutation: `Kính gửi: ${input.office}`,
    unit: "",
    deadline,
    deadlineTitle: input.deadline.title,
    daysLeft: input.daysLeft,
    lead: "Các bảng tự đánh giá đã được đề nghị thẩm định nhưng chưa có kết luận thẩm định:",
    items: input.pending.map((p) => `${sentenceCase(unitLabel(p.ward))}, “${p.programme}”${p.submittedAt ? ` (đề nghị lúc ${formatLocalDateTime(new Date(p.submittedAt))})` : ""}.`),
  };
}
