/**
 * View-models of the emails: the leadership digest, ward feedback and deadline reminders.
 * Pure; the subject lines are built here so they can be tested as data.
 */
import type { ProgrammeSummary, TownSummary } from "./aggregate-town.js";
import type { Finding } from "./findings.js";
import { SEVERITY_LABEL, findingMessage } from "./messages.js";
import { WARD_STATUS_LABEL } from "./vocabulary.js";
import { listFindings, moreFindingsLine } from "./output-bounds.js";
import type { ProgrammeScore } from "./score-ward.js";
import { dateVi, percentVi, periodLabel } from "./vi-format.js";

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

export interface DigestProgramme {
  name: string;
  shortName: string;
  headline: string;
  wards: Array<{ name: string; met: string; percent: string; recognised: boolean; note: string }>;
  lagging: Array<{ code: string; text: string; notMet: number }>;
  notFilled: string | null;
  /** Wards whose file cannot be read: a problem to fix, listed like the errors. */
  unreadable: string | null;
  withErrors: string | null;
  /** Null when the charts were left out to keep the message under MAX_EMAIL_BYTES. */
  chartCid: string | null;
  document: string | null;
}

export interface DigestView {
  subject: string;
  heading: string;
  period: string;
  issuer: string;
  programmes: DigestProgramme[];
  /** Says what was left out to keep the message under MAX_EMAIL_BYTES; null when nothing was. */
  sizeNote: string | null;
}

function digestProgramme(p: ProgrammeSummary, index: number, documents: ReadonlyMap<string, string>): DigestProgramme {
  const byId = (ids: readonly string[]): string | null => (ids.length ? ids.map((id) => p.wards.find((w) => w.id === id)?.name ?? id).join(", ") : null);
  return {
    name: p.name,
    shortName: p.shortName,
    headline: `${p.recognisedCount}/${p.wardCount} phường đạt ${p.criteria}/${p.criteria} tiêu chí`,
    wards: p.wards.map((w) => ({
      name: w.name,
      met: w.status === "ok" && w.filled ? `${w.met}/${w.total}` : "—",
      percent: w.status === "ok" && w.filled ? percentVi(w.met, w.total) : "",
      recognised: w.recognised,
      note: w.status !== "ok" ? WARD_STATUS_LABEL[w.status] : w.errors ? `${w.errors} lỗi` : "",
    })),
    lagging: p.ranking.slice(0, 5).map((r) => ({ code: r.code, text: r.text, notMet: r.notMet })),
    notFilled: byId(p.completeness.notFilled),
    unreadable: byId(p.completeness.unreadable),
    withErrors: byId(p.completeness.withErrors),
    chartCid: `chart-${index + 1}`,
    document: documents.get(p.id) ?? null,
  };
}

/**
 * The leadership digest. Subject: "[Tiến độ tiêu chí] Tuần 48/2026 — 2/7 phường đạt 22/22; 2/7 phường đạt 34/34".
 * `documents` maps a programme id to where its report can be opened.
 */
export function buildDigestView(summary: TownSummary, issuer: string, documents: ReadonlyMap<string, string>): DigestView {
  const period = capitalise(periodLabel(summary.period));
  const headline = summary.programmes.map((p) => `${p.recognisedCount}/${p.wardCount} phường đạt ${p.criteria}/${p.criteria}`).join("; ");
  return {
    subject: `[Tiến độ tiêu chí] ${period} — ${headline}`,
    heading: `Tiến độ thực hiện tiêu chí các đề án — ${period}`,
    period,
    issuer,
    programmes: summary.programmes.map((p, i) => digestProgramme(p, i, documents)),
    sizeNote: null,
  };
}

export interface FeedbackView {
  subject: string;
  wardName: string;
  period: string;
  errors: number;
  warnings: number;
  scores: Array<{ name: string; met: string }>;
  findings: Array<{ index: number; severity: string; tab: string; cell: string; criterion: string; message: string }>;
  /** "… và N lỗi khác; …" when the list was cut (MAX_LISTED_FINDINGS, or less to stay under MAX_EMAIL_BYTES). */
  moreFindings: string | null;
}

