/**
 * View-model of the leadership digest, written for a phone: per programme the wards that met
 * every criterion, the change since the last period, the wards that newly qualified, where the
 * full report is (attached or an https link), and a ward table only while it stays short (the
 * full table is the attached .xlsx). Every list is bounded, so the message stays small at any
 * number of wards. Pure; the subject is built here so it can be tested as data.
 */
import type { ProgrammeSummary, TownSummary, WardRow } from "./aggregate-town.js";
import { MET_ALL_LABEL, REVIEW_STATE_LABEL, type Runtime, WARD_STATUS_LABELS, changeWording, periodLabel } from "./vocabulary.js";
import { numberVi, percentVi, sentenceCase, signedVi } from "./vi-format.js";
import type { UnitIndex } from "./chart-selection.js";
import { unitKindOf, unitsNoun } from "./organisation.js";
import { SUBJECT_PREFIX } from "./email-views.js";
import { cycleCountsText, hasReview, reviewCountsOf, reviewOf } from "./review-summary.js";

/** "đạt đủ tiêu chí" inside a sentence. */
const MET_ALL = MET_ALL_LABEL.toLowerCase();

/** Wards listed row by row in the message; above this the table is only the attachment. */
const DIGEST_WARD_ROWS = 30;
/** Names listed in one sentence ("…, A, B và 12 phường khác"). */
const NAMES_LISTED = 10;

/** Where a programme's town report can be read from the message. */
export interface DigestDocument {
  /** "Báo cáo … (tháng 11/2026)". */
  title: string;
  /** A link to open it (a Google Doc); only https links are shown. */
  url: string | null;
  /** The PDF attached to the message; null when none is. */
  attached: string | null;
  /** The file's name when it is neither linked nor attached (it stays on the computer that made it). */
  fileName: string | null;
}

export interface DigestWard {
  name: string;
  met: string;
  note: string;
  /** "Đề nghị thẩm định", "Đã thẩm định"…; empty while no unit of the programme has submitted. */
  state: string;
}

export interface DigestProgramme {
  name: string;
  shortName: string;
  /** "phường", "xã, phường": the programme's units in a sentence; `unitHeader` the column header. */
  unit: string;
  unitHeader: string;
  /** "2/7 phường đạt đủ tiêu chí". */
  headline: string;
  /** "So với tuần 47/2026: số phường đạt đủ tiêu chí tăng 1; tổng số tiêu chí đạt tăng 3." */
  change: string;
  /** "Đề nghị thẩm định: 3 phường; đã thẩm định: 2; trả lại: 1."; null while no unit has submitted. */
  cycle: string | null;
  /** Whether the ward table has its Trạng thái column (some unit has submitted). */
  reviewed: boolean;
  /** "Mới đạt đủ tiêu chí: Nghi Hương." and the like; each bounded. */
  changes: string[];
  /** The ward rows, or empty when there are more than DIGEST_WARD_ROWS (see wardsNote). */
  wards: DigestWard[];
  wardsNote: string | null;
  /** `notMet`: "4 phường". */
  lagging: Array<{ code: string; text: string; notMet: string }>;
  /** Wards to chase: not sent, unreadable, with errors; each a bounded sentence. */
  attention: string[];
  /** Null when the charts were left out to keep the message small. */
  chartCid: string | null;
  /** Where the full report is, as one sentence, with an https link when there is one. */
  document: { text: string; url: string | null } | null;
}

export interface DigestView {
  subject: string;
  /** Every unit of the message in a sentence: "phường", "xã, phường". */
  units: string;
  salutation: string;
  heading: string;
  period: string;
  programmes: DigestProgramme[];
  /** The attached full ward table, e.g. "bang-tong-hop-2026-11.xlsx"; null when not attached. */
  table: string | null;
  /** The live town summary (Google Sheets “Tổng hợp”), an https link; null when there is none. */
  summaryUrl: string | null;
  /** What was left out to keep the message small; empty when nothing was. */
  sizeNotes: string[];
}

