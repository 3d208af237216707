/**
 * Programme catalogues: versioned data the admin replaces without code. Parsed from YAML
 * text and validated with zod; a broken catalogue reports every problem with its path.
 */
import { YAMLError, parseDocument } from "yaml";
import { z } from "zod";
import { vi } from "zod/locales";
import { isValidTabTitle } from "./layout.js";
import { normalizeText } from "./text.js";
import { yamlProblems } from "./yaml-errors.js";

// Problems are read by the town staff office: zod speaks Vietnamese here.
z.config(vi());

const text = z.string().min(1).transform(normalizeText);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/u, "cần ngày dạng YYYY-MM-DD");

const bandSchema = z.object({ name: text, minPercent: z.number().min(0).max(100) }).strict();

const recognitionSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("all-met"), bands: z.array(bandSchema).optional() }).strict(),
  z.object({ kind: z.literal("min-met"), min: z.number().int().positive(), bands: z.array(bandSchema).optional() }).strict(),
  z
    .object({
      kind: z.literal("points"),
      minPercent: z.number().min(0).max(100),
      bands: z.array(bandSchema).optional(),
    })
    .strict(),
]);

const criterionSchema = z
  .object({
    code: z.string().regex(/^[A-Za-z0-9._-]+$/u, "chỉ gồm chữ không dấu, chữ số, '.', '_' hoặc '-'"),
    group: z.string().min(1),
    text,
    kind: z.enum(["pass-fail", "points"]),
    maxPoints: z.number().positive().optional(),
    evidenceRequired: z.boolean().default(false),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.kind === "points" && c.maxPoints === undefined) {
      ctx.addIssue({ code: "custom", path: ["maxPoints"], message: "bắt buộc khi kind là points" });
    }
    if (c.kind === "pass-fail" && c.maxPoints !== undefined) {
      ctx.addIssue({ code: "custom", path: ["maxPoints"], message: "chỉ dùng khi kind là points" });
    }
  });

export const catalogueSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/u, "chỉ gồm chữ thường không dấu, chữ số và '-'"),
    name: text,
    shortName: text,
    tabTitle: text.refine(isValidTabTitle, "tối đa 31 ký tự, không chứa []:*?/\\"),
    version: z.string().min(1),
    /** How staff read the version ("Bộ tiêu chí mẫu minh họa năm 2023"); the code `version` stays for machines. */
    versionName: text.optional(),
    effectiveFrom: isoDate,
    source: text,
    recognition: recognitionSchema.default({ kind: "all-met" }),
    groups: z.array(z.object({ code: z.string().min(1), name: text }).strict()).min(1),
    criteria: z.array(criterionSchema).min(1),
  })
  .strict();

/** Records whose field `key` holds an array, or nothing: cross-checks read data zod may have refused. */
function listAt(data: unknown, key: string): Array<Record<string, unknown>> {
  const value = typeof data === "object" && data !== null ? (data as Record<string, unknown>)[key] : undefined;
  return Array.isArray(value) ? value.map((v) => (typeof v === "object" && v !== null ? (v as Record<string, unknown>) : {})) : [];
}

/** Indexes of values already seen earlier in the list (ignoring non-strings). */
export function duplicateIndexes(values: readonly unknown[]): number[] {
  return values.flatMap((v, i) => (typeof v === "string" && values.indexOf(v) !== i ? [i] : []));
}

/**
 * Checks across fields (groups exist, codes unique, min within range). Run on the raw data
 * beside zod, so they are reported even when some field is also wrong.
 */
function crossCheckCatalogue(data: unknown): SchemaProblem[] {
  const groups = new Set(listAt(data, "groups").map((g) => String(g.code)));
  const criteria = listAt(data, "criteria");
  const problems: SchemaProblem[] = [];
  criteria.forEach((c, i) => {
    if (c.group !== undefined && !groups.has(String(c.group))) problems.push({ path: `criteria[${i}].group`, message: `nhóm "${String(c.group)}" không có trong groups` });
  });
  duplicateIndexes(criteria.map((c) => c.code)).forEach((i) => problems.push({ path: `criteria[${i}].code`, message: `mã "${String(criteria[i]?.code)}" bị trùng` }));
  const recognition = typeof data === "object" && data !== null ? (data as { recognition?: { kind?: unknown; min?: unknown } }).recognition : undefined;
  if (recognition?.kind === "min-met" && typeof recognition.min === "number" && recognition.min > criteria.length) {
    problems.push({ path: "recognition.min", message: "lớn hơn số tiêu chí" });
  }
  return problems;
}

export type Catalogue = z.output<typeof catalogueSchema>;
export type Criterion = Catalogue["criteria"][number];
export type RecognitionRule = Catalogue["recognition"];

/** One problem of a data file: where (dotted path) and what. */
export interface SchemaProblem {
  path: string;
  message: string;
  /** The line of the file where the path sits, when known (config problems). */
  line?: number;
}

/** One problem as printed: "wards[1].name (dòng 15): …". */
export function formatProblem(problem: SchemaProblem): string {
  return `${problem.path}${problem.line === undefined ? "" : ` (dòng ${problem.line})`}: ${problem.message}`;
}

export type ParseResult<T> = { success: true; data: T } | { success: false; problems: SchemaProblem[] };

/** Render a zod/YAML path as "criteria[3].code". */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((acc, key) => {
    if (typeof key === "number") return `${acc}[${key}]`;
    return acc ? `${acc}.${String(key)}` : String(key);
  }, "");
}

/** Turn zod issues into problems with paths, prefixed by where the value sits. */
export function problemsFromZod(error: z.ZodError, prefix: ReadonlyArray<PropertyKey> = []): SchemaProblem[] {
  return error.issues.map((issue) => ({
    path: formatPath([...prefix, ...issue.path]) || "(gốc)",
    message: issue.message,
  }));
}

/** Parse YAML text, reporting every syntax error in Vietnamese with its line and column. */
export function parseYamlText(source: string): ParseResult<unknown> {
  const doc = parseDocument(source, { uniqueKeys: true });
  if (doc.errors.length) return { success: false, problems: yamlProblems(doc.errors, source) };
  try {
    return { success: true, data: doc.toJS({ maxAliasCount: 100 }) as unknown };
  } catch (error) {
    if (error instanceof YAMLError) return { success: false, problems: yamlProblems([error], source) };
    // An alias with no anchor: the library throws a ReferenceError without a position.
    const alias = /: ?(\S+)$/u.exec(error instanceof Error ? error.message : "")?.[1] ?? "";
    return { success: false, problems: [{ path: "(tệp)", message: `tham chiếu “*${alias}” chưa được khai báo bằng “&${alias}” ở phía trên; nếu “*” thuộc giá trị, hãy đặt cả giá trị trong dấu nháy kép` }] };
  }
}

/**
 * Parse a catalogue from YAML text. Never throws on bad content: every problem is listed.
 *
 * @example parseCatalogue(yamlText) // → { success: true, data: { id: "ca-phuong-dien-hinh", criteria: [...] } }
 */
export function parseCatalogue(source: string): ParseResult<Catalogue> {
  const yaml = parseYamlText(source);
  if (!yaml.success) return yaml;
  const result = catalogueSchema.safeParse(yaml.data);
  const problems = [...(result.success ? [] : problemsFromZod(result.error)), ...crossCheckCatalogue(yaml.data)];
  return result.success && !problems.length ? { success: true, data: result.data } : { success: false, problems };
}