/** Ward feedback: the findings with tab and cell, and how to fix each. */
export function buildFeedbackView(input: {
  ward: { name: string };
  period: string;
  findings: readonly Finding[];
  scores: readonly ProgrammeScore[];
  programmeNames: ReadonlyMap<string, string>;
  /** Most findings to list (default MAX_LISTED_FINDINGS); the sender lowers it for a message that is too large. */
  maxListed?: number;
}): FeedbackView {
  const listed = listFindings(input.findings, input.maxListed);
  const errors = input.findings.filter((f) => f.severity === "error").length;
  const warnings = input.findings.length - errors;
  const what = [errors ? `${errors} lỗi` : "", warnings ? `${warnings} cảnh báo` : ""].filter(Boolean).join(", ");
  return {
    subject: `[Tiêu chí] Phường ${input.ward.name}: ${what} cần sửa trong bảng tự đánh giá (${periodLabel(input.period)})`,
    wardName: input.ward.name,
    period: periodLabel(input.period),
    errors,
    warnings,
    scores: input.scores.map((s) => ({ name: input.programmeNames.get(s.programmeId) ?? s.programmeId, met: `${s.met}/${s.total}` })),
    findings: listed.shown.map((f, i) => ({
      index: i + 1,
      severity: SEVERITY_LABEL[f.severity],
      tab: f.tab,
      cell: f.cell,
      criterion: f.criterion ?? "",
      message: findingMessage(f),
    })),
    // Staff cannot open the town's files: the rest is reported once these are fixed and saved.
    moreFindings: moreFindingsLine(listed.more, null),
  };
}

export interface ReminderView {
  subject: string;
  wardName: string;
  deadline: string;
  deadlineTitle: string;
  daysLeft: number;
  /** The sentence before the list: what the ward still owes, or that it sent nothing. */
  lead: string;
  items: string[];
}

const NOT_SENT = "Phường chưa gửi bảng tự đánh giá.";

/** What a ward still owes before a deadline; empty when it owes nothing. */
export function reminderItems(status: "ok" | "missing" | "unreadable", scores: readonly ProgrammeScore[], programmeNames: ReadonlyMap<string, string>): string[] {
  if (status === "missing") return [NOT_SENT];
  if (status === "unreadable") return ["Tệp bảng tự đánh giá không đọc được; đề nghị lưu lại dưới dạng .xlsx."];
  return scores.flatMap((s) => {
    const name = programmeNames.get(s.programmeId) ?? s.programmeId;
    const empty = s.counts.empty + s.counts.missing;
    return [
      ...(empty ? [`${name}: còn ${empty} tiêu chí chưa nhập kết quả.`] : []),
      ...(s.errors ? [`${name}: còn ${s.errors} lỗi trong bảng tự đánh giá chưa sửa.`] : []),
    ];
  });
}

/** A reminder N days before a deadline; for a ward that sent nothing, one sentence says so instead of a list. */
export function buildReminderView(input: { ward: { name: string }; deadline: { date: string; title: string }; daysLeft: number; items: string[] }): ReminderView {
  const sentNothing = input.items.length === 1 && input.items[0] === NOT_SENT;
  const deadline = dateVi(new Date(`${input.deadline.date}T00:00:00+07:00`));
  const when = input.daysLeft === 0 ? "hôm nay là hạn cuối" : `còn ${input.daysLeft} ngày đến hạn ${deadline}`;
  return {
    subject: `[Nhắc hạn] Phường ${input.ward.name}: ${when} (${input.deadline.title})`,
    wardName: input.ward.name,
    deadline,
    deadlineTitle: input.deadline.title,
    daysLeft: input.daysLeft,
    lead: sentNothing ? NOT_SENT : "Bảng tự đánh giá của phường còn các việc sau:",
    items: sentNothing ? [] : input.items,
  };
}
