/**
 * Deadline reminders, following the review cycle: a submission deadline reminds each ward that
 * still owes something (not sent, updating, returned: with the criteria sent back); an
 * appraisal deadline reminds the office of the wards submitted and not yet appraised. Each
 * stage of a deadline is sent once (the scope, not the content, makes the key).
 */
import { buildReminderView, reminderItems } from "../core/email-views.js";
import { dueStage, submissionItems } from "../core/reminders.js";
import { buildAppraisalReminderView } from "../core/review-email-views.js";
import type { Runtime } from "../core/vocabulary.js";
import type { TemplateSet } from "../render/templates.js";
import type { Config } from "../config.js";
import type { MailMessage } from "../ports.js";
import type { MessageConfig } from "./compose-messages.js";
import { message, programmeNames } from "./mail-message.js";
import { officeOf, officeSalutation } from "./review-messages.js";
import type { TownRun } from "./run-town.js";

/** What each programme of a ward owes before a submission deadline, by its review state (none recorded: as before the cycle). */
function wardItems(w: TownRun["wards"][number], names: ReadonlyMap<string, string>, tabs: ReadonlyMap<string, string>, runtime: Runtime): string[] {
  const ward = { status: w.outcome.status, kind: w.ward.kind };
  if (w.outcome.status !== "ok") return reminderItems(ward, w.outcome.scores, names, runtime);
  return submissionItems(
    w.outcome.scores.map((s) => ({
      name: names.get(s.programmeId) ?? s.programmeId,
      tab: tabs.get(s.programmeId) ?? s.programmeId,
      state: w.outcome.review?.find((r) => r.programmeId === s.programmeId)?.state ?? null,
      returned: w.sheet?.review.find((r) => r.programmeId === s.programmeId)?.returned.map((c) => c.criterion) ?? [],
      owed: reminderItems(ward, [s], names, runtime),
    })),
  );
}

/** The appraisal-deadline reminder to the office: the wards' programmes submitted and not yet appraised; none when there are none. */
function appraisalReminder(run: TownRun, config: MessageConfig, templates: TemplateSet, deadline: Config["schedule"]["deadlines"][number], due: { daysLeft: number; stage: number }): MailMessage[] {
  const to = officeOf(config);
  const names = programmeNames(config.catalogues);
  const pending = run.wards.flatMap((w) => (w.outcome.review ?? []).filter((r) => r.state === "submitted").map((r) => ({ ward: w.ward, programme: names.get(r.programmeId) ?? r.programmeId, submittedAt: r.submittedAt })));
  if (!to.length || !pending.length) return [];
  const view = buildAppraisalReminderView({ office: officeSalutation(config), deadline, daysLeft: due.daysLeft, pending });
  return [
    message("reminder-appraisal", to, config.recipients.cc, `${deadline.date}@${due.stage}`, { deadline: deadline.date, stage: due.stage }, {
      subject: view.subject,
      text: templates.render("email-reminder.txt", view),
      html: templates.render("email-reminder", view),
      attachments: [],
    }),
  ];
}

/**
 * Reminders due today (YYYY-MM-DD, Vietnam time): a submission deadline to each ward that still
 * owes something (not sent, updating, returned); an appraisal deadline to the office, listing
 * the wards submitted and not yet appraised. Each stage once (the ledger).
 */
export function composeReminders(run: TownRun, config: MessageConfig, templates: TemplateSet, today: string, runtime: Runtime = "local"): MailMessage[] {
  const names = programmeNames(config.catalogues);
  const tabs = new Map(config.catalogues.map((c) => [c.id, c.tabTitle]));
  return config.schedule.deadlines.flatMap((deadline) => {
    const due = dueStage(deadline.date, today, deadline.remindDaysBefore);
    if (!due) return [];
    if (deadline.step === "appraisal") return appraisalReminder(run, config, templates, deadline, due);
    return run.wards.flatMap((w) => {
      const to = w.ward.contacts.map((c) => c.email);
      const items = wardItems(w, names, tabs, runtime);
      if (!items.length || !to.length) return [];
      const view = buildReminderView({ ward: w.ward, status: w.outcome.status, deadline, daysLeft: due.daysLeft, items });
      // One reminder per ward, deadline and stage: the scope, not the content, makes it unique.
      return [
        message("reminder", to, [], `${deadline.date}@${due.stage}`, { deadline: deadline.date, stage: due.stage }, {
          subject: view.subject,
          text: templates.render("email-reminder.txt", view),
          html: templates.render("email-reminder", view),
          attachments: [],
        }),
      ];
    });
  });
}
