/**
 * Handlebars helpers: Vietnamese dates, numbers and percentages (Asia/Ho_Chi_Minh), and
 * a few layout conveniences. Formatting logic lives in core/vi-format.ts; these only adapt it.
 */
import type HandlebarsNs from "handlebars";
import { dateVi, documentDate, numberVi, percentVi, signedVi } from "../core/vi-format.js";

type Env = typeof HandlebarsNs;

const toDate = (value: unknown): Date => new Date(value instanceof Date ? value.getTime() : String(value));

export function registerHelpers(env: Env): void {
  env.registerHelper("dateVi", (value: unknown) => dateVi(toDate(value)));
  env.registerHelper("documentDate", (value: unknown) => documentDate(toDate(value)));
  env.registerHelper("numberVi", (value: unknown) => numberVi(Number(value)));
  env.registerHelper("percentVi", (part: unknown, whole: unknown) => percentVi(Number(part), Number(whole)));
  env.registerHelper("signedVi", (value: unknown) => signedVi(Number(value)));
  env.registerHelper("inc", (value: unknown) => Number(value) + 1);
  env.registerHelper("eq", (a: unknown, b: unknown) => a === b);
  env.registerHelper("upper", (value: unknown) => String(value).toUpperCase());
}
