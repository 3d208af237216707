import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import PostalMime from "postal-mime";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fileKeyValueStore } from "../../functions/adapters/local/file-kv.js";
import { kvLedger } from "../../functions/app/kv-state.js";
import { messageIdFor } from "../../functions/adapters/mail/message-id.js";
import { createSmtpMailer } from "../../functions/adapters/mail/smtp-mailer.js";
import { sendOnce } from "../../functions/app/send-mail.js";
import { DeliveryError } from "../../functions/errors.js";
import type { Mailer, MailMessage } from "../../functions/ports.js";
import { manualClock } from "../fakes/clock.js";
import { type FakeSmtp, type ReceivedMail, startFakeSmtp } from "../fakes/smtp.js";

// A 1×1 PNG.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");
const SUBJECT = "[Tự đánh giá tiêu chí] tuần 48/2026: Công an phường điển hình, kiểu mẫu 2/7 phường đạt đủ";
const FROM = "Công an thị xã <tieuchi@congan.example>";
const clock = { now: () => new Date("2026-11-27T08:00:00Z") };

function digest(key: string, overrides: Partial<MailMessage> = {}): MailMessage {
  return {
    key,
    to: ["lanhdao@congan.example"],
    cc: ["vanphong@congan.example"],
    subject: SUBJECT,
    text: "Tuần 48/2026: 2/7 phường đạt đủ 22/22 tiêu chí.",
    html: '<p>Tuần 48/2026: <b>2/7</b> phường đạt đủ 22/22 tiêu chí.</p><img src="cid:chart" alt="Biểu đồ">',
    attachments: [{ filename: "bieu-do.png", contentType: "image/png", content: PNG, cid: "chart" }],
    ...overrides,
  };
}

let smtp: FakeSmtp;
let url: string;
let received: ReceivedMail[];
let refused: Set<string>;

beforeAll(async () => {
  smtp = await startFakeSmtp();
  ({ url, received, refused } = smtp);
});

afterAll(() => smtp.close());

/** A port with nothing listening on it: bound once by us, then released. */
async function deadPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

let dir: string;
const mailers: Mailer[] = [];
function smtpMailer(at = url): Mailer {
  const mailer = createSmtpMailer({ url: at, from: FROM });
  mailers.push(mailer);
  return mailer;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "tieuchi-smtp-"));
  received.length = 0;
  refused.clear();
});
afterEach(async () => {
  await Promise.all(mailers.splice(0).map((m) => m.close()));
  await rm(dir, { recursive: true, force: true });
});

