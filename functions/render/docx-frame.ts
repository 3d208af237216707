/**
 * The NĐ 30/2020 frame of a DOCX document: the two header blocks as a borderless two-column
 * table with their short rules, "Số:" and the italic place/date, the title, trích yếu and rule,
 * and at the end Nơi nhận beside the signature, in one row that never splits.
 */
import { AlignmentType, Paragraph, Table, TableCell, TableLayoutType, TableRow, TextRun, VerticalAlign, WidthType } from "docx";
import type { DocumentView } from "../core/document-blocks.js";
import { CELL_NO_BORDERS, NO_BORDERS, TEXT_WIDTH, centred, shortRule, size } from "./docx-style.js";

const LEFT = Math.round(TEXT_WIDTH * 0.42);
const RIGHT = TEXT_WIDTH - LEFT;

function cell(width: number, children: Paragraph[]): TableCell {
  return new TableCell({ width: { size: width, type: WidthType.DXA }, borders: CELL_NO_BORDERS, verticalAlign: VerticalAlign.TOP, margins: { left: 0, right: 0 }, children });
}

function twoColumns(left: Paragraph[], right: Paragraph[], widths: [number, number] = [LEFT, RIGHT]): Table {
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    borders: NO_BORDERS,
    rows: [new TableRow({ cantSplit: true, children: [cell(widths[0], left), cell(widths[1], right)] })],
  });
}

/** Issuer and motto blocks, then title, trích yếu, rule and (for a notice) "Kính gửi". */
export function documentHead(view: DocumentView): (Paragraph | Table)[] {
  const { frame } = view;
  const issuer = [
    centred(frame.parent, { size: 13 }),
    centred(frame.issuer, { size: 13, bold: true }),
    shortRule(LEFT, 0.3),
    centred(frame.number, { size: 13, before: 120 }),
  ];
  const motto = [
    centred(frame.motto.country, { size: 13, bold: true }),
    centred(frame.motto.slogan, { size: 14, bold: true }),
    shortRule(RIGHT, 0.62),
    centred(frame.placeDate, { size: 14, italics: true, before: 120 }),
  ];
  const title = [
    centred(view.title, { size: 14, bold: true, before: 360 }),
    ...view.summary.map((line) => centred(line, { size: 14, bold: true })),
    shortRule(TEXT_WIDTH, 0.25),
  ];
  const recipient = view.recipient === null ? [] : [centred(view.recipient, { size: 14, before: 120, after: 120 })];
  return [twoColumns(issuer, motto), ...title, new Paragraph({ spacing: { after: 120 }, children: [] }), ...recipient];
}

function line(text: string, points: number, options: { bold?: boolean; italics?: boolean; keepNext?: boolean; before?: number } = {}): Paragraph {
  return new Paragraph({ keepNext: options.keepNext !== false, keepLines: true, spacing: { before: options.before ?? 0, after: 0 }, children: [new TextRun({ text, size: size(points), bold: options.bold === true, italics: options.italics === true })] });
}

/** Nơi nhận (12 bold italic, list 11) beside the signature block; kept whole. */
export function documentClosing(view: DocumentView): Table {
  const { frame } = view;
  const recipients = [line("Nơi nhận:", 12, { bold: true, italics: true, before: 240 }), ...frame.distribution.map((d, i) => line(d, 11, { keepNext: i < frame.distribution.length - 1 }))];
  const authority = [frame.signer.authority, ...(frame.signer.title === null ? [] : [frame.signer.title])];
  const signature = [
    ...authority.map((a, i) => centred(a, { size: 14, bold: true, before: i === 0 ? 240 : 0 })),
    // Room for the signature and seal (about 28 mm).
    new Paragraph({ keepNext: true, spacing: { before: 0, after: 0, line: 240 }, children: [new TextRun({ text: "", size: size(14) })] }),
    new Paragraph({ spacing: { before: 1300, after: 0 }, alignment: AlignmentType.CENTER, children: [new TextRun({ text: frame.signer.name, size: size(14), bold: true })] }),
  ];
  const half = Math.round(TEXT_WIDTH / 2);
  return twoColumns(recipients, signature, [half, TEXT_WIDTH - half]);
}
