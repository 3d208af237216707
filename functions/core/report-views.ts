/**
 * View-models of the documents leadership opens: the town report per programme (NĐ 30/2020
 * layout) and the report of one ward. Pure: every string is ready; templates only lay out.
 */
import type { Catalogue } from "../../sheets-schema/catalogue.js";
import type { ProgrammeSummary, Snapshot, TownSummary, WardRow } from "./aggregate-town.js";
import type { Finding } from "./findings.js";
import { listFindings, moreFindingsLine } from "./output-bounds.js";
import { SEVERITY_LABEL, findingMessage } from "./messages.js";
import type { ProgrammeScore } from "./score-ward.js";
import { documentNumber, numberVi, percentVi, periodLabel, placeAndDate, signedVi } from "./vi-format.js";

/** The document fields that come from the configuration. */
export interface DocumentSettings {
  agency: { parent: string; issuer: string; issuerName?: string | undefined; documentCode: string; place: string; signer: { authority: string; title?: string | undefined; rank?: string | undefined; name: string } };
  reports: { number: number | null; distribution: readonly string[]; archive: string };
}

export interface DocumentFrame {
  parent: string;
  issuer: string;
  /** The issuer as written inside sentences ("Công an thị xã Cửa Lò"). */
  issuerName: string;
  number: string;
  motto: { country: string; slogan: string };
  placeDate: string;
  distribution: string[];
  signer: { authority: string; title: string | null; name: string };
}

const STATUS_TEXT: Record<WardRow["status"], string> = { ok: "", missing: "Chưa gửi bảng tự đánh giá", unreadable: "Không đọc được tệp" };

