/**
 * The documents leadership opens, as data: a frame (header blocks, title, Nơi nhận, signature)
 * and an ordered body of blocks. Every renderer (HTML/PDF through Handlebars, DOCX, Google Docs
 * from the DOCX) walks the same blocks, so a table or chart added to a view-model appears in
 * every format without touching the renderers. Pure types: no I/O, no chart or template library.
 */

/** A run of text inside a paragraph or cell. */
export interface TextRun {
  text: string;
  bold?: boolean;
  italic?: boolean;
}

/** One cell of a table; text is ready to print. */
export interface TableCell {
  text: string;
  colSpan?: number;
  rowSpan?: number;
  align?: "left" | "center" | "right";
  bold?: boolean;
  /** A cell that stands for missing data ("Chưa gửi bảng tự đánh giá"): printed greyed/italic. */
  muted?: boolean;
}

/** A table with header rows that repeat on every page. */
export interface TableView {
  /** Stable id for tests and anchors, e.g. "ward-results". */
  id: string;
  /** "Bảng 1. Kết quả tự đánh giá của các phường". */
  caption: string;
  head: TableCell[][];
  body: TableCell[][];
  /** Relative column widths (any unit, renderers scale them to the text width). */
  widths?: number[];
  /** A line printed under the table (source, legend, "còn 12 phường trong phụ lục"). */
  note?: string;
  /** Smaller type for wide annex matrices. */
  compact?: boolean;
}

/** A bar chart: one bar per category; null is a labelled gap (nothing to draw), never a zero. */
export interface BarChartSpec {
  kind: "bar";
  title: string;
  categories: string[];
  values: (number | null)[];
  /** The axis maximum (the number of criteria). */
  max: number;
  /** Bars drawn in the highlight colour (e.g. wards that met every criterion). */
  highlight: boolean[];
  /** Label printed where a value is null ("Chưa gửi"). */
  gapLabel?: string;
  /** Per category, a label for its gap that differs from `gapLabel` ("Không đọc được"); null or absent: `gapLabel`. */
  gapLabels?: (string | null)[];
  /** Name of the value axis; absent: "Số tiêu chí đạt". A distribution of units says "Số đơn vị". */
  axisName?: string;
  /** Draw the dashed "Đạt đủ tiêu chí (N/N)" line at `max`; absent: true. False when values count units. */
  fullMark?: boolean;
}

/** A line chart over periods; null values break the line. */
export interface TrendChartSpec {
  kind: "trend";
  title: string;
  periods: string[];
  series: { name: string; values: (number | null)[] }[];
  max: number;
  /** As on BarChartSpec: the value axis name and whether the full line at `max` is drawn. */
  axisName?: string;
  fullMark?: boolean;
}

export type ChartSpec = BarChartSpec | TrendChartSpec;

export type DocBlock =
  /** "I. TÌNH HÌNH" (level 1), "1. Kết quả…" (level 2): kept with the next block. */
  | { kind: "heading"; level: 1 | 2 | 3; text: string }
  /** Body text: justified, first-line indent unless `indent: false`. */
  | { kind: "paragraph"; runs: TextRun[]; indent?: boolean }
  /** A place for staff to write prose: highlighted, editable in .docx and Google Docs. */
  | { kind: "placeholder"; text: string }
  | { kind: "list"; items: TextRun[][] }
  | { kind: "table"; table: TableView }
  | { kind: "chart"; chart: ChartSpec; caption: string }
  /** Starts a new page (annexes). */
  | { kind: "page-break" };

/** The kinds of document tieuchi issues; the abbreviation goes into "Số: …/BC-…". */
export type DocumentKind = "town-report" | "ward-notice" | "recognition-proposal";

/** Header, motto, place/date, Nơi nhận and signature: the frame every document shares. */
export interface DocumentFrame {
  parent: string;
  issuer: string;
  /** The issuer as written inside sentences ("Công an thị xã Cửa Lò"). */
  issuerName: string;
  /** "Số: 12/BC-CATX", or "Số:      /BC-CATX" left blank for the clerk. */
  number: string;
  motto: { country: string; slogan: string };
  placeDate: string;
  distribution: string[];
  signer: { authority: string; title: string | null; name: string };
}

/**
 * A whole document as every renderer receives it. The signature block follows the body;
 * annexes (phụ lục) come after the signature, each starting on a new page.
 */
export interface DocumentView {
  kind: DocumentKind;
  frame: DocumentFrame;
  /** "BÁO CÁO", "THÔNG BÁO". */
  title: string;
  /** The trích yếu lines under the title, in bold. */
  summary: string[];
  /** "Kính gửi: Công an phường Nghi Hương" for a notice; null for a report. */
  recipient: string | null;
  body: DocBlock[];
  annexes: { title: string; subtitle?: string; body: DocBlock[] }[];
}
