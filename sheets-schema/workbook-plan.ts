/**
 * The ward workbook as a plan: every tab, cell, style role and dropdown, independent of
 * the file format. The local xlsx writer and the Google Sheets provisioner both render it.
 */
import type { Catalogue } from "./catalogue.js";
import {
  APPRAISAL_VALUES,
  COLUMNS,
  CONCLUSION_LABEL,
  CONCLUSION_VALUES,
  type ColumnKey,
  GUIDE_TAB,
  RESULT_VALUES,
  SUBMISSION_LABEL,
  SUBMISSION_VALUES,
  UPDATED_LABEL,
  WARD_LABEL,
  headerOf,
} from "./layout.js";

/**
 * Style roles; each renderer maps them to its own formatting. "input": the ward types there;
 * "appraisal": the supervising police types there (Google protects it for the configured
 * appraisers; the local workbook leaves it unlocked and shades it differently).
 */
export type CellRole = "title" | "subtitle" | "label" | "input" | "appraisal" | "header" | "group" | "locked" | "lockedText" | "guideTitle" | "guide";

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
  /**
   * The dropdown lists: Kết quả and Kết quả thẩm định on the criterion rows, and the single
   * Trạng thái and Kết luận thẩm định cells. Only cells of an input role inside the range take
   * the list (group headings split a column's range into runs: see dropdownRuns).
   */
  dropdowns: TabDropdown[];
}

/** One dropdown list: 0-based column and row range, inclusive; `title` names it in hints ("Kết quả"). */
export interface TabDropdown {
  column: number;
  fromRow: number;
  toRow: number;
  values: readonly string[];
  title: string;
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
  /** The appraiser's Kết quả thẩm định and Ý kiến thẩm định (sample data). */
  appraisal?: string;
  appraisalNote?: string;
}

/** The status cells of one programme's tab (sample data): the ward's Trạng thái, the appraiser's Kết luận. */
export interface ReviewAnswer {
  submission?: string;
  conclusion?: string;
}

/** Answers per programme id, then per criterion code. */
export type Answers = Readonly<Record<string, Readonly<Record<string, Answer>>>>;

/**
 * 0-based rows of a programme tab: the labelled cells (ward name, date, the ward's status, the
 * appraiser's conclusion) and the header row. The plan is data: the parser finds labels and
 * headers anywhere in the first rows, so workbooks of the older layout (header on row 5) still work.
 */
export const WARD_ROW = 2;
export const UPDATED_ROW = 3;
export const SUBMISSION_ROW = 4;
export const CONCLUSION_ROW = 5;
/** The A1 addresses of the two status cells in the plan (the value beside each label): "C5", "C6". */
export const SUBMISSION_CELL = `C${SUBMISSION_ROW + 1}`;
export const CONCLUSION_CELL = `C${CONCLUSION_ROW + 1}`;
export const HEADER_ROW = 6;
/** Column of the labels (B) and of the values beside them (C). */
const LABEL_COLUMN = 1;
const VALUE_COLUMN = 2;

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
    appraisal: cell(answer?.appraisal ?? null, "appraisal"),
    appraisalNote: cell(answer?.appraisalNote ?? null, "appraisal"),
  };
  return COLUMNS.map((c) => values[c.key]);
}

/** "Tên phường:" (WARD_LABEL), "Tên xã:", "Tên đặc khu:": the label the unit's name goes beside. */
const wardLabel = (unitNoun: string): string => (unitNoun === "phường" ? WARD_LABEL : `Tên ${unitNoun}:`);

/** The tab of one programme: title, ward name, status cells, header, group headings and criteria rows. */
export function planProgrammeTab(catalogue: Catalogue, wardName: string, updated: string | null, answers: Readonly<Record<string, Answer>> = {}, unitNoun = "phường", review: ReviewAnswer = {}): TabPlan {
  const rows: PlannedCell[][] = Array.from({ length: HEADER_ROW }, () => emptyRow("guide"));
  rows[0]![0] = cell("BẢNG TỰ ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN TIÊU CHÍ", "title");
  rows[1]![0] = cell(`Đề án: ${catalogue.name} (${catalogue.versionName ?? `phiên bản ${catalogue.version}`})`, "subtitle");
  const labelled: ReadonlyArray<readonly [number, string, PlannedCell["value"], CellRole]> = [
    [WARD_ROW, wardLabel(unitNoun), wardName, "input"],
    [UPDATED_ROW, UPDATED_LABEL, updated, "input"],
    [SUBMISSION_ROW, SUBMISSION_LABEL, review.submission ?? SUBMISSION_VALUES[0], "input"],
    [CONCLUSION_ROW, CONCLUSION_LABEL, review.conclusion ?? null, "appraisal"],
  ];
  for (const [row, label, value, role] of labelled) {
    rows[row]![LABEL_COLUMN] = cell(label, "label");
    rows[row]![VALUE_COLUMN] = cell(value, role);
  }
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
  return { title: catalogue.tabTitle, widths: COLUMNS.map((c) => c.width), rows, headerRow: HEADER_ROW, dropdowns: programmeDropdowns(rows.length - 1) };
}

