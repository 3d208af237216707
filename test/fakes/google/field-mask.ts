/**
 * Field masks as the Google APIs read them: a response selector (`fields=nextPageToken,files(id,name)`)
 * and an update mask (`fields: "title,gridProperties.frozenRowCount"`).
 */
import { invalidArgument } from "./errors.js";

/** A parsed selector: each key maps to `true` (the whole value) or a nested selector. */
export type FieldSelector = Map<string, FieldSelector | true>;

export function parseFieldSelector(fields: string): FieldSelector {
  const parser = { text: fields.replace(/\s+/g, ""), position: 0 };
  const selector = parseList(parser);
  if (parser.position !== parser.text.length) throw invalidArgument(`Invalid field selection ${fields}`);
  return selector;
}

function parseList(parser: { text: string; position: number }): FieldSelector {
  const selector: FieldSelector = new Map();
  for (;;) {
    const name = /^[A-Za-z0-9_*]+(\/[A-Za-z0-9_*]+)*/.exec(parser.text.slice(parser.position))?.[0];
    if (name === undefined) throw invalidArgument(`Invalid field selection ${parser.text}`);
    parser.position += name.length;
    let nested: FieldSelector | true = true;
    if (parser.text[parser.position] === "(") {
      parser.position += 1;
      nested = parseList(parser);
      if (parser.text[parser.position] !== ")") throw invalidArgument(`Invalid field selection ${parser.text}`);
      parser.position += 1;
    }
    addPath(selector, name.split("/"), nested);
    if (parser.text[parser.position] !== ",") return selector;
    parser.position += 1;
  }
}

function addPath(selector: FieldSelector, path: string[], leaf: FieldSelector | true): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  const existing = selector.get(head);
  if (existing === true) return;
  if (rest.length === 0) {
    if (leaf === true || existing === undefined) selector.set(head, leaf);
    else for (const [key, sub] of leaf) existing.set(key, sub);
    return;
  }
  const child: FieldSelector = existing ?? new Map();
  selector.set(head, child);
  addPath(child, rest, leaf);
}

/** Keeps only the selected fields; arrays are filtered element by element. */
export function selectFields<T>(value: T, selector: FieldSelector | true): T {
  if (selector === true || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item: unknown) => selectFields(item, selector)) as T;
  if (selector.get("*") === true) return value;
  const picked: Record<string, unknown> = {};
  for (const [key, sub] of selector) {
    const field = (value as Record<string, unknown>)[key];
    if (field !== undefined) picked[key] = selectFields(field, sub);
  }
  return picked as T;
}

/** Applies `fields` when present, else the method's default selection. */
export function selectResponse<T>(value: T, fields: string | undefined, defaults?: string): T {
  const mask = fields ?? defaults;
  return mask === undefined ? value : selectFields(value, parseFieldSelector(mask));
}

/** The paths of an update mask; "*" stands for every field. */
export function updateMaskPaths(fields: string | null | undefined, requestName: string): string[] {
  const paths = (fields ?? "").split(",").map((path) => path.trim()).filter((path) => path !== "");
  if (paths.length === 0) {
    throw invalidArgument(`Invalid requests[0].${requestName}: At least one field must be listed in 'fields'. (Use '*' to indicate all fields.)`);
  }
  return paths;
}

/** Copies each masked path from `source` into a copy of `target` (a path absent in `source` is cleared). */
export function applyUpdateMask<T extends object>(target: T, source: object, paths: readonly string[]): T {
  if (paths.includes("*")) return { ...target, ...structuredClone(source) };
  const result = structuredClone(target) as Record<string, unknown>;
  for (const path of paths) {
    const keys = path.split(".");
    let from: unknown = source;
    let to = result;
    keys.forEach((key, i) => {
      from = from !== null && typeof from === "object" ? (from as Record<string, unknown>)[key] : undefined;
      if (i === keys.length - 1) {
        if (from === undefined) delete to[key];
        else to[key] = structuredClone(from);
        return;
      }
      const next = to[key];
      to = next !== null && typeof next === "object" ? (next as Record<string, unknown>) : (to[key] = {});
    });
  }
  return result as T;
}
