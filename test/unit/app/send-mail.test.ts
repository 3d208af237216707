import { describe, expect, it } from "vitest";
import { kvLedger, ledgerKey } from "../../../functions/app/kv-state.js";
import { DEFAULT_LEASE_MS, retryDelayMs, sendOnce, type SendPorts } from "../../../functions/app/send-mail.js";
import { DeliveryError } from "../../../functions/errors.js";
import type { DeliveryReceipt, Ledger, LedgerEntry, Mailer, MailMessage } from "../../../functions/ports.js";
import { manualClock } from "../../fakes/clock.js";
import { memoryKeyValueStore } from "../../fakes/memory-kv.js";

function message(key: string): MailMessage {
  return { key, to: [`${key}@congan.example`], cc: [], subject: "Tiêu đề", text: "Nội dung", html: "<p>Nội dung</p>", attachments: [] };
}

const refusal = (code: number, permanent: boolean): DeliveryError => new DeliveryError("x@congan.example", `máy chủ thư từ chối (${code} x)`, code, { permanent });

/** Mailer whose outcome per key is chosen by the test; logs every attempt, and may hold a send until released. */
function fakeMailer(log: string[], fail: (key: string) => Error | null = () => null, gate?: Promise<void>): Mailer {
  return {
    kind: "smtp",
    send: async (m): Promise<DeliveryReceipt> => {
      log.push(`send ${m.key}`);
      if (gate) await gate;
      const error = fail(m.key);
      if (error) throw error;
      return { messageId: `<${m.key}@tieuchi.local>`, via: "smtp" };
    },
    close: async () => undefined,
  };
}

const entryOf = async (ledger: Ledger, key: string): Promise<LedgerEntry | null> => (await ledger.update(key, () => null)).entry;

function setUp() {
  const kv = memoryKeyValueStore();
  const ledger = kvLedger(kv);
  const clock = manualClock("2026-11-27T08:00:00Z");
  const log: string[] = [];
  const ports = (mailer: Mailer, extra: Partial<SendPorts> = {}): SendPorts => ({ mailer, ledger, clock, ...extra });
  return { kv, ledger, clock, log, ports };
}

describe("sendOnce: claim, send, record", () => {
  it("records each message as sent with its Message-ID, and skips it on the next run", async () => {
    const { ledger, log, ports } = setUp();
    const first = await sendOnce([message("a"), message("b")], ports(fakeMailer(log)));
    expect(first.sent.map((s) => s.key)).toEqual(["a", "b"]);
    expect(await entryOf(ledger, "a")).toEqual({ status: "sent", sentAt: "2026-11-27T08:00:00.000Z", messageId: "<a@tieuchi.local>", via: "smtp" });

    const second = await sendOnce([message("a"), message("b")], ports(fakeMailer(log)));
    expect(second).toEqual({ sent: [], skipped: ["a", "b"], busy: [], failed: [], refused: [], deferred: [] });
    expect(log).toEqual(["send a", "send b"]);
  });

  it("claims before sending: the entry is 'sending', naming this run, while the server has the message", async () => {
    const { ledger, clock, log, ports } = setUp();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const running = sendOnce([message("a")], ports(fakeMailer(log, () => null, gate), { claims: { holder: "run-1" } }));
    while (!log.length) await new Promise((resolve) => setImmediate(resolve));
    expect(await entryOf(ledger, "a")).toEqual({ status: "sending", holder: "run-1", until: clock.ms() + DEFAULT_LEASE_MS, attempts: 1 });
    release();
    await running;
    expect(await entryOf(ledger, "a")).toMatchObject({ status: "sent" });
  });

  it("of two overlapping runs, only one sends each message; the other reports it as being sent", async () => {
    const { log, ports } = setUp();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const keys = ["a", "b", "c", "d"].map(message);
    const one = sendOnce(keys, ports(fakeMailer(log, () => null, gate)));
    const other = sendOnce(keys, ports(fakeMailer(log, () => null, gate)));
    setTimeout(release, 5);
    const reports = await Promise.all([one, other]);
    expect(log.filter((l) => l === "send a")).toHaveLength(1);
    expect(reports.flatMap((r) => r.sent.map((s) => s.key)).sort()).toEqual(["a", "b", "c", "d"]);
    expect(reports.flatMap((r) => [...r.busy, ...r.skipped]).sort()).toEqual(["a", "b", "c", "d"]);
  });

  it("leaves a live claim of another run alone, and takes over one whose lease ran out or whose holder is gone", async () => {
    const { ledger, clock, log, ports } = setUp();
    const claim = (holder: string): LedgerEntry => ({ status: "sending", holder, until: clock.ms() + 1000, attempts: 1 });
    await ledger.update("a", () => claim("dead"));
    await ledger.update("b", () => claim("alive"));

    const first = await sendOnce([message("a"), message("b")], ports(fakeMailer(log), { claims: { isAbandoned: (h) => h === "dead" } }));
    expect(first.sent.map((s) => s.key)).toEqual(["a"]);
    expect(first.busy).toEqual(["b"]);

    clock.advance(1000);
    const second = await sendOnce([message("b")], ports(fakeMailer(log)));
    expect(second.sent.map((s) => s.key)).toEqual(["b"]);
    expect(log).toEqual(["send a", "send b"]);
  });

  it("reads an entry written before claims existed as sent", async () => {
    const kv = memoryKeyValueStore({ [ledgerKey("old")]: { key: "old", sentAt: "2026-11-20T01:00:00.000Z", messageId: "<o@tieuchi.local>", via: "smtp" } });
    const log: string[] = [];
    const report = await sendOnce([message("old")], { mailer: fakeMailer(log), ledger: kvLedger(kv), clock: manualClock("2026-11-27T08:00:00Z") });
    expect(report.skipped).toEqual(["old"]);
    expect(log).toEqual([]);
  });
});

