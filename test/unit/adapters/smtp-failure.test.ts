import { describe, expect, it } from "vitest";
import { deliveryReason, isPermanentRefusal } from "../../../functions/adapters/mail/smtp-failure.js";

describe("isPermanentRefusal", () => {
  it.each([
    { what: "550 no such mailbox at RCPT", error: { code: "EENVELOPE", command: "RCPT TO", responseCode: 550, response: "550 5.1.1 User unknown" }, permanent: true },
    { what: "552 too large after DATA", error: { code: "EMESSAGE", command: "DATA", responseCode: 552, response: "552 5.3.4 Message too big" }, permanent: true },
    { what: "553 sender refused at MAIL FROM", error: { code: "EENVELOPE", command: "MAIL FROM", responseCode: 553, response: "553 5.7.1 Sender refused" }, permanent: true },
    { what: "larger than the announced SIZE", error: { code: "EMESSAGE", command: "MAIL FROM" }, permanent: true },
    { what: "a 5xx whose enhanced status is 4.x.x", error: { code: "EENVELOPE", command: "RCPT TO", responseCode: 550, response: "550 4.7.0 Try later" }, permanent: false },
    { what: "503 bad sequence", error: { code: "EENVELOPE", command: "RCPT TO", responseCode: 503, response: "503 5.5.1 Bad sequence" }, permanent: false },
    { what: "535 login refused", error: { code: "EAUTH", command: "AUTH PLAIN", responseCode: 535, response: "535 5.7.8 Bad credentials" }, permanent: false },
    { what: "554 at the greeting (the server, not the message)", error: { code: "EPROTOCOL", command: "CONN", responseCode: 554, response: "554 No service" }, permanent: false },
    { what: "421 closing", error: { code: "EENVELOPE", command: "RCPT TO", responseCode: 421, response: "421 4.3.2 Shutting down" }, permanent: false },
    { what: "451 greylisted", error: { code: "EENVELOPE", command: "RCPT TO", responseCode: 451, response: "451 4.7.1 Greylisted" }, permanent: false },
    { what: "no connection", error: { code: "ESOCKET" }, permanent: false },
    { what: "a timeout", error: { code: "ETIMEDOUT" }, permanent: false },
    { what: "anything unrecognised", error: new Error("boom"), permanent: false },
  ])("$what → permanent: $permanent", ({ error, permanent }) => {
    expect(isPermanentRefusal(error)).toBe(permanent);
  });

  it("says a message is too large in Vietnamese when the server's SIZE refuses it", () => {
    expect(deliveryReason({ code: "EMESSAGE", command: "MAIL FROM" }, "mail:25")).toBe("thư lớn hơn dung lượng máy chủ thư nhận");
  });
});