/** Header, motto, place/date, Nơi nhận and signature: the frame every document shares. */
export function documentFrame(settings: DocumentSettings, issuedAt: Date): DocumentFrame {
  const { agency, reports } = settings;
  return {
    parent: agency.parent.toUpperCase(),
    issuer: agency.issuer.toUpperCase(),
    issuerName: agency.issuerName ?? agency.issuer,
    number: documentNumber(reports.number, "BC", agency.documentCode),
    motto: { country: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", slogan: "Độc lập - Tự do - Hạnh phúc" },
    placeDate: placeAndDate(agency.place, issuedAt),
    distribution: [...reports.distribution.map((d) => `- ${d}`), `- Lưu: ${reports.archive.replace(/\.$/u, "")}.`],
    signer: {
      authority: agency.signer.authority.toUpperCase(),
      title: agency.signer.title?.toUpperCase() ?? null,
      name: [agency.signer.rank, agency.signer.name].filter(Boolean).join(" "),
    },
  };
}

/** A result as printed: "18/22", "81,8%", "47,5/50" and band, recognised or not. */
export interface Figures {
  met: string;
  percent: string;
  points: string | null;
  band: string | null;
  recognised: boolean;
}

function figures(met: number, total: number, points: number | null | undefined, maxPoints: number | null | undefined, band: string | null, recognised: boolean): Figures {
  return {
    met: `${met}/${total}`,
    percent: percentVi(met, total),
    points: points === null || points === undefined || maxPoints === null || maxPoints === undefined ? null : `${numberVi(points)}/${numberVi(maxPoints)}`,
    band,
    recognised,
  };
}

export interface WardLine extends Figures {
  index: number;
  name: string;
  notMet: string;
  note: string;
  change: string | null;
}

export interface TownReportView {
  frame: DocumentFrame;
  title: string;
  summaryLine: string;
  period: string;
  programme: { name: string; shortName: string; criteria: number; version: string; isSample: boolean; source: string };
  overview: { wardCount: number; submitted: number; recognised: number; recognisedPercent: string; averageMet: string; total: number };
  wards: WardLine[];
  hasPoints: boolean;
  ranking: Array<{ index: number; code: string; text: string; notMet: number; wards: string }>;
  completeness: { allGood: boolean; notFilled: string | null; withErrors: string | null; unreadable: string | null };
  change: { previous: string; recognised: string; met: string; improved: string | null } | null;
  chartSvg: string;
  trendSvg: string | null;
}

function notMetCodes(score: ProgrammeScore | undefined): string {
  if (!score) return "";
  return score.criteria.filter((c) => c.status !== "met").map((c) => c.code).join(", ");
}

function wardLine(w: WardRow, i: number, score: ProgrammeScore | undefined): WardLine {
  const notes = [STATUS_TEXT[w.status], w.errors ? `${w.errors} lỗi trong bảng tự đánh giá` : "", w.leftOut.length ? `chưa tính: ${w.leftOut.join(", ")}` : ""].filter(Boolean);
  return {
    index: i + 1,
    name: w.name,
    ...figures(w.met, w.total, w.points, w.maxPoints, w.band, w.recognised),
    notMet: w.status === "ok" && w.filled ? notMetCodes(score) || "—" : "—",
    note: notes.join("; "),
    change: w.change ? signedVi(w.change.met) : null,
  };
}

const names = (p: ProgrammeSummary, ids: readonly string[]): string | null =>
  ids.length ? ids.map((id) => p.wards.find((w) => w.id === id)?.name ?? id).join(", ") : null;

/**
 * The town report of one programme for a period.
 *
 * @example buildTownReportView({ summary, programme, catalogue, scores, settings, issuedAt, charts })
 */
export function buildTownReportView(input: {
  summary: TownSummary;
  programme: ProgrammeSummary;
  catalogue: Catalogue;
  scores: ReadonlyMap<string, ProgrammeScore>;
  settings: DocumentSettings;
  issuedAt: Date;
  charts: { bar: string; trend: string | null };
}): TownReportView {
  const { summary, programme: p, catalogue } = input;
  const submitted = p.wards.filter((w) => w.status === "ok" && w.filled);
  const average = submitted.length ? submitted.reduce((n, w) => n + w.met, 0) / submitted.length : 0;
  const improved = p.wards.filter((w) => (w.change?.met ?? 0) > 0).map((w) => `${w.name} (${signedVi(w.change?.met ?? 0)})`);
  return {
    frame: documentFrame(input.settings, input.issuedAt),
    title: "BÁO CÁO",
    summaryLine: `Kết quả tự đánh giá các tiêu chí Đề án “${catalogue.name}” (${periodLabel(summary.period)})`,
    period: periodLabel(summary.period),
    programme: { name: catalogue.name, shortName: catalogue.shortName, criteria: p.criteria, version: catalogue.version, isSample: /mẫu|mau/iu.test(catalogue.version) || /mẫu/iu.test(catalogue.source), source: catalogue.source },
    overview: {
      wardCount: p.wardCount,
      submitted: submitted.length,
      recognised: p.recognisedCount,
      recognisedPercent: percentVi(p.recognisedCount, p.wardCount),
      averageMet: numberVi(average, 1),
      total: p.criteria,
    },
    wards: p.wards.map((w, i) => wardLine(w, i, input.scores.get(w.id))),
    hasPoints: p.wards.some((w) => w.maxPoints !== null),
    ranking: p.ranking.slice(0, 10).map((r, i) => ({ index: i + 1, code: r.code, text: r.text, notMet: r.notMet, wards: names(p, r.wards) ?? "" })),
    completeness: {
      allGood: !p.completeness.notFilled.length && !p.completeness.withErrors.length && !p.completeness.unreadable.length,
      notFilled: names(p, p.completeness.notFilled),
      withErrors: names(p, p.completeness.withErrors),
      unreadable: names(p, p.completeness.unreadable),
    },
    change:
      p.change && summary.previousPeriod
        ? { previous: periodLabel(summary.previousPeriod), recognised: signedVi(p.change.recognised), met: signedVi(p.change.met), improved: improved.length ? improved.join(", ") : null }
        : null,
    chartSvg: input.charts.bar,
    trendSvg: input.charts.trend,
  };
}

export interface WardReportView {
  frame: DocumentFrame;
  title: string;
  summaryLine: string;
  wardName: string;
  period: string;
  programmes: Array<
    Figures & {
    name: string;
    notMet: Array<{ code: string; text: string; status: string }>;
    trend: Array<{ period: string; met: string }>;
  }
  >;
  findingsHeading: string;
  findings: Array<{ index: number; severity: string; place: string; criterion: string; message: string }>;
  /** "… và N lỗi khác; xem đầy đủ trong …" when the list was cut at MAX_LISTED_FINDINGS. */
  moreFindings: string | null;
  /** Said instead of the findings when the ward's workbook could not be used (never "không có lỗi"). */
  statusNote: string | null;
}

const CRITERION_STATUS_TEXT: Record<string, string> = {
  "not-met": "Chưa đạt",
  "in-progress": "Đang thực hiện",
  empty: "Chưa nhập kết quả",
  "left-out": "Có lỗi, chưa tính",
  missing: "Thiếu dòng tiêu chí",
};

function statusNote(status: { status: WardRow["status"]; reason: string | null } | undefined): string | null {
  if (!status || status.status === "ok") return null;
  if (status.status === "missing") return "Phường chưa gửi bảng tự đánh giá.";
  // The reason (errors.ts, SheetsReadError) already names the file and what to do.
  return status.reason ?? `${STATUS_TEXT.unreadable}.`;
}

/** The report of one ward: per programme what is met, what is not, its findings and its trend. */
export function buildWardReportView(input: {
  ward: { id: string; name: string };
  period: string;
  catalogues: readonly Catalogue[];
  scores: readonly ProgrammeScore[];
  findings: readonly Finding[];
  history: readonly Snapshot[];
  settings: DocumentSettings;
  issuedAt: Date;
  /** Where the ward's full list of findings is (null: nowhere the reader can open). */
  fullList?: string | null;
  /** The ward's outcome status and reason; an unreadable ward is a ward with a problem. */
  status?: { status: WardRow["status"]; reason: string | null };
}): WardReportView {
  const listed = listFindings(input.findings);
  return {
    frame: documentFrame(input.settings, input.issuedAt),
    title: "BÁO CÁO",
    summaryLine: `Kết quả tự đánh giá tiêu chí của phường ${input.ward.name} (${periodLabel(input.period)})`,
    wardName: input.ward.name,
    period: periodLabel(input.period),
    programmes: input.catalogues.map((c) => {
      const s = input.scores.find((x) => x.programmeId === c.id);
      const met = s?.met ?? 0;
      return {
        name: c.name,
        ...figures(met, c.criteria.length, s?.points, s?.maxPoints, s?.band ?? null, s?.recognised ?? false),
        notMet: (s?.criteria ?? [])
          .filter((x) => x.status !== "met")
          .map((x) => ({ code: x.code, text: c.criteria.find((cr) => cr.code === x.code)?.text ?? "", status: CRITERION_STATUS_TEXT[x.status] ?? x.status })),
        trend: input.history.flatMap((snap) => {
          const w = snap.programmes.find((p) => p.id === c.id)?.wards.find((x) => x.id === input.ward.id);
          return w ? [{ period: periodLabel(snap.period), met: `${w.met}/${w.total}` }] : [];
        }),
      };
    }),
    findingsHeading: `${input.catalogues.length + 1}. Các lỗi cần sửa trong bảng tự đánh giá`,
    findings: listed.shown.map((f, i) => ({
      index: i + 1,
      severity: SEVERITY_LABEL[f.severity],
      place: `trang tính “${f.tab}”, ô ${f.cell}`,
      criterion: f.criterion ?? "",
      message: findingMessage(f),
    })),
    moreFindings: moreFindingsLine(listed.more, input.fullList ?? null),
    statusNote: statusNote(input.status),
  };
}
