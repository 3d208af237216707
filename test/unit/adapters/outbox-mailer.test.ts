import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import PostalMime from "postal-mime";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { messageIdFor } from "../../../functions/adapters/mail/message-id.js";
import { createOutboxMailer, outboxFileName } from "../../../functions/adapters/mail/outbox-mailer.js";
import type { MailMessage } from "../../../functions/ports.js";

const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");
const SUBJECT = "[Tiến độ tiêu chí] Tuần 48/2026 — 2/7 phường đạt 22/22";

function message(key: string, text = "Tuần 48/2026: 2/7 phường đạt đủ 22/22 tiêu chí."): MailMessage {
  return {
    key,
    to: ["lanhdao@congan.example"],
    cc: [],
    subject: SUBJECT,
    text,
    html: `<p>${text}</p><img src="cid:chart">`,
    attachments: [{ filename: "bieu-do.png", contentType: "image/png", content: PNG, cid: "chart" }],
  };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "tieuchi-outbox-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("createOutboxMailer", () => {
  it("writes one .eml per key, named by kind and key hash", async () => {
    const mailer = createOutboxMailer({ dir, from: "tieuchi@congan.example" });
    const a = await mailer.send(message("digest|lanhdao@congan.example|2026-W48|3f2a"));
    const b = await mailer.send(message("ward|nghi-huong|2026-W48|9c1d"));
    await mailer.close();

    expect(mailer.kind).toBe("outbox");
    expect(a.via).toBe(join(dir, outboxFileName("digest|lanhdao@congan.example|2026-W48|3f2a")));
    expect(a.messageId).toBe(messageIdFor("digest|lanhdao@congan.example|2026-W48|3f2a"));
    expect((await readdir(dir)).sort()).toEqual([a.via, b.via].map((p) => p.slice(dir.length + 1)).sort());
    expect(outboxFileName("ward|nghi-huong|2026-W48|9c1d")).toMatch(/^ward-[0-9a-f]{12}\.eml$/u);
  });

  it("overwrites the file when the same key is sent again", async () => {
    const mailer = createOutboxMailer({ dir, from: "tieuchi@congan.example" });
    const first = await mailer.send(message("digest|x|W48|1", "bản đầu"));
    const second = await mailer.send(message("digest|x|W48|1", "bản sau"));

    expect(second.via).toBe(first.via);
    expect(await readdir(dir)).toEqual([second.via.slice(dir.length + 1)]);
    expect((await PostalMime.parse(await readFile(second.via))).text?.trim()).toBe("bản sau");
  });

  it("writes a message that parses back with the Vietnamese subject, parts and inline image", async () => {
    const mailer = createOutboxMailer({ dir, from: "Công an thị xã <tieuchi@congan.example>" });
    const receipt = await mailer.send(message("digest|lanhdao|2026-W48|3f2a"));
    const raw = await readFile(receipt.via);

    expect(raw.toString("latin1")).toContain("\r\n");
    const email = await PostalMime.parse(raw);
    expect(email.subject).toBe(SUBJECT);
    expect(email.from).toEqual({ name: "Công an thị xã", address: "tieuchi@congan.example" });
    expect(email.messageId).toBe(receipt.messageId);
    expect(email.headers.find((h) => h.key === "x-tieuchi-key")?.value).toBe("digest|lanhdao|2026-W48|3f2a");
    expect(email.html).toContain("cid:chart");
    expect(email.attachments.map((a) => [a.mimeType, a.contentId])).toEqual([["image/png", "<chart>"]]);
  });
});