export interface DigestInput {
  issuer: string;
  /** Unit kinds by ward id (xã, phường…); absent: every unit is a phường. */
  units?: UnitIndex;
  /** By programme id. */
  documents: ReadonlyMap<string, DigestDocument>;
  table: string | null;
  runtime: Runtime;
  /** The town spreadsheet's link (cloud runtime). */
  summaryUrl?: string | null;
}

/** "A, B, C" or "A, B … và 12 phường khác". */
function nameList(names: readonly string[], noun: string, max = NAMES_LISTED): string {
  if (names.length <= max) return names.join(", ");
  return `${names.slice(0, max).join(", ")} và ${numberVi(names.length - max)} ${noun} khác`;
}

/** The collective noun of a programme's units: "phường", "xã, phường". */
function nounOf(p: ProgrammeSummary, units: UnitIndex): string {
  return unitsNoun(p.wards.map((w) => unitKindOf(units.get(w.id) ?? {})));
}

const usable = (w: WardRow): boolean => w.status === "ok" && w.filled;

function changeLine(p: ProgrammeSummary, previous: string | null, noun: string): string {
  if (previous === null || p.change === null) return "Chưa có số liệu kỳ trước để so sánh.";
  return `So với ${periodLabel(previous)}: số ${noun} ${MET_ALL} ${changeWording(p.change.recognised)}; tổng số tiêu chí đạt ${changeWording(p.change.met)}.`;
}

function wardChanges(p: ProgrammeSummary, noun: string): string[] {
  const moved = p.wards.filter((w) => w.change !== null);
  const newly = moved.filter((w) => w.recognised && !w.change!.recognisedBefore).map((w) => w.name);
  const lost = moved.filter((w) => !w.recognised && w.change!.recognisedBefore).map((w) => w.name);
  const up = moved.filter((w) => w.change!.met > 0).sort((a, b) => b.change!.met - a.change!.met);
  const down = moved.filter((w) => w.change!.met < 0).sort((a, b) => a.change!.met - b.change!.met);
  const signed = (ws: readonly WardRow[]): string[] => ws.map((w) => `${w.name} (${signedVi(w.change!.met)})`);
  return [
    ...(newly.length ? [`Mới ${MET_ALL}: ${nameList(newly, noun)}.`] : []),
    ...(lost.length ? [`Không còn ${MET_ALL}: ${nameList(lost, noun)}.`] : []),
    ...(up.length ? [`Số tiêu chí đạt tăng: ${nameList(signed(up), noun)}.`] : []),
    ...(down.length ? [`Số tiêu chí đạt giảm: ${nameList(signed(down), noun)}.`] : []),
  ];
}

function wardRow(w: WardRow, runtime: Runtime, reviewed: boolean): DigestWard {
  const state = reviewed ? REVIEW_STATE_LABEL[reviewOf(w)] : "";
  if (!usable(w)) return { name: w.name, met: "", note: w.status === "ok" ? "Chưa nhập kết quả" : WARD_STATUS_LABELS[runtime][w.status], state };
  const note = [w.recognised ? MET_ALL_LABEL : "", w.errors ? `${numberVi(w.errors)} lỗi` : ""].filter(Boolean).join("; ");
  return { name: w.name, met: `${w.met}/${w.total} (${percentVi(w.met, w.total)})`, note, state };
}

function attention(p: ProgrammeSummary, runtime: Runtime, noun: string): string[] {
  const byId = new Map(p.wards.map((w) => [w.id, w.name]));
  const names = (ids: readonly string[]): string[] => ids.map((id) => byId.get(id) ?? id);
  const line = (label: string, ids: readonly string[]): string[] => (ids.length ? [`${label} (${numberVi(ids.length)} ${noun}): ${nameList(names(ids), noun)}.`] : []);
  return [
    ...line("Chưa gửi hoặc chưa nhập kết quả", p.completeness.notFilled),
    ...line(WARD_STATUS_LABELS[runtime].unreadable, p.completeness.unreadable),
    ...line("Còn lỗi trong bảng tự đánh giá", p.completeness.withErrors),
  ];
}

