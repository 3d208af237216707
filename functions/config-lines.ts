/**
 * Line numbers for config problems: staff fix the file in a text editor, so each problem of
 * the file also says on which line its key sits (or its nearest parent, for a missing key).
 */
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from "yaml";
import type { SchemaProblem } from "../sheets-schema/catalogue.js";

/** "wards[1].contacts[0].email" → ["wards", 1, "contacts", 0, "email"]. */
function pathKeys(path: string): Array<string | number> {
  return Array.from(path.matchAll(/\[(\d+)\]|([^.[\]]+)/gu), (m) => (m[1] !== undefined ? Number(m[1]) : m[2]!));
}

/**
 * Each problem with the 1-based line of the deepest part of its path found in the source,
 * sorted in the order of the file (problems without a line keep their place at the end).
 */
export function withLines(source: string, problems: readonly SchemaProblem[]): SchemaProblem[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter });
  const lineOf = (path: string): number | undefined => {
    if (path.startsWith("env.") || path.startsWith("dòng ")) return undefined;
    let node: unknown = doc.contents;
    let line: number | undefined;
    for (const key of pathKeys(path)) {
      if (isMap(node) && typeof key === "string") {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
        if (!pair || !isScalar(pair.key) || !pair.key.range) break;
        line = lineCounter.linePos(pair.key.range[0]).line;
        node = pair.value;
      } else if (isSeq(node) && typeof key === "number") {
        const item: unknown = node.items[key];
        const range = (item as { range?: [number, number, number] } | null)?.range;
        if (!range) break;
        line = lineCounter.linePos(range[0]).line;
        node = item;
      } else break;
    }
    return line;
  };
  const located = problems.map((p, index) => ({ p, index, line: lineOf(p.path) }));
  located.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity) || a.index - b.index);
  return located.map(({ p, line }) => (line === undefined ? p : { ...p, line }));
}
