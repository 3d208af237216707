// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "coverage/", "tmp/"] },
  js.configs.recommended,
  { files: ["bin/**/*.js", "*.js"], languageOptions: { globals: { process: "readonly", console: "readonly" } } },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/consistent-type-imports": "error",
      "no-restricted-imports": [
        "error",
        { paths: [{ name: "googleapis", message: "Import the per-API modules (@googleapis/sheets, @googleapis/drive, @googleapis/docs): the monolithic entry costs ~1.3 s and ~147 MiB at cold start." }] },
      ],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true }],
      "no-restricted-syntax": [
        "error",
        { selector: "CallExpression[callee.object.name='vi'][callee.property.name='mock']", message: "Use fakes, not module mocks." },
      ],
    },
  },
  {
    // The core and the sheet contract are pure: no I/O, no environment, no wall clock.
    files: ["functions/core/**/*.ts", "sheets-schema/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["node:*", "fs", "path", "exceljs", "googleapis", "@googleapis/*", "nodemailer"] }],
      "no-restricted-globals": ["error", "process"],
      "no-restricted-properties": ["error", { object: "Date", property: "now" }],
    },
  },
  {
    // Use cases hand documents over as data: the adapters render them (HTML/PDF, DOCX, Google Doc).
    files: ["functions/app/**/*.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["**/adapters/**"], message: "Use cases reach adapters through ports (functions/ports.ts)." },
            { group: ["**/render/**", "echarts", "@resvg/*", "handlebars", "docx"], allowTypeImports: true, message: "Use cases render nothing: pass DocumentViews to the DocumentStore; adapters render." },
          ],
        },
      ],
    },
  },
);
