/**
 * The review cycle's emails (issue 12), composed from the state the run stepped, not from its
 * events, so a run that sends no mail (`tieuchi run`) loses nothing: the next report sends it.
 * - "Trả lại": ONE letter to the ward's contacts per return, keyed on ward + programme + the
 *   return (its appraisal's hash, returnKey, and when), whatever the appraiser edits afterwards.
 * - "Đề nghị thẩm định": one notice to the office (review.office, else recipients.leadership)
 *   per submission, keyed on ward + programme + when it was submitted.
 * No key holds the period: a record carried into the next period sends nothing again.
 */
import type { Catalogue } from "../../sheets-schema/catalogue.js";
import { buildReturnView, buildSubmissionNoticeView } from "../core/review-email-views.js";
import type { ReviewRecord } from "../core/review-cycle.js";
import type { TemplateSet } from "../render/templates.js";
import type { Config } from "../config.js";
import type { MailMessage } from "../ports.js";
import { message } from "./mail-message.js";
import type { TownRun, WardRun } from "./run-town.js";

type ReviewMessageConfig = Pick<Config, "agency" | "recipients" | "review" | "catalogues">;

/** Who is told of submissions and reminded of appraisal deadlines: review.office, else the leadership. */
export const officeOf = (config: Pick<Config, "recipients" | "review">): string[] => (config.review.office.length ? config.review.office : config.recipients.leadership);

/** Who the office's mail is addressed to: "Bộ phận thẩm định, Công an thị xã Cửa Lò". */
export const officeSalutation = (config: Pick<Config, "agency">): string => `Bộ phận thẩm định, ${config.agency.issuerName ?? config.agency.issuer}`;

function returnLetter(w: WardRun, record: ReviewRecord, catalogue: Catalogue, period: string, templates: TemplateSet): MailMessage[] {
  const to = w.ward.contacts.map((c) => c.email);
  const reading = w.sheet?.review.find((r) => r.programmeId === record.programmeId);
  if (!to.length || !record.returnKey || !record.returnedAt || !reading) return [];
  const texts = new Map(catalogue.criteria.map((c) => [c.code, c.text]));
  const view = buildReturnView({ ward: w.ward, programme: catalogue.shortName, tab: catalogue.tabTitle, period, returnedAt: record.returnedAt, returned: reading.returned, criterionText: (code) => texts.get(code) ?? "" });
  const scope = `${w.ward.id}|${record.programmeId}`;
  return [message("review-return", to, [], scope, { returnKey: record.returnKey, returnedAt: record.returnedAt }, { subject: view.subject, text: templates.render("email-return.txt", view), html: templates.render("email-return", view), attachments: [] })];
}

function submissionNotice(w: WardRun, record: ReviewRecord, catalogue: Catalogue, period: string, config: ReviewMessageConfig, templates: TemplateSet): MailMessage[] {
  const to = officeOf(config);
  if (!to.length || !record.submittedAt) return [];
  const score = w.outcome.scores.find((s) => s.programmeId === record.programmeId);
  const view = buildSubmissionNoticeView({
    office: officeSalutation(config),
    ward: w.ward,
    programme: catalogue.shortName,
    tab: catalogue.tabTitle,
    period,
    submittedAt: record.submittedAt,
    submittedBy: record.submittedBy,
    met: score ? `${score.met}/${score.total}` : "",
    resubmitted: record.returnedAt !== null,
  });
  const scope = `${w.ward.id}|${record.programmeId}`;
  return [message("review-submitted", to, config.recipients.cc, scope, { submittedAt: record.submittedAt }, { subject: view.subject, text: templates.render("email-review-notice.txt", view), html: templates.render("email-review-notice", view), attachments: [] })];
}

/**
 * The Trả lại letters and the submission notices due from a run (a closed period's run has no
 * records, so none).
 *
 * @example composeReviewMessages(run, config, templates) // → [{ key: "review-return|ca.nghihoa@…|nghi-hoa|ca-phuong-dien-hinh|…", … }]
 */
export function composeReviewMessages(run: TownRun, config: ReviewMessageConfig, templates: TemplateSet): MailMessage[] {
  const period = run.summary.period;
  return run.wards.flatMap((w) =>
    (w.reviews ?? []).flatMap((record) => {
      const catalogue = config.catalogues.find((c) => c.id === record.programmeId);
      if (!catalogue) return [];
      if (record.state === "returned") return returnLetter(w, record, catalogue, period, templates);
      if (record.state === "submitted") return submissionNotice(w, record, catalogue, period, config, templates);
      return [];
    }),
  );
}
