/**
 * The DevTools protocol over Chromium's --remote-debugging-pipe: NUL-separated JSON messages,
 * commands answered by id (events are not listened to: a page is printed once its content is set
 * and its fonts are ready, asked by Runtime.evaluate). Framing is linear in the bytes received
 * (a 10 MB printToPDF answer arrives in hundreds of chunks; each chunk is scanned once).
 */
import type { Readable, Writable } from "node:stream";

interface Pending {
  resolve: (result: Record<string, unknown>) => void;
  reject: (error: Error) => void;
}

type CdpMessage = { id?: number; result?: Record<string, unknown>; error?: { message: string } };

/** Split a stream of chunks into NUL-terminated messages; each byte is looked at once. */
export function nulFramer(onMessage: (text: string) => void): (chunk: string) => void {
  let parts: string[] = [];
  return (chunk) => {
    let start = 0;
    let end = chunk.indexOf("\0");
    while (end >= 0) {
      parts.push(chunk.slice(start, end));
      const text = parts.join("");
      parts = [];
      onMessage(text);
      start = end + 1;
      end = chunk.indexOf("\0", start);
    }
    if (start < chunk.length) parts.push(chunk.slice(start));
  };
}

export class CdpConnection {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closed: Error | null = null;

  constructor(private readonly input: Writable, output: Readable) {
    output.setEncoding("utf8");
    const receive = nulFramer((text) => this.dispatch(JSON.parse(text) as CdpMessage));
    output.on("data", receive);
    // A pipe whose Chromium died: the write fails here instead of crashing the process.
    input.on("error", (error) => this.fail(error));
    output.on("error", (error) => this.fail(error));
  }

  get failed(): boolean {
    return this.closed !== null;
  }

  send(method: string, params: object = {}, sessionId?: string): Promise<Record<string, unknown>> {
    if (this.closed) return Promise.reject(this.closed);
    const id = this.nextId++;
    const message = JSON.stringify({ id, method, params, ...(sessionId === undefined ? {} : { sessionId }) });
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.input.write(`${message}\0`);
    });
  }

  /** Every command in flight fails with `error`; later sends fail at once. */
  fail(error: Error): void {
    if (this.closed) return;
    this.closed = error;
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }

  /** An answer settles its command; events (no id) are dropped. */
  private dispatch(message: CdpMessage): void {
    if (message.id === undefined) return;
    const p = this.pending.get(message.id);
    this.pending.delete(message.id);
    if (message.error) p?.reject(new Error(`Chromium: ${message.error.message}`));
    else p?.resolve(message.result ?? {});
  }
}
