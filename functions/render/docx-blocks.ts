/**
 * DocBlocks as DOCX paragraphs and tables: justified 14 pt body with a 1.27 cm first-line
 * indent, headings kept with what follows, prose places as highlighted editable paragraphs,
 * tables with repeating header rows and rows that never split, charts as PNG images.
 */
import { AlignmentType, ImageRun, PageBreak, Paragraph, Table, TableCell, TableLayoutType, TableRow, TextRun, VerticalAlign, WidthType } from "docx";
import type { ChartSpec, DocBlock, TableCell as CellView, TableView, TextRun as RunView } from "../core/document-blocks.js";
import { chartPrintSize } from "./chart-fit.js";
import { renderChartPng } from "./charts.js";
import { FIRST_LINE, GRID_BORDERS, TEXT_WIDTH, size } from "./docx-style.js";

/** Chart images as printed (chart-fit.ts), in pixels at 96 dpi as docx expects, never past the text width. */
const MAX_WIDTH_PX = Math.floor((TEXT_WIDTH / 1440) * 96);
const px = (cm: number): number => Math.round((cm / 2.54) * 96);

const ALIGN = { left: AlignmentType.LEFT, center: AlignmentType.CENTER, right: AlignmentType.RIGHT } as const;

const runs = (list: readonly RunView[], points = 14): TextRun[] => list.map((r) => new TextRun({ text: r.text, bold: r.bold === true, italics: r.italic === true, size: size(points) }));

function body(children: TextRun[], options: { indent?: boolean; keepNext?: boolean; after?: number } = {}): Paragraph {
  return new Paragraph({
    alignment: AlignmentType.JUSTIFIED,
    indent: options.indent === false ? {} : { firstLine: FIRST_LINE },
    spacing: { after: options.after ?? 120, line: 288 },
    keepNext: options.keepNext === true,
    children,
  });
}

function heading(level: 1 | 2 | 3, text: string): Paragraph {
  return new Paragraph({
    alignment: AlignmentType.JUSTIFIED,
    indent: { firstLine: FIRST_LINE },
    spacing: { before: level === 1 ? 200 : 160, after: 80 },
    keepNext: true,
    keepLines: true,
    outlineLevel: level - 1,
    children: [new TextRun({ text, bold: true, italics: level === 3, size: size(14) })],
  });
}

/** A place for prose: yellow highlight (not shading), so it prints plainly once the clerk writes over it. */
function placeholder(text: string, keepNext: boolean): Paragraph {
  return new Paragraph({ alignment: AlignmentType.JUSTIFIED, spacing: { after: 120 }, keepNext, children: [new TextRun({ text, italics: true, highlight: "yellow", size: size(14) })] });
}

function caption(text: string): Paragraph {
  return new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: 160, after: 60 }, keepNext: true, keepLines: true, children: [new TextRun({ text, bold: true, size: size(13) })] });
}

function columnWidths(table: TableView): number[] {
  const columns = table.head[0]?.reduce((n, c) => n + (c.colSpan ?? 1), 0) ?? table.body[0]?.length ?? 1;
  const relative = table.widths?.length === columns ? table.widths : Array.from({ length: columns }, () => 1);
  const total = relative.reduce((n, w) => n + w, 0);
  return relative.map((w) => Math.floor((TEXT_WIDTH * w) / total));
}

function cell(c: CellView, points: number, header: boolean, widths: number[], column: number): TableCell {
  const span = c.colSpan ?? 1;
  const width = widths.slice(column, column + span).reduce((n, w) => n + w, 0);
  const text = new TextRun({ text: c.text, size: size(points), bold: header || c.bold === true, italics: c.muted === true, ...(c.muted === true ? { color: "444444" } : {}) });
  return new TableCell({
    width: { size: width, type: WidthType.DXA },
    ...(span > 1 ? { columnSpan: span } : {}),
    ...((c.rowSpan ?? 1) > 1 ? { rowSpan: c.rowSpan } : {}),
    verticalAlign: header ? VerticalAlign.CENTER : VerticalAlign.TOP,
    margins: { left: 70, right: 70, top: 20, bottom: 20 },
    children: [new Paragraph({ alignment: header ? AlignmentType.CENTER : ALIGN[c.align ?? "left"], children: [text] })],
  });
}

function rows(list: readonly CellView[][], points: number, header: boolean, widths: number[]): TableRow[] {
  return list.map((row) => {
    let column = 0;
    const cells = row.map((c) => {
      const made = cell(c, points, header, widths, column);
      column += c.colSpan ?? 1;
      return made;
    });
    // Header rows repeat on every page; no row is ever split across pages; the header stays with the first row.
    return new TableRow({ tableHeader: header, cantSplit: true, ...(header ? { keepNext: true } : {}), children: cells });
  });
}

function table(view: TableView): (Paragraph | Table)[] {
  const points = view.compact === true ? 10 : 12;
  const widths = columnWidths(view);
  const grid = new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    borders: GRID_BORDERS,
    rows: [...rows(view.head, points, true, widths), ...rows(view.body, points, false, widths)],
  });
  const note = view.note === undefined ? [] : [body([new TextRun({ text: view.note, italics: true, size: size(12) })], { indent: false, after: 160 })];
  return [...(view.caption ? [caption(view.caption)] : []), grid, ...note];
}

async function chart(spec: ChartSpec, title: string): Promise<Paragraph[]> {
  const printed = chartPrintSize(spec);
  const scale = Math.min(1, MAX_WIDTH_PX / px(printed.widthCm));
  const image = new ImageRun({
    type: "png",
    data: await renderChartPng(spec),
    transformation: { width: Math.round(px(printed.widthCm) * scale), height: Math.round(px(printed.heightCm) * scale) },
    altText: { name: title, title, description: spec.title },
  });
  return [caption(title), new Paragraph({ alignment: AlignmentType.CENTER, keepLines: true, spacing: { after: 120 }, children: [image] })];
}

/** One block as DOCX content; `last` marks the block before the signature, kept with it. */
export async function docxBlock(block: DocBlock, last = false): Promise<(Paragraph | Table)[]> {
  switch (block.kind) {
    case "heading":
      return [heading(block.level, block.text)];
    case "paragraph":
      return [body(runs(block.runs), { indent: block.indent !== false, keepNext: last })];
    case "placeholder":
      return [placeholder(block.text, last)];
    case "list":
      return block.items.map((item, i) => body(runs(item), { after: 40, keepNext: last || i < block.items.length - 1 }));
    case "table":
      return table(block.table);
    case "chart":
      return chart(block.chart, block.caption);
    case "page-break":
      return [new Paragraph({ children: [new PageBreak()] })];
  }
}
