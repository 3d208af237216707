/**
 * The worker queue's pace, derived from the Sheets quota of the one identity every worker
 * calls Sheets as: 60 read and 60 write requests per minute (per user; 300 per project). A
 * share of each is left for what runs beside the queue (the sweep's Tổng hợp write, the
 * webhook's reads, a person running `tieuchi` with the same account), and the rest divided
 * by what one ward costs. scripts/deploy.sh applies the same formula (a test compares them).
 */

interface SheetsBudget {
  readsPerMinute: number;
  writesPerMinute: number;
  /** Share of each quota kept for everything outside the queue, 0–1. */
  headroom: number;
}

/** What handling one changed ward costs in Sheets requests, counted against the strict fake. */
interface WardCost {
  reads: number;
  writes: number;
}

interface QueuePace {
  /** Wards per minute the budget allows. */
  wardsPerMinute: number;
  maxDispatchesPerSecond: number;
  maxConcurrentDispatches: number;
}

const SHEETS_PER_USER: Readonly<SheetsBudget> = { readsPerMinute: 60, writesPerMinute: 60, headroom: 0.25 };

/**
 * One changed ward, as counted against the strict fake (fan-out simulation): two reads (the
 * spreadsheet's tab titles, then one batch read of its input tabs) and one write (its Kiểm tra
 * tab in one batch update). The first handling of a ward also looks the tab up and creates
 * it: one read and one write more, which the headroom and the adapters' quota retry absorb.
 */
const WARD_COST: Readonly<WardCost> = { reads: 2, writes: 1 };

/**
 * A worker takes a few seconds (read, validate, write); allowing as many at once as one
 * minute's wards would let a backlog burst through the quota, so concurrency is the rate
 * times a generous handling time, and never more than a quarter of a minute's budget.
 */
const HANDLING_SECONDS = 10;

/** The queue's dispatch rate and concurrency for a budget and a per-ward cost. */
export function queuePace(budget: SheetsBudget = SHEETS_PER_USER, cost: WardCost = WARD_COST): QueuePace {
  const usable = (perMinute: number): number => Math.floor(perMinute * (1 - budget.headroom));
  const byReads = cost.reads > 0 ? usable(budget.readsPerMinute) / cost.reads : Infinity;
  const byWrites = cost.writes > 0 ? usable(budget.writesPerMinute) / cost.writes : Infinity;
  const wardsPerMinute = Math.max(1, Math.floor(Math.min(byReads, byWrites)));
  const perSecond = Math.floor((wardsPerMinute / 60) * 1000) / 1000;
  const concurrent = Math.max(1, Math.min(Math.ceil(perSecond * HANDLING_SECONDS), Math.floor(wardsPerMinute / 4)));
  return { wardsPerMinute, maxDispatchesPerSecond: perSecond, maxConcurrentDispatches: concurrent };
}

/**
 * The gap between the scheduled times of the tasks one enqueuer creates (the adapter's `pace`):
 * one ward's share of a minute at the queue's rate. The queue's own rate limit does not hold
 * under its burst (Cloud Tasks picks the burst size, up to 500, and refills it while idle), so a
 * sweep's batch is spread by scheduleTime instead of released at once.
 */
export function taskSpacingMs(pace: QueuePace = queuePace()): number {
  return Math.ceil(60_000 / pace.wardsPerMinute);
}
