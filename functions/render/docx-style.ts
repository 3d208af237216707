/**
 * Measures and small builders shared by the DOCX renderer: NĐ 30/2020 page geometry in twips,
 * type sizes in half-points, and borderless/bordered table helpers.
 */
import { AlignmentType, BorderStyle, Paragraph, TextRun, type ITableCellBorders } from "docx";

/** Twips per millimetre (1 in = 1440 twips = 25.4 mm). */
const MM = 1440 / 25.4;
export const PAGE = { width: 11906, height: 16838 } as const;
/** Margins top/bottom 20 mm, left 30 mm, right 15 mm; the header (page number) 10 mm from the edge. */
export const MARGIN = { top: Math.ceil(20 * MM), bottom: Math.ceil(20 * MM), left: Math.ceil(30 * MM), right: Math.ceil(15 * MM), header: Math.round(10 * MM), footer: Math.round(10 * MM) } as const;
/** The text width: 165 mm. */
export const TEXT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
/** First-line indent of body paragraphs: 1.27 cm. */
export const FIRST_LINE = 720;
export const FONT = "Times New Roman";

/** Half-points, as OOXML measures type. */
export const size = (points: number): number => points * 2;

const NONE = { style: BorderStyle.NONE, size: 0, color: "FFFFFF" } as const;
const LINE = { style: BorderStyle.SINGLE, size: 4, color: "000000" } as const;

export const NO_BORDERS = { top: NONE, bottom: NONE, left: NONE, right: NONE, insideHorizontal: NONE, insideVertical: NONE } as const;
export const GRID_BORDERS = { top: LINE, bottom: LINE, left: LINE, right: LINE, insideHorizontal: LINE, insideVertical: LINE } as const;
export const CELL_NO_BORDERS: ITableCellBorders = { top: NONE, bottom: NONE, left: NONE, right: NONE };

/**
 * A short centred rule (NĐ 30: under the issuer, the slogan and the title): an empty paragraph
 * whose top border spans `fraction` of `width`, the rest taken up by equal indents. It stays an
 * ordinary paragraph a clerk can move or delete.
 */
export function shortRule(width: number, fraction: number, keepNext = true): Paragraph {
  const side = Math.round((width * (1 - fraction)) / 2);
  return new Paragraph({
    indent: { left: side, right: side },
    border: { top: { style: BorderStyle.SINGLE, size: 6, color: "000000", space: 1 } },
    spacing: { before: 0, after: 0, line: 240 },
    keepNext,
    children: [new TextRun({ text: "", size: size(4) })],
  });
}

/** A centred line of type: the header blocks, title and signature are made of these. */
export function centred(text: string, options: { size: number; bold?: boolean; italics?: boolean; before?: number; after?: number; keepNext?: boolean }): Paragraph {
  return new Paragraph({
    alignment: AlignmentType.CENTER,
    spacing: { before: options.before ?? 0, after: options.after ?? 0 },
    keepNext: options.keepNext ?? true,
    keepLines: true,
    children: [new TextRun({ text, size: size(options.size), bold: options.bold === true, italics: options.italics === true })],
  });
}
