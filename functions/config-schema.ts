/**
 * The shape of tieuchi.config.yaml as a zod schema (Vietnamese locale), and the translation of
 * zod's issues into problems with paths: an unknown key is named with the closest known one.
 */
import { z } from "zod";
import { type SchemaProblem, formatPath } from "../sheets-schema/catalogue.js";
import { normalizeText } from "../sheets-schema/text.js";
import { calendarDate, cronProblem, emailAddress, fromAddressProblem } from "./config-fields.js";
import { PERIOD_KINDS } from "./core/period.js";
import { PERIOD_KIND_NAME } from "./core/vocabulary.js";
import { ORGANISATION_LEVELS, UNIT_KINDS } from "./core/organisation.js";

/** What a deadline closes: the wards' submission for appraisal, or the office's appraisal. */
const DEADLINE_STEPS = ["submission", "appraisal"] as const;
const DEADLINE_STEP_NAME: Record<(typeof DEADLINE_STEPS)[number], string> = { submission: "hạn phường gửi đề nghị thẩm định", appraisal: "hạn thẩm định" };

const text = z.string().transform(normalizeText).pipe(z.string().min(1, "không được để trống"));

const contactSchema = z.object({ name: text.optional(), email: emailAddress }).strict();

const wardSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/u, { error: (issue) => `mã “${String(issue.input)}” chỉ được gồm chữ thường không dấu, chữ số và “-” (mã dùng làm tên tệp), ví dụ nghi-hoa` }),
    name: text,
    aliases: z.array(text).default([]),
    file: z.string().min(1).optional(),
    contacts: z.array(contactSchema).default([]),
    effectiveFrom: calendarDate.optional(),
    effectiveTo: calendarDate.optional(),
    kind: z.enum(UNIT_KINDS, { error: `cần một trong các loại đơn vị: ${UNIT_KINDS.join(", ")}` }).optional(),
    group: text.optional(),
  })
  .strict();

const organisationSchema = z
  .object({
    level: z.enum(ORGANISATION_LEVELS, { error: `cần một trong các cấp: ${ORGANISATION_LEVELS.join(", ")}` }),
    name: text,
    effectiveFrom: calendarDate.optional(),
    effectiveTo: calendarDate.optional(),
  })
  .strict();

const deadlineSchema = z
  .object({
    date: calendarDate,
    title: text,
    remindDaysBefore: z
      .array(z.number().int("cần một số nguyên ngày").min(1, "cần số ngày từ 1 trở lên").max(60, "tối đa 60 ngày"))
      .min(1, "cần ít nhất một mốc nhắc, ví dụ [7, 3, 1]")
      .default([7, 3, 1]),
    step: z.enum(DEADLINE_STEPS, { error: `cần một trong các bước: ${DEADLINE_STEPS.map((k) => `${k} (${DEADLINE_STEP_NAME[k]})`).join(", ")}` }).default("submission"),
  })
  .strict();

/** Who appraises (edits the appraisal cells in Google) and who the office is (submission notices, appraisal reminders). */
const reviewSchema = z
  .object({ appraisers: z.array(emailAddress).default([]), office: z.array(emailAddress).default([]) })
  .strict()
  .default({ appraisers: [], office: [] });

