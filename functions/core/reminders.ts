/** When a deadline reminder is due: pure date arithmetic on Vietnam-local calendar dates. */

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
