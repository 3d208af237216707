/**
 * The ward workbook as a plan: every tab, cell, style role and dropdown, independent of
 * the file format. The local xlsx writer and the Google Sheets provisioner both render it.
 */
import type { Catalogue } from "./catalogue.js";
import { COLUMNS, type ColumnKey, GUIDE_TAB, RESULT_VALUES, UPDATED_LABEL, WARD_LABEL } from "./layout.js";

/** Style roles; each renderer maps them to its own formatting. */
export type CellRole = "title" | "subtitle" | "label" | "input" | "header" | "group" | "locked" | "lockedText" | "guideTitle" | "guide";

export interface PlannedCell {
  value: string | number | null;
  role: CellRole;
}

export interface TabPlan {
  title: string;
  /** Column widths in characters. */
  widths: number[];
  /** rows[r][c], 0-based. */
  rows: PlannedCell[][];
  /** 0-based header row index, for freezing panes; null on the guide tab. */
  headerRow: number | null;
  /** The Kết quả dropdown: 0-based column and row range, inclusive. */
  dropdown: { column: number; fromRow: number; toRow: number; values: readonly string[] } | null;
}

export interface WorkbookPlan {
  tabs: TabPlan[];
}

/** What a ward typed for one criterion (sample data, or data carried over). */
export interface Answer {
  result?: string;
  points?: number | string;
  evidence?: string;
  note?: string;
}

/** Answers per programme id, then per criterion code. */
export type Answers = Readonly<Record<string, Readonly<Record<string, Answer>>>>;

/** 0-based row of the ward-name label and of the header row on a programme tab. */
export const WARD_ROW = 2;
export const UPDATED_ROW = 3;
export const HEADER_ROW = 4;
/** Column of the labels (B) and of the values beside them (C). */
const LABEL_COLUMN = 1;

const cell = (value: PlannedCell["value"], role: CellRole): PlannedCell => ({ value, role });

function emptyRow(role: CellRole = "locked"): PlannedCell[] {
  return COLUMNS.map(() => cell(null, role));
}

function criterionRow(index: number, catalogue: Catalogue, code: string, answer: Answer | undefined): PlannedCell[] {
  const criterion = catalogue.criteria.find((c) => c.code === code);
  const values: Record<ColumnKey, PlannedCell> = {
    stt: cell(index, "locked"),
    code: cell(code, "locked"),
    text: cell(criterion?.text ?? "", "lockedText"),
    result: cell(answer?.result ?? null, "input"),
    points: cell(answer?.points ?? null, "input"),
    maxPoints: cell(criterion?.maxPoints ?? null, "locked"),
    evidence: cell(answer?.evidence ?? null, "input"),
    note: cell(answer?.note ?? null, "input"),
  };
  return COLUMNS.map((c) => values[c.key]);
}

/** "Tên phường:" (WARD_LABEL), "Tên xã:", "Tên đặc khu:": the label the unit's name goes beside. */
const wardLabel = (unitNoun: string): string => (unitNoun === "phường" ? WARD_LABEL : `Tên ${unitNoun}:`);

/** The tab of one programme: title, ward name, header, group headings and criteria rows. */
export function planProgrammeTab(catalogue: Catalogue, wardName: string, updated: string | null, answers: Readonly<Record<string, Answer>> = {}, unitNoun = "phường"): TabPlan {
  const rows: PlannedCell[][] = [emptyRow("guide"), emptyRow("guide"), emptyRow("guide"), emptyRow("guide")];
  rows[0]![0] = cell("BẢNG TỰ ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN TIÊU CHÍ", "title");
  rows[1]![0] = cell(`Đề án: ${catalogue.name} (${catalogue.versionName ?? `phiên bản ${catalogue.version}`})`, "subtitle");
  rows[WARD_ROW]![LABEL_COLUMN] = cell(wardLabel(unitNoun), "label");
  rows[WARD_ROW]![LABEL_COLUMN + 1] = cell(wardName, "input");
  rows[UPDATED_ROW]![LABEL_COLUMN] = cell(UPDATED_LABEL, "label");
  rows[UPDATED_ROW]![LABEL_COLUMN + 1] = cell(updated, "input");
  rows.push(COLUMNS.map((c) => cell(c.header, "header")));
  let index = 0;
  for (const group of catalogue.groups) {
    const heading = emptyRow("group");
    heading[0] = cell(group.code, "group");
    heading[2] = cell(group.name, "group");
    rows.push(heading);
    for (const criterion of catalogue.criteria.filter((c) => c.group === group.code)) {
      index += 1;
      rows.push(criterionRow(index, catalogue, criterion.code, answers[criterion.code]));
    }
  }
  const resultColumn = COLUMNS.findIndex((c) => c.key === "result");
  return {
    title: catalogue.tabTitle,
    widths: COLUMNS.map((c) => c.width),
    rows,
    headerRow: HEADER_ROW,
    dropdown: { column: resultColumn, fromRow: HEADER_ROW + 1, toRow: rows.length - 1, values: RESULT_VALUES },
  };
}

