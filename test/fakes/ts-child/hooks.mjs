// Module hooks for register.mjs: "./x.js" imports resolve to "./x.ts" when only that exists,
// and .ts files are transpiled (types erased, nothing checked: the suite type-checks them).
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath, URL } from "node:url";
import ts from "typescript";

export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    const relative = specifier.startsWith(".") || specifier.startsWith("/") || specifier.startsWith("file:");
    if (!relative || !specifier.endsWith(".js") || !context.parentURL) throw error;
    const url = new URL(specifier.slice(0, -".js".length) + ".ts", context.parentURL);
    if (!existsSync(fileURLToPath(url))) throw error;
    return { url: url.href, shortCircuit: true };
  }
}

export async function load(url, context, next) {
  if (!url.startsWith("file:") || !url.endsWith(".ts")) return next(url, context);
  const fileName = fileURLToPath(url);
  const { outputText } = ts.transpileModule(await readFile(fileName, "utf8"), {
    fileName,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true, sourceMap: false },
  });
  return { format: "module", source: outputText, shortCircuit: true };
}
