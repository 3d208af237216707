/**
 * Labels town staff read for a ward's state and for a ward that has met every criterion: one
 * table each, keyed by the union the compiler checks (the wording of LANGUAGE.md).
 */
import type { WardStatus } from "./aggregate-town.js";

/** A ward's workbook as the local outputs name it (the Google runtime says "bảng tính"). */
export const WARD_STATUS_LABEL: Record<WardStatus, string> = {
  ok: "Đã nhận",
  missing: "Chưa gửi bảng tự đánh giá",
  unreadable: "Không đọc được tệp",
};

/** In prose, for a ward that has met every criterion. */
export const MET_ALL_PROSE = "đủ điều kiện đề nghị công nhận";

/** Column and totals label for wards that have met every criterion (recognition is the province's decision). */
export const MET_ALL_LABEL = "Đạt đủ tiêu chí";