const cronExpression = z.string().min(1).superRefine((value, ctx) => {
  const problem = cronProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/** The kind of reporting period of the report and digest: week (default), month, quarter, half or year. */
const periodKind = z.enum(PERIOD_KINDS, {
  error: `cần một trong các loại kỳ báo cáo: ${PERIOD_KINDS.map((k) => `${k} (${PERIOD_KIND_NAME[k]})`).join(", ")}`,
});

const fromAddress = z.string().superRefine((value, ctx) => {
  const problem = fromAddressProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const configSchema = z
  .object({
    timezone: z.literal("Asia/Ho_Chi_Minh", "chỉ nhận giá trị “Asia/Ho_Chi_Minh”").default("Asia/Ho_Chi_Minh"),
    agency: z
      .object({
        parent: text,
        issuer: text,
        issuerName: text.optional(),
        documentCode: z.string().min(1, "không được để trống"),
        place: text,
        signer: z.object({ authority: text, title: text.optional(), rank: text.optional(), name: text }).strict(),
      })
      .strict(),
    programmes: z
      .array(z.object({ id: z.string().min(1, "không được để trống"), catalogue: z.string().min(1, "không được để trống") }).strict())
      .min(1, "cần ít nhất một đề án"),
    wards: z.array(wardSchema).min(1, "cần ít nhất một phường"),
    organisation: organisationSchema.optional(),
    reports: z
      .object({
        numbering: z
          .object({ mode: z.enum(["blank", "sequence"]).default("blank"), start: z.number().int().positive().default(1) })
          .strict()
          .default({ mode: "blank", start: 1 }),
        distribution: z.array(text).default([]),
        noticeDistribution: z.array(text).default([]),
        archive: text.default("VT"),
        commonGaps: z
          .object({ minWards: z.number().int().positive().default(2), minShare: z.number().gt(0).max(1).nullable().default(null) })
          .strict()
          .default({ minWards: 2, minShare: null }),
      })
      .strict()
      .default({ numbering: { mode: "blank", start: 1 }, distribution: [], noticeDistribution: [], archive: "VT", commonGaps: { minWards: 2, minShare: null } }),
    schedule: z
      .object({ digest: cronExpression.nullable().default(null), period: periodKind.default("week"), deadlines: z.array(deadlineSchema).default([]) })
      .strict()
      .default({ digest: null, period: "week", deadlines: [] }),
    recipients: z
      .object({ leadership: z.array(emailAddress).default([]), cc: z.array(emailAddress).default([]) })
      .strict()
      .default({ leadership: [], cc: [] }),
    review: reviewSchema,
    smtp: z.object({ url: z.string().optional(), from: fromAddress.optional() }).strict().optional(),
    google: z
      .object({
        wardsFolderId: z.string().min(1),
        reportsFolderId: z.string().min(1),
        townSpreadsheetId: z.string().min(1).optional(),
        webhookUrl: z.url().optional(),
        feedbackDebounceMinutes: z.number().int().min(0).max(1440).default(10),
      })
      .strict()
      .optional(),
  })
  .strict();

/** What a value is, in words, for "cần …, đang là …". */
function describe(value: unknown): string {
  if (value === null) return "để trống";
  if (Array.isArray(value)) return "một danh sách";
  if (typeof value === "object") return "một nhóm khóa";
  if (typeof value === "string") return `chữ “${value}”`;
  return `${typeof value === "number" ? "số" : "giá trị"} ${String(value)}`;
}

const EXPECTED: Record<string, string> = {
  string: "cần chữ",
  number: "cần một số",
  boolean: "cần true hoặc false",
  array: "cần một danh sách (mỗi phần tử một dòng bắt đầu bằng “- ”)",
  object: "cần các mục con dạng “khóa: giá trị”",
};

/** Per-parse messages for what the Vietnamese locale words with type names ("mong đợi string"). */
export const configErrorMap: z.core.$ZodErrorMap = (issue) => {
  if (issue.code !== "invalid_type") return undefined;
  if (issue.input === undefined) return "bắt buộc, chưa được ghi";
  const expected = EXPECTED[issue.expected];
  return expected ? `${expected}, đang là ${describe(issue.input)}` : undefined;
};

/** The keys an object of the schema accepts at a data path (array indexes skipped). */
function knownKeysAt(schema: z.core.$ZodType, path: readonly PropertyKey[]): string[] {
  let node: z.core.$ZodType | undefined = schema;
  const unwrap = (): void => {
    for (let def: z.core.$ZodTypeDef | undefined = node?._zod.def; def && "innerType" in def; def = node?._zod.def) node = def.innerType as z.core.$ZodType;
  };
  unwrap();
  for (const key of path) {
    const def: z.core.$ZodTypeDef | undefined = node?._zod.def;
    if (def?.type === "array" && typeof key === "number") node = (def as z.core.$ZodArrayDef).element;
    else if (def?.type === "object" && typeof key === "string") node = (def as z.core.$ZodObjectDef).shape[key];
    else return [];
    unwrap();
  }
  const def: z.core.$ZodTypeDef | undefined = node?._zod.def;
  return def?.type === "object" ? Object.keys((def as z.core.$ZodObjectDef).shape) : [];
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

/** The known key a mistyped one most likely meant ("emial" → "email", "alias" → "aliases"), or null. */
export function closestKey(unknown: string, known: readonly string[]): string | null {
  const u = unknown.toLowerCase();
  const scored = known.map((k) => ({ k, d: k.toLowerCase().startsWith(u) || u.startsWith(k.toLowerCase()) ? 0.5 : editDistance(u, k.toLowerCase()) }));
  const best = scored.sort((a, b) => a.d - b.d)[0];
  return best && best.d <= Math.max(2, Math.floor(u.length / 3)) ? best.k : null;
}

/** Keys of earlier versions and what to write instead, so an old tieuchi.yaml says how to move on. */
const RETIRED_KEYS: Record<string, string> = {
  "reports.number":
    "khóa “number” không còn dùng (mọi văn bản sẽ mang cùng một số): thay bằng “numbering: { mode: blank }” để văn thư cấp số khi ban hành, hoặc “numbering: { mode: sequence, start: 5 }” để tự cấp số theo loại văn bản và năm, bắt đầu từ 5",
};

/** zod issues as problems: one per unknown key, at the key's own path, with a suggestion. */
export function configProblemsFromZod(error: z.ZodError): SchemaProblem[] {
  return error.issues.flatMap((issue) => {
    if (issue.code !== "unrecognized_keys") return [{ path: formatPath(issue.path) || "(gốc)", message: issue.message }];
    const known = knownKeysAt(configSchema, issue.path);
    return issue.keys.map((key) => {
      const retired = RETIRED_KEYS[formatPath([...issue.path, key])];
      if (retired) return { path: formatPath([...issue.path, key]), message: retired };
      const guess = closestKey(key, known);
      const hint = guess ? `; có phải “${guess}”?` : known.length ? `; các khóa dùng được ở đây: ${known.join(", ")}` : "";
      return { path: formatPath([...issue.path, key]), message: `khóa “${key}” không có trong cấu hình${hint}` };
    });
  });
}
