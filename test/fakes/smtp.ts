/**
 * A real SMTP server (smtp-server) on 127.0.0.1 for tests: records what arrives, refuses chosen
 * recipients (for good or for now, at RCPT or after DATA), and can answer slowly.
 */
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  recipients: string[];
  raw: Buffer;
}

export interface FakeSmtp {
  url: string;
  received: ReceivedMail[];
  /** Recipients answered with "550 5.1.1 Mailbox unavailable". */
  refused: Set<string>;
  /** Chosen replies per recipient: at RCPT TO, or after the whole message (DATA) as a 552 "too large" would be. */
  refusals: Map<string, Refusal>;
  /** Messages whose content has fully arrived, answered or not yet (with dataDelayMs). */
  readonly dataReceived: number;
  close(): Promise<void>;
}

export interface Refusal {
  code: number;
  text: string;
  stage: "rcpt" | "data";
}

export interface FakeSmtpOptions {
  /** Wait before answering the end of each message (a slow server: a sender killed in between never sees the 250). */
  dataDelayMs?: number;
  /** Port to listen on (0: any free one). */
  port?: number;
}

const reply = (r: Refusal): Error => Object.assign(new Error(r.text), { responseCode: r.code });

export async function startFakeSmtp(options: FakeSmtpOptions = {}): Promise<FakeSmtp> {
  const received: ReceivedMail[] = [];
  const refused = new Set<string>();
  const refusals = new Map<string, Refusal>();
  let dataReceived = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    closeTimeout: 1000,
    onRcptTo(address, _session, callback) {
      if (refused.has(address.address)) return callback(Object.assign(new Error("5.1.1 Mailbox unavailable"), { responseCode: 550 }));
      const refusal = refusals.get(address.address);
      if (refusal?.stage === "rcpt") return callback(reply(refusal));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        dataReceived++;
        const recipients = session.envelope.rcptTo.map((r) => r.address);
        const refusal = recipients.map((r) => refusals.get(r)).find((r) => r?.stage === "data");
        const answer = (): void => {
          if (refusal) return callback(reply(refusal));
          received.push({ recipients, raw: Buffer.concat(chunks) });
          callback();
        };
        if (options.dataDelayMs) setTimeout(answer, options.dataDelayMs);
        else answer();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  return {
    url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    received,
    refused,
    refusals,
    get dataReceived() {
      return dataReceived;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Message-IDs of what the server accepted, in order (one per idempotency key: see message-id.ts). */
export function acceptedIds(received: readonly ReceivedMail[]): string[] {
  return received.map((m) => /^Message-ID:\s*(<[^>]+>)/imu.exec(m.raw.toString("utf8"))?.[1] ?? "?");
}
