/**
 * The town report of one programme for a period, as document blocks (NĐ 30/2020 layout): lead
 * paragraph, sections I–VI with places for staff prose, and the generated figures, tables and
 * charts of section II.2; the ward × criterion matrix as an annex. Pure.
 */
import type { Catalogue } from "../../sheets-schema/catalogue.js";
import { CHART_CAP, selectTownCharts, selectTrendChart, type UnitIndex } from "./chart-selection.js";
import type { BarChartSpec, DocBlock, DocumentView, TextRun, TrendChartSpec } from "./document-blocks.js";
import { isAssessed, type ProgrammeSummary, type Snapshot, type TownSummary } from "./aggregate-town.js";
import { commonGapsTable } from "./common-gaps.js";
import { type DocumentSettings, KIND_TITLE, documentFrame, issuerName } from "./document-frame.js";
import type { ProgrammeScore } from "./score-ward.js";
import { unitKindOf, unitLabel, unitsNoun } from "./organisation.js";
import { criteriaMatrix, qualifyingTrendTable, trendSnapshots } from "./town-annex.js";
import { averageMet, bandsText, namedList, qualifyingChange, qualifyingText, rankWards, recognitionRuleText, wardChangeText } from "./town-figures.js";
import { hasAppraisal } from "./review-summary.js";
import { differencesTable, reviewParagraphs } from "./town-review.js";
import { gapText, groupTable, wardResultsTable } from "./town-tables.js";
import { MET_ALL_PROSE, changeWording, type Runtime } from "./vocabulary.js";
import { numberVi, percentVi, periodLabel, sentenceCase } from "./vi-format.js";

export interface TownDocumentInput {
  summary: TownSummary;
  programme: ProgrammeSummary;
  catalogue: Catalogue;
  /** Each ward's score of this programme, by ward id. */
  scores: ReadonlyMap<string, ProgrammeScore>;
  /** Stored snapshots (any period; the trend keeps those of the same kind before this one). */
  history: readonly Snapshot[];
  settings: DocumentSettings;
  issuedAt: Date;
  /** The number allocated to this document, or null (blank for the clerk). */
  number: number | null;
  /** Kind and group of each unit (config.wards), for wording and charts; absent: every unit a phường. */
  units?: UnitIndex;
  /** Where the workbooks are: an unreadable one is a "tệp" locally, a "bảng tính" in Google. Default local. */
  runtime?: Runtime;
}

/** What every part of the document shares. */
interface Context extends TownDocumentInput {
  /** The units' noun: "phường", "xã, phường". */
  noun: string;
  /** The programme as aggregated (charts label units themselves). */
  original: ProgrammeSummary;
  runtime: Runtime;
}

const p = (text: string, extra: TextRun[] = []): DocBlock => ({ kind: "paragraph", runs: [{ text }, ...extra] });
const h = (level: 1 | 2 | 3, text: string): DocBlock => ({ kind: "heading", level, text });
const hint = (text: string): DocBlock => ({ kind: "placeholder", text });

/** "7 phường thực hiện đề án; 5 phường có kết quả tự đánh giá; chưa gửi bảng tự đánh giá: Nghi Hải; …". */
function overviewText(programme: ProgrammeSummary, noun: string, runtime: Runtime): string {
  const assessed = programme.wards.filter(isAssessed);
  const gaps = new Map<string, string[]>();
  for (const w of programme.wards.filter((x) => !isAssessed(x))) {
    const label = gapText(w, runtime);
    const names = gaps.get(label) ?? [];
    if (!names.length) gaps.set(label, names);
    names.push(w.name);
  }
  const gapParts = [...gaps].map(([label, names]) => `${label.toLowerCase()}: ${namedList(names, noun)}`);
  const average = averageMet(programme.wards);
  const averageText = average === null ? "" : ` Bình quân mỗi ${noun} có kết quả đạt ${numberVi(average, 1)}/${programme.criteria} tiêu chí.`;
  return `Có ${numberVi(programme.wardCount)} ${noun} thực hiện đề án, ${numberVi(assessed.length)} ${noun} có kết quả tự đánh giá${gapParts.length ? ` (${gapParts.join("; ")})` : ""}.${averageText}`;
}

function ruleText(catalogue: Catalogue, programme: ProgrammeSummary, noun: string): string {
  const assessed = programme.wards.filter(isAssessed).length;
  const share = assessed ? ` (${programme.recognisedCount}/${assessed} ${noun} có kết quả, ${percentVi(programme.recognisedCount, assessed)})` : "";
  const qualifying = qualifyingText(programme, noun).replace(/\.$/u, "");
  // Beside appraised figures, the wards' own claim is named as such.
  const claimed = hasAppraisal([programme]) ? `Theo kết quả tự đánh giá, ${qualifying.charAt(0).toLowerCase()}${qualifying.slice(1)}` : qualifying;
  return `Theo bộ tiêu chí, ${recognitionRuleText(catalogue, noun)}. ${claimed}${programme.recognisedCount ? share : ""}.`;
}