describe("createSmtpMailer", () => {
  it("delivers a Vietnamese subject, text + html, an inline PNG and the key headers", async () => {
    const message = digest("digest|lanhdao@congan.example|2026-W48|3f2a9c");
    const receipt = await smtpMailer().send(message);
    expect(receipt).toEqual({ messageId: messageIdFor(message.key), via: "smtp" });

    expect(received).toHaveLength(1);
    expect(received[0]!.recipients).toEqual(["lanhdao@congan.example", "vanphong@congan.example"]);
    const email = await PostalMime.parse(received[0]!.raw);
    expect(email.subject).toBe(SUBJECT);
    expect(email.text?.trim()).toBe(message.text);
    expect(email.html).toContain('<img src="cid:chart"');
    expect(email.to).toEqual([{ name: "", address: "lanhdao@congan.example" }]);
    expect(email.cc).toEqual([{ name: "", address: "vanphong@congan.example" }]);
    expect(email.from).toEqual({ name: "Công an thị xã", address: "tieuchi@congan.example" });
    expect(email.messageId).toBe(messageIdFor(message.key));
    expect(email.headers.find((h) => h.key === "x-tieuchi-key")?.value).toBe(message.key);
    expect(email.attachments).toHaveLength(1);
    const chart = email.attachments[0]!;
    expect(chart).toMatchObject({ filename: "bieu-do.png", mimeType: "image/png", contentId: "<chart>", disposition: "inline", related: true });
    expect(Buffer.from(chart.content as ArrayBuffer)).toEqual(PNG);
  });

  it("reports a refused recipient in Vietnamese with the server's code", async () => {
    refused.add("lanhdao@congan.example");
    const error = await smtpMailer()
      .send(digest("k", { cc: [] }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as DeliveryError).responseCode).toBe(550);
    expect((error as DeliveryError).message).toBe("Không gửi được thư tới lanhdao@congan.example: máy chủ thư từ chối (550 5.1.1 Mailbox unavailable)");
    expect((error as DeliveryError).permanent).toBe(true);
    expect((error as DeliveryError).cause).toBeInstanceOf(Error);
  });

  it.each([
    { code: 552, text: "5.3.4 Message too big for system", stage: "data", permanent: true },
    { code: 554, text: "5.7.1 Message rejected as spam", stage: "data", permanent: true },
    { code: 553, text: "5.1.3 Bad recipient address syntax", stage: "rcpt", permanent: true },
    { code: 451, text: "4.7.1 Greylisted, try again later", stage: "rcpt", permanent: false },
    { code: 452, text: "4.2.2 Mailbox full", stage: "data", permanent: false },
    { code: 550, text: "4.7.0 Temporary policy failure", stage: "rcpt", permanent: false },
  ] as const)("classifies a $code at $stage as permanent: $permanent", async ({ code, text, stage, permanent }) => {
    smtp.refusals.set("lanhdao@congan.example", { code, text, stage });
    try {
      const error = await smtpMailer()
        .send(digest("k", { cc: [] }))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DeliveryError);
      expect((error as DeliveryError).responseCode).toBe(code);
      expect((error as DeliveryError).permanent).toBe(permanent);
      expect((error as DeliveryError).message).toContain(`máy chủ thư từ chối (${code} ${text})`);
    } finally {
      smtp.refusals.clear();
    }
  });

  it("delivers to the accepted recipients when only some are refused, naming the refused ones", async () => {
    refused.add("vanphong@congan.example");
    await expect(smtpMailer().send(digest("k"))).resolves.toMatchObject({ via: "smtp", rejected: ["vanphong@congan.example"] });
    expect(received.map((r) => r.recipients)).toEqual([["lanhdao@congan.example"]]);
  });
});

