/**
 * "Các tiêu chí nhiều phường chưa đạt": only criteria not met by at least `minWards` of the
 * assessed wards (and at least `minShare` of them, when set), so the title matches the content;
 * the caption says the threshold, and a note says how many criteria fell under it. Pure.
 */
import type { Catalogue } from "../../sheets-schema/catalogue.js";
import type { TableCell, TableView } from "./document-blocks.js";
import type { CommonGapsSettings } from "./document-frame.js";
import { isAssessed, type ProgrammeSummary } from "./aggregate-town.js";
import type { ProgrammeScore } from "./score-ward.js";
import { numberVi, sentenceCase } from "./vi-format.js";
import { namedList } from "./town-figures.js";
import { cell } from "./town-tables.js";

/** Names listed per criterion before "và N phường khác". */
const MAX_NAMES = 12;

/** One criterion with the assessed wards that have not met it. */
interface CriterionGap {
  code: string;
  text: string;
  /** Ward names, the in-progress ones marked. */
  wards: Array<{ name: string; inProgress: boolean }>;
}

/** The smallest number of wards that makes a criterion "common": max(minWards, ⌈minShare × assessed⌉). */
export function gapThreshold(settings: CommonGapsSettings, assessed: number): number {
  const byShare = settings.minShare === null ? 0 : Math.ceil(settings.minShare * assessed);
  return Math.max(settings.minWards, byShare, 1);
}

/** Every criterion with the assessed wards that have not met it, most wards first (one pass). */
function criterionGaps(p: ProgrammeSummary, catalogue: Catalogue, scores: ReadonlyMap<string, ProgrammeScore>): CriterionGap[] {
  const gaps = new Map(catalogue.criteria.map((c): [string, CriterionGap] => [c.code, { code: c.code, text: c.text, wards: [] }]));
  for (const w of p.wards) {
    if (!isAssessed(w)) continue;
    for (const c of scores.get(w.id)?.criteria ?? []) {
      if (c.status !== "met") gaps.get(c.code)?.wards.push({ name: w.name, inProgress: c.status === "in-progress" });
    }
  }
  return [...gaps.values()].filter((g) => g.wards.length > 0).sort((a, b) => b.wards.length - a.wards.length);
}

function namesText(wards: CriterionGap["wards"], noun: string): string {
  return namedList(wards.map((w) => (w.inProgress ? `${w.name} (đang thực hiện)` : w.name)), noun, MAX_NAMES);
}

/** The table, or null with the sentence to print instead when no criterion reaches the threshold. */
export function commonGapsTable(
  p: ProgrammeSummary,
  catalogue: Catalogue,
  scores: ReadonlyMap<string, ProgrammeScore>,
  options: { settings: CommonGapsSettings; number: number; noun: string },
): { table: TableView | null; sentence: string } {
  const assessed = p.wards.filter(isAssessed).length;
  const threshold = gapThreshold(options.settings, assessed);
  const all = criterionGaps(p, catalogue, scores);
  const common = all.filter((g) => g.wards.length >= threshold);
  const { noun } = options;
  const rule = `từ ${numberVi(threshold)} ${noun} trở lên chưa đạt`;
  if (!common.length) return { table: null, sentence: `Không có tiêu chí nào ${rule}.` };
  const below = all.length - common.length;
  const body = common.map((g, i): TableCell[] => {
    const inProgress = g.wards.filter((w) => w.inProgress).length;
    return [cell(String(i + 1)), cell(g.code), cell(g.text, { align: "left" }), cell(numberVi(g.wards.length)), cell(numberVi(inProgress)), cell(namesText(g.wards, noun), { align: "left" })];
  });
  return {
    sentence: `Các tiêu chí ${rule} được tổng hợp tại Bảng ${options.number}.`,
    table: {
      id: "common-gaps",
      caption: `Bảng ${options.number}. Các tiêu chí nhiều ${noun} chưa đạt (${rule})`,
      head: [["STT", "Mã tiêu chí", "Nội dung tiêu chí", `Số ${noun} chưa đạt`, "Trong đó đang thực hiện", `${sentenceCase(noun)} chưa đạt`].map((t) => cell(t, { bold: true }))],
      body,
      widths: [7, 9, 38, 9, 10, 27],
      ...(below > 0 ? { note: `Không liệt kê ${numberVi(below)} tiêu chí có dưới ${numberVi(threshold)} ${noun} chưa đạt (xem Phụ lục).` } : {}),
    },
  };
}