/** Kết quả and Kết quả thẩm định over the criterion rows; Trạng thái and Kết luận thẩm định on their one cell. */
function programmeDropdowns(lastRow: number): TabDropdown[] {
  const column = (key: ColumnKey): number => COLUMNS.findIndex((c) => c.key === key);
  const single = (row: number, values: readonly string[], label: string): TabDropdown => ({ column: VALUE_COLUMN, fromRow: row, toRow: row, values, title: label.replace(/:$/u, "") });
  return [
    { column: column("result"), fromRow: HEADER_ROW + 1, toRow: lastRow, values: RESULT_VALUES, title: headerOf("result") },
    { column: column("appraisal"), fromRow: HEADER_ROW + 1, toRow: lastRow, values: APPRAISAL_VALUES, title: headerOf("appraisal") },
    single(SUBMISSION_ROW, SUBMISSION_VALUES, SUBMISSION_LABEL),
    single(CONCLUSION_ROW, CONCLUSION_VALUES, CONCLUSION_LABEL),
  ];
}

/**
 * The runs of consecutive rows whose cell in the dropdown's column takes the list: cells of an
 * input role (criterion rows; group headings split the runs). Runs are disjoint by
 * construction: Excel refuses a workbook whose validations overlap and offers to "repair" it.
 *
 * @example dropdownRuns(tab, tab.dropdowns[0]) // [{ fromRow: 8, toRow: 13 }, { fromRow: 15, toRow: 19 }, …]
 */
export function dropdownRuns(tab: TabPlan, dropdown: TabDropdown): Array<{ fromRow: number; toRow: number }> {
  const runs: Array<{ fromRow: number; toRow: number }> = [];
  for (let r = dropdown.fromRow; r <= dropdown.toRow; r++) {
    const role = tab.rows[r]?.[dropdown.column]?.role;
    if (role !== "input" && role !== "appraisal") continue;
    const last = runs[runs.length - 1];
    if (last && last.toRow === r - 1) last.toRow = r;
    else runs.push({ fromRow: r, toRow: r });
  }
  return runs;
}

/** The guide's part on submitting for appraisal and on the appraiser's cells. */
function cycleLines(unitNoun: string): Array<[string, CellRole]> {
  const [updating, submitted] = SUBMISSION_VALUES;
  const [appraised, returned] = CONCLUSION_VALUES;
  return [
    ["Đề nghị thẩm định:", "guideTitle"],
    [`6. Ô bên phải “${SUBMISSION_LABEL}”: để “${updating}” trong khi đang điền; khi đã điền xong và không còn lỗi, chọn “${submitted}”. Đề nghị còn lỗi chưa được tiếp nhận: trang tính “Kiểm tra” hoặc tệp kết quả kiểm tra ghi rõ các lỗi cần sửa.`, "guide"],
    [`7. Các cột “${headerOf("appraisal")}”, “${headerOf("appraisalNote")}” và ô bên phải “${CONCLUSION_LABEL}” (tô nền xanh lá nhạt) do cơ quan thẩm định (công an cấp trên) điền; cán bộ ${unitNoun} không nhập vào các ô này.`, "guide"],
    [`8. Cơ quan thẩm định ghi “${APPRAISAL_VALUES.join("” hoặc “")}” cho từng tiêu chí, ghi ý kiến với tiêu chí chưa đạt, rồi kết luận “${appraised}” hoặc “${returned}”. Khi bị trả lại, ${unitNoun} chọn “${updating}” khi bắt đầu sửa, sửa theo ý kiến thẩm định, sửa xong chọn lại “${submitted}”; khi ô vẫn ghi “${submitted}”, các chỉnh sửa chưa được coi là gửi lại.`, "guide"],
    [`9. Khi ${unitNoun} gửi lại, kết luận “${returned}” còn trong ô là của lần thẩm định trước: cơ quan thẩm định xóa ô này rồi chọn lại kết luận khi thẩm định xong lần này.`, "guide"],
  ];
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
    ...cycleLines(unitNoun),
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
    dropdowns: [],
  };
}

/**
 * The whole ward workbook: the guide first, then one tab per programme. The workbook of a xã
 * says "Tên xã:" (`unitNoun`, default "phường").
 *
 * @example planWardWorkbook(catalogues, "Nghi Hương", "02/11/2023", sampleAnswers).tabs.map((t) => t.title)
 */
export function planWardWorkbook(
  catalogues: readonly Catalogue[],
  wardName: string,
  updated: string | null,
  answers: Answers = {},
  options: { unitNoun?: string; review?: Readonly<Record<string, ReviewAnswer>> } = {},
): WorkbookPlan {
  const noun = options.unitNoun ?? "phường";
  return { tabs: [planGuideTab(catalogues, noun), ...catalogues.map((c) => planProgrammeTab(c, wardName, updated, answers[c.id], noun, options.review?.[c.id]))] };
}
