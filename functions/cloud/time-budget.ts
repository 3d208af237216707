/**
 * A time budget per invocation. The webhook must answer well inside the function's 60 s
 * timeout, so everything it waits for shares one deadline: adapters read it (no request or
 * retry outlives it) and the invocation itself gives up when it passes.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { TieuchiError } from "../errors.js";

/** The invocation ran out of its time budget. */
export class TimeBudgetExceeded extends TieuchiError {
  readonly budgetMs: number;
  constructor(budgetMs: number) {
    super(`Hết thời gian xử lý (${budgetMs} ms)`);
    this.budgetMs = budgetMs;
  }
}

export interface TimeBudget {
  /** The deadline (ms since epoch) of the invocation this call belongs to, or null outside one. */
  deadline(): number | null;
  /**
   * Run `work` with a deadline `budgetMs` from now. Rejects with TimeBudgetExceeded when the
   * deadline passes first; calls still in flight then fail at the deadline on their own.
   */
  within<T>(budgetMs: number, work: () => Promise<T>): Promise<T>;
}

export function timeBudget(now: () => number = Date.now): TimeBudget {
  const current = new AsyncLocalStorage<number>();
  return {
    deadline: () => current.getStore() ?? null,
    within: (budgetMs, work) =>
      current.run(now() + budgetMs, () => {
        let timer: NodeJS.Timeout | undefined;
        const expired = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new TimeBudgetExceeded(budgetMs)), budgetMs);
        });
        return Promise.race([work(), expired]).finally(() => clearTimeout(timer));
      }),
  };
}
