/**
 * A DocumentView as an editable .docx in the NĐ 30/2020 format: A4 portrait, margins
 * 20/20/30/15 mm, Times New Roman (clerks have it in Word) black, a PAGE field centred in the
 * header and none on page 1, the body walked block by block (docx-blocks.ts), Nơi nhận and
 * signature kept with the paragraph before them, annexes each on a new page.
 */
import { AlignmentType, Document, Header, Packer, PageNumber, PageOrientation, Paragraph, type Table, TextRun } from "docx";
import type { DocBlock, DocumentView } from "../core/document-blocks.js";
import { docxBlock } from "./docx-blocks.js";
import { documentClosing, documentHead } from "./docx-frame.js";
import { FONT, MARGIN, PAGE, centred, size } from "./docx-style.js";

async function blocks(list: readonly DocBlock[], keepLast: boolean): Promise<(Paragraph | Table)[]> {
  const made = await Promise.all(list.map((b, i) => docxBlock(b, keepLast && i === list.length - 1)));
  return made.flat();
}

async function annexes(view: DocumentView): Promise<(Paragraph | Table)[]> {
  const parts = await Promise.all(
    view.annexes.map(async (a) => [
      new Paragraph({ pageBreakBefore: true, alignment: AlignmentType.CENTER, keepNext: true, children: [new TextRun({ text: a.title, bold: true, size: size(14) })] }),
      ...(a.subtitle === undefined ? [] : [centred(a.subtitle, { size: 13, italics: true, after: 160 })]),
      ...(await blocks(a.body, false)),
    ]),
  );
  return parts.flat();
}

const pageNumberHeader = (): Header =>
  new Header({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: [PageNumber.CURRENT], size: size(13) })] })] });

/**
 * The document as .docx bytes.
 *
 * @example await writeFile("bao-cao.docx", await renderDocumentDocx(view))
 */
export async function renderDocumentDocx(view: DocumentView, title = view.title): Promise<Buffer> {
  const document = new Document({
    title,
    creator: view.frame.issuerName,
    styles: { default: { document: { run: { font: FONT, size: size(14), color: "000000" } } } },
    sections: [
      {
        properties: {
          titlePage: true,
          page: { size: { width: PAGE.width, height: PAGE.height, orientation: PageOrientation.PORTRAIT }, margin: MARGIN },
        },
        // Different first page: the first-page header is empty, later pages show the PAGE field.
        headers: { default: pageNumberHeader(), first: new Header({ children: [new Paragraph({ children: [] })] }) },
        children: [...documentHead(view), ...(await blocks(view.body, true)), documentClosing(view), ...(await annexes(view))],
      },
    ],
  });
  return Packer.toBuffer(document);
}
