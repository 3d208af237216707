/**
 * The figures a town document states, computed once from a programme summary: which wards
 * count (a ward without a usable self-assessment never counts as 0), the average, ranks with
 * ties, the wards that qualify, the change in both directions and the recognition rule in words.
 * Pure.
 */
import type { Catalogue } from "../../sheets-schema/catalogue.js";
import { isAssessed, type ProgrammeSummary, type WardRow } from "./aggregate-town.js";
import { MET_ALL_PROSE } from "./vocabulary.js";
import { numberVi, signedVi } from "./vi-format.js";

/** The noun of the units in a sentence when nothing else is known ("xã, phường" in a province). */
const DEFAULT_NOUN = "phường";

/** Names a sentence lists before "và N phường khác": prose stays readable at 3,000 units (tables list all). */
const NAMES_IN_TEXT = 15;

/**
 * Names joined for a sentence, at most `max`: "Nghi Hải, Nghi Hòa và 12 phường khác".
 *
 * @example namedList(["A", "B", "C"], "phường", 2) === "A, B và 1 phường khác"
 */
export function namedList(names: readonly string[], noun = DEFAULT_NOUN, max = NAMES_IN_TEXT): string {
  if (names.length <= max) return names.join(", ");
  return `${names.slice(0, max).join(", ")} và ${numberVi(names.length - max)} ${noun} khác`;
}

/**
 * Competition ranks ("1, 2, 2, 4") by criteria met, then points; wards without an assessment
 * get no rank. Keys are ward ids.
 *
 * @example rankWards(rows).get("nghi-tan") === 1
 */
export function rankWards(rows: readonly WardRow[]): Map<string, number> {
  const ranked = rows.filter(isAssessed).sort((a, b) => b.met - a.met || (b.points ?? 0) - (a.points ?? 0));
  const ranks = new Map<string, number>();
  ranked.forEach((row, i) => {
    const before = ranked[i - 1];
    const tied = before !== undefined && before.met === row.met && (before.points ?? 0) === (row.points ?? 0);
    ranks.set(row.id, tied ? (ranks.get(before.id) ?? i + 1) : i + 1);
  });
  return ranks;
}

/** The mean of criteria met over assessed wards, or null when no ward sent an assessment. */
export function averageMet(rows: readonly WardRow[]): number | null {
  const assessed = rows.filter(isAssessed);
  return assessed.length ? assessed.reduce((n, r) => n + r.met, 0) / assessed.length : null;
}

const listed = (rows: readonly WardRow[], noun: string): string => namedList(rows.map((r) => `${r.name} (${signedVi(r.change?.met ?? 0)})`), noun);

/**
 * The change of criteria met per ward against the previous period, both ways:
 * "tăng: Nghi Hương (+3); giảm: Nghi Thu (−1); không thay đổi: 3 phường", or "không thay đổi".
 * Only wards assessed in both periods are compared. Null when none was.
 */
export function wardChangeText(rows: readonly WardRow[], noun = DEFAULT_NOUN): string | null {
  const compared = rows.filter((r) => r.change !== null && isAssessed(r));
  if (!compared.length) return null;
  const up = compared.filter((r) => (r.change?.met ?? 0) > 0);
  const down = compared.filter((r) => (r.change?.met ?? 0) < 0);
  const same = compared.length - up.length - down.length;
  if (!up.length && !down.length) return "không thay đổi";
  const parts = [up.length ? `tăng: ${listed(up, noun)}` : null, down.length ? `giảm: ${listed(down, noun)}` : null, same ? `không thay đổi: ${numberVi(same)} ${noun}` : null];
  return parts.filter(Boolean).join("; ");
}

/**
 * How many more wards meet every criterion than in the previous period, over the wards assessed
 * in both (also right for summaries stored before a missing ward stopped counting as a drop).
 */
export function qualifyingChange(rows: readonly WardRow[]): number {
  return rows.reduce((n, r) => (r.change && isAssessed(r) ? n + Number(r.recognised) - Number(r.change.recognisedBefore) : n), 0);
}

/** Names of wards that meet the recognition rule with no error left. */
function qualifyingNames(rows: readonly WardRow[]): string[] {
  return rows.filter((r) => r.recognised).map((r) => r.name);
}

/**
 * The recognition rule in words: "phường được đề nghị công nhận khi đạt 22/22 tiêu chí" (`noun`: the units').
 *
 * @example recognitionRuleText(catalogue) === "phường được đề nghị công nhận khi đạt 22/22 tiêu chí và bảng tự đánh giá không còn lỗi"
 */
export function recognitionRuleText(catalogue: Pick<Catalogue, "recognition" | "criteria">, noun = DEFAULT_NOUN): string {
  const total = catalogue.criteria.length;
  const rule = catalogue.recognition;
  const condition =
    rule.kind === "all-met"
      ? `đạt ${total}/${total} tiêu chí`
      : rule.kind === "min-met"
        ? `đạt từ ${rule.min}/${total} tiêu chí trở lên`
        : `điểm tự chấm đạt từ ${numberVi(rule.minPercent)}% điểm tối đa trở lên`;
  return `${noun} được đề nghị công nhận khi ${condition} và bảng tự đánh giá không còn lỗi`;
}

/**
 * The bands in words, and that they do not replace the rule: "Điểm tự chấm được xếp loại
 * Xuất sắc (từ 90%), Khá (từ 70%) …; xếp loại theo điểm không thay cho điều kiện …". Null without bands.
 */
export function bandsText(catalogue: Pick<Catalogue, "recognition">): string | null {
  const bands = [...(catalogue.recognition.bands ?? [])].sort((a, b) => b.minPercent - a.minPercent);
  if (!bands.length) return null;
  const list = bands.map((b) => (b.minPercent > 0 ? `${b.name} (từ ${numberVi(b.minPercent)}% điểm tối đa)` : `${b.name} (dưới ${numberVi(bands.at(-2)?.minPercent ?? 0)}%)`));
  return `Điểm tự chấm của các tiêu chí chấm điểm được xếp loại ${list.join(", ")}; xếp loại theo điểm không thay cho điều kiện về số tiêu chí đạt.`;
}

/** The sentence naming the qualifying wards: "2 phường đủ điều kiện đề nghị công nhận: Nghi Tân, Thu Thủy." */
export function qualifyingText(programme: ProgrammeSummary, noun = DEFAULT_NOUN): string {
  const names = qualifyingNames(programme.wards);
  if (!names.length) return `Chưa có ${noun} nào ${MET_ALL_PROSE}.`;
  return `Có ${numberVi(names.length)} ${noun} ${MET_ALL_PROSE}: ${namedList(names, noun)}.`;
}
