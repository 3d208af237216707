/**
 * Compose the emails of a report run: the leadership digest (with one PNG chart per
 * programme, inline by CID), ward feedback and deadline reminders. Each message carries its
 * idempotency key: kind | recipients | period | content hash, the hash over data only
 * (content-keys.ts): never a rendered sentence, a link or a path.
 */
import type { Catalogue } from "../../sheets-schema/catalogue.js";
import { type DigestView, buildDigestView, buildFeedbackView, buildReminderView, reminderItems } from "../core/email-views.js";
import { MAX_EMAIL_BYTES, MAX_LISTED_FINDINGS } from "../core/output-bounds.js";
import { dueStage } from "../core/reminders.js";
import { contentHash } from "../hashing.js";
import { renderBarChartPng } from "../render/charts.js";
import type { TemplateSet } from "../render/templates.js";
import type { Config } from "../config.js";
import type { MailMessage } from "../ports.js";
import { digestKeyContent, findingsFingerprint } from "./content-keys.js";
import { wireSize } from "./mail-size.js";
import type { TownRun } from "./run-town.js";

type MessageConfig = Pick<Config, "agency" | "recipients" | "schedule" | "catalogues">;

function programmeNames(catalogues: readonly Catalogue[]): Map<string, string> {
  return new Map(catalogues.map((c) => [c.id, c.shortName]));
}

function message(kind: string, to: string[], cc: string[], scope: string, content: unknown, rendered: Omit<MailMessage, "key" | "to" | "cc">): MailMessage {
  return { key: [kind, [...to, ...cc].join(","), scope, contentHash(content)].join("|"), to, cc, ...rendered };
}

/** The leadership digest, or null when no leadership recipient is configured. Charts are left out (with a note) if it would exceed MAX_EMAIL_BYTES. */
export async function composeDigest(run: TownRun, config: MessageConfig, templates: TemplateSet, documents: ReadonlyMap<string, string>): Promise<MailMessage | null> {
  const to = config.recipients.leadership;
  if (!to.length) return null;
  const view = buildDigestView(run.summary, config.agency.issuerName ?? config.agency.issuer, documents);
  const attachments = await Promise.all(
    run.summary.programmes.map(async (p, i) => ({
      filename: `bieu-do-${p.id}.png`,
      contentType: "image/png",
      cid: view.programmes[i]!.chartCid ?? `chart-${i + 1}`,
      content: await renderBarChartPng({
        title: p.shortName,
        categories: p.wards.map((w) => w.name),
        met: p.wards.map((w) => w.met),
        total: p.criteria,
        recognised: p.wards.map((w) => w.recognised),
      }),
    })),
  );
  const render = (v: DigestView, files: MailMessage["attachments"]) =>
    message("digest", to, config.recipients.cc, run.summary.period, digestKeyContent(run.summary, documents.keys()), {
      subject: v.subject,
      text: templates.render("email-digest.txt", v),
      html: templates.render("email-digest", v),
      attachments: files,
    });
  const full = render(view, attachments);
  if (wireSize(full) <= MAX_EMAIL_BYTES) return full;
  const sizeNote = "Biểu đồ đã được lược bỏ để thư không vượt quá 2 MB; xem biểu đồ trong báo cáo kèm theo đường dẫn ở trên.";
  return render({ ...view, sizeNote, programmes: view.programmes.map((p) => ({ ...p, chartCid: null })) }, []);
}

/**
 * One feedback message per ward that has findings and contacts; sent again only when the
 * findings change. At most MAX_LISTED_FINDINGS are listed, fewer when the message would
 * exceed MAX_EMAIL_BYTES (a finding may quote a long cell); the key facts (counts, what to do) stay.
 */
export function composeFeedback(run: TownRun, config: MessageConfig, templates: TemplateSet): MailMessage[] {
  const names = programmeNames(config.catalogues);
  return run.wards.flatMap((w) => {
    const to = w.ward.contacts.map((c) => c.email);
    if (!w.findings.length || !to.length) return [];
    const build = (maxListed: number): MailMessage => {
      const view = buildFeedbackView({ ward: w.ward, period: run.summary.period, findings: w.findings, scores: w.outcome.scores, programmeNames: names, maxListed });
      return message("feedback", to, [], run.summary.period, findingsFingerprint(w.findings), {
        subject: view.subject,
        text: templates.render("email-feedback.txt", view),
        html: templates.render("email-feedback", view),
        attachments: [],
      });
    };
    let maxListed = MAX_LISTED_FINDINGS;
    let composed = build(maxListed);
    while (wireSize(composed) > MAX_EMAIL_BYTES && maxListed > 0) {
      maxListed = Math.floor(maxListed / 2);
      composed = build(maxListed);
    }
    return [composed];
  });
}

/** Reminders due today (YYYY-MM-DD, Vietnam time) for wards that still owe something. */
export function composeReminders(run: TownRun, config: MessageConfig, templates: TemplateSet, today: string): MailMessage[] {
  const names = programmeNames(config.catalogues);
  return config.schedule.deadlines.flatMap((deadline) => {
    const due = dueStage(deadline.date, today, deadline.remindDaysBefore);
    if (!due) return [];
    return run.wards.flatMap((w) => {
      const to = w.ward.contacts.map((c) => c.email);
      const items = reminderItems(w.outcome.status, w.outcome.scores, names);
      if (!items.length || !to.length) return [];
      const view = buildReminderView({ ward: w.ward, deadline, daysLeft: due.daysLeft, items });
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
