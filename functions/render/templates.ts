/**
 * Handlebars templates: loaded and checked once at start-up (a syntax error or a missing
 * partial fails there, naming the file and line), rendered in strict mode (a missing field
 * is an error, not a blank). HTML templates escape every value; *.txt.hbs do not escape.
 */
import { readFile, readdir } from "node:fs/promises";
import { basename, join, relative } from "node:path";
import Handlebars from "handlebars";
import { TemplateError } from "../errors.js";
import { packageRoot } from "../package-root.js";
import { registerHelpers } from "./helpers.js";

export interface TemplateSet {
  /** Render a template by name ("town-report", "email-digest.txt"). Throws TemplateError. */
  render(name: string, view: object): string;
  readonly names: readonly string[];
}

export function templatesDir(): string {
  return join(packageRoot(), "templates");
}

interface Source {
  name: string;
  file: string;
  text: string;
}

async function readSources(dir: string): Promise<Source[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith(".hbs")).sort();
  return Promise.all(files.map(async (f) => ({ name: basename(f, ".hbs"), file: join(dir, f), text: await readFile(join(dir, f), "utf8") })));
}

function parse(source: Source, root: string): hbs.AST.Program {
  try {
    return Handlebars.parse(source.text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // Grammar errors say "Parse error on line 3"; block mismatches carry lineNumber (of the opening block).
    const line = (error as { lineNumber?: number }).lineNumber ?? /line (\d+)/u.exec(message)?.[1];
    throw new TemplateError(`Mẫu ${relative(root, source.file)}${line ? ` (dòng ${line})` : ""} không hợp lệ: ${message.split("\n")[0]}`, { cause: error });
  }
}

/** Every partial a template uses, with the line it is used on. */
function partialsUsed(node: unknown, found: Array<{ name: string; line: number }> = []): Array<{ name: string; line: number }> {
  if (Array.isArray(node)) node.forEach((n) => partialsUsed(n, found));
  else if (node && typeof node === "object") {
    const n = node as { type?: string; name?: { original?: unknown }; loc?: { start: { line: number } } };
    if ((n.type === "PartialStatement" || n.type === "PartialBlockStatement") && typeof n.name?.original === "string") {
      found.push({ name: n.name.original, line: n.loc?.start.line ?? 0 });
    }
    Object.values(node).forEach((v) => typeof v === "object" && partialsUsed(v, found));
  }
  return found;
}

/**
 * Load templates/*.hbs and templates/partials/*.hbs into an isolated Handlebars instance.
 *
 * @example const templates = await loadTemplates(); templates.render("town-report", view)
 */
export async function loadTemplates(dir: string = templatesDir()): Promise<TemplateSet> {
  const root = join(dir, "..");
  const env = Handlebars.create();
  registerHelpers(env);
  const partials = await readSources(join(dir, "partials")).catch(() => [] as Source[]);
  const templates = await readSources(dir);
  const known = new Set(partials.map((p) => p.name));
  for (const source of [...partials, ...templates]) {
    const missing = partialsUsed(parse(source, root)).find((p) => !known.has(p.name));
    if (missing) throw new TemplateError(`Mẫu ${relative(root, source.file)} (dòng ${missing.line}) dùng mẫu con “${missing.name}” không tồn tại.`);
  }
  partials.forEach((p) => env.registerPartial(p.name, p.text));
  const compiled = new Map(
    templates.map((t) => [t.name, { file: relative(root, t.file), run: env.compile(t.text, { strict: true, noEscape: t.name.endsWith(".txt") }) }]),
  );
  return {
    names: [...compiled.keys()],
    render(name, view) {
      const template = compiled.get(name);
      if (!template) throw new TemplateError(`Không có mẫu “${name}” (có: ${[...compiled.keys()].join(", ")}).`);
      try {
        return template.run(view);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new TemplateError(`Mẫu ${template.file}: ${message.split("\n")[0]}`, { cause: error });
      }
    },
  };
}
