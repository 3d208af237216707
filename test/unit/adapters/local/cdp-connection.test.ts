/**
 * The DevTools pipe's framing: NUL-terminated messages split anywhere across chunks, and a large
 * message (a printToPDF answer) framed in time linear in its size.
 */
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { CdpConnection, nulFramer } from "../../../../functions/adapters/local/cdp-connection.js";

describe("nulFramer", () => {
  it("splits messages at NUL, wherever the chunks break", () => {
    const seen: string[] = [];
    const feed = nulFramer((m) => seen.push(m));
    for (const chunk of ['{"a"', ':1}\0{"b":2}\0{"c"', "", ":3", "}\0"]) feed(chunk);
    expect(seen).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });

  it("frames a 64 MB message arriving in 16 KB chunks (quadratic framing would scan ~128 GB)", () => {
    const chunk = "x".repeat(16_384);
    const seen: number[] = [];
    const feed = nulFramer((m) => seen.push(m.length));
    for (let i = 0; i < 4_096; i += 1) feed(chunk);
    feed("\0tail\0");
    expect(seen).toEqual([64 * 1024 * 1024, 4]);
  }, 20_000);
});

describe("CdpConnection", () => {
  it("answers commands by id, drops events, and fails everything when the pipe breaks", async () => {
    const toChromium = new PassThrough();
    const fromChromium = new PassThrough();
    const cdp = new CdpConnection(toChromium, fromChromium);
    const sent: string[] = [];
    toChromium.on("data", (b: Buffer) => sent.push(b.toString()));
    const answer = cdp.send("Browser.getVersion");
    const other = cdp.send("Page.enable", {}, "S2");
    fromChromium.write('{"method":"Page.loadEventFired","sessionId":"S1"}\0{"id":1,"result":{"product":"x"}}\0');
    await expect(answer).resolves.toEqual({ product: "x" });
    expect(sent.join("")).toBe('{"id":1,"method":"Browser.getVersion","params":{}}\0{"id":2,"method":"Page.enable","params":{},"sessionId":"S2"}\0');
    cdp.fail(new Error("gone"));
    await expect(other).rejects.toThrow("gone");
    await expect(cdp.send("Page.enable")).rejects.toThrow("gone");
    expect(cdp.failed).toBe(true);
  });
});
