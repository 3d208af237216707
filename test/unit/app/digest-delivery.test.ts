import { describe, expect, it } from "vitest";
import { undelivered } from "../../../functions/app/cloud-handlers.js";
import { emptySendReport } from "../../../functions/app/send-mail.js";

describe("undelivered: what makes a digest ask Pub/Sub for redelivery", () => {
  it("is nothing when all went out, or when the only failure is permanent", () => {
    expect(undelivered(null)).toEqual([]);
    expect(undelivered({ ...emptySendReport(), failed: [{ key: "k", error: "552", permanent: true }], refused: [{ key: "o", error: "550", failedAt: "x" }] })).toEqual([]);
  });

  it("names temporary failures, messages waiting for their backoff and messages another instance is sending", () => {
    const report = {
      ...emptySendReport(),
      failed: [{ key: "a", error: "451 thử lại sau", permanent: false, retryAt: "2026-11-27T08:01:00.000Z" }],
      deferred: [{ key: "b", error: "421 bận", retryAt: "2026-11-27T08:01:00.000Z" }],
      busy: ["c"],
    };
    expect(undelivered(report)).toEqual(["451 thử lại sau", "421 bận", "đang được một lần chạy khác gửi"]);
  });
});
