/**
 * The words staff and leaders read, in one place (the wording of ../shared/LANGUAGE.md): ward
 * states, severities, recognition, changes, period labels and sheet references. Each table is
 * keyed by the union the compiler checks, so a new state or kind cannot go unnamed. Where the
 * runtimes must differ (a local file, a Google Sheet) both wordings are here.
 */
import type { WardStatus } from "./aggregate-town.js";
import type { Severity } from "./findings.js";
import type { CriterionStatus } from "./score-ward.js";
import type { ReviewState } from "./review-cycle.js";
import { type PeriodKind, type PeriodParts, parsePeriodKey, periodKey } from "./period.js";

/** Where the wards' workbooks live: files on disk, or Google Sheets. */
export type Runtime = "local" | "google";

/** A ward's workbook state, per runtime ("tệp" locally, "bảng tính" in Google Drive). */
export const WARD_STATUS_LABELS: Record<Runtime, Record<WardStatus, string>> = {
  local: { ok: "Đã nhận", missing: "Chưa gửi bảng tự đánh giá", unreadable: "Không đọc được tệp" },
  google: { ok: "Đã nhận", missing: "Chưa gửi bảng tự đánh giá", unreadable: "Không đọc được bảng tính" },
};

/**
 * The same states told to the unit itself, as a sentence with what to do (reminders, the unit's
 * notice): its staff need the action, the town's staff the state. `noun`: "phường", "xã", …
 */
export const WARD_STATUS_TO_WARD: Record<Runtime, Record<Exclude<WardStatus, "ok">, (noun: string) => string>> = {
  local: {
    missing: (noun) => `${capitalised(noun)} chưa gửi bảng tự đánh giá.`,
    unreadable: (noun) => `Hệ thống không đọc được tệp bảng tự đánh giá của ${noun}; đề nghị mở tệp bằng Excel, lưu lại dưới dạng .xlsx rồi gửi lại.`,
  },
  google: {
    missing: (noun) => `${capitalised(noun)} chưa gửi bảng tự đánh giá.`,
    unreadable: (noun) => `Hệ thống không đọc được bảng tính tự đánh giá của ${noun}; đề nghị xem lý do ở trang tính “Kiểm tra” và sửa theo hướng dẫn.`,
  },
};

const capitalised = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** A ward's workbook as the local outputs name it. */
export const WARD_STATUS_LABEL: Record<WardStatus, string> = WARD_STATUS_LABELS.local;

/** A ward without figures where space is tight (a chart's bar label, a matrix cell). */
export const WARD_STATUS_SHORT: Record<Exclude<WardStatus, "ok">, string> = { missing: "Chưa gửi", unreadable: "Không đọc được" };

/** A criterion's status in words (the ward notice, the town tables). */
export const CRITERION_STATUS_LABEL: Record<CriterionStatus, string> = {
  met: "Đạt",
  "not-met": "Chưa đạt",
  "in-progress": "Đang thực hiện",
  empty: "Chưa nhập kết quả",
  "left-out": "Có lỗi, chưa tính",
  missing: "Thiếu dòng tiêu chí",
};

/** A criterion's status as the short mark of the annex matrix (Đ / CĐ / ĐTH). */
export const CRITERION_STATUS_SHORT: Record<CriterionStatus, string> = {
  met: "Đ",
  "not-met": "CĐ",
  "in-progress": "ĐTH",
  empty: "—",
  "left-out": "L",
  missing: "—",
};

/** A ward's programme through the review cycle, as the town table, the summary sheet and the digest name it. */
export const REVIEW_STATE_LABEL: Record<ReviewState, string> = {
  "not-sent": "Chưa gửi",
  updating: "Đang cập nhật",
  submitted: "Đề nghị thẩm định",
  returned: "Trả lại",
  appraised: "Đã thẩm định",
  closed: "Đã chốt",
};

/** An appraiser's result of one criterion, as every document names it. */
export const APPRAISAL_LABEL: Record<"met" | "not-met", string> = { met: CRITERION_STATUS_LABEL.met, "not-met": CRITERION_STATUS_LABEL["not-met"] };

/** A ward's appraisal with criteria left to appraise ("5/22 (chưa thẩm định hết)"), the one wording for that state. */
export const APPRAISAL_INCOMPLETE = "chưa thẩm định hết";

/** How each severity is named wherever staff read a finding. */
export const SEVERITY_LABEL: Record<Severity, string> = { error: "Lỗi", warning: "Cảnh báo" };

/** In prose, for a ward that has met every criterion (recognition itself is the province's decision). */
export const MET_ALL_PROSE = "đủ điều kiện đề nghị công nhận";

/** Column and totals label for wards that have met every criterion. */
export const MET_ALL_LABEL = "Đạt đủ tiêu chí";

/**
 * A change in a count, in words: "tăng 2", "giảm 17", "không thay đổi".
 *
 * @example changeWording(-17) === "giảm 17"
 */