/**
 * The runs of consecutive rows whose Kết quả cell takes the dropdown (criterion rows; group
 * headings split the runs). Runs are disjoint by construction: Excel refuses a workbook whose
 * validations overlap and offers to "repair" it.
 *
 * @example dropdownRuns(tab) // [{ fromRow: 6, toRow: 11 }, { fromRow: 13, toRow: 17 }, …]
 */
export function dropdownRuns(tab: TabPlan): Array<{ fromRow: number; toRow: number }> {
  const runs: Array<{ fromRow: number; toRow: number }> = [];
  const dropdown = tab.dropdown;
  if (!dropdown) return runs;
  for (let r = dropdown.fromRow; r <= dropdown.toRow; r++) {
    if (tab.rows[r]?.[dropdown.column]?.role !== "input") continue;
    const last = runs[runs.length - 1];
    if (last && last.toRow === r - 1) last.toRow = r;
    else runs.push({ fromRow: r, toRow: r });
  }
  return runs;
}

/** The "Hướng dẫn" tab, in Vietnamese, for ward staff. */
export function planGuideTab(catalogues: readonly Catalogue[], unitNoun = "phường"): TabPlan {
  const lines: Array<[string, CellRole]> = [
    ["HƯỚNG DẪN ĐIỀN BẢNG TỰ ĐÁNH GIÁ TIÊU CHÍ", "guideTitle"],
    ["", "guide"],
    [`Tệp này có ${catalogues.length} trang tính tự đánh giá, mỗi trang một đề án:`, "guide"],
    ...catalogues.map((c): [string, CellRole] => [`   • “${c.tabTitle}”: ${c.name} (${c.criteria.length} tiêu chí; ${c.versionName ?? `phiên bản ${c.version}`}).`, "guide"]),
    ["", "guide"],
    ["Cách điền:", "guideTitle"],
    [`1. Ô bên phải “${wardLabel(unitNoun)}” ghi đúng tên ${unitNoun}; ô bên phải “${UPDATED_LABEL}” ghi ngày cập nhật (ngày/tháng/năm, ví dụ 02/11/2023).`, "guide"],
    [`2. Cột “Kết quả”: chọn trong danh sách một trong các giá trị: ${RESULT_VALUES.join(", ")}. Không gõ giá trị khác.`, "guide"],
    ["3. Cột “Điểm tự chấm”: chỉ điền với tiêu chí có “Điểm tối đa”; nhập số từ 0 đến điểm tối đa (phần thập phân dùng dấu phẩy, ví dụ 8,5).", "guide"],
    ["4. Cột “Minh chứng”: với tiêu chí Đạt, ghi số, ngày văn bản hoặc đường dẫn tài liệu chứng minh (ví dụ: Kế hoạch số 12/KH-CAP ngày 15/3/2023).", "guide"],
    ["5. Cột “Ghi chú”: ghi khó khăn, vướng mắc hoặc thời hạn dự kiến hoàn thành (nếu có).", "guide"],
    ["", "guide"],
    ["Lưu ý:", "guideTitle"],
    ["• Không sửa, xóa, chèn hay đổi tên các cột STT, Mã tiêu chí, Nội dung tiêu chí, Điểm tối đa (tô nền xám) và không đổi tên trang tính.", "guide"],
    ["• Gõ tiếng Việt bằng bảng mã Unicode (Unikey: bảng mã Unicode); không dùng bảng mã cũ TCVN3 (.VnTime) hoặc VNI.", "guide"],
    ["• Không nhập công thức vào cột Kết quả và Điểm tự chấm; nhập trực tiếp giá trị.", "guide"],
    ["• Sau mỗi lần lưu, hệ thống tự kiểm tra và báo lỗi theo từng ô (trang tính “Kiểm tra” hoặc tệp kết quả kiểm tra gửi về phường).", "guide"],
  ];
  return {
    title: GUIDE_TAB,
    widths: [120],
    rows: lines.map(([text, role]) => [cell(text, role)]),
    headerRow: null,
    dropdown: null,
  };
}

/**
 * The whole ward workbook: the guide first, then one tab per programme. The workbook of a xã
 * says "Tên xã:" (`unitNoun`, default "phường").
 *
 * @example planWardWorkbook(catalogues, "Nghi Hương", "02/11/2023", sampleAnswers).tabs.map((t) => t.title)
 */
export function planWardWorkbook(catalogues: readonly Catalogue[], wardName: string, updated: string | null, answers: Answers = {}, options: { unitNoun?: string } = {}): WorkbookPlan {
  const noun = options.unitNoun ?? "phường";
  return { tabs: [planGuideTab(catalogues, noun), ...catalogues.map((c) => planProgrammeTab(c, wardName, updated, answers[c.id], noun))] };
}
