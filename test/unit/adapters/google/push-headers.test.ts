import { describe, expect, it } from "vitest";
import { decodePushHeaders } from "../../../../functions/adapters/google/push-headers.js";

const valid = {
  "x-goog-channel-id": "tieuchi-changes-4f1c",
  "x-goog-channel-token": "bi-mat",
  "x-goog-resource-id": "ret-08u3rv24htgh289g",
  "x-goog-resource-state": "change",
  "x-goog-message-number": "42",
};

describe("decodePushHeaders", () => {
  it("decodes a changes-channel notification", () => {
    expect(decodePushHeaders(valid)).toEqual({
      ok: true,
      notification: { channelId: "tieuchi-changes-4f1c", token: "bi-mat", resourceId: "ret-08u3rv24htgh289g", resourceState: "change", messageNumber: 42 },
    });
  });

  it("decodes the sync message, which carries no token when the channel has none", () => {
    const { "x-goog-channel-token": _token, ...headers } = valid;
    expect(decodePushHeaders({ ...headers, "x-goog-resource-state": "sync", "x-goog-message-number": "1" })).toMatchObject({ ok: true, notification: { resourceState: "sync", messageNumber: 1, token: undefined } });
  });

  it.each([
    ["missing", undefined],
    ["zero", "0"],
    ["negative", "-3"],
    ["a leading zero", "07"],
    ["a fraction", "1.5"],
    ["an exponent", "1e3"],
    ["letters", "12abc"],
    ["a path", "../../etc"],
    ["too large for an exact number", "98765432109876543"],
    ["2 KB long", "9".repeat(2048)],
  ])("refuses an X-Goog-Message-Number that is %s with 400", (_what, number) => {
    const result = decodePushHeaders({ ...valid, "x-goog-message-number": number });
    expect(result).toEqual({ ok: false, status: 400, reason: "X-Goog-Message-Number must be a positive integer" });
  });

  it.each([
    ["x-goog-channel-id", undefined, "missing or invalid X-Goog-Channel-ID"],
    ["x-goog-channel-id", "a/".repeat(40), "missing or invalid X-Goog-Channel-ID"],
    ["x-goog-channel-id", "kênh", "missing or invalid X-Goog-Channel-ID"],
    ["x-goog-resource-state", "exists", "missing or invalid X-Goog-Resource-State"],
    ["x-goog-resource-id", "r".repeat(300), "invalid X-Goog-Resource-ID"],
    ["x-goog-message-number", ["1", "2"], "repeated notification header"],
  ])("refuses %s = %j", (name, value, reason) => {
    expect(decodePushHeaders({ ...valid, [name]: value })).toEqual({ ok: false, status: 400, reason });
  });
});
