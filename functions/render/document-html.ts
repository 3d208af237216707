/**
 * A DocumentView as one HTML page (templates/document.hbs): every block normalised so the
 * strict template sees every field, charts drawn as inline SVG in the embedded Tinos, and the
 * last body block kept on the page of the signature. Printed to PDF by the local store.
 */
import type { DocBlock, DocumentView, TableCell, TableView, TextRun } from "../core/document-blocks.js";
import { chartPrintSize } from "./chart-fit.js";
import { renderChartSvg } from "./charts.js";
import { documentFontCss } from "./document-font.js";
import type { TemplateSet } from "./templates.js";

const run = (r: TextRun) => ({ text: r.text, bold: r.bold === true, italic: r.italic === true });
const cell = (c: TableCell) => ({ text: c.text, colSpan: c.colSpan ?? 1, rowSpan: c.rowSpan ?? 1, align: c.align ?? "left", bold: c.bold === true, muted: c.muted === true });

/** Relative widths as percentages of the table width. */
function percentages(widths: readonly number[] | undefined): string[] {
  const total = (widths ?? []).reduce((n, w) => n + w, 0);
  return total > 0 ? (widths ?? []).map((w) => ((100 * w) / total).toFixed(2)) : [];
}

function table(t: TableView) {
  return { id: t.id, caption: t.caption, head: t.head.map((r) => r.map(cell)), body: t.body.map((r) => r.map(cell)), widths: percentages(t.widths), note: t.note ?? null, compact: t.compact === true };
}

async function block(b: DocBlock): Promise<object> {
  switch (b.kind) {
    case "paragraph":
      return { kind: b.kind, runs: b.runs.map(run), indent: b.indent !== false };
    case "list":
      return { kind: b.kind, items: b.items.map((item) => ({ runs: item.map(run) })) };
    case "table":
      return { kind: b.kind, table: table(b.table) };
    case "chart": {
      // Scaled to the text width, then fitted in height (two charts share a page; chart-fit.ts).
      return { kind: b.kind, caption: b.caption, svg: await renderChartSvg(b.chart), widthCm: chartPrintSize(b.chart).widthCm.toFixed(2) };
    }
    default:
      return b;
  }
}

const blocks = (list: readonly DocBlock[]): Promise<object[]> => Promise.all(list.map(block));

/** Small closing blocks go with the signature; a table or chart is too big to carry along. */
const CARRIED: ReadonlySet<DocBlock["kind"]> = new Set(["paragraph", "placeholder", "list"]);

/** The view the template walks: all fields present, charts as SVG, the font embedded. */
async function htmlDocumentView(view: DocumentView, documentTitle: string): Promise<object> {
  const last = view.body.at(-1);
  const carried = last !== undefined && CARRIED.has(last.kind);
  return {
    fontCss: await documentFontCss(),
    documentTitle,
    frame: view.frame,
    title: view.title,
    summary: view.summary,
    recipient: view.recipient,
    body: await blocks(carried ? view.body.slice(0, -1) : view.body),
    lastBlock: carried ? await block(last) : null,
    annexes: await Promise.all(view.annexes.map(async (a) => ({ title: a.title, subtitle: a.subtitle ?? null, body: await blocks(a.body) }))),
  };
}

/** The document as a self-contained HTML page (font and charts inline). */
export async function renderDocumentHtml(templates: TemplateSet, view: DocumentView, documentTitle: string): Promise<string> {
  return templates.render("document", await htmlDocumentView(view, documentTitle));
}