describe("sendOnce over SMTP with a file ledger", () => {
  it("sends each key once across runs, and again when the content (key) changes", async () => {
    const ledger = () => kvLedger(fileKeyValueStore(join(dir, "state")));
    const week48 = [digest("digest|lanhdao|2026-W48|aaaa"), digest("ward|nghi-huong|2026-W48|bbbb", { to: ["nghihuong@congan.example"], cc: [] })];

    const first = await sendOnce(week48, { mailer: smtpMailer(), ledger: ledger(), clock });
    expect(first.sent.map((s) => s.key)).toEqual(week48.map((m) => m.key));
    expect(first.failed).toEqual([]);
    expect(received).toHaveLength(2);

    const second = await sendOnce(week48, { mailer: smtpMailer(), ledger: ledger(), clock });
    expect(second).toEqual({ sent: [], skipped: week48.map((m) => m.key), busy: [], failed: [], refused: [], deferred: [] });
    expect(received).toHaveLength(2);

    const changed = [week48[0]!, digest("ward|nghi-huong|2026-W48|cccc", { to: ["nghihuong@congan.example"], cc: [] })];
    const third = await sendOnce(changed, { mailer: smtpMailer(), ledger: ledger(), clock });
    expect(third.sent.map((s) => s.key)).toEqual(["ward|nghi-huong|2026-W48|cccc"]);
    expect(third.skipped).toEqual(["digest|lanhdao|2026-W48|aaaa"]);
    expect(received).toHaveLength(3);

    const { entry } = await ledger().update("ward|nghi-huong|2026-W48|cccc", () => null);
    expect(entry).toEqual({
      status: "sent",
      sentAt: "2026-11-27T08:00:00.000Z",
      messageId: messageIdFor("ward|nghi-huong|2026-W48|cccc"),
      via: "smtp",
    });
  });

  it("records a permanently refused message as failed and does not send it again", async () => {
    const ledger = kvLedger(fileKeyValueStore(join(dir, "state")));
    const mailer = smtpMailer();
    const messages = [digest("ward|a|W48|1", { to: ["sai@congan.example"], cc: [] }), digest("ward|b|W48|2", { cc: [] })];
    refused.add("sai@congan.example");

    const first = await sendOnce(messages, { mailer, ledger, clock });
    const error = "Không gửi được thư tới sai@congan.example: máy chủ thư từ chối (550 5.1.1 Mailbox unavailable)";
    expect(first.failed).toEqual([{ key: "ward|a|W48|1", error, permanent: true }]);
    expect(first.sent.map((s) => s.key)).toEqual(["ward|b|W48|2"]);
    expect((await ledger.update("ward|a|W48|1", () => null)).entry).toMatchObject({ status: "failed", code: 550, reason: error });

    refused.clear();
    // The same pooled mailer: a refused envelope does not spoil the pool.
    const second = await sendOnce(messages, { mailer, ledger, clock });
    expect(second).toMatchObject({ sent: [], skipped: ["ward|b|W48|2"], failed: [], refused: [{ key: "ward|a|W48|1", error }] });
    expect(received.map((r) => r.recipients)).toEqual([["lanhdao@congan.example"]]);
  });

  it("retries a temporarily refused message once its backoff has passed", async () => {
    const ledger = kvLedger(fileKeyValueStore(join(dir, "state")));
    const mailer = smtpMailer();
    const later = manualClock("2026-11-27T08:00:00Z");
    const messages = [digest("ward|a|W48|1", { to: ["banron@congan.example"], cc: [] })];
    smtp.refusals.set("banron@congan.example", { code: 451, text: "4.7.1 Greylisted, try again later", stage: "rcpt" });

    const first = await sendOnce(messages, { mailer, ledger, clock: later });
    expect(first.failed).toEqual([expect.objectContaining({ permanent: false, retryAt: "2026-11-27T08:01:00.000Z" })]);
    smtp.refusals.clear();
    expect((await sendOnce(messages, { mailer, ledger, clock: later })).deferred).toHaveLength(1);
    expect(received).toHaveLength(0);

    later.advance(60_000);
    expect((await sendOnce(messages, { mailer, ledger, clock: later })).sent.map((s) => s.key)).toEqual(["ward|a|W48|1"]);
    expect(received.map((r) => r.recipients)).toEqual([["banron@congan.example"]]);
  });

  it("reports an unreachable server and sends on a later run once a server is up", async () => {
    const ledger = kvLedger(fileKeyValueStore(join(dir, "state")));
    const later = manualClock("2026-11-27T08:00:00Z");
    const port = await deadPort();
    const messages = [digest("digest|lanhdao|W48|1"), digest("digest|lanhdao|W48|2")];

    const first = await sendOnce(messages, { mailer: smtpMailer(`smtp://127.0.0.1:${port}`), ledger, clock: later });
    expect(first.sent).toEqual([]);
    expect(first.failed.map((f) => f.error)).toEqual([
      `Không gửi được thư tới lanhdao@congan.example, vanphong@congan.example: không kết nối được máy chủ thư (127.0.0.1:${port})`,
      `Không gửi được thư tới lanhdao@congan.example, vanphong@congan.example: không kết nối được máy chủ thư (127.0.0.1:${port})`,
    ]);
    expect(first.failed.every((f) => !f.permanent)).toBe(true);

    later.advance(60_000);
    const second = await sendOnce(messages, { mailer: smtpMailer(), ledger, clock: later });
    expect(second.sent.map((s) => s.key)).toEqual(messages.map((m) => m.key));
    expect(received).toHaveLength(2);
  });

  it("never puts the URL's credentials in an error", async () => {
    const port = await deadPort();
    const error = await smtpMailer(`smtp://tieuchi:mat-khau-bi-mat@127.0.0.1:${port}`)
      .send(digest("k"))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as DeliveryError).message).not.toContain("mat-khau-bi-mat");
    expect((error as DeliveryError).message).toContain(`127.0.0.1:${port}`);
  });
});
