/**
 * The frame of every document (NĐ 30/2020 Phụ lục I): header blocks, "Số: …/BC-CATX", place and
 * date, Nơi nhận and the signature. The number is allocated elsewhere (it is I/O: stored once per
 * document key so re-rendering keeps it); here it is only printed. Pure.
 */
import type { DocumentFrame, DocumentKind } from "./document-blocks.js";
import { documentNumber, placeAndDate } from "./vi-format.js";

/** How documents are numbered: left blank for the clerk, or a sequence per kind and year. */
interface NumberingSettings {
  mode: "blank" | "sequence";
  /** The first number of each kind's sequence in a year. */
  start: number;
}

/** The document fields that come from the configuration (`agency`, `reports`). */
export interface DocumentSettings {
  agency: {
    parent: string;
    issuer: string;
    issuerName?: string | undefined;
    documentCode: string;
    place: string;
    signer: { authority: string; title?: string | undefined; rank?: string | undefined; name: string };
  };
  reports: {
    numbering: NumberingSettings;
    /** Nơi nhận of the town report, before "- Lưu: …". */
    distribution: readonly string[];
    /** Nơi nhận of the ward notice after the ward itself; empty: "Lãnh đạo <issuer> (để b/c)". */
    noticeDistribution: readonly string[];
    archive: string;
    /** Which criteria "Các tiêu chí nhiều phường chưa đạt" lists. */
    commonGaps: CommonGapsSettings;
  };
}

/** A criterion is listed when at least `minWards` wards (and at least `minShare` of the assessed wards) have not met it. */
export interface CommonGapsSettings {
  minWards: number;
  minShare: number | null;
}

/** The abbreviation of each kind in "Số: …/BC-CATX" (NĐ 30/2020 Phụ lục III). */
export const KIND_ABBREVIATION: Record<DocumentKind, string> = {
  "town-report": "BC",
  "ward-notice": "TB",
  "recognition-proposal": "TTr",
};

/** The title printed under the header for each kind. */
export const KIND_TITLE: Record<DocumentKind, string> = {
  "town-report": "BÁO CÁO",
  "ward-notice": "THÔNG BÁO",
  "recognition-proposal": "TỜ TRÌNH",
};

/**
 * The number to print: the allocated one in sequence mode, else null (a blank for the clerk).
 * A sequence document whose number could not be allocated is also left blank, never numbered twice.
 *
 * @example printedNumber({ mode: "sequence", start: 1 }, 7) === 7
 */
function printedNumber(numbering: NumberingSettings, allocated: number | null): number | null {
  return numbering.mode === "sequence" ? allocated : null;
}

/** What to number (sequence mode): the document's key (`town/<programme>/<period>`), its kind, the issue year, the sequence's first number. */
export interface NumberRequest {
  key: string;
  kind: DocumentKind;
  year: number;
  start: number;
}

/** Options of one document's frame. */
interface FrameOptions {
  kind: DocumentKind;
  issuedAt: Date;
  /** The number allocated for this document (null: blank). */
  number: number | null;
  /** Nơi nhận lines before "- Lưu: …", each without the leading "- ". */
  distribution: readonly string[];
}

const withSemicolon = (line: string): string => (/[;.]$/u.test(line) ? line.replace(/\.$/u, ";") : `${line};`);

/**
 * Header, motto, place/date, Nơi nhận and signature of one document.
 *
 * @example documentFrame(settings, { kind: "ward-notice", issuedAt, number: null, distribution: ["Công an phường Nghi Hương"] }).number
 * // → "Số:      /TB-CATX"
 */
export function documentFrame(settings: DocumentSettings, options: FrameOptions): DocumentFrame {
  const { agency, reports } = settings;
  const number = printedNumber(reports.numbering, options.number);
  return {
    parent: agency.parent.toUpperCase(),
    issuer: agency.issuer.toUpperCase(),
    issuerName: issuerName(settings),
    number: documentNumber(number, KIND_ABBREVIATION[options.kind], agency.documentCode),
    motto: { country: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", slogan: "Độc lập - Tự do - Hạnh phúc" },
    placeDate: placeAndDate(agency.place, options.issuedAt),
    distribution: [...options.distribution.map((d) => `- ${withSemicolon(d)}`), `- Lưu: ${reports.archive.replace(/\.$/u, "")}.`],
    signer: {
      authority: agency.signer.authority.toUpperCase(),
      title: agency.signer.title?.toUpperCase() ?? null,
      name: [agency.signer.rank, agency.signer.name].filter(Boolean).join(" "),
    },
  };
}

/** The issuer as written inside sentences ("Công an thị xã Cửa Lò"). */
export function issuerName(settings: DocumentSettings): string {
  return settings.agency.issuerName ?? settings.agency.issuer;
}
