#!/usr/bin/env node
// Thin launcher: the CLI is written in TypeScript and compiled to dist/ by `npm run build`
// (run automatically by `npm ci` through the `prepare` script).
import { main } from "../dist/scripts/tieuchi.js";

// `tieuchi status | head`: the reader closed the pipe; stop quietly as Unix tools do, not with a stack trace.
process.stdout.on("error", (error) => {
  if (error.code !== "EPIPE") throw error;
  process.exit(process.exitCode ?? 0);
});

process.exitCode = await main(process.argv.slice(2), { env: process.env, cwd: process.cwd() });
