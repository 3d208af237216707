// Lets a child process run the TypeScript sources directly (node --import <this file> child.ts):
// tests that need real separate processes (locks, kill -9) run without a build step.
import { register } from "node:module";

register("./hooks.mjs", import.meta.url);
