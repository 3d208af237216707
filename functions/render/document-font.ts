/**
 * The one typeface of every HTML/PDF document: Tinos (Times New Roman metrics, full Vietnamese
 * coverage) from @fontsource/tinos, embedded as data URIs so the page, its inline SVG charts and
 * the PDF printed from it never fall back to a system font (Liberation Serif lacks most
 * Vietnamese letters). Only the latin and vietnamese subsets are embedded (~100 KB).
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

/** The CSS family name documents use. */
const DOCUMENT_FONT = "Tinos";

const SUBSETS = ["latin", "vietnamese"] as const;
const FACES = [
  { weight: 400, style: "normal" },
  { weight: 400, style: "italic" },
  { weight: 700, style: "normal" },
  { weight: 700, style: "italic" },
] as const;

let cached: Promise<string> | undefined;

function fontDir(): string {
  return path.dirname(createRequire(import.meta.url).resolve("@fontsource/tinos/unicode.json"));
}

async function buildCss(): Promise<string> {
  const dir = fontDir();
  const ranges = JSON.parse(await readFile(path.join(dir, "unicode.json"), "utf8")) as Record<string, string>;
  const faces = await Promise.all(
    SUBSETS.flatMap((subset) =>
      FACES.map(async ({ weight, style }) => {
        const data = (await readFile(path.join(dir, "files", `tinos-${subset}-${weight}-${style}.woff2`))).toString("base64");
        return `@font-face{font-family:"${DOCUMENT_FONT}";font-style:${style};font-weight:${weight};font-display:block;src:url(data:font/woff2;base64,${data}) format("woff2");unicode-range:${ranges[subset] ?? "U+0000-00FF"};}`;
      }),
    ),
  );
  return faces.join("\n");
}

/** The @font-face rules embedding Tinos (read once per process). */
export function documentFontCss(): Promise<string> {
  cached ??= buildCss().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}
