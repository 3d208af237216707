/**
 * The feedback a ward's staff read after each check: a plain-text letter listing, cell by
 * cell, what to fix, and a CSV of the same findings for Excel. Pure formatting.
 */
import type { Catalogue } from "../../sheets-schema/catalogue.js";
import { CHECK_TAB } from "../../sheets-schema/layout.js";
import type { WardOutcome } from "./aggregate-town.js";
import type { Finding } from "./findings.js";
import { FINDING_TITLES, SEVERITY_LABEL, findingMessage } from "./messages.js";
import { MET_ALL_PROSE, WARD_STATUS_LABEL, sheetPlace } from "./vocabulary.js";
import { formatLocalDateTime } from "./period.js";
import { type OutputTable, tableToCsv } from "./output-table.js";
import { decimalVi, sentenceCase } from "./vi-format.js";
import { fullListFile, listFindings, moreFindingsLine } from "./output-bounds.js";

function programmeLine(outcome: WardOutcome, catalogue: Catalogue): string {
  const s = outcome.scores.find((x) => x.programmeId === catalogue.id);
  if (!s) return `- ${catalogue.tabTitle}: không có dữ liệu.`;
  const points = s.points === null ? "" : `; điểm tự chấm ${decimalVi(s.points)}/${s.maxPoints}${s.band ? ` (${s.band})` : ""}`;
  const state = s.recognised ? `; ${MET_ALL_PROSE}` : "";
  const codes = (status: string): string[] => s.criteria.filter((c) => c.status === status).map((c) => c.code);
  const details = [
    ["Chưa đạt", codes("not-met")],
    ["Đang thực hiện", codes("in-progress")],
    ["Chưa nhập kết quả", [...codes("empty"), ...codes("missing")]],
    ["Chưa tính do có lỗi", s.leftOut],
  ] as const;
  const lines = details.filter(([, list]) => list.length).map(([label, list]) => `\n    ${label}: ${list.join(", ")}.`);
  return `- ${catalogue.tabTitle}: đạt ${s.met}/${s.total} tiêu chí${points}${state}; ${s.errors} lỗi, ${s.warnings} cảnh báo.${lines.join("")}`;
}

/**
 * The staff-facing text for one ward. Lists at most MAX_LISTED_FINDINGS findings, then says
 * how many more and where the full list is (`fullList`; default: the ward's out/kiem-tra file).
 *
 * @example formatWardFeedback(outcome, findings, catalogues, new Date(), "wards/nghi-huong.xlsx")
 */
export function formatWardFeedback(
  outcome: WardOutcome,
  findings: readonly Finding[],
  catalogues: readonly Catalogue[],
  checkedAt: Date,
  file: string,
  fullList?: string | null,
): string {
  const lines = [
    `KẾT QUẢ KIỂM TRA BẢNG TỰ ĐÁNH GIÁ TIÊU CHÍ - PHƯỜNG ${outcome.ward.name.toUpperCase()}`,
    `Thời điểm kiểm tra: ${formatLocalDateTime(checkedAt)}`,
    `Tệp: ${file}`,
    "",
  ];
  if (outcome.status === "missing") return [...lines, "Phường chưa gửi bảng tự đánh giá. Hãy điền và lưu tệp theo biểu mẫu.", ""].join("\n");
  if (outcome.status === "unreadable") return [...lines, `${outcome.reason ?? `${WARD_STATUS_LABEL.unreadable}.`}`, "Hãy mở tệp bằng Excel, lưu lại dưới dạng .xlsx rồi gửi lại.", ""].join("\n");
  lines.push(...catalogues.map((c) => programmeLine(outcome, c)), "");
  if (!findings.length) return [...lines, "Không có lỗi. Cảm ơn đồng chí đã cập nhật đầy đủ.", ""].join("\n");
  const listed = listFindings(findings);
  lines.push(`Các ô cần sửa (${findings.length}):`);
  listed.shown.forEach((f, i) => lines.push(`${i + 1}. [${SEVERITY_LABEL[f.severity]}] ${sentenceCase(sheetPlace(f.tab, f.cell))}${f.criterion ? `, tiêu chí ${f.criterion}` : ""}: ${findingMessage(f)}`));
  const more = moreFindingsLine(listed.more, fullList === undefined ? fullListFile(outcome.ward.id) : fullList);
  return [...lines, ...(more ? [more] : []), ""].join("\n");
}

/**
 * Every finding of a ward as a typed table (Mức độ, Trang tính, Ô, Mã tiêu chí, Loại lỗi, Nội
 * dung cần sửa): the full list behind the bounded letter, in out/kiem-tra/<ward>.xlsx and .csv.
 * Codes are for machines; staff read the kind.
 */
export function findingsTable(findings: readonly Finding[]): OutputTable {
  return {
    title: CHECK_TAB,
    header: ["Mức độ", "Trang tính", "Ô", "Mã tiêu chí", "Loại lỗi", "Nội dung cần sửa"],
    rows: findings.map((f) => [SEVERITY_LABEL[f.severity], f.tab, f.cell, f.criterion, FINDING_TITLES[f.code], findingMessage(f)]),
    widths: [10, 28, 8, 12, 28, 90],
  };
}

/** The same findings as CSV, for scripts (see findingsTable). */
export function findingsCsv(findings: readonly Finding[]): string {
  return tableToCsv(findingsTable(findings));
}