describe("sendOnce: refusals", () => {
  it("records a permanent refusal as failed, reports it once, and does not send it again until the key changes", async () => {
    const { ledger, log, ports, clock } = setUp();
    const mailer = fakeMailer(log, (key) => (key.startsWith("a") ? refusal(552, true) : null));
    const first = await sendOnce([message("a"), message("b")], ports(mailer));
    expect(first.failed).toEqual([{ key: "a", error: "Không gửi được thư tới x@congan.example: máy chủ thư từ chối (552 x)", permanent: true }]);
    expect(first.sent.map((s) => s.key)).toEqual(["b"]);
    expect(await entryOf(ledger, "a")).toEqual({ status: "failed", failedAt: clock.now().toISOString(), reason: first.failed[0]!.error, code: 552, attempts: 1 });

    clock.advance(24 * 3600_000);
    const second = await sendOnce([message("a"), message("b")], ports(mailer));
    expect(second.failed).toEqual([]);
    expect(second.refused).toEqual([{ key: "a", error: first.failed[0]!.error, failedAt: "2026-11-27T08:00:00.000Z" }]);
    expect(log).toEqual(["send a", "send b"]);

    const changed = await sendOnce([message("a2")], ports(fakeMailer(log)));
    expect(changed.sent.map((s) => s.key)).toEqual(["a2"]);
  });

  it("backs off after temporary refusals, doubling up to the cap, and sends once the server accepts", async () => {
    const { ledger, log, ports, clock } = setUp();
    let refuse = true;
    const mailer = fakeMailer(log, () => (refuse ? refusal(451, false) : null));
    const backoff = { firstMs: 60_000, maxMs: 150_000 };

    const first = await sendOnce([message("a")], ports(mailer, { backoff }));
    expect(first.failed).toEqual([expect.objectContaining({ key: "a", permanent: false, retryAt: "2026-11-27T08:01:00.000Z" })]);
    expect(await entryOf(ledger, "a")).toMatchObject({ status: "retry", attempts: 1, retryAt: clock.ms() + 60_000 });

    clock.advance(59_000);
    const early = await sendOnce([message("a")], ports(mailer, { backoff }));
    expect(early.deferred).toEqual([{ key: "a", error: first.failed[0]!.error, retryAt: "2026-11-27T08:01:00.000Z" }]);
    expect(early.failed).toEqual([]);
    expect(log).toEqual(["send a"]);

    clock.advance(1000);
    await sendOnce([message("a")], ports(mailer, { backoff }));
    expect(await entryOf(ledger, "a")).toMatchObject({ status: "retry", attempts: 2, retryAt: clock.ms() + 120_000 });
    clock.advance(120_000);
    await sendOnce([message("a")], ports(mailer, { backoff }));
    expect(await entryOf(ledger, "a")).toMatchObject({ status: "retry", attempts: 3, retryAt: clock.ms() + 150_000 });

    refuse = false;
    clock.advance(150_000);
    const last = await sendOnce([message("a")], ports(mailer, { backoff }));
    expect(last.sent.map((s) => s.key)).toEqual(["a"]);
    expect(log).toHaveLength(4);
  });

  it("computes the backoff as first × 2^(attempts − 1), capped", () => {
    expect([1, 2, 3, 4, 10, 60].map((n) => retryDelayMs(n))).toEqual([60_000, 120_000, 240_000, 480_000, 3_600_000, 3_600_000]);
  });

  it("gives the claim back when something other than delivery fails, so the next run sends at once", async () => {
    const { ledger, log, ports } = setUp();
    await expect(sendOnce([message("a"), message("b")], ports(fakeMailer(log, () => new TypeError("đĩa đầy"))))).rejects.toThrow("đĩa đầy");
    expect(log).toEqual(["send a"]);
    expect(await entryOf(ledger, "a")).toMatchObject({ status: "retry", reason: "đĩa đầy" });
    const again = await sendOnce([message("a")], ports(fakeMailer(log)));
    expect(again.sent.map((s) => s.key)).toEqual(["a"]);
  });

  it("writes no failure over the claim of a run that took the message over, but a 'sent' over anything", async () => {
    const { ledger, ports } = setUp();
    const takenOver = (outcome: "fail" | "send"): Mailer => ({
      kind: "smtp",
      send: async (m) => {
        // Our lease ran out during a slow transaction and another run claimed the message.
        await ledger.update(m.key, () => ({ status: "sending", holder: "other", until: Number.MAX_SAFE_INTEGER, attempts: 2 }));
        if (outcome === "fail") throw refusal(451, false);
        return { messageId: `<${m.key}@tieuchi.local>`, via: "smtp" };
      },
      close: async () => undefined,
    });
    await sendOnce([message("a")], ports(takenOver("fail")));
    expect(await entryOf(ledger, "a")).toMatchObject({ status: "sending", holder: "other" });
    await sendOnce([message("b")], ports(takenOver("send")));
    expect(await entryOf(ledger, "b")).toMatchObject({ status: "sent", messageId: "<b@tieuchi.local>" });
  });
});
