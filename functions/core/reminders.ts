/** When a deadline reminder is due (pure date arithmetic on Vietnam-local calendar dates), and what it asks for in the review cycle. */
import { SUBMISSION_LABEL } from "../../sheets-schema/layout.js";
import { SUBMISSION_CELL } from "../../sheets-schema/workbook-plan.js";
import type { ReviewState } from "./review-cycle.js";
import { sheetPlace } from "./vocabulary.js";

const DAY_MS = 86_400_000;

/** Whole days from `today` to `deadline` (both YYYY-MM-DD); negative once it has passed. */
export function daysUntil(deadline: string, today: string): number {
  return Math.round((Date.parse(`${deadline}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS);
}

/**
 * The reminder stage due today: the smallest configured "days before" that today falls
 * within, or null when no reminder is due (too early, or the deadline has passed).
 * Each stage is sent once, so [7, 3, 1] gives at most three reminders per ward and deadline.
 *
 * @example dueStage("2026-11-30", "2026-11-27", [7, 3, 1]) // → { daysLeft: 3, stage: 3 }
 */
export function dueStage(deadline: string, today: string, daysBefore: readonly number[]): { daysLeft: number; stage: number } | null {
  const daysLeft = daysUntil(deadline, today);
  if (daysLeft < 0) return null;
  const stages = [...daysBefore].filter((d) => daysLeft <= d).sort((a, b) => a - b);
  return stages.length ? { daysLeft, stage: stages[0]! } : null;
}

/** What a ward's programme owes before a submission deadline, by where it stands in the review cycle. */
export interface CycleProgramme {
  name: string;
  /** The programme's tab, where its Trạng thái cell is. */
  tab: string;
  state: ReviewState | null;
  /** The criteria sent back, when returned. */
  returned: readonly string[];
  /** What the tab itself still lacks (empty criteria, errors): reminderItems of this programme. */
  owed: readonly string[];
}

/**
 * The reminder items of a submission deadline, programme by programme: nothing for a programme
 * submitted, appraised or closed; the criteria sent back for one returned; what it lacks and
 * that it has not asked for appraisal yet otherwise. A programme with no state (runs without the
 * cycle) owes what its tab lacks, as before.
 *
 * @example submissionItems([{ name: "CA phường kiểu mẫu", tab: "CA phường kiểu mẫu", state: "returned", returned: ["TC03"], owed: [] }])
 * // → ["CA phường kiểu mẫu: được trả lại để bổ sung tiêu chí TC03 theo ý kiến thẩm định; ở ô “Trạng thái:” (trang tính “CA phường kiểu mẫu”, ô C5), chọn “Đang cập nhật” khi bắt đầu sửa, sửa xong chọn lại “Đề nghị thẩm định”."]
 */
export function submissionItems(programmes: readonly CycleProgramme[]): string[] {
  return programmes.flatMap((p) => {
    const status = `ô “${SUBMISSION_LABEL}” (${sheetPlace(p.tab, SUBMISSION_CELL)})`;
    if (p.state === null) return [...p.owed];
    if (p.state === "submitted" || p.state === "appraised" || p.state === "closed") return [];
    if (p.state === "returned") {
      const which = p.returned.length ? ` tiêu chí ${p.returned.join(", ")}` : "";
      return [`${p.name}: được trả lại để bổ sung${which} theo ý kiến thẩm định; ở ${status}, chọn “Đang cập nhật” khi bắt đầu sửa, sửa xong chọn lại “Đề nghị thẩm định”.`];
    }
    return [...p.owed, `${p.name}: chưa gửi đề nghị thẩm định; khi đã hoàn thành, chọn “Đề nghị thẩm định” ở ${status}.`];
  });
}
