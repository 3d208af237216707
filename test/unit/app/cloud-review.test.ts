/** The cloud's pieces of the appraisal cycle that need no Google: who Drive names, and runs rebuilt from state. */
import { describe, expect, it } from "vitest";
import { modifierName, runOfState } from "../../../functions/app/cloud-review.js";
import type { WardState } from "../../../functions/app/cloud-ward.js";
import type { ReviewRecord } from "../../../functions/core/review-cycle.js";

describe("modifierName", () => {
  it.each([
    [null, null],
    [{ me: true, email: "tieuchi@du-an.iam.gserviceaccount.com", name: "tieuchi" }, null],
    [{ me: false, email: null, name: "Ai đó" }, null],
    [{ me: false, email: "canbo@cualo.example" }, "canbo@cualo.example"],
    [{ me: false, email: "canbo@cualo.example", name: "Nguyễn Thị Hoa" }, "Nguyễn Thị Hoa <canbo@cualo.example>"],
  ])("names %j as %j (never the service itself)", (user, expected) => {
    expect(modifierName(user)).toBe(expected);
  });
});

describe("runOfState", () => {
  const ward = { id: "nghi-huong", name: "Nghi Hương", aliases: [], contacts: [] };
  const record = { programmeId: "ca-phuong-dien-hinh", state: "returned", returnKey: "k" } as unknown as ReviewRecord;
  const state = {
    outcome: { ward: { id: ward.id, name: ward.name }, status: "ok", reason: null, scores: [] },
    findings: [],
    review: { period: "2026-11", readings: [], records: [record] },
  } as unknown as WardState;

  it("carries the cycle recorded for the period asked, so its letters can be composed", () => {
    expect(runOfState(ward, state, "2026-11")).toMatchObject({ reviews: [record], sheet: { review: [], criteria: [] } });
  });

  it("leaves out a cycle of an earlier period: a new month never sends last month's Trả lại letter again", () => {
    const run = runOfState(ward, state, "2026-12");
    expect(run.reviews).toBeUndefined();
    expect(run.sheet).toBeUndefined();
    expect(runOfState(ward, { ...state, review: undefined } as unknown as WardState, "2026-11").reviews).toBeUndefined();
  });
});