function documentLine(d: DigestDocument | undefined): DigestProgramme["document"] {
  if (!d) return null;
  const url = d.url !== null && /^https:\/\//iu.test(d.url) ? d.url : null;
  if (url) return { text: `Báo cáo đầy đủ: ${d.title}`, url };
  if (d.attached) return { text: `Báo cáo đầy đủ: tệp đính kèm “${d.attached}”.`, url: null };
  // A PDF or .docx left out for its size is named as it is; an HTML file means neither was written.
  const why = /\.(?:pdf|docx)$/iu.test(d.fileName ?? "") ? "" : " (chưa có bản PDF để đính kèm)";
  if (d.fileName) return { text: `Báo cáo đầy đủ: tệp “${d.fileName}” trong thư mục báo cáo của kỳ, trên máy tổng hợp${why}.`, url: null };
  return null;
}

function digestProgramme(p: ProgrammeSummary, index: number, summary: TownSummary, input: DigestInput): DigestProgramme {
  const short = p.wards.length <= DIGEST_WARD_ROWS;
  const noun = nounOf(p, input.units ?? new Map());
  const where = input.table ? `xem bảng đầy đủ trong tệp đính kèm “${input.table}”` : "xem bảng đầy đủ trong báo cáo";
  const reviewed = hasReview([p]);
  const cycle = cycleCountsText(reviewCountsOf(p), noun);
  return {
    name: p.name,
    shortName: p.shortName,
    unit: noun,
    unitHeader: sentenceCase(noun),
    headline: `${p.recognisedCount}/${p.wardCount} ${noun} ${MET_ALL} (${p.criteria}/${p.criteria} tiêu chí)`,
    change: changeLine(p, summary.previousPeriod, noun),
    cycle: cycle ? `${cycle}.` : null,
    reviewed,
    changes: wardChanges(p, noun),
    wards: short ? p.wards.map((w) => wardRow(w, input.runtime, reviewed)) : [],
    wardsNote: short ? null : `Kết quả của ${numberVi(p.wardCount)} ${noun}: ${where}.`,
    lagging: p.ranking.slice(0, 5).map((r) => ({ code: r.code, text: r.text, notMet: `${numberVi(r.notMet)} ${noun}` })),
    attention: attention(p, input.runtime, noun),
    chartCid: `chart-${index + 1}`,
    document: documentLine(input.documents.get(p.id)),
  };
}

/**
 * The leadership digest. Subject: "[Tự đánh giá tiêu chí] tháng 11/2026: Công an phường điển
 * hình, kiểu mẫu 2/7 phường đạt đủ; Phường điển hình phong trào toàn dân BVANTQ 1/7".
 */
export function buildDigestView(summary: TownSummary, input: DigestInput): DigestView {
  const period = periodLabel(summary.period);
  const units = input.units ?? new Map();
  const counts = summary.programmes.map((p, i) => `${p.shortName} ${p.recognisedCount}/${p.wardCount}${i === 0 ? ` ${nounOf(p, units)} đạt đủ` : ""}`);
  const all = unitsNoun(summary.programmes.flatMap((p) => p.wards.map((w) => unitKindOf(units.get(w.id) ?? {}))));
  return {
    subject: `${SUBJECT_PREFIX} ${period}: ${counts.join("; ")}`,
    units: all,
    salutation: `Kính gửi: Lãnh đạo ${input.issuer}`,
    heading: `Kết quả tự đánh giá tiêu chí của các ${all}, ${period}`,
    period: sentenceCase(period),
    programmes: summary.programmes.map((p, i) => digestProgramme(p, i, summary, input)),
    table: input.table,
    summaryUrl: input.summaryUrl && /^https:\/\//iu.test(input.summaryUrl) ? input.summaryUrl : null,
    sizeNotes: [],
  };
}
