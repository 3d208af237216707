import { describe, expect, it } from "vitest";
import { TimeBudgetExceeded, timeBudget } from "../../../functions/cloud/time-budget.js";

describe("timeBudget", () => {
  it("gives the work its deadline, and none outside it", async () => {
    const budget = timeBudget(() => 1_000);
    expect(budget.deadline()).toBeNull();
    await expect(budget.within(500, async () => budget.deadline())).resolves.toBe(1_500);
    expect(budget.deadline()).toBeNull();
  });

  it("keeps concurrent invocations' deadlines apart", async () => {
    let now = 0;
    const budget = timeBudget(() => now);
    const first = budget.within(100, async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return budget.deadline();
    });
    now = 50;
    const second = budget.within(100, async () => budget.deadline());
    expect(await Promise.all([first, second])).toEqual([100, 150]);
  });

  it("rejects with TimeBudgetExceeded when the work outlasts the budget", async () => {
    const budget = timeBudget();
    const never = new Promise<never>(() => undefined);
    const error = await budget.within(20, () => never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeBudgetExceeded);
    expect(error).toMatchObject({ budgetMs: 20 });
  });
});
