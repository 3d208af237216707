import { describe, expect, it } from "vitest";
import { sendOnce } from "../../../functions/app/send-mail.js";
import { DeliveryError } from "../../../functions/errors.js";
import type { DeliveryReceipt, Ledger, Mailer, MailMessage } from "../../../functions/ports.js";

const clock = { now: () => new Date("2026-11-27T08:00:00Z") };

function message(key: string): MailMessage {
  return { key, to: [`${key}@congan.example`], cc: [], subject: "Tiêu đề", text: "Nội dung", html: "<p>Nội dung</p>", attachments: [] };
}

/** In-memory ledger that also logs the order of events. */
function memoryLedger(log: string[], initial: string[] = []): Ledger & { keys: Set<string> } {
  const keys = new Set(initial);
  return {
    keys,
    has: async (key) => keys.has(key),
    record: async (key) => {
      log.push(`record ${key}`);
      keys.add(key);
    },
  };
}

/** Mailer whose outcome per key is chosen by the test. */
function fakeMailer(log: string[], fail: (key: string) => Error | null = () => null): Mailer {
  return {
    kind: "smtp",
    send: async (m): Promise<DeliveryReceipt> => {
      log.push(`send ${m.key}`);
      const error = fail(m.key);
      if (error) throw error;
      return { messageId: `<${m.key}@tieuchi.local>`, via: "smtp" };
    },
    close: async () => undefined,
  };
}

describe("sendOnce", () => {
  it("skips recorded keys and records each send before the next one starts", async () => {
    const log: string[] = [];
    const ledger = memoryLedger(log, ["b"]);
    const report = await sendOnce([message("a"), message("b"), message("c")], { mailer: fakeMailer(log), ledger, clock });

    expect(log).toEqual(["send a", "record a", "send c", "record c"]);
    expect(report).toEqual({
      sent: [
        { key: "a", messageId: "<a@tieuchi.local>", via: "smtp" },
        { key: "c", messageId: "<c@tieuchi.local>", via: "smtp" },
      ],
      skipped: ["b"],
      failed: [],
    });
  });

  it("reports a DeliveryError, records nothing for it and carries on", async () => {
    const log: string[] = [];
    const ledger = memoryLedger(log);
    const mailer = fakeMailer(log, (key) => (key === "a" ? new DeliveryError("a@congan.example", "máy chủ thư từ chối (550 x)", 550) : null));
    const report = await sendOnce([message("a"), message("b")], { mailer, ledger, clock });

    expect(report.failed).toEqual([{ key: "a", error: "Không gửi được thư tới a@congan.example: máy chủ thư từ chối (550 x)" }]);
    expect(report.sent.map((s) => s.key)).toEqual(["b"]);
    expect([...ledger.keys]).toEqual(["b"]);
  });

  it("lets any other error stop the run", async () => {
    const log: string[] = [];
    const mailer = fakeMailer(log, (key) => (key === "a" ? new TypeError("bug") : null));
    await expect(sendOnce([message("a"), message("b")], { mailer, ledger: memoryLedger(log), clock })).rejects.toThrow("bug");
    expect(log).toEqual(["send a"]);
  });
});
