/** The subset of the Drive `q` language the service uses, as a predicate over files. */
import { GoogleApiError } from "./errors.js";

export interface QueryableFile {
  name: string;
  mimeType: string;
  parents: string[];
  trashed: boolean;
  modifiedTime: string;
  appProperties: Record<string, string>;
  properties: Record<string, string>;
}

export type FilePredicate = (file: QueryableFile) => boolean;

/** Drive answers any query it cannot read with this, without saying which part. */
function invalidQuery(): GoogleApiError {
  return new GoogleApiError(400, "Invalid Value", { reason: "invalid", location: "q" });
}

/** Splits on " and " outside quotes and braces. */
function splitConjunction(q: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < q.length; i++) {
    const char = q[i];
    if (char === "\\" && quoted) i++;
    else if (char === "'") quoted = !quoted;
    else if (!quoted && char === "{") depth++;
    else if (!quoted && char === "}") depth--;
    else if (!quoted && depth === 0 && /^\s+and\s+/i.test(q.slice(i))) {
      parts.push(q.slice(start, i));
      i += (/^\s+and\s+/i.exec(q.slice(i))?.[0].length ?? 1) - 1;
      start = i + 1;
    }
  }
  parts.push(q.slice(start));
  return parts.map((part) => part.trim()).filter((part) => part !== "");
}

const literal = String.raw`'((?:[^'\\]|\\.)*)'`;

function unescape(text: string): string {
  return text.replace(/\\(.)/g, "$1");
}

function compare<T extends string | number>(left: T, operator: string, right: T): boolean {
  switch (operator) {
    case "=":
      return left === right;
    case "!=":
      return left !== right;
    case "<":
      return left < right;
    case "<=":
      return left <= right;
    case ">":
      return left > right;
    default:
      return left >= right;
  }
}

function parseCondition(condition: string): FilePredicate {
  let match = new RegExp(`^${literal}\\s+in\\s+parents$`).exec(condition);
  if (match) {
    const parent = unescape(match[1] ?? "");
    return (file) => file.parents.includes(parent);
  }
  match = /^trashed\s*(=|!=)\s*(true|false)$/i.exec(condition);
  if (match) {
    const wanted = (match[2]?.toLowerCase() === "true") === (match[1] === "=");
    return (file) => file.trashed === wanted;
  }
  match = new RegExp(`^(mimeType|name)\\s*(=|!=)\\s*${literal}$`).exec(condition);
  if (match) {
    const [, field, operator, value] = match;
    return (file) => compare(field === "name" ? file.name : file.mimeType, operator ?? "=", unescape(value ?? ""));
  }
  match = new RegExp(`^name\\s+contains\\s+${literal}$`).exec(condition);
  if (match) {
    const part = unescape(match[1] ?? "").toLowerCase();
    return (file) => file.name.toLowerCase().includes(part);
  }
  match = new RegExp(`^modifiedTime\\s*(<=|>=|<|>|=|!=)\\s*${literal}$`).exec(condition);
  if (match) {
    const operator = match[1] ?? "=";
    const time = Date.parse(unescape(match[2] ?? ""));
    if (Number.isNaN(time)) throw invalidQuery();
    return (file) => compare(Date.parse(file.modifiedTime), operator, time);
  }
  match = new RegExp(`^(appProperties|properties)\\s+has\\s+\\{\\s*key\\s*=\\s*${literal}\\s+and\\s+value\\s*=\\s*${literal}\\s*\\}$`).exec(condition);
  if (match) {
    const [, bag, key, value] = match;
    return (file) => (bag === "appProperties" ? file.appProperties : file.properties)[unescape(key ?? "")] === unescape(value ?? "");
  }
  throw invalidQuery();
}

/** Parses `q` into a predicate; an unsupported or malformed query is a 400 "Invalid Value" on `q`, as in Drive. */
export function parseDriveQuery(q: string | undefined): FilePredicate {
  if (q === undefined || q.trim() === "") return () => true;
  const predicates = splitConjunction(q).map((condition) => parseCondition(condition));
  return (file) => predicates.every((predicate) => predicate(file));
}