export function changeWording(delta: number): string {
  const size = Math.abs(delta).toLocaleString("vi-VN");
  return delta > 0 ? `tăng ${size}` : delta < 0 ? `giảm ${size}` : "không thay đổi";
}

/**
 * Where in a workbook, in prose: "trang tính “Tiêu chí CAP”, ô D11" (never "Tab!D11").
 *
 * @example sheetPlace("Tiêu chí CAP", "D11") === "trang tính “Tiêu chí CAP”, ô D11"
 */
export function sheetPlace(tab: string, cell?: string): string {
  return cell ? `trang tính “${tab}”, ô ${cell}` : `trang tính “${tab}”`;
}

const ROMAN: ReadonlyArray<readonly [number, string]> = [[10, "X"], [9, "IX"], [5, "V"], [4, "IV"], [1, "I"]];

/** Roman numerals for quarters and group rows (1 → "I", 4 → "IV"; up to 39). */
function roman(n: number): string {
  let rest = n;
  let out = "";
  for (const [value, letters] of ROMAN) {
    while (rest >= value) {
      out += letters;
      rest -= value;
    }
  }
  return out;
}

/** The noun of each period kind, as in "kỳ báo cáo theo tháng". */
export const PERIOD_KIND_NAME: Record<PeriodKind, string> = { week: "tuần", month: "tháng", quarter: "quý", half: "6 tháng", year: "năm" };

/** How people write a period of each kind. */
const PERIOD_LABEL: { [K in PeriodKind]: (p: PeriodParts) => string } = {
  week: (p) => `tuần ${p.index}/${p.year}`,
  month: (p) => `tháng ${p.index}/${p.year}`,
  quarter: (p) => `quý ${roman(p.index)}/${p.year}`,
  half: (p) => `6 tháng ${p.index === 1 ? "đầu" : "cuối"} năm ${p.year}`,
  year: (p) => `năm ${p.year}`,
};

/**
 * A period key as people write it: "2026-W49" → "tuần 49/2026", "2026-Q4" → "quý IV/2026",
 * "2026-H1" → "6 tháng đầu năm 2026"; text that is no key passes through.
 */
export function periodLabel(period: string): string {
  const parts = parsePeriodKey(period);
  return parts ? PERIOD_LABEL[parts.kind](parts) : period;
}

const ROMAN_INDEX: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4 };

/** Text forms of each kind: a pattern with (number, year) groups, or (year) only. */
const WRITTEN: ReadonlyArray<readonly [PeriodKind, RegExp]> = [
  ["week", /^tuần (\d{1,2})(?:\/| năm )(\d{4})$/u],
  ["month", /^tháng (\d{1,2})(?:\/| năm )(\d{4})$/u],
  ["quarter", /^quý (iv|iii|ii|i|\d)(?:\/| năm )(\d{4})$/u],
  ["half", /^6 tháng (đầu|cuối) năm (\d{4})$/u],
  ["year", /^năm (\d{4})$/u],
];

const KEY_FORM = /^(\d{4})(?:-(?:(w)(\d{1,2})|(q|h)(\d)|(\d{1,2})))?$/u;

function fromKeyForm(text: string): PeriodParts | null {
  const m = KEY_FORM.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  if (m[2]) return { kind: "week", year, index: Number(m[3]) };
  if (m[4]) return { kind: m[4] === "q" ? "quarter" : "half", year, index: Number(m[5]) };
  return m[6] ? { kind: "month", year, index: Number(m[6]) } : { kind: "year", year, index: 1 };
}

function fromWords(text: string): PeriodParts | null {
  for (const [kind, pattern] of WRITTEN) {
    const m = pattern.exec(text);
    if (!m) continue;
    if (kind === "year") return { kind, year: Number(m[1]), index: 1 };
    const n = m[1]!;
    const index = kind === "half" ? (n === "đầu" ? 1 : 2) : (ROMAN_INDEX[n] ?? Number(n));
    return { kind, year: Number(m[2]), index };
  }
  return null;
}

/**
 * The key of a period written as a key ("2026-11", "2026-w49", "2026-q4") or as people write it
 * ("tháng 11/2026", "quý IV/2026", "6 tháng đầu năm 2026", "năm 2026"); null when the text is
 * neither or names a period that does not exist ("tuần 53/2025").
 *
 * @example periodFromText("Quý IV/2026") === "2026-Q4"
 */
export function periodFromText(text: string): string | null {
  const parts = writtenPeriod(text);
  if (!parts) return null;
  const key = periodKey(parts);
  return parsePeriodKey(key) ? key : null;
}

/**
 * What a period text says, whether or not that period exists ("tuần 54/2026" → week 54 of
 * 2026), so a message can say what is wrong with it; null when it is no period text at all.
 */
export function writtenPeriod(text: string): PeriodParts | null {
  const folded = text.normalize("NFC").trim().toLowerCase().replace(/\s+/gu, " ").replace(/\s*\/\s*/gu, "/");
  return fromKeyForm(folded) ?? fromWords(folded);
}