function changeText(summary: TownSummary, programme: ProgrammeSummary, noun: string): string | null {
  if (!programme.change || !summary.previousPeriod) return null;
  const perWard = wardChangeText(programme.wards, noun);
  const previous = periodLabel(summary.previousPeriod);
  if (perWard === null) return `So với ${previous}, không có ${noun} nào có kết quả tự đánh giá ở cả hai kỳ để so sánh.`;
  const notCompared = programme.wards.filter((w) => w.change === null).map((w) => w.name);
  const aside = notCompared.length ? ` Không so sánh: ${namedList(notCompared, noun)} (không có kết quả tự đánh giá ở một trong hai kỳ).` : "";
  return `So với ${previous} (tính trên các ${noun} có kết quả ở cả hai kỳ): số ${noun} ${MET_ALL_PROSE} ${changeWording(qualifyingChange(programme.wards))}; số tiêu chí đạt ${perWard}.${aside}`;
}

function completenessBlocks(programme: ProgrammeSummary, noun: string): DocBlock[] {
  const withErrors = programme.wards.filter((w) => isAssessed(w) && w.errors > 0).map((w) => w.name);
  return withErrors.length ? [p(`${sentenceCase(noun)} còn lỗi trong bảng tự đánh giá (các tiêu chí có lỗi chưa được tính): ${namedList(withErrors, noun)}.`)] : [];
}

/** The bar charts (after the ward table) and the trend (after the table of periods), numbered in that order. */
function chartBlocks(c: Context, snapshots: readonly Snapshot[]): { bars: DocBlock[]; trend: DocBlock[] } {
  const bars = selectTownCharts(c.original, c.units);
  const trend = selectTrendChart(c.original, snapshots, c.units);
  // The report is of one programme: the caption drops the programme's name the chart itself prints.
  const caption = (title: string, i: number): string => `Biểu đồ ${i + 1}. ${sentenceCase(title.startsWith(`${c.original.shortName}: `) ? title.slice(c.original.shortName.length + 2) : title)}`;
  const block = (chart: BarChartSpec | TrendChartSpec, i: number): DocBlock => ({ kind: "chart", chart, caption: caption(chart.title, i) });
  return { bars: bars.map(block), trend: trend ? [block(trend, bars.length)] : [] };
}

/** Past this many units the per-unit tables move to an annex; the body keeps the bounded charts. */
const UNITS_IN_BODY = CHART_CAP;

/** Section II.2, and the per-unit tables when they go to an annex (null: they stay in the body). */
function resultsBlocks(c: Context): { body: DocBlock[]; unitAnnex: DocBlock[] | null } {
  const { summary, programme, catalogue, scores, noun } = c;
  const bands = bandsText(catalogue);
  const change = changeText(summary, programme, noun);
  const snapshots = trendSnapshots(summary, c.history);
  const inAnnex = programme.wards.length > UNITS_IN_BODY;
  const differences = differencesTable(programme, catalogue, scores, { number: inAnnex ? "PL1.3" : 3, noun });
  const first = inAnnex ? 1 : differences ? 4 : 3;
  const gaps = commonGapsTable(programme, catalogue, scores, { settings: c.settings.reports.commonGaps, number: first, noun });
  const trendTable = qualifyingTrendTable(snapshots, programme, { number: gaps.table ? first + 1 : first, noun });
  const charts = chartBlocks(c, snapshots);
  const period = periodLabel(summary.period);
  const results: DocBlock = { kind: "table", table: wardResultsTable(programme, { number: inAnnex ? "PL1.1" : 1, ranks: rankWards(programme.wards), scores, hasChange: programme.change !== null, period, noun, runtime: c.runtime }) };
  const groups: DocBlock = { kind: "table", table: groupTable(programme, catalogue, scores, { number: inAnnex ? "PL1.2" : 2, noun, runtime: c.runtime }) };
  const differing: DocBlock[] = differences ? [{ kind: "table", table: differences }] : [];
  const annexTables = differences ? "Bảng PL1.1, Bảng PL1.2 và Bảng PL1.3" : "Bảng PL1.1 và Bảng PL1.2";
  const pointer = p(`Kết quả của từng ${noun} (số tiêu chí đạt, xếp hạng, theo nhóm tiêu chí${differences ? ", tiêu chí có kết quả thẩm định khác" : ""}) tại Phụ lục 1 (${annexTables}).`);
  const body = [
    p(overviewText(programme, noun, c.runtime)),
    p(ruleText(catalogue, programme, noun)),
    ...(bands ? [p(bands)] : []),
    ...(change ? [p(change)] : []),
    ...reviewParagraphs(programme, noun).map((text) => p(text)),
    ...(inAnnex ? [pointer] : [results]),
    ...charts.bars,
    ...(inAnnex ? [] : [groups, ...differing]),
    p(gaps.sentence),
    ...(gaps.table ? [{ kind: "table" as const, table: gaps.table }] : []),
    ...(trendTable ? [{ kind: "table" as const, table: trendTable }] : []),
    ...charts.trend,
    ...completenessBlocks(programme, noun),
  ];
  return { body, unitAnnex: inAnnex ? [results, groups, ...differing] : null };
}

