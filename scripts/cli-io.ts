/** What the CLI needs from its process, passed in so tests can run it in-process. */
export interface CliContext {
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  stdout?: { write(text: string): unknown };
  stderr?: { write(text: string): unknown };
  /** Resolves when a long-running command (start) should stop; defaults to SIGINT/SIGTERM. */
  stopSignal?: Promise<void>;
}

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export function ioOf(ctx: CliContext): Io {
  const stdout = ctx.stdout ?? process.stdout;
  const stderr = ctx.stderr ?? process.stderr;
  return { out: (t) => void stdout.write(`${t}\n`), err: (t) => void stderr.write(`${t}\n`) };
}
