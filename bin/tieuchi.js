#!/usr/bin/env node
// Thin launcher: the CLI is written in TypeScript and compiled to dist/ by `npm run build`
// (run automatically by `npm ci` through the `prepare` script).
import { main } from "../dist/scripts/tieuchi.js";

process.exitCode = await main(process.argv.slice(2), { env: process.env, cwd: process.cwd() });
