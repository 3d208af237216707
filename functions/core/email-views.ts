/**
 * View-models of the emails to wards: feedback on their workbook and deadline reminders (the
 * leadership digest is digest-view.ts). Pure; the subject lines are built here so they can be
 * tested as data.
 */
import type { Finding } from "./findings.js";
import { findingMessage } from "./messages.js";
import type { WardStatus } from "./aggregate-town.js";
import { type Runtime, SEVERITY_LABEL, WARD_STATUS_TO_WARD, periodLabel, sheetPlace } from "./vocabulary.js";
import { listFindings, moreFindingsLine } from "./output-bounds.js";
import type { ProgrammeScore } from "./score-ward.js";
import { dateVi, sentenceCase } from "./vi-format.js";
import { type UnitKind, type UnitRef, unitKindOf, unitLabel, unitNoun, unitPolice } from "./organisation.js";

/** Every email tieuchi sends starts its subject with this, so mail rules can sort them. */
export const SUBJECT_PREFIX = "[Tự đánh giá tiêu chí]";

export interface FeedbackView {
  subject: string;
  wardName: string;
  /** "Kính gửi: Công an xã Nghi Lộc". */
  salutation: string;
  /** The unit's kind as written in a sentence: "phường", "xã". */
  unit: string;
  period: string;
  errors: number;
  warnings: number;
  scores: Array<{ name: string; met: string }>;
  /** `place`: "trang tính “…”, ô D11". */
  findings: Array<{ index: number; severity: string; place: string; criterion: string; message: string }>;
  /** "… và N lỗi khác; …" when the list was cut (MAX_LISTED_FINDINGS, or less to stay under MAX_EMAIL_BYTES). */
  moreFindings: string | null;
}

/** Ward feedback: the findings with tab and cell, and how to fix each. */
export function buildFeedbackView(input: {
  ward: UnitRef;
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
    subject: `${SUBJECT_PREFIX} ${sentenceCase(unitLabel(input.ward))}: ${what} cần sửa trong bảng tự đánh giá (${periodLabel(input.period)})`,
    wardName: input.ward.name,
    salutation: `Kính gửi: ${unitPolice(input.ward)}`,
    unit: unitNoun(unitKindOf(input.ward)),
    period: periodLabel(input.period),
    errors,
    warnings,
    scores: input.scores.map((s) => ({ name: input.programmeNames.get(s.programmeId) ?? s.programmeId, met: `${s.met}/${s.total}` })),
    findings: listed.shown.map((f, i) => ({
      index: i + 1,
      severity: SEVERITY_LABEL[f.severity],
      place: sheetPlace(f.tab, f.cell),
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
  /** "Kính gửi: Công an xã Nghi Lộc". */
  salutation: string;
  /** The unit's kind as written in a sentence: "phường", "xã". */
  unit: string;
  deadline: string;
  deadlineTitle: string;
  daysLeft: number;
  /** The sentence before the list: what the ward still owes, or that it sent nothing. */
  lead: string;
  items: string[];
}


/** What a ward still owes before a deadline; empty when it owes nothing. */
export function reminderItems(
  ward: { status: WardStatus; kind?: UnitKind | undefined },
  scores: readonly ProgrammeScore[],
  programmeNames: ReadonlyMap<string, string>,
  runtime: Runtime = "local",
): string[] {
  if (ward.status !== "ok") return [WARD_STATUS_TO_WARD[runtime][ward.status](unitNoun(unitKindOf(ward)))];
  return scores.flatMap((s) => {
    const name = programmeNames.get(s.programmeId) ?? s.programmeId;
    const empty = s.counts.empty + s.counts.missing;
    return [
      ...(empty ? [`${name}: còn ${empty} tiêu chí chưa nhập kết quả.`] : []),
      ...(s.errors ? [`${name}: còn ${s.errors} lỗi trong bảng tự đánh giá chưa sửa.`] : []),
    ];
  });
}

/** A reminder N days before a deadline; for a ward that sent nothing (or cannot be read), one sentence says so instead of a list. */
export function buildReminderView(input: { ward: UnitRef; status: WardStatus; deadline: { date: string; title: string }; daysLeft: number; items: string[] }): ReminderView {
  // A ward that sent nothing, or whose workbook cannot be read, gets that one sentence instead of a list.
  const sentNothing = input.status !== "ok" && input.items.length === 1;
  const deadline = dateVi(new Date(`${input.deadline.date}T00:00:00+07:00`));
  const title = `“${input.deadline.title}”`;
  const when = input.daysLeft === 0 ? `hôm nay là hạn cuối ${title} (${deadline})` : `còn ${input.daysLeft} ngày đến hạn ${title} (${deadline})`;
  return {
    subject: `${SUBJECT_PREFIX} ${sentenceCase(unitLabel(input.ward))}: ${when}`,
    wardName: input.ward.name,
    salutation: `Kính gửi: ${unitPolice(input.ward)}`,
    unit: unitNoun(unitKindOf(input.ward)),
    deadline,
    deadlineTitle: input.deadline.title,
    daysLeft: input.daysLeft,
    lead: sentNothing ? input.items[0]! : `Bảng tự đánh giá của ${unitNoun(unitKindOf(input.ward))} còn các việc sau:`,
    items: sentNothing ? [] : input.items,
  };
}