/**
 * The town report of one programme for a period.
 *
 * @example buildTownDocument({ summary, programme, catalogue, scores, history, settings, issuedAt, number: null }).title === "BÁO CÁO"
 */
export function buildTownDocument(input: TownDocumentInput): DocumentView {
  const { catalogue, settings } = input;
  const kinds = input.programme.wards.map((w) => unitKindOf(input.units?.get(w.id) ?? {}));
  const noun = unitsNoun(kinds);
  const runtime = input.runtime ?? "local";
  // With kinds mixed, a bare name is ambiguous (a xã and a phường may share one): tables and text say "xã Nghi Lộc".
  const programme = new Set(kinds).size > 1 ? { ...input.programme, wards: input.programme.wards.map((w, i) => ({ ...w, name: unitLabel({ name: w.name, kind: kinds[i] }) })) } : input.programme;
  const period = periodLabel(input.summary.period);
  const isSample = /mẫu|mau/iu.test(catalogue.version) || /mẫu/iu.test(catalogue.source);
  const results = resultsBlocks({ ...input, programme, noun, original: input.programme, runtime });
  const matrixSubtitle = sentenceCase(`kết quả tự đánh giá từng tiêu chí của các ${noun} (${period})`);
  const annexes = results.unitAnnex
    ? [
        { title: "PHỤ LỤC 1", subtitle: sentenceCase(`kết quả tự đánh giá của từng ${noun} (${period})`), body: results.unitAnnex },
        { title: "PHỤ LỤC 2", subtitle: matrixSubtitle, body: criteriaMatrix(programme, catalogue, input.scores, runtime, "PL2.") },
      ]
    : [{ title: "PHỤ LỤC", subtitle: matrixSubtitle, body: criteriaMatrix(programme, catalogue, input.scores, runtime) }];
  const body: DocBlock[] = [
    p(`Thực hiện Đề án “${catalogue.name}”, ${issuerName(settings)} báo cáo kết quả tự đánh giá các tiêu chí của các ${noun} đến ${period} như sau:`),
    hint("nêu căn cứ (kế hoạch, văn bản chỉ đạo) nếu cần"),
    h(1, "I. TÌNH HÌNH CHUNG"),
    hint("khái quát đặc điểm địa bàn, tình hình an ninh, trật tự liên quan đến việc thực hiện đề án"),
    h(1, "II. KẾT QUẢ THỰC HIỆN"),
    h(2, "1. Công tác lãnh đạo, chỉ đạo, tuyên truyền"),
    hint("kết quả ban hành kế hoạch, hướng dẫn, tổ chức tuyên truyền, kiểm tra"),
    h(2, "2. Kết quả thực hiện các tiêu chí"),
    ...results.body,
    h(2, "3. Mô hình, điển hình tiên tiến"),
    hint("các mô hình, cách làm hay, điển hình tiên tiến"),
    h(1, "III. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN"),
    hint(`tồn tại, hạn chế (có thể căn cứ các tiêu chí nhiều ${noun} chưa đạt) và nguyên nhân chủ quan, khách quan`),
    h(1, "IV. BÀI HỌC KINH NGHIỆM"),
    hint("bài học kinh nghiệm rút ra"),
    h(1, "V. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI"),
    hint("phương hướng, nhiệm vụ, giải pháp trọng tâm"),
    h(1, "VI. ĐỀ XUẤT, KIẾN NGHỊ"),
    hint("đề xuất, kiến nghị với cấp trên"),
    ...(isSample ? [hint(`Lưu ý: bộ tiêu chí “${catalogue.versionName ?? catalogue.version}” là bộ mẫu; thay bằng bộ tiêu chí chính thức trước khi ban hành báo cáo`)] : []),
  ];
  return {
    kind: "town-report",
    frame: documentFrame(settings, { kind: "town-report", issuedAt: input.issuedAt, number: input.number, distribution: settings.reports.distribution }),
    title: KIND_TITLE["town-report"],
    summary: [`Kết quả tự đánh giá các tiêu chí Đề án “${catalogue.name}”`, `(${period})`],
    recipient: null,
    body,
    annexes,
  };
}
